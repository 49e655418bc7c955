"""agentls benchmarks: every issue-13 target, side by side with agnix and a bare pygls server.

    .venv/bin/python bench/run.py [--quick] [--only cli,tree,repeat,server,replay] [--out FILE]

Prints one Markdown table (the one in bench/README.md) and writes every sample to JSON. Targets
are shown as met or not, never asserted: the exit status is 1 only when a section crashed.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
AGENTLS = [str(BIN / "agentls")] if (BIN / "agentls").exists() else [PYTHON, "-m", "agentls"]
AGNIX = str(BIN / "agnix") if (BIN / "agnix").exists() else shutil.which("agnix")
CORPUS = Path(os.environ.get("AGENTLS_BENCH_CORPUS", REPO.parent / "shared" / "corpus"))
CORPUS = CORPUS.resolve()
EXAMPLES = REPO / "examples" / ".claude" / "agents"
ONE_FILE = EXAMPLES / "senior-backend-expert.md"
TREE = REPO / "build" / "bench-tree"  # git-ignored; generated once (not under a dot folder:
# agnix skips those, and would check nothing)
SECTIONS = ("cli", "tree", "repeat", "server", "replay")
WAIT = 10.0  # seconds: every wait on a server
BARE_SERVER = """
from lsprotocol import types
from pygls.lsp.server import LanguageServer
server = LanguageServer("bare", "0", text_document_sync_kind=types.TextDocumentSyncKind.Full)
@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=doc.uri, version=doc.version, diagnostics=[]))
server.start_io()
"""

# ------------------------------------------------------------------------------ processes
_groups: set[int] = set()  # process groups started here and not reaped


def kill_all() -> None:
    for pgid in list(_groups):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        _groups.discard(pgid)


atexit.register(kill_all)


@dataclass
class Run:
    wall: float  # s
    cpu: float  # s, user + sys of the process and the children it waited for
    rss: float  # MiB, the largest process's peak (ru_maxrss)
    rc: int
    stderr: str


def run(cmd: Sequence[str], env: dict[str, str] | None = None, timeout: float = 300) -> Run:
    """One command in its own process group (killed on timeout or exit), stdout discarded."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        _groups.add(p.pid)
        timer = threading.Timer(timeout, kill_all)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
            p.returncode = 0  # reaped by wait4: Popen must not wait again
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(p.pid, signal.SIGKILL)  # whatever it left behind
            _groups.discard(p.pid)
        wall = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(
        wall,
        ru.ru_utime + ru.ru_stime,
        ru.ru_maxrss / 1024,
        os.waitstatus_to_exitcode(status),
        text,
    )


def env_with_cache(cache: str) -> dict[str, str]:
    """agentls's findings cache (if this version has one) in ``cache``, never a shared one."""
    return {**os.environ, "AGENTLS_CACHE_DIR": cache, "XDG_CACHE_HOME": cache}


def alternate(cmds: Sequence[Sequence[str]], n: int) -> list[list[Run]]:
    """One untimed warm-up run of each command, then ``n`` runs of each, alternately (so that a
    change of load hits them alike), each with a new, empty cache folder."""
    out: list[list[Run]] = [[] for _ in cmds]
    for i in range(n + 1):
        for runs, cmd in zip(out, cmds, strict=True):
            with tempfile.TemporaryDirectory(prefix="agentls-bench-cache-") as cache:
                r = run(cmd, env_with_cache(cache))
            runs += [r] if i else []
    return out


