"""Claude Code's did-you-mean for unknown agent keys, emulated (agentls.core.suggest.key_hint)."""

from __future__ import annotations

from agentls.core.catalog import dialect
from agentls.core.suggest import key_hint, osa_distance


def test_osa_distance_counts_a_swap_as_one() -> None:
    assert osa_distance("modle", "model") == 1
    assert osa_distance("tool", "tools") == 1
    assert osa_distance("abc", "abc") == 0
    assert osa_distance("ca", "abc") == 3  # OSA, not full Damerau-Levenshtein


def test_hints_as_recorded_on_2_1_332() -> None:
    uk = dialect("claude-agent").recognized
    assert uk is not None
    keys = list(uk.recognized)

    def hint(k: str) -> str | None:
        return key_hint(k, keys, uk.hint_overrides, uk.hint_max_distance)

    # recorded: a0154 tool, a0155-a0157 allowed-tools/_tools/Tools, a0162 disallowed-tools,
    # a0270 when_to_use, a0158 Tools, unknown-several descripton
    assert hint("tool") == "tools"
    assert hint("allowed-tools") == "tools" and hint("allowedTools") == "tools"
    assert hint("disallowed-tools") == "disallowedTools"
    assert hint("when_to_use") == "description" and hint("when-to-use") == "description"
    assert hint("Tools") == "tools" and hint("max_turns") == "maxTurns"
    assert hint("descripton") == "description"
    assert hint("mode") is None  # a fixed "no hint"
    assert hint("forkContext") is None and hint("x-color") == "color"
    assert key_hint("hook", ["name", "model"], uk.hint_overrides) is None  # not a candidate
