"""AGL600 against what Claude Code 2.1.332 did with `!` commands in skill bodies.

The `Skill` probe records either the expanded body (every command ran) or the tool error; a
permission failure (`Shell command permission check failed for pattern ...`) is what AGL600
warns about. Other failures (`Shell command failed ...`: the command ran and exited non-zero)
are not its business.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentls.core.analysis import analyze
from agentls.core.settings import Settings
from agentls.core.versions import Version
from tests.conformance.cases import Case, generated

RECORDING = Path(__file__).parent / "recordings/claude-code/2.1.332/generated.jsonl"


def _recorded() -> dict[str, dict[str, object]]:
    if not RECORDING.is_file():
        return {}
    out: dict[str, dict[str, object]] = {}
    for line in RECORDING.read_text("utf-8").split("\n"):
        if line:
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


CASES = [c for c in generated() if c.kind == "skill" and "-inject-" in c.id]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_agl600_where_the_runtime_refuses(case: Case) -> None:
    rec = _recorded().get(case.id)
    if rec is None:
        pytest.skip("not recorded")
    probe = rec.get("probe")
    assert isinstance(probe, dict)
    refused = "permission check failed" in str(probe.get("error") or "")
    f = case.files[0]
    a = analyze(f.rel, f.data.decode("utf-8"), Settings(claude_version=Version(2, 1, 332)))
    assert any(x.code == "AGL600" for x in a.findings) == refused, probe
