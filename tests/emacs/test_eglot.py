"""Emacs with eglot and the README's snippet, verbatim, in batch mode against `agentls serve`.

The snippet is read from README.md and loaded as the user's configuration; Emacs opens an agent
file, eglot connects to `agentls serve` (found on PATH, as the snippet says) and flymake must
show the diagnostics with the right codes, lines and columns (check_eglot.el).

Needs `emacs` with eglot and markdown-mode (Debian 12: `emacs-nox`, `elpa-eglot`,
`elpa-markdown-mode`; `make editors` installs them as root, `.ci/run` does); skipped with a
reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editor_snippets import readme_snippet

HERE = Path(__file__).resolve().parent
AGENT = HERE.parent / "nvim/samples/.claude/agents/nvim.md"
EMACS = shutil.which("emacs")


def missing() -> str | None:
    if EMACS is None:
        return "emacs is not installed (`make editors`: Debian's emacs-nox, elpa-eglot)"
    try:
        probe = subprocess.run(
            [EMACS, "--batch", "--eval", "(progn (require 'eglot) (require 'markdown-mode))"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return "emacs --batch did not exit within 60 s"
    if probe.returncode != 0:
        return "emacs lacks eglot or markdown-mode (`make editors`: elpa-eglot, elpa-markdown-mode)"
    return None


REASON = missing()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def run_emacs(
    tmp_path: Path, path_dirs: list[str], connect_seconds: int = 15
) -> subprocess.CompletedProcess[str]:
    snippet = tmp_path / "init.el"
    snippet.write_text(readme_snippet("elisp", "eglot-server-programs"))
    # outside any repository, so eglot's project is the agent's folder, as for a loose file
    agent = tmp_path / "proj/.claude/agents/emacs.md"
    agent.parent.mkdir(parents=True)
    agent.write_bytes(AGENT.read_bytes())
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": os.pathsep.join(path_dirs),
        "SNIPPET": str(snippet),
        "AGENT_FILE": str(agent),
        "CONNECT_SECONDS": str(connect_seconds),
    }
    assert EMACS is not None
    return subprocess.run(
        [EMACS, "--batch", "-l", str(HERE / "check_eglot.el")],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )


def test_readme_snippet_in_emacs_eglot(tmp_path: Path) -> None:
    r = run_emacs(tmp_path, [str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "failures=0" in r.stdout


def test_without_agentls_on_path_the_check_fails(tmp_path: Path) -> None:
    """Negative control: the diagnostics come from the server the snippet starts."""
    r = run_emacs(tmp_path, ["/usr/bin", "/bin"], connect_seconds=3)
    assert r.returncode != 0
    assert '"Searching for program" "No such file or directory" "agentls"' in r.stderr, r.stderr
