"""``python -m tests.fuzz --seconds N --seed S [--jobs J]``: fuzz sessions until the budget is
spent; prints one summary line and exits 1 on any failure (reproducers in .fuzz-failures/).

``--session SEED`` reruns one session (the seed a reproducer names); ``--replay FILE`` writes a
reproducer's client messages to a fresh server again, with their original timing.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from tests.fuzz.session import KINDS, ROOT, SERVER, Options, Result, run_session

LABELS = {
    "crash": "crashes",
    "hang": "hangs",
    "error": "errors",
    "range": "out-of-range",
    "stale": "stale",
    "disagree": "disagreements",
}


def session_seed(seed: int, i: int) -> int:
    return random.Random(f"agentls-fuzz:{seed}:{i}").getrandbits(40)


def summary(results: Sequence[Result]) -> str:
    counts = {k: sum(1 for r in results for f in r.failures if f.kind == k) for k in KINDS}
    messages = sum(r.messages for r in results)
    parts = [f"{counts[k]} {LABELS[k]}" for k in KINDS]
    return f"fuzz: {len(results)} sessions, {messages} messages, " + ", ".join(parts)


def run(
    seconds: float,
    seed: int,
    jobs: int,
    opts: Options,
    sessions: int | None = None,
    verbose: bool = False,
) -> list[Result]:
    """Sessions ``session_seed(seed, 0), (seed, 1)...`` until ``seconds`` or ``sessions``."""
    deadline = time.monotonic() + seconds
    results: list[Result] = []
    lock = threading.Lock()
    started = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running: set[Future[Result]] = set()
        while True:
            while (
                len(running) < jobs
                and time.monotonic() < deadline
                and (sessions is None or started < sessions)
            ):
                running.add(pool.submit(run_session, session_seed(seed, started), opts))
                started += 1
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                r = fut.result()
                with lock:
                    results.append(r)
                if r.failures or verbose:
                    kind = "abuse, " if r.abuse else ""
                    print(
                        f"session {r.seed} ({kind}{r.encoding}): {len(r.failures)} failures, "
                        f"{r.messages} messages, diagnostics within {r.latency:.2f} s"
                        + (f"; reproducer {r.reproducer}" if r.reproducer else ""),
                        file=sys.stderr,
                        flush=True,
                    )
                    for f in r.failures:
                        print(f"  {f}", file=sys.stderr, flush=True)
    return results


def replay(path: str, wait_s: float, pythonpath: str) -> int:
    """Write a reproducer's client frames to a new server (same project folder, same timing)."""
    with open(path, encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        entries = [json.loads(line) for line in fh]
    root = header["root"]
    project = header.get("project") or os.path.join(root, "project")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(project, ".git"))
    os.makedirs(os.path.join(root, "home"))
    for rel, text in header["disk"].items():
        if text is None:
            continue  # deleted during the session
        p = Path(project, *rel.split("/"))
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="")
    env = {
        **os.environ,
        "HOME": os.path.join(root, "home"),
        "AGENTLS_STRICT": "1",
        "PYTHONPATH": pythonpath,
    }
    proc = subprocess.Popen(
        SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=project
    )
    assert proc.stdin is not None and proc.stdout is not None
    out = proc.stdout

    def echo() -> None:
        for line in out:
            sys.stdout.write(line.decode("utf-8", "replace"))

    threading.Thread(target=echo, daemon=True).start()
    t0 = time.monotonic()
    try:
        for e in entries:
            if e.get("dir") == "note":
                print(f"# {e['note']}", file=sys.stderr)
            if e.get("dir") != "c2s":
                continue
            delay = e["t"] - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            data = base64.b64decode(e["b64"]) if "b64" in e else e["text"].encode("utf-8")
            proc.stdin.write(data)
            proc.stdin.flush()
    except BrokenPipeError:
        print("# the server went away", file=sys.stderr)
    time.sleep(wait_s)
    code = proc.poll()
    print(
        f"# server {'exited with ' + str(code) if code is not None else 'still running'}",
        file=sys.stderr,
    )
    if code is None:
        proc.kill()
    shutil.rmtree(root, ignore_errors=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    p.add_argument("--seconds", type=float, default=60, help="time budget (default 60)")
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--jobs", type=int, default=1, help="sessions run at once (default 1)")
    p.add_argument("--sessions", type=int, help="stop after this many sessions")
    p.add_argument("--session", type=int, help="run only the session with this seed")
    p.add_argument("--no-abuse", action="store_true", help="no protocol abuse frames")
    p.add_argument("--timeout", type=float, default=10, help="seconds for due diagnostics")
    p.add_argument("--encoding", choices=("utf-8", "utf-16", "utf-32"), help="force one")
    p.add_argument("--big", type=float, default=0.3, help="share of sessions with a 10 kB SKILL.md")
    p.add_argument("--out", default=str(ROOT / ".fuzz-failures"), help="reproducer folder")
    p.add_argument("--replay", metavar="FILE", help="replay a reproducer's messages")
    p.add_argument(
        "--pythonpath",
        default=str(ROOT / "server"),
        help="where the agentls package is (another checkout: does a fix fail before?)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="a line per session")
    args = p.parse_args(argv)
    if args.replay:
        return replay(args.replay, args.timeout, args.pythonpath)
    opts = Options(
        timeout=args.timeout,
        abuse=not args.no_abuse,
        out=args.out,
        encoding=args.encoding,
        big=args.big,
        pythonpath=args.pythonpath,
    )
    if args.session is not None:
        results = [run_session(args.session, opts)]
        for f in results[0].failures:
            print(f"  {f}", file=sys.stderr)
    else:
        results = run(args.seconds, args.seed, args.jobs, opts, args.sessions, args.verbose)
    print(summary(results), flush=True)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
