"""Edits while the workspace index scans: didChange -> diagnostics over stdio (issue 5).

    .venv/bin/python bench/index_edit_bench.py --out bench/results/index_latest.json

For each variant a fresh ``python -m agentls serve`` gets the synthetic 10,000-file workspace of
``bench/index_bench.py`` as ``rootUri`` and only workspace folder, and ``window.workDoneProgress``.
The client sends ``initialized`` (the server starts its background scan), opens an example agent
that lies in the workspace, waits for its diagnostics, and sends full-document ``didChange``
edits every ``--interval-ms``, alternating a valid and an invalid text, until
``--n-after`` edits have been sent after the scan. Each edit is timed to the
``publishDiagnostics`` of its version and grouped by when it was sent: before the
``$/progress`` begin, between begin and end (during the scan), after the end. Index ready is the
time from ``initialized`` to the ``$/progress`` end.

Two modes: ``paced`` (closed loop: the next edit waits for the previous one's diagnostics, so
each sample is one edit's own latency, as in run.py) and ``open`` (open loop: an edit every
interval regardless, as fast typing; slow edits queue up). The first ``--warmup`` edits of each
server are sent closed loop in both modes and not counted.

Variants: ``none`` (no workspace: the baseline), ``small`` (bare front matter, as
index_bench.py), ``large`` (front matter + about 4 KB of body per agent and skill). Targets are
printed, never asserted. ``--at REV`` runs the server code of a git revision; ``--prelude`` and
``--trace`` are diagnosis knobs (see ``bench/index_preludes.py``). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from index_bench import make
from index_preludes import PRELUDES
from lsp_client import LspClient, ServerError, kill_all
from run import (
    EXAMPLES,
    REPO,
    Config,
    Report,
    Row,
    Target,
    default_python,
    machine_info,
    ms,
    print_table,
    server_code_changed,
    summarize,
)

EXAMPLE = EXAMPLES / "senior-backend-expert.md"
WAIT = 10.0  # seconds: every wait on the server has this timeout
RUN_LIMIT = 30.0  # seconds: one server run gives up after this
VALID_MARK = "with 10 years of hands-on experience"
EDIT_TARGET = Target("p99", 5, "p99 <= 5 ms")
READY_TARGET = Target("p50", 2000, "p50 <= 2000 ms")


@dataclass
class Variant:
    name: str
    files: int  # 0: no workspace (baseline)
    body_bytes: int
    label: str


@dataclass
class Edit:
    mode: str  # "paced" or "open"
    run: int
    version: int
    invalid: bool
    t_sent: float  # ms since initialized
    latency: float  # ms
    # "warmup" (the first edits of a run), "pre" (before $/progress begin), "during" (between
    # begin and end), "after" (after end); "base" without a workspace
    phase: str
    diagnostics: int
    answered_after_end: bool  # sent during the scan, its diagnostics came after $/progress end
    t0: float  # perf_counter() when sent, in s (CLOCK_MONOTONIC: comparable with the server's)
    t1: float  # perf_counter() when its diagnostics were read, in s
    # with --trace, ms: client send -> body back on the server's event loop thread ->
    # handle_message start (JSON parse) -> its end (analyze, publish) -> read by the client
    split: list[float] | None = None


@dataclass
class Outcome:
    edits: list[Edit] = field(default_factory=list)
    ready: dict[str, list[float]] = field(default_factory=dict)  # by mode: initialized -> end
    begin: dict[str, list[float]] = field(default_factory=dict)  # by mode: initialized -> begin
    end_messages: list[str] = field(default_factory=list)
    scan_in_process: list[float] = field(default_factory=list)  # Index().scan(), ms
    entities: int = 0
    traces: list[dict[str, Any]] = field(default_factory=list)  # --trace: per server, summary


def edit_text(base: str, i: int) -> tuple[str, bool]:
    """The text of edit ``i``: even edits valid, odd ones with a bad name and model.

    Each text is distinct (the edit number is written into the body), so no analysis is reused.
    """
    text = base.replace(VALID_MARK, f"with {10 + i} years of hands-on experience", 1)
    invalid = i % 2 == 1
    if invalid:
        text = text.replace("name: senior-backend-expert", f"name: Senior_Backend_{i}!", 1)
        text = text.replace("model: opus", "model: gpt-9", 1)
    return text, invalid


def server_cmd(args: argparse.Namespace) -> list[str]:
    """``python -m agentls serve``, or with preludes the same behind a ``python -c`` wrapper.

    The wrapper runs the preludes (Python code, see ``bench/index_preludes.py``) and then
    ``agentls serve``: a diagnostic knob, not a server change. ``--wrap`` puts a command in
    front (e.g. a shell that attaches a profiler).
    """
    cmd = [args.python, "-m", "agentls", "serve"]
    if args.prelude_code:
        code = "\n".join(
            [
                *args.prelude_code,
                "from agentls.cli import main",
                "raise SystemExit(main(['serve']))",
            ]
        )
        cmd = [args.python, "-c", code]
    return shlex.split(args.wrap or "") + cmd


def read_trace(path: Path, edits: list[Edit]) -> dict[str, Any]:
    """Attach the server-side split to ``edits`` (one server); summary of the scan and GC."""
    trace = json.loads(path.read_text())
    reads = sorted(x[2] for x in trace if x[0] == "read")
    handled: dict[int, tuple[float, float]] = {}
    for kind, info, a, b, _ in trace:
        if kind == "msg" and info[0] == "textDocument/didChange" and info[1] is not None:
            handled[info[1]] = (a, b)
    for e in edits:
        h = handled.get(e.version)
        if h is None or not reads or reads[0] > h[0]:
            continue
        read = reads[bisect.bisect_right(reads, h[0]) - 1]
        e.split = [ms(e.t0, read), ms(read, h[0]), ms(h[0], h[1]), ms(h[1], e.t1)]
    scans = [(a, b) for kind, _, a, b, _ in trace if kind == "collect"]
    gcs = [(g, a, b) for kind, g, a, b, _ in trace if kind == "gc"]
    in_scan = [x for x in gcs if any(a <= x[1] <= b for a, b in scans)]
    return {
        "collect_ms": [round(ms(a, b), 2) for a, b in scans],
        "gc_during_scan": {
            "n": len(in_scan),
            "total_ms": round(sum(ms(a, b) for _, a, b in in_scan), 2),
            "max_ms": round(max((ms(a, b) for _, a, b in in_scan), default=0.0), 2),
            "gen2": sum(1 for g, _, _ in in_scan if g == 2),
        },
    }


async def one_run(
    args: argparse.Namespace,
    run_no: int,
    doc: Path,
    ws: Path | None,
    mode: str,
    out: Outcome,
) -> None:
    """One server: initialize, initialized, open ``doc``, then edits (none in mode "idle").

    ``mode`` "paced": closed loop, edit ``i + 1`` is sent ``interval`` after edit ``i`` or when
    its diagnostics arrive, whichever is later (so one slow edit does not delay the next ones
    and every sample is one edit's own latency, as in run.py's change section). "open": open
    loop, one edit every ``interval`` whether or not the previous ones were answered (a burst
    of typing; slow edits queue up). "idle": no edits, only the time to index ready.
    """
    base = doc.read_text("utf-8")
    uri = doc.as_uri()
    events: dict[str, float] = {}
    end_message: list[str] = []
    progress_end = asyncio.get_running_loop().create_future()

    def listen(t: float, method: str, params: Any) -> None:
        if method == "window/workDoneProgress/create":
            events.setdefault("create", t)
        elif method == "$/progress" and isinstance(params, dict):
            value = params.get("value") or {}
            kind = value.get("kind")
            if kind in ("begin", "end") and kind not in events:
                events[kind] = t
                if kind == "end":
                    end_message.append(str(value.get("message", "")))
                    if not progress_end.done():
                        progress_end.set_result(t)

    env = args.server_env
    trace = args.tmp / f"trace-{doc.parent.parent.parent.name}-{mode}-{run_no}.json"
    if args.trace:
        env = dict(env or os.environ, AGENTLS_TRACE=str(trace))
    c = LspClient(server_cmd(args), cwd=str(REPO), env=env, timeout=WAIT)
    c.listeners.append(listen)
    await c.start()
    graceful = False
    try:
        if ws is None:
            await c.initialize(None, work_done_progress=True)
        else:
            await c.initialize(
                ws.as_uri(), workspace_folders=[ws.as_uri()], work_done_progress=True
            )
        t_init = await c.notify("initialized", {})
        fut = c.expect_diagnostics(uri, 1)
        await c.did_open(uri, base, 1)
        await c.wait_diagnostics(fut)

        step = args.interval_ms / 1000.0
        sent: list[tuple[int, bool, float, asyncio.Future[tuple[float, Any]]]] = []
        t_next = time.perf_counter()
        counted = 0  # edits after the warm-up: after the scan, or all of them without a scan
        i = 0
        while mode != "idle":
            if counted >= (args.n_after if ws is not None else args.n_base):
                break
            if time.perf_counter() - t_init > RUN_LIMIT:
                raise ServerError(f"no $/progress end within {RUN_LIMIT:g} s ({events})")
            version = i + 2
            text, invalid = edit_text(base, i)
            fut = c.expect_diagnostics(uri, version)
            t0 = await c.did_change_full(uri, text, version)
            if i >= args.warmup and (ws is None or ("end" in events and t0 >= events["end"])):
                counted += 1
            sent.append((version, invalid, t0, fut))
            i += 1
            t_next = max(t_next + step, t0 + step)
            if mode == "paced" or i <= args.warmup:
                await c.wait_diagnostics(fut)
            delay = t_next - time.perf_counter()
            await asyncio.sleep(max(delay, 0))
        if ws is not None:
            await asyncio.wait_for(progress_end, RUN_LIMIT)
        mine: list[Edit] = []
        for k, (version, invalid, t0, fut) in enumerate(sent):
            t1, params = await c.wait_diagnostics(fut)
            if k < args.warmup:
                phase = "warmup"
            elif ws is None:
                phase = "base"
            elif "begin" not in events or t0 < events["begin"]:
                phase = "pre"
            elif t0 < events["end"]:
                phase = "during"
            else:
                phase = "after"
            mine.append(
                Edit(
                    mode,
                    run_no,
                    version,
                    invalid,
                    round(ms(t_init, t0), 3),
                    ms(t0, t1),
                    phase,
                    len(params.get("diagnostics", [])),
                    phase == "during" and events["end"] <= t1,
                    t0,
                    t1,
                )
            )
        out.edits.extend(mine)
        if ws is not None:
            if "begin" not in events or "end" not in events:
                raise ServerError(f"no work done progress begin/end from the server: {events}")
            out.ready.setdefault(mode, []).append(ms(t_init, events["end"]))
            out.begin.setdefault(mode, []).append(ms(t_init, events["begin"]))
            out.end_messages.extend(end_message)
        graceful = True
    finally:
        await c.close(graceful=graceful)
    if args.trace and graceful:
        if not trace.exists():
            raise ServerError(f"no trace written to {trace}\n{c.stderr_tail()}")
        out.traces.append({"mode": mode, "run": run_no, **read_trace(trace, mine)})


SCAN_SCRIPT = """
import json, sys, time
from agentls.core.workspace import Index
times, found = [], 0
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    found = Index().scan(sys.argv[1])
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "found": found}))
"""


def in_process_scan(args: argparse.Namespace, ws: Path, n: int) -> tuple[list[float], int]:
    """``Index().scan()`` timed in a separate Python process that imports the same server code."""
    r = subprocess.run(
        [args.python, "-c", SCAN_SCRIPT, str(ws), str(n)],
        env=args.server_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(r.stdout)
    return data["times"], int(data["found"])


def export_server(rev: str, dest: Path) -> str:
    """``server/`` at git revision ``rev``, unpacked under ``dest``; returns its commit."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit, "server"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return commit


