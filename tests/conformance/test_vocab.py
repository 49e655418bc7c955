"""The catalogue against the vocabularies the pinned runtime reported (issue 10, item 4).

Fails when Claude Code's recorded tools, Agent-tool model enum, resolved aliases, recognised and
warned agent keys, or accepted and warned hook events disagree with
`server/agentls/core/catalog/claude_code.yaml`. Fix: `make catalog-refresh VERSION=<version>`,
then document what it stubs (and the keys it lists).
"""

from __future__ import annotations

import pytest

from tests.conformance import recordings
from tests.conformance.versions import LATEST
from tests.conformance.vocab import Observed, block_text, disagreements, observed

# The catalogue's vocabularies come from the latest version (`make catalog-refresh`); older
# pinned versions differ by design (fewer tools and keys, and no unknown-key warning before
# 2.1.296, so every key looks recognised): the replay checks agentls there, version by version.
RECORDED = [v for v in (LATEST,) if v in recordings.recorded_versions()]


@pytest.mark.parametrize("version", RECORDED)
def test_catalogue_agrees_with_the_recorded_runtime(version: str) -> None:
    assert disagreements(observed(version)) == []


def test_a_disagreement_is_reported() -> None:
    import yaml

    obs = Observed("2.1.332", ["Read", "Grok"], ["sonnet", "zeta"], {"zeta": "m"})
    obs.recognized_keys = {"name", "brandNewKey"}
    obs.unknown_keys = {"tools"}
    obs.hook_events = {"PreToolUse", "OnTeaTime"}
    obs.unknown_hook_events = {"Stop"}
    cat = yaml.safe_load(block_text(obs))
    from tests.conformance.vocab import _catalogue

    cat = {**_catalogue(), **cat}
    found = disagreements(obs, cat)
    assert found == [
        "tool Grok: in Claude Code 2.1.332's tools, not in the catalogue",
        "model alias zeta: in the Agent tool's enum, not in the catalogue",
        "model alias zeta: resolved by Claude Code 2.1.332, not in the catalogue",
        "agent key brandNewKey: recognised by Claude Code 2.1.332, unknown to the catalogue",
        "agent key tools: Claude Code 2.1.332 warns it is unknown; catalogue knows it",
        "hook event OnTeaTime: accepted by Claude Code 2.1.332, not in the catalogue",
        "hook event Stop: Claude Code 2.1.332 says unknown; in the catalogue",
    ]
