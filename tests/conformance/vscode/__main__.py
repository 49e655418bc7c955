"""python -m tests.conformance.vscode install | record [--only ID...] [--source S] | check | diff"""

from __future__ import annotations

import argparse
import sys

from tests.conformance import runtimes_common as rc
from tests.conformance.cases import Case
from tests.conformance.vscode import cases as vcases
from tests.conformance.vscode import runtime

_INFO: rc.JSON = {}  # what the last runs reported (version, tools, timing), for meta.json


def _install(_force: bool) -> str:
    return runtime.code_server_version(runtime.install())


def _cases(sources: tuple[str, ...]) -> list[Case]:
    """Every case of the sources (the whole corpus: `record` keeps its sample)."""
    return [c for s in sources for c in vcases.all_cases(s, 1000)]


def _share(a: argparse.Namespace) -> int:
    share = getattr(a, "share", None)
    return vcases.SAMPLE_PER_1000 if share is None else int(share)


def _record(cases: list[Case], a: argparse.Namespace) -> list[rc.JSON]:
    from tests.conformance.vscode import driver

    if a.cmd == "record" and not a.only:  # the corpus sample (check re-records what it has)
        keep = {c.id for c in vcases.corpus(_share(a))}
        cases = [c for c in cases if c.source != "corpus" or c.id in keep]
    rows, info = driver.record_rows(cases)
    _INFO.clear()
    _INFO.update(info)
    return rows


def _meta(rows: list[rc.JSON], _secs: float, sources: tuple[str, ...], a: object) -> rc.JSON:
    from tests.conformance.vscode import driver

    assert isinstance(a, argparse.Namespace)
    (source,) = sources
    return driver.meta(source, rows, _INFO, _share(a))


def _diff(_a: argparse.Namespace) -> int:
    from tests.conformance.vscode import diff

    diff.main()
    return 0


def _options(cmd: str, p: argparse.ArgumentParser) -> None:
    if cmd == "record":
        p.add_argument(
            "--sample",
            dest="share",
            type=int,
            metavar="N",
            help="corpus share per 1000 files (default: cases.SAMPLE_PER_1000; 1000 = all)",
        )


def _suite() -> rc.Suite:
    from tests.conformance.vscode.driver import RECORDINGS, SOURCES

    return rc.Suite(
        name="VS Code",
        package="vscode",
        version=runtime.VSCODE_VERSION,
        recordings=RECORDINGS,
        install=_install,
        cases=_cases,
        record=_record,
        meta=_meta,
        diff=_diff,
        sources=SOURCES,
        source_choices=SOURCES,
        apart=True,  # each source is recorded, and its meta written, on its own
        # CI: a fixed sample (the oracle is slow: ~1.4 s a file); `check --full` for all
        check_sample={"generated": 150, "corpus": 50},
        options=_options,
    )


if __name__ == "__main__":
    sys.exit(rc.main(_suite()))
