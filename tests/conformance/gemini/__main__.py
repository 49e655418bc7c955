"""``python -m tests.conformance.gemini install | record | check | diff``."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from tests.conformance import runtimes_common as rc
from tests.conformance.cases import Case
from tests.conformance.gemini import cases as gcases
from tests.conformance.gemini import driver, recordings, runtime


def _record(cases: list[Case], a: argparse.Namespace) -> list[rc.JSON]:
    if getattr(a, "alone", False):
        cases = [dataclasses.replace(c, isolate=True) for c in cases]
    return driver.record(cases, jobs=a.jobs, log=not getattr(a, "only", None))


def _meta(rows: list[rc.JSON], _secs: float, sources: tuple[str, ...], _a: object) -> rc.JSON:
    meta = driver.meta()
    meta["sources"] = {s: sum(1 for r in rows if rc.source_of(r) == s) for s in sources}
    return meta


def _diff(_a: argparse.Namespace) -> int:
    from tests.conformance.gemini import diff

    return diff.main()


def _options(cmd: str, p: argparse.ArgumentParser) -> None:
    if cmd == "record":
        p.add_argument("--alone", action="store_true", help="run every case on its own")


SUITE = rc.Suite(
    name="Gemini CLI",
    package="gemini",
    version=runtime.VERSION,
    recordings=recordings.RECORDINGS,
    install=lambda force: runtime.install(force=force),
    cases=gcases.all_cases,
    record=_record,
    meta=_meta,
    diff=_diff,
    source_choices=recordings.SOURCES,
    merge_drops_gone=True,  # a --merge drops rows of cases the generator no longer has
    options=_options,
)

if __name__ == "__main__":
    sys.exit(rc.main(SUITE))
