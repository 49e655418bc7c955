"""agentls benchmark suite: latency, cold start, memory and CLI wall time (see bench/README.md).

    .venv/bin/python bench/run.py --out bench/results/latest.json [--quick] [--only start,cli]

Prints a table and writes JSON. Targets are printed next to the figures, never asserted: the
exit status is 0 unless a section crashed (then 1; the other sections still run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lsp_client import LspClient, ServerError, kill_all, rss_kib

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / ".claude" / "agents"
COLD_EXAMPLE = EXAMPLES / "senior-backend-expert.md"
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
BENCH = Path(__file__).resolve().parent
SECTIONS = ("start", "open", "change", "completion", "hover", "rss", "analyze", "cli", "importtime")
WAIT = 10.0  # seconds: every wait on the server has this timeout
CLI_TIMEOUT = 120.0
DEBOUNCE_NOTE = (
    "documents are analysed on the next event-loop turn (server.py schedule), which "
    "coalesces queued edits; no fixed pause"
)
AGNIX_SCOPE_NOTE = (
    "agnix validates more file kinds than agentls does today (skills, commands, "
    "MCP, hooks, memory/CLAUDE.md, plugins, Cursor/Copilot/Codex files...), while "
    "agentls checks Claude Code subagents (.claude/agents/*.md, plugins/*/agents/) "
    "only: compare the per-file figure and the file counts, not only wall time"
)


# --- numbers --------------------------------------------------------------------------------
def percentile(sorted_xs: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_xs:
        return math.nan
    pos = (len(sorted_xs) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def summarize(xs: Sequence[float]) -> dict[str, float]:
    s = sorted(xs)
    if not s:
        return {}
    return {
        "min": s[0],
        "p50": percentile(s, 0.5),
        "p90": percentile(s, 0.9),
        "p99": percentile(s, 0.99),
        "max": s[-1],
        "mean": statistics.fmean(s),
        "stdev": statistics.stdev(s) if len(s) > 1 else 0.0,
    }


@dataclass
class Target:
    stat: str  # which statistic is compared: p50, p99, max...
    limit: float
    text: str

    def met(self, stats: dict[str, float]) -> bool | None:
        v = stats.get(self.stat)
        return None if v is None or math.isnan(v) else v <= self.limit


@dataclass
class Row:
    id: str
    section: str
    label: str
    unit: str  # "ms" or "MiB"
    samples: list[float]
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stats(self) -> dict[str, float]:
        return summarize(self.samples)

    def to_json(self) -> dict[str, Any]:
        stats = self.stats
        d: dict[str, Any] = {
            "id": self.id,
            "section": self.section,
            "label": self.label,
            "unit": self.unit,
            "n": len(self.samples),
            "stats": {k: round(v, 4) for k, v in stats.items()},
            "samples": [round(x, 4) for x in self.samples],
        }
        if self.target is not None:
            d["target"] = {**asdict(self.target), "met": self.target.met(stats)}
        if self.note:
            d["note"] = self.note
        if self.extra:
            d["extra"] = self.extra
        return d


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def skip(self, id_: str, reason: str) -> None:
        self.skipped.append({"id": id_, "reason": reason})
        print(f"  skipped {id_}: {reason}", flush=True)


@dataclass
class Config:
    quick: bool
    python: str
    n_start: int
    n_open: int
    n_change: int
    n_request: int
    n_rss: int
    n_analyze: int
    n_cli_file: int
    n_cli_corpus: int
    n_importtime: int
    warmup: int = 5

    @classmethod
    def make(cls, quick: bool, python: str) -> Config:
        if quick:
            return cls(
                True,
                python,
                n_start=3,
                n_open=5,
                n_change=20,
                n_request=20,
                n_rss=1,
                n_analyze=5,
                n_cli_file=3,
                n_cli_corpus=1,
                n_importtime=1,
                warmup=2,
            )
        return cls(
            False,
            python,
            n_start=10,
            n_open=50,
            n_change=200,
            n_request=200,
            n_rss=3,
            n_analyze=50,
            n_cli_file=20,
            n_cli_corpus=5,
            n_importtime=3,
        )


# --- documents ------------------------------------------------------------------------------
@dataclass
class Doc:
    name: str
    path: Path
    text: str
    kind: str  # "example" or "synthetic"
    edit_offset: int  # a letter inside the description value, for one-character edits

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    @property
    def size_kb(self) -> float:
        return len(self.text.encode("utf-8")) / 1000

    def edited(self, i: int) -> str:
        """The text after edit ``i``: the letter at ``edit_offset`` alternates between two."""
        orig = self.text[self.edit_offset]
        a, b = [c for c in "xyq" if c != orig.lower()][:2]
        c = a if i % 2 == 0 else b
        return self.text[: self.edit_offset] + c + self.text[self.edit_offset + 1 :]


def description_offset(text: str) -> int:
    """Offset of the second letter of the first 3+-letter word of the ``description`` value.

    The value may start on the key's line (plain or quoted) or on the next (a block scalar).
    """
    m = re.search(r"^description:", text, re.M)
    if m is None:
        raise ValueError("no description key")
    w = re.compile(r"[A-Za-z]{3,}").search(text, m.end())
    if w is None:
        raise ValueError("no word in the description value")
    return w.start() + 1


def load_doc(path: Path, kind: str) -> Doc:
    text = path.read_text("utf-8")
    return Doc(path.stem, path, text, kind, description_offset(text))


def synthetic_front_matter(target: int = 300_000) -> str:
    """A valid agent whose front matter is ~300 KB of hook entries (realistic Claude Code YAML)."""
    lines = [
        "---",
        "name: release-auditor",
        "description: Use this agent to run the release checklist. It audits every tool call "
        "through the project hooks below and reports anything that breaks the policy.",
        "model: sonnet",
        "tools: Read, Grep, Glob, Bash, Edit",
        "color: blue",
        "hooks:",
    ]
    tools = ["Bash", "Edit|Write|MultiEdit", "Read", "WebFetch", "mcp__github__.*", "Grep|Glob"]
    size = sum(len(x) + 1 for x in lines)
    half = target // 2
    for event in ("PreToolUse", "PostToolUse"):
        lines.append(f"  {event}:")
        start = size
        i = 0
        while size - start < half:
            tool = tools[i % len(tools)]
            group = [
                f'    - matcher: "{tool}"',
                "      hooks:",
                "        - type: command",
                f'          command: "$CLAUDE_PROJECT_DIR/.claude/hooks/{event.lower()}-{i:05d}.sh'
                f' --tool {tool.split("|")[0]} --log .claude/logs/audit-{i % 97:02d}.jsonl"',
                f"          timeout: {10 + i % 50}",
            ]
            if i % 5 == 0:
                group.append("        - type: command")
                group.append(f"          command: 'echo \"{event} {i}\" >> .claude/logs/trace.log'")
            lines.extend(group)
            size += sum(len(x) + 1 for x in group)
            i += 1
    lines += ["---", "", "You audit releases. Follow the checklist in RELEASE.md step by step.", ""]
    return "\n".join(lines)


def synthetic_description(target: int = 300_000) -> str:
    """A valid agent whose front matter is a ~300 KB ``description: |`` block scalar."""
    head = [
        "---",
        "name: support-triage",
        "description: |",
        "  Use this agent when a support ticket needs triage: it reads the ticket, finds the",
        "  owning team and drafts the first answer. Examples follow.",
        "",
    ]
    lines = list(head)
    size = sum(len(x) + 1 for x in lines)
    i = 0
    while size < target:
        block = [
            "  <example>",
            f"  Context: ticket #{10000 + i} reports that exports time out for workspace "
            f"ws-{i % 311:03d}.",
            f'  user: "Customers on plan P{i % 4} cannot download their CSV export since '
            'this morning"',
            '  assistant: "I will use the support-triage agent to find the owning team and '
            'draft a reply"',
            "  <commentary>",
            "  The ticket names a product area and a symptom, so the triage agent can route it",
            "  and propose a first answer with the known workaround.",
            "  </commentary>",
            "  </example>",
            "",
        ]
        lines.extend(block)
        size += sum(len(x) + 1 for x in block)
        i += 1
    lines += [
        "model: haiku",
        "tools: Read, Grep, Glob",
        "---",
        "",
        "You triage support tickets. Route each one and draft the first reply.",
        "",
    ]
    return "\n".join(lines)


def synthetic_body(target: int = 300_000) -> str:
    """A small front matter and a ~300 KB Markdown body."""
    head = (
        "---\nname: handbook-agent\ndescription: Use this agent when the user asks about the "
        "engineering handbook, its processes and its on-call rules.\nmodel: sonnet\n"
        "tools: Read, Grep, Glob\n---\n\n# Engineering handbook\n\n"
    )
    parts = [head]
    size = len(head)
    i = 0
    while size < target:
        block = (
            f"## {i + 1}. Procedure {i + 1}: incident review\n\n"
            "When an incident is closed, write the review within two working days. Keep it "
            "blameless, list the timeline in UTC and link every dashboard you used.\n\n"
            f"- Owner: team-{i % 13}\n- Severity: SEV{1 + i % 4}\n- Runbook: `docs/runbooks/"
            f"r{i:04d}.md`\n\n```bash\n./scripts/collect-logs.sh --incident {1000 + i} "
            "--since 2h\n```\n\n"
            "> Note: escalate to the on-call lead if the customer impact lasts more than 30 "
            "minutes.\n\n"
        )
        parts.append(block)
        size += len(block)
        i += 1
    return "".join(parts)


@dataclass
class Probe:
    """Completion and hover positions in an example (made to exist if the example lacks them)."""

    doc: Doc
    positions: dict[str, tuple[int, int]]
    added: list[str]


def make_probe(doc: Doc) -> Probe:
    lines = doc.text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    fm = lines[1:close]
    added = []
    extra = []
    for key, line in (
        ("model", "model: sonnet"),
        ("tools", "tools: Read, Grep, Glob"),
        ("color", "color: blue"),
    ):
        if not any(re.match(rf"{key}\s*:", x) for x in fm):
            extra.append(line)
            added.append(line)
    extra.append("")  # the empty key line
    lines[close:close] = extra
    text = "\n".join(lines)

    def line_of(key: str) -> int:
        return next(i for i in range(1, close + len(extra)) if re.match(rf"{key}\s*:", lines[i]))

    tools_line = line_of("tools")
    value = lines[tools_line]
    col = len("tools:")
    while col < len(value) and value[col] in " \t[\"'":
        col += 1
    positions = {
        "completion.color_value": (line_of("color"), len("color: ")),
        "completion.empty_key_line": (close + len(extra) - 1, 0),
        "hover.model_key": (line_of("model"), 2),
        "hover.description_value": (line_of("description"), len("description: ") + 3),
        "hover.tool_name": (tools_line, col + 1),
    }
    variant = Doc(doc.name, doc.path, text, doc.kind, description_offset(text))
    return Probe(variant, positions, added)


# --- helpers --------------------------------------------------------------------------------
def ms(t0: float, t1: float) -> float:
    return (t1 - t0) * 1000.0


def agentls_cmd(cfg: Config) -> list[str]:
    return [cfg.python, "-m", "agentls", "serve"]


def bare_cmd(cfg: Config) -> list[str]:
    return [cfg.python, str(BENCH / "bare_server.py")]


async def started(cmd: list[str]) -> LspClient:
    c = LspClient(cmd, cwd=str(REPO), timeout=WAIT)
    await c.start()
    return c


async def ready(cmd: list[str]) -> LspClient:
    """A server that has answered initialize and got initialized."""
    c = await started(cmd)
    try:
        await c.initialize(REPO.as_uri())
        await c.notify("initialized", {})
    except BaseException:
        await c.close(graceful=False)
        raise
    return c


async def open_and_wait(
    c: LspClient, doc: Doc, text: str | None = None, version: int = 1
) -> tuple[float, float, Any]:
    fut = c.expect_diagnostics(doc.uri, version)
    t0 = await c.did_open(doc.uri, doc.text if text is None else text, version)
    t1, params = await c.wait_diagnostics(fut)
    return t0, t1, params


def mib(kib: int) -> float:
    return kib / 1024.0


# --- sections -------------------------------------------------------------------------------
async def sec_start(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    doc = docs[COLD_EXAMPLE.stem]
    servers = {"agentls": agentls_cmd(cfg), "bare": bare_cmd(cfg)}
    init: dict[str, list[float]] = {k: [] for k in servers}
    first: dict[str, list[float]] = {k: [] for k in servers}
    ndiag: dict[str, int] = {}
    for i in range(cfg.n_start):
        for name, cmd in servers.items():  # interleaved, so drifting load hits both alike
            await asyncio.sleep(0.2)
            c = await started(cmd)
            try:
                _, t_init, _ = await c.initialize(REPO.as_uri())
                await c.notify("initialized", {})
                fut = c.expect_diagnostics(doc.uri, 1)
                await c.did_open(doc.uri, doc.text, 1)
                t_diag, params = await c.wait_diagnostics(fut)
                init[name].append(ms(c.t_spawn, t_init))
                first[name].append(ms(c.t_spawn, t_diag))
                ndiag[name] = len(params.get("diagnostics", []))
            finally:
                await c.close()
        print(f"  start: {i + 1}/{cfg.n_start}", end="\r", flush=True)
    for name, label in (("agentls", "agentls"), ("bare", "bare pygls 2 (floor)")):
        rep.add(
            Row(
                f"start.{name}.initialize",
                "start",
                f"{label}: spawn -> initialize reply",
                "ms",
                init[name],
                note="fresh process each time",
            )
        )
        rep.add(
            Row(
                f"start.{name}.first_diagnostics",
                "start",
                f"{label}: spawn -> first diagnostics",
                "ms",
                first[name],
                Target("p50", 600, "<= 600 ms") if name == "agentls" else None,
                note=f"didOpen {doc.path.name} right after initialized",
                extra={"diagnostics": ndiag.get(name)},
            )
        )


async def sec_open(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    c = await ready(agentls_cmd(cfg))
    try:
        for doc in docs.values():
            n = cfg.n_open if doc.kind == "example" else max(3, cfg.n_open // 5)
            samples = []
            ndiag = 0
            for v in range(1, n + 1):
                t0, t1, params = await open_and_wait(c, doc, version=v)
                samples.append(ms(t0, t1))
                ndiag = len(params.get("diagnostics", []))
                await c.did_close(doc.uri)
            big = len(doc.text) >= 100_000
            rep.add(
                Row(
                    f"open.{doc.name}",
                    "open",
                    f"didOpen -> diagnostics: {doc.name} ({doc.size_kb:.0f} KB)",
                    "ms",
                    samples,
                    note=DEBOUNCE_NOTE if big else "open/close loop, one server",
                    extra={
                        "first_ms": round(samples[0], 3),
                        "diagnostics": ndiag,
                        "bytes": len(doc.text.encode("utf-8")),
                    },
                )
            )
    finally:
        await c.close()


async def sec_change(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    for doc in docs.values():
        c = await ready(agentls_cmd(cfg))
        try:
            _, _, params = await open_and_wait(c, doc)
            version = 1
            samples = []
            ndiag = len(params.get("diagnostics", []))
            for i in range(cfg.warmup + cfg.n_change):
                version += 1
                fut = c.expect_diagnostics(doc.uri, version)
                t0 = await c.did_change_full(doc.uri, doc.edited(i), version)
                t1, params = await c.wait_diagnostics(fut)
                if i >= cfg.warmup:
                    samples.append(ms(t0, t1))
        finally:
            await c.close()
        if doc.kind == "example":
            target = Target("p99", 5, "p99 <= 5 ms")
            note = "full-document sync, one-character edits in the description value"
        elif doc.name.startswith("synthetic-fm"):
            target = Target("p99", 50, "p99 <= 50 ms")
            note = DEBOUNCE_NOTE
        else:
            target, note = None, DEBOUNCE_NOTE
        rep.add(
            Row(
                f"change.{doc.name}",
                "change",
                f"didChange -> diagnostics: {doc.name} ({doc.size_kb:.0f} KB)",
                "ms",
                samples,
                target,
                note,
                extra={
                    "diagnostics": ndiag,
                    "warmup_edits": cfg.warmup,
                    "bytes": len(doc.text.encode("utf-8")),
                },
            )
        )


async def sec_requests(cfg: Config, rep: Report, docs: dict[str, Doc], kind: str) -> None:
    """``kind`` is "completion" or "hover"; requests go to the example variants (make_probe)."""
    method = f"textDocument/{kind}"
    probes = [make_probe(d) for d in docs.values() if d.kind == "example"]
    c = await ready(agentls_cmd(cfg))
    try:
        for p in probes:
            await open_and_wait(c, p.doc)
        for p in probes:
            for pos_name, (line, char) in p.positions.items():
                if not pos_name.startswith(kind + "."):
                    continue
                params = {
                    "textDocument": {"uri": p.doc.uri},
                    "position": {"line": line, "character": char},
                }
                samples = []
                result: Any = None
                for i in range(cfg.warmup + cfg.n_request):
                    t0, t1, result = await c.request(method, params)
                    if i >= cfg.warmup:
                        samples.append(ms(t0, t1))
                if kind == "completion":
                    items = (
                        (result or {}).get("items", [])
                        if isinstance(result, dict)
                        else (result or [])
                    )
                    got: dict[str, Any] = {
                        "items": len(items),
                        "labels": [x.get("label") for x in items[:6]],
                    }
                else:
                    md = ((result or {}).get("contents") or {}).get("value", "")
                    got = {
                        "hover": result is not None,
                        "chars": len(md),
                        "first_line": md.split("\n", 1)[0][:80],
                    }
                if not (got.get("items") or got.get("hover")):
                    rep.notes.append(
                        f"{kind} at {pos_name} in {p.doc.name} returned nothing: "
                        "the figure measures an empty answer"
                    )
                short = pos_name.split(".", 1)[1]
                rep.add(
                    Row(
                        f"{kind}.{p.doc.name}.{short}",
                        kind,
                        f"{kind} {short}: {p.doc.name}",
                        "ms",
                        samples,
                        Target("p99", 5, "p99 <= 5 ms"),
                        note=("example + " + ", ".join(p.added)) if p.added else "",
                        extra={"position": {"line": line, "character": char}, **got},
                    )
                )
    finally:
        await c.close()


async def sec_completion(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    await sec_requests(cfg, rep, docs, "completion")


async def sec_hover(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    await sec_requests(cfg, rep, docs, "hover")


async def sec_rss(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    after_init: dict[str, list[float]] = {"agentls": [], "bare": []}
    hwm_init: dict[str, list[float]] = {"agentls": [], "bare": []}
    after_open: list[float] = []
    hwm_open: list[float] = []
    for _ in range(cfg.n_rss):
        for name, cmd in (("agentls", agentls_cmd(cfg)), ("bare", bare_cmd(cfg))):
            c = await started(cmd)
            try:
                await c.initialize(REPO.as_uri())
                m = rss_kib(c.pid)
                after_init[name].append(mib(m["VmRSS"]))
                hwm_init[name].append(mib(m["VmHWM"]))
                if name == "agentls":
                    await c.notify("initialized", {})
                    for doc in docs.values():
                        await open_and_wait(c, doc)
                    m = rss_kib(c.pid)
                    after_open.append(mib(m["VmRSS"]))
                    hwm_open.append(mib(m["VmHWM"]))
            finally:
                await c.close()
    target = Target("max", 50, "<= 50 MiB")
    opened = ", ".join(docs)
    rep.add(
        Row(
            "rss.agentls.initialize.vmrss",
            "rss",
            "agentls VmRSS after initialize",
            "MiB",
            after_init["agentls"],
            target,
        )
    )
    rep.add(
        Row(
            "rss.agentls.initialize.vmhwm",
            "rss",
            "agentls VmHWM after initialize",
            "MiB",
            hwm_init["agentls"],
            target,
        )
    )
    rep.add(
        Row(
            "rss.agentls.opened.vmrss",
            "rss",
            "agentls VmRSS, all documents open",
            "MiB",
            after_open,
            target,
            note=f"opened: {opened}",
        )
    )
    rep.add(
        Row(
            "rss.agentls.opened.vmhwm",
            "rss",
            "agentls VmHWM, all documents open",
            "MiB",
            hwm_open,
            target,
            note=f"opened: {opened}",
        )
    )
    rep.add(
        Row(
            "rss.bare.initialize.vmrss",
            "rss",
            "bare pygls 2 VmRSS after initialize",
            "MiB",
            after_init["bare"],
        )
    )


ANALYZE_SCRIPT = r"""
import cProfile, io, json, pstats, sys, time
from agentls.core.analysis import analyze
from agentls.core.settings import Settings
spec = json.load(sys.stdin)
settings = Settings()
out = {}
for name, path, n in spec["docs"]:
    text = open(path, encoding="utf-8").read()
    analyze(path, text, settings)
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        analyze(path, text, settings)
        ts.append((time.perf_counter() - t0) * 1000)
    out[name] = ts
