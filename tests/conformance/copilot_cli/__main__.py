"""Copilot CLI conformance: ``install``, ``record``, ``diff``.

python -m tests.conformance.copilot_cli install
python -m tests.conformance.copilot_cli record [--source generated|examples|corpus] [--only ID...]
python -m tests.conformance.copilot_cli diff [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tests.conformance.copilot_cli import cases, driver, recordings, runtime


def _select(sources: tuple[str, ...], only: list[str]) -> list[cases.Case]:
    all_cases = cases.all_cases(sources)
    if not only:
        return all_cases
    out = []
    for c in all_cases:
        tail = c.id.split("/", 2)[-1]
        if any(c.id == o or c.id.startswith(o) or tail.startswith(o) for o in only):
            out.append(c)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.conformance.copilot_cli")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ins = sub.add_parser("install", help="npm-install the pinned version into .cache/runtimes/")
    ins.add_argument("--force", action="store_true")
    rec = sub.add_parser("record", help="run the cases, write the recordings")
    rec.add_argument("--source", action="append", choices=recordings.SOURCES)
    rec.add_argument(
        "--only", nargs="+", default=[], help="ids or id prefixes: print, write nothing"
    )
    rec.add_argument(
        "--probe",
        choices=("all", "hidden", "none"),
        default=None,
        help="--agent NAME runs: for every agent (default for generated and examples), only the "
        "ones not listed (default for the corpus), or none",
    )
    rec.add_argument("--jobs", type=int, default=2)
    rec.add_argument(
        "--merge", action="store_true", help="with --only: replace those rows in the recordings"
    )
    sub.add_parser("vocab", help="refresh the key vocabularies in meta.json from the recordings")
    dif = sub.add_parser("diff", help="agentls against the recordings")
    dif.add_argument("--write", action="store_true", help="also write DIFF.md")
    args = ap.parse_args(argv)

    if args.cmd == "install":
        print(runtime.install(force=args.force))
        return 0
    if args.cmd == "record":
        sources = tuple(args.source or recordings.SOURCES)
        selected = _select(sources, args.only)
        runtime.install()
        t0 = time.time()

        def progress(msg: str) -> None:
            print(f"[{time.time() - t0:6.0f}s] {msg}", file=sys.stderr, flush=True)

        probe = args.probe or ("hidden" if sources == ("corpus",) else "all")
        rows = driver.run_all(selected, probe_agents=probe, jobs=args.jobs, progress=progress)
        if args.only and args.merge:
            ids = {c.id for c in selected}
            _meta, old = recordings.load()
            kept = [r for s in sources for r in old.get(s, []) if r["id"] not in ids]
            merged = kept + rows
            counts = {
                s: sum(1 for r in merged if r["id"].split("/", 1)[0] == recordings.prefix(s))
                for s in sources
            }
            d = recordings.write({"sources": counts}, merged, sources)
            print(f"merged {len(rows)} rows into {d}")
            return 0
        if args.only:
            for r in sorted(rows, key=lambda r: (r["id"], r["file"])):
                print(json.dumps(r, ensure_ascii=False))
            return 0
        meta = driver.meta(rows)
        meta["sources"] = {
            s: sum(1 for r in rows if r["id"].split("/", 1)[0] == recordings.prefix(s))
            for s in sources
        }
        meta["seconds"] = {s: round(time.time() - t0) for s in sources}
        del meta["rows"]
        d = recordings.write(meta, rows, sources)
        print(f"wrote {d} ({len(rows)} rows, {time.time() - t0:.0f}s)")
        return 0
    if args.cmd == "vocab":
        _meta, recs = recordings.load()
        voc = driver.vocabulary([r for rows in recs.values() for r in rows])
        recordings.write(voc, [], ())
        print(json.dumps(voc, indent=1))
        return 0
    if args.cmd == "diff":
        from tests.conformance.copilot_cli import diff

        text = diff.report()
        print(text)
        if args.write:
            diff.DIFF_MD.write_text(text, "utf-8")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
