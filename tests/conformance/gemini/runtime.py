"""Install and run Gemini CLI, pinned, offline (127.0.0.1 only)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tests.conformance.runtimes_common import install_dir as _install_dir
from tests.conformance.runtimes_common import npm_install
from tests.conformance.runtimes_common import run as run_process

ROOT = Path(__file__).resolve().parents[3]
VERSION = "0.61.0"  # the pinned Gemini CLI (the only place it is written)
PACKAGE = "@google/gemini-cli"
PROMPT = "hi"

SETTINGS = {
    "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": False}},
    "privacy": {"usageStatisticsEnabled": False},
    "telemetry": {"enabled": False},
    "general": {"disableAutoUpdate": True, "disableUpdateNag": True},
}


def install_dir(version: str = VERSION) -> Path:
    return _install_dir("gemini", version)


def entry(version: str = VERSION) -> Path:
    return install_dir(version) / "node_modules" / "@google" / "gemini-cli" / "bundle" / "gemini.js"


def install(version: str = VERSION, force: bool = False) -> Path:
    """``npm install`` the pinned package into ``.cache/runtimes/gemini-<version>`` (reused)."""
    d = install_dir(version)
    if entry(version).is_file() and not force:
        return d
    npm_install(d, f"{PACKAGE}@{version}")
    return d


def installed_version(version: str = VERSION) -> str:
    pkg = install_dir(version) / "node_modules" / "@google" / "gemini-cli" / "package.json"
    return str(json.loads(pkg.read_text("utf-8"))["version"])


@dataclass
class Result:
    status: str  # "exit 0", "exit 1", "timeout"
    stdout: str
    stderr: str


def make_home(home: Path) -> None:
    g = home / ".gemini"
    g.mkdir(parents=True, exist_ok=True)
    (g / "settings.json").write_text(json.dumps(SETTINGS), "utf-8")


def env_for(home: Path, project: Path, port: int) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PWD": str(project),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "GEMINI_API_KEY": "dummy",
        "GOOGLE_GEMINI_BASE_URL": f"http://127.0.0.1:{port}",
        "NO_COLOR": "1",
        "NO_BROWSER": "1",
    }


def run(
    home: Path, project: Path, port: int, timeout: float = 90.0, version: str = VERSION
) -> Result:
    """``gemini -p hi --skip-trust -o json -y`` in ``project``, niced, in its own process group
    (killed as a group on timeout: only the processes this call started)."""
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    cmd = ["node", str(entry(version)), "-p", PROMPT, "--skip-trust", "-o", "json", "-y"]
    p = run_process(cmd, env=env_for(home, project, port), cwd=project, timeout=timeout)
    return Result(p.status, p.out, p.err)
