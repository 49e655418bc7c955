"""Copilot CLI conformance: ``install``, ``record``, ``check``, ``diff``, ``vocab``.

python -m tests.conformance.copilot_cli install
python -m tests.conformance.copilot_cli record [--source generated|examples|corpus] [--only ID...]
python -m tests.conformance.copilot_cli check [--full]
python -m tests.conformance.copilot_cli diff [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tests.conformance import runtimes_common as rc
from tests.conformance.copilot_cli import cases, driver, recordings, runtime


def _record(selected: list[cases.Case], a: argparse.Namespace) -> list[rc.JSON]:
    t0 = time.time()

    def progress(msg: str) -> None:
        print(f"[{time.time() - t0:6.0f}s] {msg}", file=sys.stderr, flush=True)

    rows: list[rc.JSON] = []
    for probe in ("all", "hidden", "none"):  # default: all but for the corpus (hidden)
        mine = [c for c in selected if (a.probe or _probe(c)) == probe]
        if mine:
            rows += driver.run_all(mine, probe_agents=probe, jobs=a.jobs, progress=progress)
    return rows


def _probe(c: cases.Case) -> str:
    return "hidden" if c.source == "corpus" else "all"


def _meta(rows: list[rc.JSON], secs: float, sources: tuple[str, ...], _a: object) -> rc.JSON:
    meta = driver.meta(rows)
    meta["sources"] = _counts(rows, sources)
    meta["seconds"] = {s: round(secs) for s in sources}
    del meta["rows"]
    return meta


def _counts(rows: list[rc.JSON], sources: tuple[str, ...]) -> rc.JSON:
    return {s: sum(1 for r in rows if rc.source_of(r) == s) for s in sources}


def _vocab(_a: argparse.Namespace) -> int:
    _meta, recs = recordings.load()
    voc = driver.vocabulary([r for rows in recs.values() for r in rows])
    recordings.write(voc, [], ())
    print(json.dumps(voc, indent=1))
    return 0


def _diff(a: argparse.Namespace) -> int:
    from tests.conformance.copilot_cli import diff

    text = diff.report()
    print(text)
    if a.write:
        diff.DIFF_MD.write_text(text, "utf-8")
    return 0


def _options(cmd: str, p: argparse.ArgumentParser) -> None:
    if cmd in ("record", "check"):
        p.add_argument(
            "--probe",
            choices=("all", "hidden", "none"),
            default=None,
            help="--agent NAME runs: for every agent (default for generated and examples), only "
            "the ones not listed (default for corpus cases), or none",
        )
    if cmd == "diff":
        p.add_argument("--write", action="store_true", help="also write DIFF.md")


SUITE = rc.Suite(
    name="Copilot CLI",
    package="copilot_cli",
    version=runtime.VERSION,
    recordings=recordings.recordings(),
    install=lambda force: runtime.install(force=force),
    cases=cases.all_cases,
    record=_record,
    meta=_meta,
    diff=_diff,
    sources=recordings.SOURCES,
    source_choices=recordings.SOURCES,
    options=_options,
    merge_meta=lambda rows, sources: {"sources": _counts(rows, sources)},
    # CI: a fixed sample (a full check is ~25 min here); `check --full` for all
    check_sample={"generated": 400, "corpus": 300, "examples": None},
    commands={"vocab": ("refresh the key vocabularies in meta.json from the recordings", _vocab)},
)

if __name__ == "__main__":
    sys.exit(rc.main(SUITE))