async def bench_variant(args: argparse.Namespace, v: Variant, tmp: Path) -> Outcome:
    out = Outcome()
    root = tmp / v.name
    doc_dir = root / ".claude" / "agents"
    doc_dir.mkdir(parents=True)
    doc = doc_dir / EXAMPLE.name
    shutil.copyfile(EXAMPLE, doc)
    ws: Path | None = None
    if v.files:
        t = time.perf_counter()
        make(str(root), v.files, v.body_bytes)
        print(f"  {v.name}: wrote {v.files} files in {time.perf_counter() - t:.1f} s", flush=True)
        ws = root
        out.scan_in_process, out.entities = in_process_scan(args, root, 3)
    modes = list(args.modes)
    if ws is not None and args.idle_runs:
        modes.insert(0, "idle")
    for mode in modes:
        for r in range(args.idle_runs if mode == "idle" else args.runs):
            await one_run(args, r, doc, ws, mode, out)
    return out


SPLIT = (
    "client send -> body on the event loop",
    "body -> handle_message start (JSON parse)",
    "handle_message (analyze, publish)",
    "handle_message end -> read by the client",
)
PHASES = {
    "base": "no workspace (baseline)",
    "warmup": "first {warmup} edits of a run (warm-up, not counted)",
    "pre": "before $/progress begin",
    "during": "during the scan",
    "after": "after the scan",
}


