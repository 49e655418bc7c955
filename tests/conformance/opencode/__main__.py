"""``python -m tests.conformance.opencode install | record | probe | check | diff``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from tests.conformance import runtimes_common as rc
from tests.conformance.cases import Case
from tests.conformance.opencode import cases as cases_mod
from tests.conformance.opencode import driver, recordings, runtime


def _log(a: argparse.Namespace) -> Callable[[str], None] | None:
    return None if a.quiet else (lambda s: print(s, file=sys.stderr))


def _install(force: bool) -> str:
    exe = runtime.install(force=force)
    return f"{exe} {runtime.version_of()}"


def _record(cases: list[Case], a: argparse.Namespace) -> list[rc.JSON]:
    rows = driver.record(cases, workers=a.jobs, log=_log(a))
    if a.probe:
        driver.probe(cases, rows, workers=a.jobs, log=_log(a))
    return rows


def cmd_probe(args: argparse.Namespace) -> int:
    """Add ``received`` (what the model is told) to the existing recordings."""
    runtime.binary()
    t0 = time.monotonic()
    recs = recordings.load()
    rows = [r for rs in recs.values() for r in rs]
    cases = cases_mod.all_cases(("generated", "corpus"))
    shas = {(r["id"], r["file"]): r["sha"] for r in rows}
    cases = [c for c in cases if all(shas.get((c.id, f.rel)) == f.sha for f in c.files)]
    cases = rc.select(cases, args.only)
    driver.probe(cases, rows, workers=args.jobs, log=_log(args))
    d = recordings.write(recordings.load_meta(), rows, tuple(recs))
    print(f"probed in {time.monotonic() - t0:.0f} s -> {d}", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from tests.conformance.opencode import diff

    text = diff.report()
    if args.write:
        diff.OUT.write_text(text, "utf-8")
    print(text)
    return 0


def _options(cmd: str, p: argparse.ArgumentParser) -> None:
    if cmd in ("record", "check", "probe"):
        p.add_argument("--quiet", action="store_true")
    if cmd in ("record", "check"):
        p.add_argument("--no-probe", dest="probe", action="store_false", help="skip `opencode run`")
    if cmd == "probe":
        p.add_argument("--jobs", "--workers", dest="jobs", type=int, default=2)
        p.add_argument("--only", nargs="+", help="case ids (or parts of ids)")
    if cmd == "diff":
        p.add_argument("--no-write", dest="write", action="store_false")


SUITE = rc.Suite(
    name="OpenCode",
    package="opencode",
    version=runtime.VERSION,
    recordings=recordings.RECORDINGS,
    install=_install,
    cases=cases_mod.all_cases,
    record=_record,
    meta=lambda rows, secs, _s, _a: recordings.meta(secs, len(rows)),
    diff=_diff,
    source_choices=recordings.SOURCES,
    volatile=("run", "status"),  # how a row was obtained, not what OpenCode did
    unstable=cases_mod.unstable,  # which file wins varies between runs
    options=_options,
    # CI: every generated case and a fixed sample of the corpus (whose invalid files make
    # batches run again: most of a full check's ~15 min here); `check --full` for all
    check_sample={"generated": None, "corpus": 250},
    commands={"probe": ("add what the model receives to the recordings", cmd_probe)},
)

if __name__ == "__main__":
    sys.exit(rc.main(SUITE))
