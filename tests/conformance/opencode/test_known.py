"""agentls agrees with the recorded OpenCode 1.18.33 on every file, apart from the reviewed
differences in known_differences.yaml (no runtime needed: the recordings are replayed)."""

from __future__ import annotations

from tests.conformance.agreement import Comparison, assert_known
from tests.conformance.opencode.agreement import HERE, compare


def _c() -> Comparison:
    return compare()


def test_every_difference_is_known() -> None:
    assert_known(_c(), HERE)


def test_no_generated_recording_is_stale() -> None:
    stale = [i for i in _c().stale if not i.startswith("corpus/")]
    assert not stale, f"recordings whose input changed (re-record them): {stale[:10]}"


def test_known_differences_are_under_one_percent_of_files() -> None:
    c = _c()
    ids = {d.id for d in c.differences}
    assert c.files > 1000
    assert len(ids) < c.files / 100, sorted(ids)
