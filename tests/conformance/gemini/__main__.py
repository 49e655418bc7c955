"""``python -m tests.conformance.gemini install | record | diff``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from tests.conformance.gemini import cases as gcases
from tests.conformance.gemini import driver, recordings, runtime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.conformance.gemini")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help=f"npm install {runtime.PACKAGE}@{runtime.VERSION} (reused)")
    rec = sub.add_parser("record", help="run the real Gemini CLI, write recordings")
    rec.add_argument(
        "--only", nargs="*", default=None, help="case ids or tokens (prints, writes nothing)"
    )
    rec.add_argument("--source", nargs="*", choices=recordings.SOURCES, default=None)
    rec.add_argument("--jobs", type=int, default=2)
    rec.add_argument("--alone", action="store_true", help="run every case on its own")
    rec.add_argument(
        "--merge",
        action="store_true",
        help="with --only: write the rows into the recordings (replacing those cases' rows, "
        "dropping rows of cases the generator no longer has)",
    )
    sub.add_parser("diff", help="agentls against the recordings; writes DIFF.md")
    a = ap.parse_args(argv)
    if a.cmd == "install":
        print(runtime.install())
        return 0
    if a.cmd == "record":
        runtime.install()
        sources = tuple(a.source or recordings.SOURCES)
        all_cases = gcases.all_cases(sources)
        if a.only is not None:
            want = set(a.only)
            chosen = [
                c for c in all_cases if c.id in want or c.id.split("/")[2].split("-")[0] in want
            ]
            if a.alone:
                chosen = [dataclasses.replace(c, isolate=True) for c in chosen]
            t = time.monotonic()
            rows = driver.record(chosen, jobs=a.jobs, log=False)
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
            print(f"{len(chosen)} cases in {time.monotonic() - t:.1f} s", file=sys.stderr)
            if a.merge:
                _, old = recordings.load()
                ids = {c.id for c in all_cases} | {r["id"] for r in rows}
                done = {c.id for c in chosen}
                kept = [
                    r
                    for src in sources
                    for r in old.get(src, [])
                    if r["id"] in ids and r["id"] not in done
                ]
                recordings.write({}, kept + rows, sources)
            return 0
        t = time.monotonic()
        rows = driver.record(all_cases, jobs=a.jobs)
        meta = driver.meta()
        meta["sources"] = {
            s: sum(1 for r in rows if r["id"].split("/", 1)[0] == recordings.prefix(s))
            for s in sources
        }
        d = recordings.write(meta, rows, sources)
        print(f"{len(rows)} rows in {time.monotonic() - t:.0f} s -> {d}")
        return 0
    if a.cmd == "diff":
        from tests.conformance.gemini import diff

        return diff.main()
    return 2


if __name__ == "__main__":
    sys.exit(main())
