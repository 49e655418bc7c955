"""What the pre-commit and GitHub Action tests share: an offline wheelhouse, a sample project."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.ci.wheelhouse import build

ROOT = Path(__file__).resolve().parents[2]
BAD = "---\nname: reviewer\ndescription: d\nname: again\ntools: Read, Grepp\n---\nBody.\n"
GOOD = "---\nname: helper\ndescription: Helps.\n---\nBody.\n"


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("wheelhouse"))


def offline_env(wheelhouse: Path, home: Path, **more: str) -> dict[str, str]:
    """The environment of a run with no package index: pip finds only the wheelhouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    return {
        **env,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        **more,
    }


def sample_project(where: Path, env: dict[str, str], bad: bool = True) -> Path:
    """A git repository with agent files (one with an error when ``bad``) and a README."""
    agents = where / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "helper.md").write_text(GOOD, "utf-8")
    if bad:
        (agents / "reviewer.md").write_text(BAD, "utf-8")
    (where / "README.md").write_text("---\nnot: [an agent\n---\n", "utf-8")
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "sample"]):
        subprocess.run(["git", *cmd], cwd=where, env=env, check=True)
    return where
