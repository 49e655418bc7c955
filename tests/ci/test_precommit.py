"""The pre-commit hook (.pre-commit-hooks.yaml) through the real pre-commit: `pre-commit
try-repo <this repository> agentls --all-files` in a sample git repository. pre-commit clones
this repository, makes a virtualenv and `pip install .` in it, offline (tests/ci/wheelhouse.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.conftest import ROOT, offline_env, sample_project

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "agentls" and hook["entry"] == "agentls check"
    assert hook["language"] == "python"
    import re

    files = re.compile(hook["files"])
    for path in (".claude/agents/a.md", ".cursor/rules/r.mdc", "skills/x/SKILL.md"):
        assert files.search(path), path
    assert not files.search("src/main.py") and not files.search("notes.md.txt")


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is a dev dependency: make")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_pre_commit_try_repo(tmp_path: Path, wheelhouse: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = offline_env(wheelhouse, home, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    project = sample_project(tmp_path / "project", env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "try-repo", str(ROOT), "agentls", "--all-files", "--color=never"],
            cwd=project,
            env=env,
            text=True,
            capture_output=True,
            timeout=600,
        )

    r = try_repo()
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout
    assert "agentls" in out and "Failed" in out
    assert ".claude/agents/reviewer.md:4:1: error AGL013" in out
    assert ".claude/agents/reviewer.md:5:14: warning AGL401" in out
    assert "helper.md:" not in out  # no finding: not named
    assert "README.md" not in out  # a Markdown file that is no agent file

    (project / ".claude" / "agents" / "reviewer.md").unlink()
    subprocess.run(["git", "commit", "-qam", "fixed"], cwd=project, env=env, check=True)
    r = try_repo()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout
