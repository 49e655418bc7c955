"""agentls's view for VS Code against every VS Code recording (agreement.py): each difference
is a reviewed one of known_differences.yaml, and every recording matches its input."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.agreement import assert_known
from tests.conformance.vscode.agreement import compare

HERE = Path(__file__).resolve().parent


def test_differences_are_known() -> None:
    assert_known(compare(), HERE)


def test_no_recording_is_stale() -> None:
    c = compare()
    assert c.files > 0
    # corpus rows whose file changed are skipped (the corpus is not ours); generated ones never
    assert not [i for i in c.stale if i.startswith("gen/")], c.stale[:10]
