"""Find the first published Claude Code version where some cases behave as on a later one.

``python -m tests.conformance.bisect --cases a0071 a0282 --between 2.1.100 2.1.150`` installs
versions on demand (cached in ``.cache/runtimes``), runs the cases on each version it probes
(results cached in ``.cache/bisect.json``) and prints, per case, the last version that behaves
as the lower bound and the first that behaves as the upper one. ``--show V...`` prints the
behaviour of the cases on the given versions instead. A case's behaviour is its recording
without the hash, the run kind and the log (wording changes between versions).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Sequence

from tests.conformance import cases as case_sources
from tests.conformance.driver import record
from tests.conformance.runtime import CACHE, install
from tests.conformance.standin import JSON
from tests.conformance.versions import PACKAGE

RESULTS = CACHE.parent / "bisect.json"
_IGNORED = ("sha", "run", "log", "status")


def published() -> list[str]:
    out = subprocess.run(
        ["npm", "view", PACKAGE, "versions", "--json"], capture_output=True, check=True, text=True
    ).stdout
    return [str(v) for v in json.loads(out) if "-" not in str(v)]


def _key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("-")[0].split("."))


def _load() -> dict[str, dict[str, list[JSON]]]:
    if RESULTS.exists():
        data: dict[str, dict[str, list[JSON]]] = json.loads(RESULTS.read_text())
        return data
    return {}


def behaviour(version: str, ids: Sequence[str], log: str | None = None) -> dict[str, str]:
    """case id -> its behaviour on ``version`` (a JSON string), running what is not cached."""
    cache = _load()
    done = cache.setdefault(version, {})
    todo = [c for c in case_sources.generated() if c.id in ids and c.id not in done]
    if todo:
        install(version)
        rec = record(version, todo)
        for c in todo:
            done[c.id] = [r for r in rec.records if r["id"] == c.id]
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(cache, ensure_ascii=False, indent=0))
    out: dict[str, str] = {}
    for i in ids:
        rows = [{k: v for k, v in r.items() if k not in _IGNORED} for r in done.get(i, [])]
        for r, full in zip(rows, done.get(i, []), strict=True):
            if log:  # whether some debug-log line matches: a change the runtime only logs
                r["log"] = any(re.search(log, line) for line in full.get("log", []))
        for r in rows:  # what an alias resolves to changes with every model release
            if isinstance(r.get("probe"), dict):
                r["probe"] = {k: v for k, v in r["probe"].items() if k != "model"}
        out[i] = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    return out


def resolve(substrings: Sequence[str]) -> list[str]:
    ids = [c.id for c in case_sources.generated()]
    return [i for i in ids if any(s in i for s in substrings)]


def bisect(
    ids: list[str], lo: str, hi: str, versions: list[str], log: str | None = None
) -> dict[str, tuple[str, str]]:
    """Per case: (last version that behaves as ``lo``, first that behaves as ``hi``)."""
    span = [v for v in versions if _key(lo) <= _key(v) <= _key(hi)]
    low = behaviour(lo, ids, log)
    high = behaviour(hi, ids, log)
    out: dict[str, tuple[str, str]] = {}
    for i in ids:
        if low[i] == high[i]:
            out[i] = ("-", "-")  # no change between the bounds
            continue
        a, b = 0, len(span) - 1  # span[a] behaves as lo, span[b] as hi
        while b - a > 1:
            m = (a + b) // 2
            now = behaviour(span[m], ids, log)[i]  # the whole group: one run, cached
            if now == high[i]:
                b = m
            elif now == low[i]:
                a = m
            else:  # a third behaviour: report the interval where it changed first
                b = m
                high = {**high, i: now}
        out[i] = (span[a], span[b])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.conformance.bisect", description=__doc__)
    p.add_argument("--cases", nargs="+", required=True, help="generated case id substrings")
    p.add_argument("--between", nargs=2, metavar=("LOW", "HIGH"))
    p.add_argument("--show", nargs="*", metavar="VERSION")
    p.add_argument("--log", help="also compare whether a debug-log line matches this regex")
    args = p.parse_args(argv)
    ids = resolve(args.cases)
    if args.show:
        for v in args.show:
            for i, b in behaviour(v, ids, args.log).items():
                print(f"{v:<9} {i:<48} {b}")
    if args.between:
        found = bisect(ids, *args.between, published(), args.log)
        for i, (last, first) in found.items():
            print(f"{i:<48} last without: {last:<9} first with: {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
