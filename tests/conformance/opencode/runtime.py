"""Install the pinned OpenCode and run one of its listing commands, offline.

The install lives in ``.cache/runtimes/opencode-<version>/`` (git-ignored) and is reused. The
package ships a native (Bun-compiled) binary per platform; ``opencode-linux-x64`` is used here.

A run is ``opencode debug config`` (the parsed agents and commands, or ``Configuration is
invalid at FILE`` and exit 1) or ``opencode debug skill`` (the skills it loaded), in a fresh
git-inited project, with a fresh HOME whose ``~/.config/opencode/opencode.json`` names a loopback
provider. Nothing is contacted: the process runs in a network namespace of its own
(``unshare -n``: no interface but a loopback that is down), so the background npm install of
``@opencode-ai/plugin`` that OpenCode starts for each config folder fails at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance import runtimes_common as rc
from tests.conformance.opencode import netns
from tests.conformance.runtimes_common import RuntimeMissing

PACKAGE = "opencode-ai"
VERSION = "1.18.33"  # the pinned version (the only place it is written)

ROOT = rc.ROOT

USER_CONFIG = {
    "$schema": "https://opencode.ai/config.json",
    "provider": {
        "mock": {
            "npm": "@ai-sdk/openai-compatible",
            "name": "Mock",
            "options": {"baseURL": "http://127.0.0.1:9/v1", "apiKey": "dummy"},
            "models": {"mock-model": {"name": "Mock"}},
        }
    },
    "model": "mock/mock-model",
    "share": "disabled",
    "autoupdate": False,
}


def install_dir(version: str = VERSION) -> Path:
    return rc.install_dir("opencode", version)


def binary(version: str = VERSION) -> Path:
    exe = install_dir(version) / "node_modules" / "opencode-linux-x64" / "bin" / "opencode"
    if exe.is_file() and exe.stat().st_size > 1_000_000:
        return exe
    raise RuntimeMissing(
        f"OpenCode {version} is not installed: python -m tests.conformance.opencode install"
    )


def install(version: str = VERSION, force: bool = False) -> Path:
    """npm-install the pinned version into its cache folder (reused when present)."""
    if not force:
        try:
            return binary(version)
        except RuntimeMissing:
            pass
    rc.npm_install(install_dir(version), f"{PACKAGE}@{version}", loglevel="error")
    return binary(version)


@dataclass
class RunResult:
    status: str  # "exit 0", "exit 1", "timeout"
    seconds: float
    stdout: str
    stderr: str
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "exit 0"


def clean_env(home: str, project: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=home,
        PWD=str(project),  # OpenCode takes its directory from $PWD
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        XDG_STATE_HOME=os.path.join(home, ".local", "state"),
        OPENCODE_DISABLE_MODELS_FETCH="1",
        OPENCODE_DISABLE_AUTOUPDATE="1",
        OPENCODE_DISABLE_LSP_DOWNLOAD="1",
        OPENCODE_DISABLE_SHARE="1",
        npm_config_registry="http://127.0.0.1:9/",
        NO_COLOR="1",
        PYTHONPATH=str(ROOT),  # for ``-m tests.conformance.opencode.netns``
    )
    return env


git_init = rc.git_init


def run(
    project: Path,
    args: list[str],
    home_files: dict[str, bytes] | None = None,
    timeout: float = 60.0,
    version: str = VERSION,
    standin: bool = False,
) -> RunResult:
    """``opencode ARGS`` in ``project`` (git-inited by the caller), fresh HOME, no network.

    ``home_files`` are laid out under the fresh HOME (path relative to it) before the run.
    ``standin``: run the loopback model stand-in in the namespace (``netns``) and return the
    request bodies it received in ``requests``.
    """
    exe = binary(version)
    with tempfile.TemporaryDirectory(prefix="agentls-oc-home-") as home:
        cfg = Path(home) / ".config" / "opencode"
        cfg.mkdir(parents=True)
        config = json.loads(json.dumps(USER_CONFIG))
        config["provider"]["mock"]["options"]["baseURL"] = f"http://127.0.0.1:{netns.PORT}/v1"
        (cfg / "opencode.json").write_text(json.dumps(config, indent=1))
        rc.lay_out(Path(home), (home_files or {}).items())
        log = Path(home) / "requests.jsonl"
        argv = ["unshare", "-n"]
        if standin:
            argv += [sys.executable, "-m", "tests.conformance.opencode.netns", str(log), "--"]
        argv += ["nice", "-n", "10", str(exe), *args]
        proc = rc.run(argv, env=clean_env(home, project), cwd=project, timeout=timeout, nice=False)
        requests = []
        if log.is_file():
            for line in log.read_text("utf-8").splitlines():
                requests.append(json.loads(line))
    return RunResult(proc.status, proc.seconds, proc.out, proc.err, requests)


def version_of(version: str = VERSION) -> str:
    res = subprocess.run(
        [str(binary(version)), "--version"], capture_output=True, text=True, timeout=30
    )
    return res.stdout.strip()
