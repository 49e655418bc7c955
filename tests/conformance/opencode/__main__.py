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
    if args.probe:
        driver.probe(cases, rows, workers=args.workers, log=log)
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


def cmd_probe(args: argparse.Namespace) -> int:
    """Add ``received`` (what the model is told) to the existing recordings."""
    runtime.binary()
    t0 = time.monotonic()
    recs = recordings.load()
    rows = [r for rs in recs.values() for r in rs]
    cases = cases_mod.all_cases(("generated", "corpus"))
    shas = {(r["id"], r["file"]): r["sha"] for r in rows}
    cases = [c for c in cases if all(shas.get((c.id, f.rel)) == f.sha for f in c.files)]
    if args.only:
        cases = [c for c in cases if any(w in c.id for w in args.only)]
    log = (lambda s: print(s, file=sys.stderr)) if not args.quiet else None
    driver.probe(cases, rows, workers=args.workers, log=log)
    d = recordings.write(recordings.load_meta(), rows, tuple(recs))
    print(f"probed in {time.monotonic() - t0:.0f} s -> {d}", file=sys.stderr)
    return 0


VOLATILE = ("run", "status")  # how a row was obtained, not what OpenCode did


def cmd_check(args: argparse.Namespace) -> int:
    """Record again (nothing written) and compare with the recordings: exit 1 on a change."""
    runtime.binary()
    sources = tuple(args.source) if args.source else ("generated",)
    cases = cases_mod.all_cases(sources)
    log = (lambda s: print(s, file=sys.stderr)) if not args.quiet else None
    rows = driver.record(cases, workers=args.workers, log=log)
    if args.probe:
        driver.probe(cases, rows, workers=args.workers, log=log)
    old = {(r["id"], r["file"]): r for rs in recordings.load().values() for r in rs}
    changed = 0
    for r in rows:
        o = old.get((r["id"], r["file"]))
        if cases_mod.unstable(r["id"]):
            continue  # which file wins varies between runs
        if o is None:
            print(f"new: {r['id']} {r['file']}")
            changed += 1
            continue
        a = {k: v for k, v in o.items() if k not in VOLATILE and (args.probe or k != "received")}
        b = {k: v for k, v in r.items() if k not in VOLATILE and (args.probe or k != "received")}
        if a != b:
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            print(f"changed: {r['id']} {r['file']}: {', '.join(keys)}")
            changed += 1
    print(f"{len(rows)} rows, {changed} differ from the recordings", file=sys.stderr)
    return 1 if changed else 0


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
    r.add_argument("--no-probe", dest="probe", action="store_false", help="skip `opencode run`")
    pr = sub.add_parser("probe", help="add what the model receives to the recordings")
    pr.add_argument("--workers", type=int, default=2)
    pr.add_argument("--quiet", action="store_true")
    pr.add_argument("--only", nargs="+", help="case ids (or parts of ids)")
    k = sub.add_parser("check", help="record again and compare with the recordings")
    k.add_argument("--source", nargs="+", choices=SOURCES)
    k.add_argument("--workers", type=int, default=2)
    k.add_argument("--quiet", action="store_true")
    k.add_argument("--no-probe", dest="probe", action="store_false")
    d = sub.add_parser("diff", help="agentls against the recordings (writes DIFF.md)")
    d.add_argument("--no-write", dest="write", action="store_false")
    args = p.parse_args(argv)
    return {
        "install": cmd_install,
        "record": cmd_record,
        "probe": cmd_probe,
        "check": cmd_check,
        "diff": cmd_diff,
    }[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
