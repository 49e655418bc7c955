"""agentls's view for Copilot CLI agrees with every recording but the reviewed known differences
(known_differences.yaml), and no recording of a generated case or example is stale."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.agreement import assert_known
from tests.conformance.copilot_cli.agreement import compare

HERE = Path(__file__).resolve().parent


def test_known_differences() -> None:
    c = compare()
    stale = [i for i in c.stale if not i.startswith("corpus/")]
    assert not stale, f"re-record these (their input changed): {stale[:20]}"
    assert c.files > 2000
    assert_known(c, HERE)
