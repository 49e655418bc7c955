"""Install and run Gemini CLI, pinned, offline (127.0.0.1 only)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    return ROOT / ".cache" / "runtimes" / f"gemini-{version}"


def entry(version: str = VERSION) -> Path:
    return install_dir(version) / "node_modules" / "@google" / "gemini-cli" / "bundle" / "gemini.js"


def install(version: str = VERSION, force: bool = False) -> Path:
    """``npm install`` the pinned package into ``.cache/runtimes/gemini-<version>`` (reused)."""
    d = install_dir(version)
    if entry(version).is_file() and not force:
        return d
    d.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"{PACKAGE}@{version}"],
        cwd=d,
        check=True,
    )
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
    cmd = [
        "nice",
        "-n",
        "10",
        "node",
        str(entry(version)),
        "-p",
        PROMPT,
        "--skip-trust",
        "-o",
        "json",
        "-y",
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(
            cmd,
            cwd=project,
            env=env_for(home, project, port),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            rc = p.wait(timeout=timeout)
            status = f"exit {rc}"
        except subprocess.TimeoutExpired:
            status = "timeout"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)  # our own group: stray children included
            p.wait()
        out.seek(0)
        err.seek(0)
        return Result(
            status,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
