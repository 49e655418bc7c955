"""``python -m tests.conformance.opencode install | record | diff``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from tests.conformance.cases import Case
from tests.conformance.opencode import cases as cases_mod
from tests.conformance.opencode import driver, recordings, runtime

SOURCES = ("generated", "examples", "corpus")


def cmd_install(args: argparse.Namespace) -> int:
    exe = runtime.install(force=args.force)
    print(exe, runtime.version_of())
    return 0


def _select(args: argparse.Namespace) -> list[Case]:
    sources = tuple(args.source) if args.source else ("generated", "corpus")
    all_ = cases_mod.all_cases(sources)
    if args.only:
        want = set(args.only)
        all_ = [
            c
            for c in cases_mod.all_cases(("generated", "corpus"))
            if c.id in want or any(w in c.id for w in want)
        ]
    return all_


def cmd_record(args: argparse.Namespace) -> int:
    runtime.binary()
    cases = _select(args)
    t0 = time.monotonic()
    log = (lambda s: print(s, file=sys.stderr)) if not args.quiet else None
    rows = driver.record(cases, workers=args.workers, log=log)
    secs = time.monotonic() - t0
    if args.only and not args.merge:
        for r in rows:
            print(driver.dumps(r))
        print(f"{len(rows)} rows in {secs:.0f} s", file=sys.stderr)
        return 0
    if args.merge:  # replace these cases' rows in the recordings, keep the others
        old = recordings.load()
        ids = {r["id"] for r in rows}
        kept = [r for rs in old.values() for r in rs if r["id"] not in ids]
        srcs = tuple(old) or ("generated",)
        d = recordings.write(recordings.load_meta(), kept + rows, srcs)
        print(f"{len(rows)} rows merged in {secs:.0f} s -> {d}", file=sys.stderr)
        return 0
    sources = tuple(args.source) if args.source else ("generated", "corpus")
    meta = recordings.meta(secs, len(rows))
    d = recordings.write(meta, rows, tuple(s for s in sources if s in SOURCES))
    print(f"{len(rows)} rows in {secs:.0f} s -> {d}", file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from tests.conformance.opencode import diff

    text = diff.report()
    if args.write:
        diff.OUT.write_text(text, "utf-8")
    print(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.conformance.opencode")
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("install", help=f"npm install {runtime.PACKAGE}@{runtime.VERSION}")
    i.add_argument("--force", action="store_true")
    r = sub.add_parser("record", help="run the cases through OpenCode, write recordings")
    r.add_argument("--only", nargs="+", help="case ids (or parts of ids): print, write nothing")
    r.add_argument("--source", nargs="+", choices=SOURCES)
    r.add_argument("--merge", action="store_true", help="with --only: update the recordings")
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--quiet", action="store_true")
    d = sub.add_parser("diff", help="agentls against the recordings (writes DIFF.md)")
    d.add_argument("--no-write", dest="write", action="store_false")
    args = p.parse_args(argv)
    return {"install": cmd_install, "record": cmd_record, "diff": cmd_diff}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
