"""Replay: agentls against what the real Claude Code did (recorded; no download, no runtime).

The recordings come from ``python -m tests.conformance record`` (CI re-records the latest
version). A difference fails unless ``known_differences.yaml`` lists it with a reason.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conformance import parallel, recordings
from tests.conformance.compare import Result, known_differences

VERSIONS = recordings.recorded_versions()

pytestmark = [
    pytest.mark.skipif(not VERSIONS, reason="no conformance recordings"),
    pytest.mark.usefixtures("replays"),
]


def _result(version: str) -> Result:
    r: Result = parallel.result(("claude-code", version))
    return r


@pytest.mark.parametrize("version", VERSIONS)
def test_recordings_match_their_inputs(version: str) -> None:
    """Generated cases and examples are regenerated/read; a changed one needs a re-record."""
    r = _result(version)
    stale = [i for i in r.stale if not i.startswith("corpus/")]
    assert not stale, (
        f"{len(stale)} recordings of Claude Code {version} no longer match their input "
        f"(e.g. {stale[:3]}): run `python -m tests.conformance record --version {version}`"
    )
    assert r.files > 0


@pytest.mark.parametrize("version", VERSIONS)
def test_agentls_agrees_with_the_runtime(version: str) -> None:
    r = _result(version)
    known = known_differences()
    new = [d for d in r.differences if not known.covers(d)]
    by = Counter((d.question, d.kind, d.category) for d in new)
    summary = "\n".join(f"  {n:4d} {q} / {k} / {c}" for (q, k, c), n in by.most_common())
    first = "\n".join(f"  {d.question}: {d.origin or d.id}: {d.detail}" for d in new[:15])
    assert not new, (
        f"{len(new)} differences from Claude Code {version} not in known_differences.yaml:\n"
        f"{summary}\nfirst ones:\n{first}"
    )


def test_known_differences_have_reasons_and_still_occur() -> None:
    known = known_differences()  # raises when an entry has no reason
    diffs = [d for v in VERSIONS for d in _result(v).differences]
    for entry in known.entries:
        one = type(known)([entry])
        assert any(one.covers(d) for d in diffs), (
            f"known difference no longer occurs (remove it): {entry}"
        )