def rows_for(args: argparse.Namespace, v: Variant, out: Outcome, rep: Report) -> None:
    section = f"{v.name}: {v.label}"
    if args.prelude:
        section += f" [prelude {', '.join(args.prelude)}]"
    for mode in args.modes:
        note = f"full sync, valid/invalid alternating, {args.interval_ms:g} ms pace, " + (
            "closed loop (waits for each edit's diagnostics)" if mode == "paced" else "open loop"
        )
        for phase, what in PHASES.items():
            edits = [e for e in out.edits if e.mode == mode and e.phase == phase]
            if not edits:
                continue
            extra: dict[str, Any] = {
                "runs": args.runs,
                "diagnostics_counts": sorted({e.diagnostics for e in edits}),
            }
            if phase == "during":
                extra["answered_after_end"] = sum(e.answered_after_end for e in edits)
            splits = [e.split for e in edits if e.split is not None]
            if splits:
                extra["split_ms"] = {
                    name: {k: round(x, 3) for k, x in summarize([s[j] for s in splits]).items()}
                    for j, name in enumerate(SPLIT)
                }
            rep.add(
                Row(
                    f"index_edit.{v.name}.{mode}.{phase}",
                    section,
                    f"{mode}: didChange -> diags, {what.format(warmup=args.warmup)}",
                    "ms",
                    [e.latency for e in edits],
                    None if phase == "warmup" else EDIT_TARGET,
                    note,
                    extra=extra,
                )
            )
    if not v.files:
        return
    for mode, what in (("idle", "no edits"), *((m, f"{m} edits") for m in args.modes)):
        if out.ready.get(mode):
            rep.add(
                Row(
                    f"index_edit.{v.name}.ready.{mode}",
                    section,
                    f"index ready (initialized -> $/progress end), {what}",
                    "ms",
                    out.ready[mode],
                    READY_TARGET,
                    "",
                    extra={
                        "begin_ms": [round(x, 2) for x in out.begin[mode]],
                        "end_messages": sorted(set(out.end_messages)),
                    },
                )
            )
    rep.add(
        Row(
            f"index_edit.{v.name}.scan_in_process",
            section,
            "Index().scan() in process (no server, no edits)",
            "ms",
            out.scan_in_process,
            None,
            "page cache warm (the files were just written)",
            extra={"entities": out.entities},
        )
    )
    if out.traces:
        rep.info.setdefault("traces", {})[v.name] = out.traces