# ------------------------------------------------------------------------------ figures
def percentile(xs: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    s = sorted(xs)
    if not s:
        return math.nan
    pos = (len(s) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@dataclass
class Row:
    """One line of the table: agentls's figure, the reference's (agnix, the floor or another
    agentls run), and a target on agentls's figure."""

    id: str
    what: str
    stat: str  # p50, p99 or max over the samples
    unit: str  # ms, s, MiB or %
    mine: list[float]
    ref: list[float] = field(default_factory=list)
    ref_name: str = ""
    limit: Callable[[float, float], float] | None = None  # (mine, ref) -> limit on mine
    target: str = ""
    note: str = ""

    def value(self, xs: list[float]) -> float:
        if not xs:
            return math.nan
        return max(xs) if self.stat == "max" else percentile(xs, int(self.stat[1:]) / 100)

    def met(self) -> bool | None:
        a, b = self.value(self.mine), self.value(self.ref)
        if self.limit is None or math.isnan(a):
            return None
        lim = self.limit(a, b)
        return None if math.isnan(lim) else a <= lim

    def json(self) -> dict[str, Any]:
        a, b = self.value(self.mine), self.value(self.ref)
        return {
            "id": self.id,
            "what": self.what,
            "stat": self.stat,
            "unit": self.unit,
            "agentls": _num(a),
            "reference": _num(b),
            "reference_name": self.ref_name,
            "target": self.target,
            "met": self.met(),
            "note": self.note,
            "samples": [round(x, 4) for x in self.mine],
            "reference_samples": [round(x, 4) for x in self.ref],
        }


def at_most(x: float) -> Callable[[float, float], float]:
    return lambda mine, ref: x


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def fmt(x: float, unit: str) -> str:
    if math.isnan(x):
        return "–"
    digits = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 or unit in ("MiB", "%") else 2
    return f"{x:.{digits}f} {unit}"


def table(rows: list[Row]) -> str:
    out = [
        "| figure | stat | n | agentls | reference | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, b = r.value(r.mine), r.value(r.ref)
        ref = f"{fmt(b, r.unit)} ({r.ref_name})" if r.ref_name else "–"
        ratio = f"{a / b:.2f}×" if r.ref and b and not math.isnan(a / b) else "–"
        met = {True: "met", False: "**not met**", None: "–"}[r.met()]
        out.append(
            f"| {r.what} | {r.stat} | {len(r.mine)} | {fmt(a, r.unit)} | {ref} | {ratio} "
            f"| {r.target or '–'} | {met} |"
        )
    return "\n".join(out)


# ------------------------------------------------------------------------------ CLI rows
def files_checked(r: Run) -> str:
    m = re.search(r"\d+ files? checked", r.stderr)
    return m.group(0) if m else r.stderr.strip()[-120:]


def sec_cli(n: int, rows: list[Row], info: dict[str, Any]) -> None:
    assert AGNIX, "agnix is missing: `make .venv/.installed-stamp` installs the bench extra"
    for key, path, k in (("corpus", CORPUS, n), ("file", ONE_FILE, 4 * n)):
        mine, ref = alternate([[*AGENTLS, "check", str(path)], [AGNIX, str(path)]], k)
        note = f"agentls: {files_checked(mine[-1])}, exit {mine[-1].rc}; {path}"
        if key == "corpus":
            w, wa, c, ca = walls(mine), walls(ref), cpus(mine), cpus(ref)
            rows.append(Row("cli.corpus", "`check` corpus wall", "p50", "s", w, wa, "agnix",
                            lambda a, b: b, "≤ agnix", note))  # fmt: skip
            rows.append(Row("cli.corpus.cpu", "`check` corpus CPU", "p50", "s", c, ca, "agnix"))
        else:
            w, wa = [x * 1000 for x in walls(mine)], [x * 1000 for x in walls(ref)]
            rows.append(Row("cli.file", f"`check {path.name}` wall", "p50", "ms", w, wa, "agnix",
                            at_most(100), "≤ 100 ms", note))  # fmt: skip


def walls(runs: list[Run]) -> list[float]:
    return [r.wall for r in runs]


def cpus(runs: list[Run]) -> list[float]:
    return [r.cpu for r in runs]


def make_tree(root: Path, parts: int = 10, per_part: int = 5000) -> None:
    """``parts`` folders of ``per_part`` files: a fifth agents copied from the corpus (in
    ``.claude/agents/`` of many projects), the rest source, data and Markdown files that no
    dialect matches. Made once; ``rm -rf build/bench-tree`` makes it again."""
    stamp = root / f".done-{parts}x{per_part}"
    if stamp.exists():
        return
    shutil.rmtree(root, ignore_errors=True)
    agents = sorted(p for p in CORPUS.rglob("*.md") if "agents" in p.parts and p.is_file())
    assert agents, f"no agent files under {CORPUS}"
    texts = [p.read_bytes() for p in agents]
    others = [
        ("src/mod{i}.py", b"def f(x: int) -> int:\n    return x + 1\n" * 20),
        ("docs/page{i}.md", b"# Notes\n\nPlain Markdown, no front matter.\n" * 30),
        ("data/item{i}.json", b'{"id": 1, "tags": ["a", "b"]}\n'),
        ("README{i}.txt", b"read me\n" * 10),
    ]
    n = 0
    for part in range(parts):
        for i in range(per_part):
            project = root / f"part{part}" / f"project{i // 50}"
            if i % 5 == 0:
                p, data = project / ".claude" / "agents" / f"agent{i}.md", texts[n % len(texts)]
                n += 1
            else:
                rel, data = others[i % 4]
                p = project / rel.format(i=i)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
    stamp.write_text("")


def sec_tree(n: int, rows: list[Row], info: dict[str, Any]) -> None:
    assert AGNIX, "agnix is missing"
    t0 = time.perf_counter()
    make_tree(TREE)
    info["tree"] = {"path": str(TREE), "made_in_s": round(time.perf_counter() - t0, 1)}
    (small,) = alternate([[*AGENTLS, "check", str(TREE / "part0")]], n)
    mine, ref = alternate([[*AGENTLS, "check", str(TREE)], [AGNIX, str(TREE)]], n)
    note = f"agentls: {files_checked(mine[-1])}; made in {info['tree']['made_in_s']} s"
    w, wa, c, ca = walls(mine), walls(ref), cpus(mine), cpus(ref)
    rows.append(Row("tree", "`check` 50,000 files wall", "p50", "s", w, wa, "agnix",
                    at_most(3), "≤ 3 s", note))  # fmt: skip
    rows.append(Row("tree.cpu", "`check` 50,000 files CPU", "p50", "s", c, ca, "agnix"))
    bound = 2 * max((r.rss for r in small), default=math.nan)
    m, ma = [r.rss for r in mine], [r.rss for r in ref]
    rows.append(Row("tree.rss", "`check` 50,000 files max RSS", "max", "MiB", m, ma, "agnix",
                    at_most(bound), f"≤ 2 × at 5,000 ({fmt(bound / 2, 'MiB')})",
                    "ru_maxrss: the largest process, not a pool's sum"))  # fmt: skip


def sec_repeat(n: int, rows: list[Row], info: dict[str, Any]) -> None:
    """A first run with an empty cache folder, then a second one with the same folder."""
    first, second = [], []
    for _ in range(n):
        with tempfile.TemporaryDirectory(prefix="agentls-bench-cache-") as cache:
            env = env_with_cache(cache)
            first.append(run([*AGENTLS, "check", str(CORPUS)], env).wall)
            second.append(run([*AGENTLS, "check", str(CORPUS)], env).wall)
    rows.append(Row("repeat", "`check` corpus again, unchanged", "p50", "s", second, first,
                    "first run", lambda a, b: 0.3 * b, "≤ 30 % of the first"))  # fmt: skip


def sec_replay(n: int, rows: list[Row], info: dict[str, Any]) -> None:
    cmd = [PYTHON, "-m", "pytest", "tests/conformance", "-q", "-p", "no:cacheprovider"]
    r = run(cmd, timeout=900)
    note = f"CPU {r.cpu:.1f} s, exit {r.rc} ({' '.join(cmd[1:])})"
    rows.append(Row("replay", "conformance replay (`pytest tests/conformance`)", "max", "s",
                    [r.wall], limit=at_most(30), target="≤ 30 s", note=note))  # fmt: skip


# ------------------------------------------------------------------------------ the server
class Lsp:
    """A server over stdio, in its own process group: raw JSON-RPC, no client library. A
    message is timestamped when its last byte has been read."""

    def __init__(self, cmd: Sequence[str]) -> None:
        self.cmd = cmd
        self.diags: dict[tuple[str, int], asyncio.Future[float]] = {}
        self.replies: dict[int, asyncio.Future[float]] = {}
        self.next_id = 0

    async def __aenter__(self) -> Lsp:
        self.t_spawn = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.cmd,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            limit=1 << 26,
        )
        _groups.add(self.proc.pid)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.reader.cancel()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        _groups.discard(self.proc.pid)
        await self.proc.wait()

    def send(self, method: str, params: Any, id_: int | None = None) -> float:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if id_ is not None:
            msg["id"] = id_
        body = json.dumps(msg).encode()
        t = time.perf_counter()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        return t

    async def request(self, method: str, params: Any) -> float:
        self.next_id += 1
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.replies[self.next_id] = fut
        self.send(method, params, self.next_id)
        return await asyncio.wait_for(fut, WAIT)

    async def diagnostics(self, method: str, uri: str, version: int, params: Any) -> float:
        """Send a notification; milliseconds until the diagnostics of ``uri`` at ``version``."""
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.diags[(uri, version)] = fut
        t0 = self.send(method, params)
        self.t_diags = await asyncio.wait_for(fut, WAIT)
        return (self.t_diags - t0) * 1000

    async def open(self, path: Path, text: str, version: int = 1) -> float:
        doc = {"uri": path.as_uri(), "languageId": "markdown", "version": version, "text": text}
        return await self.diagnostics(
            "textDocument/didOpen", path.as_uri(), version, {"textDocument": doc}
        )

    async def initialize(self) -> float:
        caps = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
        params = {"processId": os.getpid(), "rootUri": None, "capabilities": caps}
        t = await self.request("initialize", params)
        self.send("initialized", {})
        return t

    def rss(self) -> tuple[float, float]:
        """VmRSS and VmHWM in MiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        kib = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+)", status, re.M))
        return int(kib["VmRSS"]) / 1024, int(kib["VmHWM"]) / 1024

    async def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None and self.proc.stdin is not None
        while True:
            header = await out.readuntil(b"\r\n\r\n")
            body = await out.readexactly(int(re.search(rb"Content-Length: *(\d+)", header)[1]))  # type: ignore[index]
            t = time.perf_counter()
            msg = json.loads(body)
            if "method" not in msg:
                fut = self.replies.pop(msg.get("id"), None)
            elif "id" in msg:  # a request from the server: answer neutrally
                self.send_reply(msg["id"])
                continue
            elif msg["method"] == "textDocument/publishDiagnostics":
                p = msg["params"]
                fut = self.diags.pop((p["uri"], p.get("version")), None)
            else:
                continue
            if fut is not None and not fut.done():
                fut.set_result(t)

    def send_reply(self, id_: int) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": id_, "result": None}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def hooks_document(size: int = 300_000) -> str:
    """A valid agent whose front matter is ~300 KB of `hooks` (realistic Claude Code YAML)."""
    lines = [
        "---",
        "name: release-auditor",
        "description: Use this agent to audit every tool "
        "call of a release through the project hooks below.",
        "model: sonnet",
        "tools: Read, Grep, Glob, Bash, Edit",
        "hooks:",
    ]
    tools = ["Bash", "Edit|Write|MultiEdit", "Read", "WebFetch", "mcp__github__.*", "Grep|Glob"]
    for event in ("PreToolUse", "PostToolUse"):
        lines.append(f"  {event}:")
        i = 0
        while sum(map(len, lines)) < size * (1 if event == "PostToolUse" else 0.5):
            tool = tools[i % len(tools)]
            lines += [
                f'    - matcher: "{tool}"',
                "      hooks:",
                "        - type: command",
                f'          command: "$CLAUDE_PROJECT_DIR/.claude/hooks/{event.lower()}-{i:05d}'
                f'.sh --tool {tool.split("|")[0]} --log .claude/logs/audit-{i % 97:02d}.jsonl"',
                f"          timeout: {10 + i % 50}",
            ]
            i += 1
    return "\n".join([*lines, "---", "", "You audit releases step by step.", ""])


def edited(text: str, i: int) -> str:
    """One letter of the description value changed (the edit a user types)."""
    word = re.compile(r"[A-Za-z]{3,}").search(text, text.index("description:") + 12)
    at = word.start() + 1 if word else 0
    return text[:at] + "xy"[i % 2] + text[at + 1 :]


async def change_p(
    path: Path, text: str, n: int, budget: float = 30, warmup: int = 5
) -> list[float]:
    """didChange -> diagnostics of that version (full sync) in a fresh server: ``n`` edits, or
    fewer when they take more than ``budget`` seconds."""
    async with Lsp([PYTHON, "-m", "agentls", "serve"]) as s:
        await s.initialize()
        await s.open(path, text)
        uri, out, end = path.as_uri(), [], time.perf_counter() + budget
        for v in range(-warmup, n):
            edit = {"textDocument": {"uri": uri, "version": v + 10},
                    "contentChanges": [{"text": edited(text, v)}]}  # fmt: skip
            ms = await s.diagnostics("textDocument/didChange", uri, v + 10, edit)
            out += [ms] if v >= 0 else []
            if time.perf_counter() > end:
                break
    return out


async def server_rows(n: int, n_change: int, rows: list[Row], tmp: Path) -> None:
    examples = {p: p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md"))}
    first: dict[str, list[float]] = {"agentls": [], "bare": []}
    rss: dict[str, list[float]] = {"agentls": [], "bare": []}
    cmds = {"agentls": [PYTHON, "-m", "agentls", "serve"], "bare": [PYTHON, "-c", BARE_SERVER]}
    for _ in range(n):
        for name, cmd in cmds.items():  # alternately, so that a change of load hits both alike
            async with Lsp(cmd) as s:
                await s.initialize()
                await s.open(ONE_FILE, examples[ONE_FILE])
                first[name].append((s.t_diags - s.t_spawn) * 1000)
                for p, text in examples.items():
                    if p != ONE_FILE:
                        await s.open(p, text)
                rss[name].append(s.rss()[0])
    (start, start_f), (mem, mem_f) = first.values(), rss.values()
    rows.append(Row("server.start", "server: start -> first diagnostics", "p50", "ms", start,
                    start_f, "bare pygls", lambda a, b: b + 50, "≤ floor + 50 ms"))  # fmt: skip
    rows.append(Row("server.rss", f"server: VmRSS, the {len(examples)} examples open", "max",
                    "MiB", mem, mem_f, "bare pygls", at_most(50), "≤ 50 MiB"))  # fmt: skip
    hooks = tmp / ".claude" / "agents" / "hooks.md"
    hooks.parent.mkdir(parents=True)
    hooks.write_text(text := hooks_document(), "utf-8")
    for key, path, body, limit in (
        ("hooks", hooks, text, 50),
        ("example", ONE_FILE, examples[ONE_FILE], 5),
    ):
        what = f"{len(text) // 1000} KB of `hooks`" if key == "hooks" else path.name
        rows.append(Row(f"server.change.{key}", f"server: didChange -> diagnostics, {what}", "p99",
                        "ms", await change_p(path, body, n_change), limit=at_most(limit),
                        target=f"≤ {limit} ms" + " (issue 1)" * (key == "example")))  # fmt: skip


def sec_server(n: int, rows: list[Row], info: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="agentls-bench-") as tmp:
        asyncio.run(server_rows(2 * n, 40 * n, rows, Path(tmp)))


# ------------------------------------------------------------------------------ main
def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="n=1 everywhere: a smoke run")
    ap.add_argument("--only", default=",".join(SECTIONS), help="sections, comma-separated")
    ap.add_argument("--out", type=Path, help="write the JSON here")
    args = ap.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    if bad := set(only) - set(SECTIONS):
        ap.error(f"unknown sections {sorted(bad)}: choose from {', '.join(SECTIONS)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    n = 1 if args.quick else 5
    funcs = {
        "cli": sec_cli,
        "tree": sec_tree,
        "repeat": sec_repeat,
        "server": sec_server,
        "replay": sec_replay,
    }
    counts = {"cli": n, "tree": max(1, n - 2), "repeat": max(1, n - 2), "server": n, "replay": 1}
    started = dt.datetime.now(dt.timezone.utc)
    info: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--porcelain", "--", "server").splitlines(),
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "agnix": AGNIX
        and subprocess.run([AGNIX, "--version"], capture_output=True, text=True).stdout.strip(),
        "loadavg_start": os.getloadavg(),
        "quick": args.quick,
    }
    rows: list[Row] = []
    errors: dict[str, str] = {}
    try:
        for name in only:
            t0 = time.perf_counter()
            print(f"[{name}] ...", end=" ", flush=True)
            try:
                funcs[name](counts[name], rows, info)
            except Exception as e:  # a crashed section is reported; the others still run
                errors[name] = f"{type(e).__name__}: {e}"
            finally:
                kill_all()
            print(f"{time.perf_counter() - t0:.0f} s {errors.get(name, '')}", flush=True)
    finally:
        kill_all()
    info["loadavg_end"] = os.getloadavg()
    info["duration_s"] = round((dt.datetime.now(dt.timezone.utc) - started).total_seconds())
    print()
    print(table(rows))
    print(
        f"\n{info['started']} · commit {info['commit']}{' (modified)' if info['dirty'] else ''}"
        f" · {info['nproc']} CPUs · Python {info['python']} · {info['agnix']} · load average "
        f"{info['loadavg_start'][0]:.2f} -> {info['loadavg_end'][0]:.2f} · "
        f"{info['duration_s']} s"
    )
    for r in rows:
        if r.note:
            print(f"{r.id}: {r.note}")
    for k, v in errors.items():
        print(f"ERROR in {k}: {v}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": "agentls-bench/2",
            **info,
            "errors": errors,
            "rows": [r.json() for r in rows],
        }
        args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
