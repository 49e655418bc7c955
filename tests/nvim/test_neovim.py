"""Neovim's own LSP client (Debian's 0.7.2, headless) against the real server.

Needs `nvim` on PATH (`.ci/run` installs Debian's `neovim`); skipped with a reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NVIM = shutil.which("nvim")
WRAPPER = (
    'lua local ok, e = pcall(dofile, "{script}"); '
    'if not ok then io.stderr:write(tostring(e) .. "\\n"); vim.cmd("cquit 2") end'
)

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="nvim is not installed (apt-get install neovim)"
)


def run_nvim(tmp_path: Path, server_cmd: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AGENTLS_CMD": server_cmd,
        "SAMPLES": str(HERE / "samples"),
        "PYTHONPATH": str(ROOT / "server"),
        **{
            f"XDG_{k}_HOME": str(tmp_path / k.lower()) for k in ("CONFIG", "DATA", "CACHE", "STATE")
        },
    }
    assert NVIM is not None
    return subprocess.run(
        [
            NVIM,
            "--headless",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-n",
            "-c",
            WRAPPER.format(script=HERE / "lsp_check.lua"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=ROOT,
    )


def test_neovim_client(tmp_path: Path) -> None:
    r = run_nvim(tmp_path, f"{sys.executable} -m agentls serve")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "failures=0" in r.stdout


def test_a_dead_server_fails_the_check(tmp_path: Path) -> None:
    """Negative control: the check is not vacuous."""
    r = run_nvim(tmp_path, f"{sys.executable} -c raise(SystemExit(3))")
    assert r.returncode != 0
