"""``python -m tests.conformance install|record|report|compare`` (see each ``--help``)."""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Sequence

from tests.conformance import cases as case_sources
from tests.conformance import recordings
from tests.conformance.versions import (
    CLAUDE_CODE_EXTRA,
    CLAUDE_CODE_VERSIONS,
    LATEST,
    OLDER_SOURCES,
)


def _versions(arg: str | None) -> list[str]:
    if arg in (None, "latest"):
        return [LATEST]
    if arg == "all":
        return list(CLAUDE_CODE_VERSIONS)
    return [v.strip() for v in str(arg).split(",") if v.strip()]


def cmd_install(args: argparse.Namespace) -> int:
    from tests.conformance.runtime import install

    for v in _versions(args.version):
        t0 = time.monotonic()
        argv = install(v, force=args.force)
        print(f"Claude Code {v}: {' '.join(argv)} ({time.monotonic() - t0:.1f} s)")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from tests.conformance.driver import record
    from tests.conformance.runtime import install

    given = tuple(args.sources.split(",")) if args.sources else None
    for s in given or ():
        if s not in recordings.SOURCES:
            print(f"unknown source {s!r} (one of {', '.join(recordings.SOURCES)})", file=sys.stderr)
            return 2
    for v in _versions(args.version):
        # older pinned versions: the generated cases and the examples (the corpus: latest only)
        sources = given or (recordings.SOURCES if v == LATEST else OLDER_SOURCES)
        todo = case_sources.all_cases(sources)
        if args.only:
            todo = [c for c in todo if any(o in c.id for o in args.only)]
        install(v)
        print(f"Claude Code {v}: recording {len(todo)} cases from {', '.join(sources)}")
        rec = record(v, todo, batch_size=args.batch, jobs=args.jobs, progress=print)
        if args.only and args.merge:  # replace these cases' rows in the existing recordings
            _, old = recordings.load(v)
            ids = {c.id for c in todo}
            rows = [r for rs in old.values() for r in rs if r["id"] not in ids] + rec.records
            d = recordings.write(v, {}, rows, tuple(old))
            print(f"{len(rec.records)} files recorded again -> {d}")
            continue
        if args.only:
            for r in rec.records:
                print(r)
            continue
        meta = {
            "version": v,
            "recorded": datetime.date.today().isoformat(),
            **rec.baseline.to_json(),
            "sources": {
                s: {
                    "files": sum(
                        1 for r in rec.records if r["id"].split("/", 1)[0] == recordings.prefix(s)
                    ),
                    "seconds": round(rec.seconds, 1),
                    "runs": rec.runs,
                }
                for s in sources
            },
        }
        d = recordings.write(v, meta, rec.records, sources)
        print(f"{len(rec.records)} files in {rec.runs} runs, {rec.seconds:.1f} s -> {d}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Run a seeded sample of batched cases alone: a batch must not change what a file gets."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    from tests.conformance.driver import baseline, record_run

    status = 0
    for v in _versions(args.version):
        _, recorded = recordings.load(v)
        by_id: dict[str, list[dict[str, object]]] = {}
        for rows in recorded.values():
            for r in rows:
                if r.get("run") == "batch":
                    by_id.setdefault(str(r["id"]), []).append(r)
        todo = [c for c in case_sources.all_cases() if c.id in by_id]
        sample = random.Random(args.seed).sample(todo, min(args.sample, len(todo)))
        base = baseline(v)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            runs = list(
                pool.map(lambda c, v=v, base=base: record_run(v, [c], base, True, 60)[0], sample)
            )
        bad = 0
        for case, alone in zip(sample, runs, strict=True):
            for rec in alone:
                old = next(r for r in by_id[case.id] if r["file"] == rec["file"])
                diff = _row_diff(old, rec)
                if diff:
                    bad += 1
                    print(f"  {case.id} {rec['file']}: batch/alone {diff}")
        print(f"Claude Code {v}: {len(sample)} batched cases run alone, {bad} files differ")
        status = status or (1 if bad else 0)
    return status


def _row_diff(old: dict[str, object], new: dict[str, object]) -> dict[str, tuple[object, object]]:
    """What an observation says differently from a recorded one (how it was run aside)."""
    return {
        k: (old.get(k), new.get(k))
        for k in sorted(set(old) | set(new))
        if k != "run" and old.get(k) != new.get(k)
    }


def cmd_check(args: argparse.Namespace) -> int:
    """Record the latest version again and compare with the committed recordings (CI).

    A file that is observed differently is run again alone: the runtime sometimes fails a probe
    for a passing reason (a git config it could not read), and only a difference seen twice is
    drift. Nothing is written.
    """
    from tests.conformance.driver import baseline, record, record_run
    from tests.conformance.runtime import install

    v = LATEST
    _, recorded = recordings.load(v)
    committed = {(str(r["id"]), str(r["file"])): r for rows in recorded.values() for r in rows}
    todo = case_sources.all_cases(recordings.SOURCES)
    install(v)
    rec = record(v, todo, batch_size=args.batch, jobs=args.jobs, progress=print)
    seen = {(str(r["id"]), str(r["file"])): r for r in rec.records}
    suspect = sorted({i for (i, f), r in seen.items() if _row_diff(committed.get((i, f), {}), r)})
    ids = {c.id for c in todo}  # a corpus file absent or changed here is not compared
    suspect += sorted({i for (i, f) in committed if (i, f) not in seen and i in ids} - set(suspect))
    base = baseline(v) if suspect else None
    drift = 0
    for case in (c for c in todo if c.id in suspect):
        assert base is not None
        for r in record_run(v, [case], base, True, 60)[0]:
            diff = _row_diff(committed.get((case.id, str(r["file"])), {}), r)
            if diff:
                drift += 1
                print(f"  {case.id} {r['file']}: recorded/now {diff}")
    print(
        f"Claude Code {v}: {len(seen)} files observed, {len(suspect)} run again alone, "
        f"{drift} differ from the recordings"
    )
    return 1 if drift else 0


def cmd_report(args: argparse.Namespace) -> int:
    from tests.conformance.report import write_report

    path = write_report(args.out)
    print(f"wrote {path}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from tests.conformance.compare import compare_version, known_differences

    known = known_differences()
    status = 0
    for v in _versions(args.version) if args.version else recordings.recorded_versions():
        result = compare_version(v)
        new = [d for d in result.differences if not known.covers(d)]
        print(
            f"Claude Code {v}: {result.files} files, {len(result.differences)} differences, "
            f"{len(new)} not in known_differences.yaml"
        )
        for d in new[: args.limit]:
            print(f"  {d.question:<12} {d.category:<40} {d.id}  {d.detail}")
        status = status or (1 if new else 0)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.conformance", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("install", help="npm-install a pinned Claude Code into .cache/runtimes")
    i.add_argument(
        "--version",
        help=f"a version, a comma list, 'latest' or 'all' "
        f"(pinned: {', '.join(CLAUDE_CODE_VERSIONS + CLAUDE_CODE_EXTRA)})",
    )
    i.add_argument("--force", action="store_true", help="reinstall even when cached")
    r = sub.add_parser("record", help="run the cases through the runtime and write recordings")
    r.add_argument("--version", help="a version, a comma list, 'latest' (default) or 'all'")
    r.add_argument(
        "--sources",
        help=f"comma list of {', '.join(recordings.SOURCES)} (default: all for the latest, "
        f"{', '.join(OLDER_SOURCES)} for older versions)",
    )
    r.add_argument("--only", nargs="*", help="case id substrings: run and print, write nothing")
    r.add_argument(
        "--merge", action="store_true", help="with --only: replace those cases' recordings"
    )
    r.add_argument("--batch", type=int, default=60, help="cases per shared run")
    r.add_argument("--jobs", type=int, default=2, help="runs at the same time")
    rp = sub.add_parser("report", help="compare the recordings and write docs/conformance.md")
    rp.add_argument("--out", default=None)
    vf = sub.add_parser("verify", help="run a sample of batched cases alone and compare")
    vf.add_argument("--version")
    vf.add_argument("--sample", type=int, default=60)
    vf.add_argument("--seed", type=int, default=1)
    vf.add_argument("--jobs", type=int, default=2)
    ck = sub.add_parser("check", help="record the latest again; fail on drift from recordings")
    ck.add_argument("--batch", type=int, default=60)
    ck.add_argument("--jobs", type=int, default=2)
    c = sub.add_parser("compare", help="print the differences not in known_differences.yaml")
    c.add_argument("--version")
    c.add_argument("--limit", type=int, default=50)
    args = p.parse_args(argv)
    return {
        "install": cmd_install,
        "record": cmd_record,
        "report": cmd_report,
        "compare": cmd_compare,
        "verify": cmd_verify,
        "check": cmd_check,
    }[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())
