"""Install a pinned Claude Code and run it once, offline, against the loopback stand-in.

The installs live in ``.cache/runtimes/claude-<version>/`` (git-ignored) and are reused. From
2.1.113 the package is a native binary (``bin/claude.exe``); older versions ship ``cli.js``,
run with ``node``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conformance.standin import JSON, Script, StandIn
from tests.conformance.versions import PACKAGE

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "runtimes"


class RuntimeMissing(Exception):
    pass


def install_dir(version: str) -> Path:
    return CACHE / f"claude-{version}"


def command(version: str) -> list[str]:
    """The argv prefix that starts this version, or RuntimeMissing when not installed."""
    pkg = install_dir(version) / "node_modules" / PACKAGE
    native = pkg / "bin" / "claude.exe"
    if native.is_file() and native.stat().st_size > 1_000_000:
        return [str(native)]
    cli = pkg / "cli.js"
    if cli.is_file():
        node = shutil.which("node")
        if node is None:
            raise RuntimeMissing(f"Claude Code {version} needs node (cli.js)")
        return [node, str(cli)]
    raise RuntimeMissing(
        f"Claude Code {version} is not installed: "
        f"python -m tests.conformance install --version {version}"
    )


def install(version: str, force: bool = False) -> list[str]:
    """npm-install the pinned version into its cache folder (reused when present)."""
    if not force:
        try:
            return command(version)
        except RuntimeMissing:
            pass
    target = install_dir(version)
    target.mkdir(parents=True, exist_ok=True)
    ignore = CACHE.parent / ".gitignore"  # the cache ignores itself, even in a fresh clone
    if not ignore.exists():
        ignore.write_text("*\n")
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeMissing("npm not found")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", f"{PACKAGE}@{version}"],
        cwd=target,
        check=True,
    )
    return command(version)


@dataclass
class RunResult:
    status: str  # "exit 0", "exit 1", "timeout", "rss-limit"
    seconds: float
    requests: list[JSON] = field(default_factory=list)  # /v1/messages bodies, in order
    debug_log: str = ""
    stdout: str = ""
    stderr: str = ""


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def clean_env(home: str, url: str) -> dict[str, str]:
    """The recipe's environment, with a fresh HOME and config dir, and no proxy."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy") and not k.startswith(("ANTHROPIC_", "CLAUDE"))
    }
    env.update(
        HOME=home,
        CLAUDE_CONFIG_DIR=os.path.join(home, ".claude"),
        ANTHROPIC_API_KEY="sk-ant-dummy",
        ANTHROPIC_BASE_URL=url,
        DISABLE_TELEMETRY="1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        DISABLE_AUTOUPDATER="1",
        ENABLE_TOOL_SEARCH="false",
        NO_PROXY="127.0.0.1",
    )
    return env


def run(
    version: str,
    project: Path,
    script: Script | None = None,
    timeout: float = 60.0,
    rss_limit_mb: int = 6000,
    env: dict[str, str] | None = None,
    home_files: dict[str, str] | None = None,
    args: list[str] | None = None,
) -> RunResult:
    """``claude -p <prompt> --debug-file LOG`` in ``project`` (git-inited by the caller)."""
    argv = command(version)
    script = script or Script()
    with tempfile.TemporaryDirectory(prefix="agentls-cc-home-") as home, StandIn(script) as srv:
        log = Path(home) / "debug.log"
        for rel, text in (home_files or {}).items():  # e.g. ".claude/skills/x/SKILL.md"
            dest = Path(home) / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, "utf-8")
        full_env = {**clean_env(home, srv.url), **(env or {})}
        t0 = time.monotonic()
        status = ""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = subprocess.Popen(
                [*argv, "-p", script.prompt, "--debug-file", str(log), *(args or [])],
                cwd=project,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
            try:
                while True:
                    rc = p.poll()
                    if rc is not None:
                        status = f"exit {rc}"
                        break
                    if time.monotonic() - t0 > timeout:
                        status = "timeout"
                        break
                    if _rss_kb(p.pid) > rss_limit_mb * 1024:
                        status = "rss-limit"
                        break
                    time.sleep(0.02)
            finally:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGKILL)  # our own process group only
                    p.wait()
            seconds = time.monotonic() - t0
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        debug = log.read_text("utf-8", "replace") if log.exists() else ""
        return RunResult(status, seconds, srv.messages(), debug, stdout, stderr)