def print_splits(rep: Report) -> None:
    """With --trace: where the time of an edit goes, per variant, mode and phase (p50 / p99)."""
    rows = [r for r in rep.rows if "split_ms" in r.extra]
    if not rows:
        return
    print("\nWhere an edit's time goes (--trace), ms p50 / p99:")
    print(f"  {'row':<34} " + " | ".join(f"{name[:24]:>24}" for name in SPLIT))
    for r in rows:
        sp = r.extra["split_ms"]
        cells = [f"{sp[name]['p50']:>10.2f} / {sp[name]['p99']:>9.2f}" for name in SPLIT]
        print(f"  {r.id.removeprefix('index_edit.'):<34} " + " | ".join(cells))
    for name, traces in rep.info.get("traces", {}).items():
        for t in traces:
            gc = t["gc_during_scan"]
            print(
                f"  {name} {t['mode']} run {t['run']}: collect() {t['collect_ms']} ms;"
                f" GC during it: {gc['n']} collections, {gc['total_ms']} ms in all,"
                f" longest {gc['max_ms']} ms, {gc['gen2']} full"
            )


EDITS = "(edits)"  # placeholder: the edits are written one per line, see edits_json()


def edits_json(outcomes: dict[str, Outcome]) -> str:
    """``{variant: [[field values of one edit, in the order of edit_fields], ...]}``."""

    def row(e: Edit) -> str:
        d = asdict(e) | {
            "latency": round(e.latency, 4),
            "t0": round(e.t0, 6),
            "t1": round(e.t1, 6),
            "split": e.split and [round(x, 3) for x in e.split],
        }
        return json.dumps([d[f.name] for f in fields(Edit)], separators=(",", ":"))

    parts = [
        f" {json.dumps(name)}: [\n" + ",\n".join(f"  {row(e)}" for e in out.edits) + "\n ]"
        for name, out in outcomes.items()
    ]
    return "{\n" + ",\n".join(parts) + "\n}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, help="write the JSON results here")
    ap.add_argument("--files", type=int, default=10_000, help="files per workspace")
    ap.add_argument("--body-kb", type=float, default=4, help="body of agents/skills in 'large'")
    ap.add_argument("--runs", type=int, default=3, help="server processes per variant and mode")
    ap.add_argument("--idle-runs", type=int, default=2, help="servers per variant, no edits")
    ap.add_argument("--interval-ms", type=float, default=5, help="pace of the edits")
    ap.add_argument("--warmup", type=int, default=5, help="first edits of a run not counted")
    ap.add_argument("--n-after", type=int, default=50, help="edits per run after the scan")
    ap.add_argument("--n-base", type=int, default=100, help="edits per run without a workspace")
    ap.add_argument(
        "--modes",
        type=lambda x: [m.strip() for m in x.split(",") if m.strip()],
        default=["paced", "open"],
        help="paced (closed loop), open (open loop) or both: paced,open",
    )
    ap.add_argument(
        "--prelude",
        action="append",
        default=[],
        metavar="NAME|CODE",
        help=f"diagnosis: code the server process runs first: one of {', '.join(PRELUDES)}"
        " (bench/index_preludes.py) or Python code; repeatable",
    )
    ap.add_argument(
        "--trace",
        action="store_true",
        help="diagnosis: split each edit's time into transport/handler parts (prelude 'trace')",
    )
    ap.add_argument(
        "--wrap", metavar="CMD", help="diagnosis: prefix the server command (e.g. a profiler)"
    )
    ap.add_argument("--only", metavar="V[,V]", help="variants: none,small,large")
    ap.add_argument(
        "--at",
        metavar="REV",
        help="run the server code of this git revision (git archive of server/, on PYTHONPATH)"
        " instead of the working tree",
    )
    ap.add_argument("--python", default=default_python(), help="interpreter of the server")
    args = ap.parse_args(argv)
    if args.trace or "trace" in args.prelude:  # last: it wraps what the others patched
        args.prelude = [p for p in args.prelude if p != "trace"] + ["trace"]
    args.trace = "trace" in args.prelude
    if args.trace and "scan-in-a-process" in args.prelude:
        ap.error("the trace prelude wraps collect(), which then cannot run in another process")
    args.prelude_code = [PRELUDES.get(p, p) for p in args.prelude]
    variants = [
        Variant("none", 0, 0, "no workspace"),
        Variant("small", args.files, 0, "bare front matter, as index_bench.py"),
        Variant(
            "large",
            args.files,
            int(args.body_kb * 1024),
            f"front matter + {args.body_kb:g} KB body",
        ),
    ]
    if args.only:
        keep = {s.strip() for s in args.only.split(",")}
        variants = [v for v in variants if v.name in keep]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cfg = Config.make(True, args.python)
    rep = Report()
    started = dt.datetime.now(dt.timezone.utc)
    rep.info["machine"] = machine_info(cfg)
    outcomes: dict[str, Outcome] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="agentls-index-edit-") as tmp:
            args.tmp = Path(tmp)
            args.server_env = None
            if args.at:
                commit = export_server(args.at, Path(tmp) / "src")
                args.server_env = dict(os.environ, PYTHONPATH=str(Path(tmp) / "src" / "server"))
                rep.info["server_code"] = f"git {commit} (--at {args.at})"
            else:
                rep.info["server_code"] = "working tree"
            print(
                f"agentls index + edits bench: {', '.join(v.name for v in variants)};"
                f" server code: {rep.info['server_code']}",
                flush=True,
            )
            for v in variants:
                t = time.perf_counter()
                try:
                    outcomes[v.name] = out = asyncio.run(bench_variant(args, v, Path(tmp)))
                    rows_for(args, v, out, rep)
                except Exception as e:  # report, go on with the other variants
                    rep.errors.append({"section": v.name, "error": f"{type(e).__name__}: {e}"})
                    print(f"  ERROR: {type(e).__name__}: {str(e)[:500]}", flush=True)
                finally:
                    kill_all()
                print(f"  {v.name}: done in {time.perf_counter() - t:.1f} s", flush=True)
    finally:
        kill_all()
    # records the end-of-run state; with --at the server code is a fixed snapshot
    if server_code_changed(cfg, rep) and not args.at:
        rep.notes.append(
            "the server code in the working tree changed during the run: run again, or use --at"
        )
    print_table(rep)
    print_splits(rep)
    if args.out:
        data = {
            "format": "agentls-bench-index/1",
            "started": started.isoformat(timespec="seconds"),
            "duration_s": round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 1),
            "config": {
                k: (str(v) if isinstance(v, Path) else v)
                for k, v in vars(args).items()
                if k not in ("server_env", "prelude_code", "tmp")
            },
            "server_code": rep.info["server_code"],
            "variants": [asdict(v) for v in variants],
            "machine": rep.info.pop("machine"),
            "results": [r.to_json() for r in rep.rows],
            "edit_fields": [f.name for f in fields(Edit)],
            "edits": EDITS,
            "traces": rep.info.get("traces"),
            "errors": rep.errors,
            "notes": list(dict.fromkeys(rep.notes)),
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=1, ensure_ascii=False)
        text = text.replace(json.dumps(EDITS), edits_json(outcomes), 1)
        args.out.write_text(text + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
