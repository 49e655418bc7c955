"""Replay: agentls.core.listing against the skill listings Claude Code sent (budget.py).

For every recorded version and scenario, the files are regenerated, read by agentls as the
runtime receives them (received.py), and the listing agentls builds must be the recorded one
byte for byte; the total and budget must match the debug log's over-budget line.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import Any

import pytest

from agentls.core.analysis import _analyze_dialect
from agentls.core.dialects import detect
from agentls.core.listing import Item, Listing, Settings, build, item_from, rules
from agentls.core.settings import Settings as AgentlsSettings
from agentls.core.versions import Version
from tests.conformance import budget

VERSIONS = budget.recorded_versions()
pytestmark = pytest.mark.skipif(not VERSIONS, reason="no budget recordings")


@functools.lru_cache(maxsize=4096)
def _item(path: str, text: str, version: Version, source: str) -> Item | None:
    # the Claude profile's own reading (what received.py needs), without the other readers
    match = detect(path)
    assert match is not None, path
    a = _analyze_dialect(path, text, AgentlsSettings(claude_version=version), match, ())
    return item_from(a, version, source)  # type: ignore[arg-type]


def items_of(lay: budget.Layout, version: Version, listed: str | None = None) -> list[Item]:
    """The files as agentls reads them. Before 2.1.154 the runtime lists commands and plugin
    skills in the order their files finish loading (it varies from run to run): that order is
    taken from the recorded listing (``listed``)."""
    out: list[Item] = []
    plugin = {  # a plugin's files, read as the same files under .claude/
        ".claude/" + rel: text for rel, text in lay.plugin.items() if rel.endswith(".md")
    }
    for where, files, source in (
        ("/home/u", lay.home, "user"),
        ("/p", lay.project, "project"),
        ("/plugin", plugin, "plugin"),
    ):
        for rel, text in files.items():
            item = _item(f"{where}/{rel}", text, version, source)
            if item is not None and source == "plugin":
                item = replace(item, name=f"{budget.PLUGIN}:{item.name}")
            if item is not None:
                out.append(item)
    if listed is not None and not rules(version).commands_sorted:
        lines = listed.split("\n")

        def at(i: Item) -> int:
            return next((k for k, x in enumerate(lines) if x.startswith(f"- {i.name}")), -1)

        out.sort(key=lambda i: at(i) if i.kind == "command" or i.source == "plugin" else -1)
    return out


def settings_of(lay: budget.Layout) -> Settings:
    s: dict[str, Any] = lay.settings or {}
    overrides = s.get("skillOverrides") or {}
    return Settings(
        fraction=s.get("skillListingBudgetFraction"),
        max_desc=s.get("skillListingMaxDescChars"),
        env_budget=lay.env.get("SLASH_COMMAND_TOOL_CHAR_BUDGET"),
        model=lay.env.get("ANTHROPIC_MODEL"),
        disable_1m=bool(lay.env.get("CLAUDE_CODE_DISABLE_1M_CONTEXT")),
        name_only=frozenset(k for k, v in overrides.items() if v == "name-only"),
    )


def emulate(version: str, row: dict[str, Any]) -> Listing:
    lay = budget.layout(row["scenario"], row["params"])
    v = Version.parse(version)
    return build(items_of(lay, v, row["listing"]), v, settings_of(lay))


def _cases() -> list[tuple[str, str]]:
    return [
        (v, r["id"])
        for v in VERSIONS
        for r in budget.load(v)
        if r.get("scenario") not in (None, "agents")
    ]


def _row(version: str, rid: str) -> dict[str, Any]:
    return next(r for r in budget.load(version) if r["id"] == rid)


@pytest.mark.parametrize(("version", "rid"), _cases())
def test_listing_byte_for_byte(version: str, rid: str) -> None:
    row = _row(version, rid)
    recorded = row["listing"]
    if recorded is None:
        pytest.skip(f"{version} sent no listing for {rid} ({row.get('status')})")
    got = emulate(version, row)
    if got.text != recorded:
        i = next(
            (k for k, (a, b) in enumerate(zip(got.text, recorded, strict=False)) if a != b), None
        )
        i = min(len(got.text), len(recorded)) if i is None else i
        raise AssertionError(
            f"{version} {rid}: listing differs at {i}:\n"
            f"  agentls: {json.dumps(got.text[max(0, i - 80) : i + 80])}\n"
            f"  runtime: {json.dumps(recorded[max(0, i - 80) : i + 80])}"
        )
    over = row.get("over_budget")
    if over is not None:  # Skill listing over budget: N skills, X chars > Y budget
        assert [len(got.entries), got.total, got.budget] == over
        assert got.over
    elif Version.parse(version) >= Version(2, 1, 142):  # the line is logged from there on
        assert not got.over, (got.total, got.budget)


def test_agents_have_no_budget() -> None:
    rows = [r for v in VERSIONS for r in budget.load(v) if r["id"] == "agents"]
    for r in rows:
        assert r["agents_listed_full"] == 150, r