prof = {}
for name, path in spec["profile"]:
    text = open(path, encoding="utf-8").read()
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(5):
        analyze(path, text, settings)
    pr.disable()
    st = pstats.Stats(pr)
    rows = []
    for (fn, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
        where = "/".join(fn.rsplit("/", 2)[-2:])
        rows.append({"func": f"{where}:{line}({func})", "tottime_ms": tt * 200,
                     "cumtime_ms": ct * 200, "calls": nc // 5})
    rows.sort(key=lambda r: -r["tottime_ms"])
    prof[name] = rows[:12]
print(json.dumps({"times": out, "profile": prof}))
"""


async def sec_analyze(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    spec = {
        "docs": [
            [
                d.name,
                str(d.path),
                cfg.n_analyze if d.kind == "example" else max(5, cfg.n_analyze // 5),
            ]
            for d in docs.values()
        ],
        "profile": [[d.name, str(d.path)] for d in docs.values() if d.kind == "synthetic"],
    }
    r = run_capture([cfg.python, "-c", ANALYZE_SCRIPT], json.dumps(spec), timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"analyze script failed: {r.stderr[-2000:]}")
    data = json.loads(r.stdout)
    for name, ts in data["times"].items():
        rep.add(
            Row(
                f"analyze.{name}",
                "analyze",
                f"in-process analyze(): {name}",
                "ms",
                ts,
                note="core only: no LSP, JSON or debounce",
                extra={"profile_top_tottime": data["profile"].get(name)},
            )
        )


def run_capture(
    cmd: list[str],
    stdin: str | None = None,
    timeout: float = CLI_TIMEOUT,
    cwd: Path = REPO,
    stdout_devnull: bool = False,
) -> subprocess.CompletedProcess[str]:
    """subprocess.run with its own process group, killed on timeout."""
    with subprocess.Popen(
        cmd,
        cwd=cwd,
        text=True,
        start_new_session=True,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if stdout_devnull else subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as p:
        try:
            out, err = p.communicate(stdin, timeout=timeout)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise
        return subprocess.CompletedProcess(cmd, p.returncode, out or "", err or "")


def time_cli(
    cmd: list[str],
    n: int,
    timeout: float = CLI_TIMEOUT,
) -> tuple[list[float], list[int], str]:
    """Wall time per run (one warm-up run first, discarded), exit codes, last stderr."""
    run_capture(cmd, timeout=timeout, stdout_devnull=True)
    samples, codes, err = [], [], ""
    for _ in range(n):
        t0 = time.perf_counter()
        r = run_capture(cmd, timeout=timeout, stdout_devnull=True)
        samples.append(ms(t0, time.perf_counter()))
        codes.append(r.returncode)
        err = r.stderr
    return samples, codes, err


def agnix_binary() -> str | None:
    p = REPO / ".venv" / "bin" / "agnix"
    return str(p) if p.exists() else shutil.which("agnix")


async def sec_cli(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    await asyncio.to_thread(_cli, cfg, rep)


def _cli(cfg: Config, rep: Report) -> None:
    agentls = REPO / ".venv" / "bin" / "agentls"
    agentls_cmd_ = [str(agentls)] if agentls.exists() else [cfg.python, "-m", "agentls"]
    agnix = agnix_binary()
    if agnix is None:
        msg = (
            "agnix not found: install it with `.venv/bin/pip install agnix` (or "
            "`pip install -e '.[bench]'`); agnix rows skipped"
        )
        rep.notes.append(msg)
    file_arg = str(COLD_EXAMPLE.relative_to(REPO))
    corpus_arg = os.path.relpath(CORPUS, REPO)
    targets = [("file", file_arg, cfg.n_cli_file)]
    if CORPUS.is_dir():
        targets.append(("corpus", corpus_arg, cfg.n_cli_corpus))
    else:
        for tool in ("agentls", "agnix"):
            rep.skip(
                f"cli.{tool}.corpus",
                f"{CORPUS} is absent (expected at <repo>/../shared/"
                "corpus); corpus rows not measured",
            )
    agentls_p50: dict[str, float] = {}
    for what, arg, n in targets:
        samples, codes, err = time_cli([*agentls_cmd_, "check", arg], n)
        m = re.search(r"(\d+) files? checked(?:: (.*))?", err)
        files = int(m.group(1)) if m else None
        row = rep.add(
            Row(
                f"cli.agentls.{what}",
                "cli",
                f"agentls check {arg}",
                "ms",
                samples,
                Target("p50", 150, "<= 150 ms") if what == "file" else None,
                extra={
                    "files_checked": files,
                    "summary": (m.group(2) or "no problems") if m else err.strip()[-300:],
                    "exit_codes": sorted(set(codes)),
                },
            )
        )
        agentls_p50[what] = row.stats["p50"]
        if agnix is None:
            rep.skip(f"cli.agnix.{what}", "agnix not installed (pip install agnix)")
            continue
        samples, codes, err = time_cli([agnix, arg], n)
        js = run_capture([agnix, "--format", "json", arg])
        try:
            d = json.loads(js.stdout)
            files, summary = d.get("files_checked"), d.get("summary")
            by_rule: dict[str, int] = {}
            for x in d.get("diagnostics", []):
                by_rule[x.get("rule", "?")] = by_rule.get(x.get("rule", "?"), 0) + 1
            top = dict(sorted(by_rule.items(), key=lambda kv: -kv[1])[:8])
        except ValueError:
            files, summary, top = None, js.stdout[-300:], {}
        rep.add(
            Row(
                f"cli.agnix.{what}",
                "cli",
                f"agnix {arg}",
                "ms",
                samples,
                extra={
                    "files_checked": files,
                    "summary": summary,
                    "exit_codes": sorted(set(codes)),
                    "top_rules": top,
                    "version": agnix_version(agnix),
                },
            )
        )
        if what == "corpus":
            agnix_p50 = summarize(samples)["p50"]
            for r in rep.rows:
                if r.id == "cli.agentls.corpus":
                    r.target = Target("p50", agnix_p50, "<= agnix p50")
    if agnix is not None:
        rep.notes.append(AGNIX_SCOPE_NOTE)
    _cli_invalid_utf8(agentls_cmd_, cfg.n_cli_corpus, rep)


def _cli_invalid_utf8(agentls_cmd_: list[str], n: int, rep: Report) -> None:
    """`agentls check` on 16 MiB (the size cap) of random bytes: invalid UTF-8 every few
    bytes, which once cost time quadratic in the size (issue 9)."""
    import random

    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / ".claude" / "agents" / "x.md"
        bad.parent.mkdir(parents=True)
        bad.write_bytes(random.Random(1).randbytes(16 * 1024 * 1024))
        cmd = [*agentls_cmd_, "check", "--no-workspace", str(bad)]
        samples, codes, err = time_cli(cmd, n)
    rep.add(
        Row(
            "cli.agentls.invalid_utf8_16mib",
            "cli",
            "agentls check <16 MiB of random bytes>",
            "ms",
            samples,
            Target("p50", 1000, "<= 1 s"),
            extra={"summary": err.strip()[-300:], "exit_codes": sorted(set(codes))},
        )
    )


def agnix_version(agnix: str) -> str:
    with contextlib.suppress(Exception):
        return run_capture([agnix, "--version"], timeout=10).stdout.strip()
    return "?"


STARTUP_SCRIPT = r"""
import time
t0 = time.perf_counter()
import lsprotocol.types
t1 = time.perf_counter()
import pygls.lsp.server
t2 = time.perf_counter()
import agentls.server
t3 = time.perf_counter()
server = agentls.server.create_server()
t4 = time.perf_counter()
from agentls.core.analysis import analyze
from agentls.core.settings import Settings
import sys
path = sys.argv[1]
analyze(path, open(path, encoding="utf-8").read(), Settings())
t5 = time.perf_counter()
analyze(path, open(path, encoding="utf-8").read(), Settings())
t6 = time.perf_counter()
import json
print(json.dumps({"lsprotocol.types": t1 - t0, "pygls.lsp.server (rest)": t2 - t1,
                  "agentls.server (rest)": t3 - t2, "create_server()": t4 - t3,
                  "first analyze()": t5 - t4, "second analyze()": t6 - t5}))
"""


def parse_importtime(stderr: str) -> dict[str, tuple[float, float]]:
    """module -> (self ms, cumulative ms), from ``python -X importtime``."""
    out: dict[str, tuple[float, float]] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            out[m.group(4)] = (int(m.group(1)) / 1000, int(m.group(2)) / 1000)
    return out


async def sec_importtime(cfg: Config, rep: Report, docs: dict[str, Doc]) -> None:
    await asyncio.to_thread(_importtime, cfg, rep)


def _importtime(cfg: Config, rep: Report) -> None:
    py = cfg.python
    floor: list[float] = []
    steps: dict[str, list[float]] = {}
    for _ in range(cfg.n_importtime):
        t0 = time.perf_counter()
        run_capture([py, "-c", "pass"], timeout=30)
        floor.append(ms(t0, time.perf_counter()))
        r = run_capture([py, "-c", STARTUP_SCRIPT, str(COLD_EXAMPLE)], timeout=60)
        if r.returncode != 0:
            raise RuntimeError(r.stderr[-2000:])
        for k, v in json.loads(r.stdout).items():
            steps.setdefault(k, []).append(v * 1000)
    rep.add(
        Row("importtime.python", "importtime", "python -c pass (interpreter start)", "ms", floor)
    )
    for k, v in steps.items():
        rep.add(
            Row(
                f"importtime.step.{k}",
                "importtime",
                f"step: {k}",
                "ms",
                v,
                note="in-process perf_counter, one step after the other",
            )
        )
    r = run_capture(
        [py, "-X", "importtime", "-c", "import agentls.server; agentls.server.create_server()"],
        timeout=60,
    )
    mods = parse_importtime(r.stderr)
    top_self = sorted(mods.items(), key=lambda kv: -kv[1][0])[:12]
    key = [
        "lsprotocol.types",
        "pygls.lsp.server",
        "cattrs",
        "pygls.protocol",
        "yaml",
        "pydantic",
        "rapidfuzz",
        "agentls.core.analysis",
        "agentls.server",
        "agentls.handlers",
    ]
    rep.info["importtime"] = {
        "cumulative_ms": {k: mods[k][1] for k in key if k in mods},
        "top_self_ms": [{"module": k, "self_ms": v[0], "cumulative_ms": v[1]} for k, v in top_self],
        "note": "python -X importtime -c 'import agentls.server; agentls.server.create_server()'"
        " (one run; importtime itself adds overhead)",
    }


SECTION_FUNCS: dict[str, Callable[[Config, Report, dict[str, Doc]], Awaitable[None]]] = {
    "start": sec_start,
    "open": sec_open,
    "change": sec_change,
    "completion": sec_completion,
    "hover": sec_hover,
    "rss": sec_rss,
    "analyze": sec_analyze,
    "cli": sec_cli,
    "importtime": sec_importtime,
}


# --- machine --------------------------------------------------------------------------------
def machine_info(cfg: Config) -> dict[str, Any]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = line.split(":", 1)[1].strip()
    versions: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        r = run_capture(
            [
                cfg.python,
                "-c",
                "import importlib.metadata as m, json, sys; print("
                "json.dumps({'python': sys.version.split()[0], **{p: m.version(p) for p "
                "in ('agentls', 'pygls', 'lsprotocol', 'PyYAML', 'pydantic')}}))",
            ],
            timeout=30,
        )
        versions = json.loads(r.stdout)
    commit = "?"
    with contextlib.suppress(Exception):
        commit = run_capture(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], timeout=10
        ).stdout.strip()
    dirty: list[str] | str = "?"
    with contextlib.suppress(Exception):
        st = run_capture(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "server"], timeout=10
        ).stdout
        dirty = [line[3:] for line in st.splitlines()]
    agnix = agnix_binary()
    return {
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "mem_total": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "server_python": cfg.python,
        "versions": versions,
        "agnix": agnix_version(agnix) if agnix else None,
        "git_commit": commit,
        "git_dirty_server_files": dirty,
        "loadavg_start": os.getloadavg(),
    }


# --- output ---------------------------------------------------------------------------------
def server_code_changed(cfg: Config, rep: Report) -> bool:
    """Record the machine's state at the end of a run; whether the server code changed."""
    m = rep.info["machine"]
    m["loadavg_end"] = os.getloadavg()
    end = machine_info(cfg)
    m["git_commit_end"] = end["git_commit"]
    m["git_dirty_server_files_end"] = end["git_dirty_server_files"]
    return bool(
        (end["git_commit"], end["git_dirty_server_files"])
        != (m["git_commit"], m["git_dirty_server_files"])
    )


def fmt(v: float | None, unit: str) -> str:
    if v is None or math.isnan(v):
        return "-"
    if unit == "MiB":
        return f"{v:.1f}"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 1000 else f"{v:.0f}"


def print_table(rep: Report) -> None:
    head = f"{'figure':<58} {'n':>4} {'min':>8} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}"
    print()
    current = ""
    for r in rep.rows:
        if r.section != current:
            current = r.section
            print(f"\n== {current} " + "=" * (len(head) + 22 - len(current)))
            print(f"{head}  {'unit':<4} target")
        s = r.stats
        t = ""
        if r.target is not None:
            met = r.target.met(s)
            t = f"{r.target.text} ({r.target.stat}) " + (
                "ok" if met else "MISS" if met is False else "?"
            )
        label = r.label if len(r.label) <= 58 else r.label[:55] + "..."
        print(
            f"{label:<58} {len(r.samples):>4} "
            + " ".join(f"{fmt(s.get(k), r.unit):>8}" for k in ("min", "p50", "p90", "p99", "max"))
            + f"  {r.unit:<4} {t}"
        )
        ext = r.extra
        if "files_checked" in ext:
            print(
                f"{'':<6}files checked: {ext['files_checked']}, exit codes: "
                f"{ext.get('exit_codes')}, result: {ext.get('summary')}"
            )
    misses = [r for r in rep.rows if r.target is not None and r.target.met(r.stats) is False]
    print()
    if misses:
        print("Missed targets:")
        for r in misses:
            assert r.target is not None
            print(
                f"  - {r.label}: {r.target.stat} {fmt(r.stats.get(r.target.stat), r.unit)} "
                f"{r.unit} vs {r.target.text}"
            )
    for note in dict.fromkeys(rep.notes):
        print(f"Note: {note}")
    for sk in rep.skipped:
        print(f"Skipped {sk['id']}: {sk['reason']}")
    for e in rep.errors:
        print(f"ERROR in section {e['section']}: {e['error'].splitlines()[0]}")
    for r in rep.rows:
        prof = r.extra.get("profile_top_tottime")
        if prof:
            top = "; ".join(f"{x['func']} {x['tottime_ms']:.0f}" for x in prof[:4])
            print(f"cProfile, {r.id}, top self time in ms per analyze(): {top}")
    it = rep.info.get("importtime")
    if it:
        cum = ", ".join(f"{k} {v:.0f}" for k, v in it["cumulative_ms"].items())
        print(f"Import time, cumulative ms (-X importtime): {cum}")
    m = rep.info.get("machine", {})
    print(
        f"Machine: {m.get('nproc')} CPUs, {m.get('cpu_model')}, Python {m.get('python')}, "
        f"load average {m.get('loadavg_start')} -> {m.get('loadavg_end')}"
    )


# --- main -----------------------------------------------------------------------------------
def default_python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


async def run(cfg: Config, only: list[str], rep: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="agentls-bench-") as tmp:
        agents = Path(tmp) / ".claude" / "agents"
        agents.mkdir(parents=True)
        docs: dict[str, Doc] = {}
        for p in sorted(EXAMPLES.glob("*.md")):
            try:
                docs[p.stem] = load_doc(p, "example")
            except ValueError as e:
                rep.notes.append(f"{p.name} left out of the LSP figures: {e}")
        for name, text in (
            ("synthetic-fm300k", synthetic_front_matter()),
            ("synthetic-fmdesc300k", synthetic_description()),
            ("synthetic-body300k", synthetic_body()),
        ):
            path = agents / f"{name}.md"
            path.write_text(text, "utf-8")
            docs[name] = load_doc(path, "synthetic")
        rep.info["documents"] = {
            n: {
                "kind": d.kind,
                "bytes": len(d.text.encode("utf-8")),
                "lines": d.text.count("\n") + 1,
            }
            for n, d in docs.items()
        }
        for name in only:
            print(f"[{name}]", flush=True)
            t0 = time.perf_counter()
            try:
                await SECTION_FUNCS[name](cfg, rep, docs)
            except (
                ServerError,
                RuntimeError,
                OSError,
                ValueError,
                subprocess.SubprocessError,
                AssertionError,
                KeyError,
                StopIteration,
            ) as e:
                rep.errors.append({"section": name, "error": f"{type(e).__name__}: {e}"})
                print(f"  ERROR: {type(e).__name__}: {str(e)[:500]}", flush=True)
            finally:
                kill_all()
            print(f"  done in {time.perf_counter() - t0:.1f} s" + " " * 20, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, help="write the JSON results here")
    ap.add_argument("--quick", action="store_true", help="small n: a smoke run (~20 s)")
    ap.add_argument(
        "--only", metavar="NAME[,NAME]", help=f"run only these sections: {', '.join(SECTIONS)}"
    )
    ap.add_argument(
        "--python",
        default=default_python(),
        help="interpreter that runs the servers (default: .venv/bin/python)",
    )
    args = ap.parse_args(argv)
    only = list(SECTIONS)
    if args.only:
        only = [s.strip() for s in args.only.split(",") if s.strip()]
        bad = [s for s in only if s not in SECTIONS]
        if bad:
            ap.error(f"unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cfg = Config.make(args.quick, args.python)
    rep = Report()
    started_at = dt.datetime.now(dt.timezone.utc)
    rep.info["machine"] = machine_info(cfg)
    print(
        f"agentls bench ({'quick' if cfg.quick else 'full'}): sections {', '.join(only)}",
        flush=True,
    )
    try:
        asyncio.run(run(cfg, only, rep))
    finally:
        kill_all()
    if server_code_changed(cfg, rep):
        rep.notes.append(
            "the server code changed during the run (git commit or modified files under "
            "server/ differ between start and end): sections may have measured different code"
        )
    print_table(rep)
    if args.out:
        data = {
            "format": "agentls-bench/1",
            "started": started_at.isoformat(timespec="seconds"),
            "duration_s": round((dt.datetime.now(dt.timezone.utc) - started_at).total_seconds(), 1),
            "config": {k: v for k, v in asdict(cfg).items()} | {"sections": only},
            "machine": rep.info.pop("machine"),
            "results": [r.to_json() for r in rep.rows],
            "skipped": rep.skipped,
            "errors": rep.errors,
            "notes": list(dict.fromkeys(rep.notes)),
            **rep.info,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
