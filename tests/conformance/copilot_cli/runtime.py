"""Install the pinned Copilot CLI and run it once, offline, against the loopback stand-in.

The install lives in ``.cache/runtimes/copilot-cli-<version>/`` (git-ignored) and is reused. The
binary (``node_modules/@github/copilot-linux-x64/copilot``) unpacks ~235 MB into
``$HOME/.cache/copilot`` on its first start: every run gets a fresh HOME whose ``.cache/copilot``
is a symlink to one shared, already unpacked copy (``<install>/cache-home/.cache/copilot``), and a
fresh ``COPILOT_HOME`` (``$HOME/.copilot``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.conformance import runtimes_common as rc
from tests.conformance.copilot_cli.standin import JSON, StandIn
from tests.conformance.runtimes_common import RuntimeMissing

VERSION = "1.0.102"
PACKAGE = "@github/copilot"
MODEL = "gpt-4.1"
TIMEOUT = 90.0


def install_dir(version: str = VERSION) -> Path:
    return rc.install_dir("copilot-cli", version)


def binary(version: str = VERSION) -> Path:
    b = install_dir(version) / "node_modules" / "@github" / "copilot-linux-x64" / "copilot"
    if not b.is_file():
        raise RuntimeMissing(
            f"Copilot CLI {version} is not installed: "
            "python -m tests.conformance.copilot_cli install"
        )
    return b


def install(version: str = VERSION, force: bool = False) -> Path:
    """npm-install the pinned version into its cache folder (reused when present), then unpack."""
    if not force:
        try:
            b = binary(version)
            _unpacked(version)
            return b
        except RuntimeMissing:
            pass
    rc.npm_install(install_dir(version), f"{PACKAGE}@{version}", save=False)
    b = binary(version)
    _unpacked(version)
    return b


def _cache_home(version: str) -> Path:
    return install_dir(version) / "cache-home"


def _unpacked(version: str) -> Path:
    """The shared ``.cache/copilot`` (unpacked on first use by one ``--version`` run)."""
    home = _cache_home(version)
    cache = home / ".cache" / "copilot"
    if not (cache / "pkg").is_dir():
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(binary(version)), "--version"],
            env={
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(home),
                "COPILOT_HOME": str(home / ".copilot"),
                "COPILOT_OFFLINE": "true",
                "COPILOT_AUTO_UPDATE": "false",
            },
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=300,
            check=False,
        )
    if not (cache / "pkg").is_dir():
        raise RuntimeMissing(f"Copilot CLI {version} did not unpack into {cache}")
    return cache


@dataclass
class Run:
    argv: list[str]
    rc: int | None  # None: timed out (killed)
    stdout: str
    stderr: str
    log: str
    requests: list[JSON] = field(default_factory=list)


def fresh_home() -> Path:
    """A new HOME with the shared unpacked cache linked in (remove it with ``shutil.rmtree``)."""
    home = Path(tempfile.mkdtemp(prefix="copilot-home-"))
    (home / ".cache").mkdir()
    (home / ".cache" / "copilot").symlink_to(_unpacked(VERSION))
    (home / ".copilot").mkdir()
    return home


def run(
    project: Path,
    home: Path,
    args: list[str],
    *,
    prompt_run: bool = True,
    timeout: float = TIMEOUT,
) -> Run:
    """Run ``copilot ARGS`` in ``project`` with ``home`` (fresh per run), offline, niced.

    ``prompt_run``: add the flags of a ``-p`` run (tools allowed, no update, no telemetry, the
    full log into a fresh log folder) and serve the model through a fresh stand-in."""
    logdir = Path(tempfile.mkdtemp(prefix="copilot-log-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "COPILOT_HOME": str(home / ".copilot"),
        "COPILOT_OFFLINE": "true",
        "COPILOT_PROVIDER_API_KEY": "dummy",
        "COPILOT_MODEL": MODEL,
        "COPILOT_AUTO_UPDATE": "false",
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }
    argv = ["nice", "-n", "10", str(binary()), *args]
    if prompt_run:
        argv += [
            "--allow-all-tools",
            "--no-auto-update",
            "--disable-client-telemetry",
            "--log-level",
            "all",
            "--log-dir",
            str(logdir),
        ]
    with StandIn() as standin:
        env["COPILOT_PROVIDER_BASE_URL"] = standin.url
        p = rc.run(argv, env=env, cwd=project, timeout=timeout, nice=False)
        requests = standin.completions()
    log = "".join(
        p.read_text("utf-8", "replace") for p in sorted(logdir.glob("*.log")) if p.is_file()
    )
    shutil.rmtree(logdir, ignore_errors=True)
    return Run(argv[3:], p.rc, p.out, p.err, log, requests)
