"""Replay: agentls.core.listing against the skill listings Claude Code sent (budget.py).

For every recorded version and scenario, the files are regenerated, read by agentls as the
runtime receives them (received.py), and the listing agentls builds must be the recorded one
byte for byte; the total and budget must match the debug log's over-budget line.
"""

from __future__ import annotations

import functools
import json
import os
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
                item = item._replace(name=f"{budget.PLUGIN}:{item.name}")
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


def _recorded_lines(listing: str) -> dict[str, str]:
    """Each recorded entry by the name it starts with (`- NAME: …`, `- DIR (NAME): …`, `- NAME`)."""
    out: dict[str, str] = {}
    for line in listing.split("\n"):
        if line.startswith("- "):
            head = line[2:].split(": ", 1)[0]
            out[head.split(" (", 1)[0]] = line
    return out


# `make test` checks the findings on the versions of each over-budget rule (2.1.68: no log
# line, 2.1.112: every description cut alike, the latest: first fit); `make conformance-check`
# (CI) on every pinned version, with AGENTLS_BUDGET_ALL=1
FINDINGS_VERSIONS = (
    VERSIONS
    if os.environ.get("AGENTLS_BUDGET_ALL")
    else [
        v for v in VERSIONS if v in ("2.1.68", "2.1.112") or v == max(VERSIONS, key=Version.parse)
    ]
)


def _findings_cases() -> list[tuple[str, str]]:
    return [
        (v, r["id"])
        for v in FINDINGS_VERSIONS
        for r in budget.load(v)
        if r.get("scenario") not in (None, "agents", "plugin") and r.get("listing")
    ]


@pytest.mark.parametrize(("version", "rid"), _findings_cases())
def test_budget_findings_name_exactly_the_skills_that_lose_their_description(
    version: str,
    rid: str,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """agentls's AGL805 (through the workspace checks, as the editor and `check` run them, with
    Claude Code's settings read from the project's `.claude/settings.json`) falls on exactly
    the skills and commands whose recorded entry lacks (part of) its description."""
    from agentls.core.analysis import analyze, finish
    from agentls.core.cost import Listings
    from agentls.core.workspace import Index, read_head
    from agentls.core.workspace_checks import Workspace, check

    row = _row(version, rid)
    lay = budget.layout(row["scenario"], row["params"])
    root = tmp_path_factory.mktemp("budget")
    listings = Listings(read_head)
    home, project = root / "home", root / "p"
    monkeypatch.setenv("HOME", str(home))
    claude_settings: dict[str, Any] = dict(lay.settings or {})
    if lay.env:  # what the run had in its environment, as the settings file's `env`
        claude_settings["env"] = dict(lay.env)
    files = {project / rel: text for rel, text in lay.project.items()}
    files |= {home / rel: text for rel, text in lay.home.items()}
    if claude_settings:
        files[project / ".claude" / "settings.json"] = json.dumps(claude_settings)
    for f, text in files.items():
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, "utf-8")
    settings = AgentlsSettings(claude_version=Version.parse(version))
    index = Index()
    index.scan(str(project))
    index.scan(str(home / ".claude"))
    ws = Workspace(index, project=lambda a: listings.project(a.path or "", index, settings))
    flagged = set()
    analyses = []
    for path in index.by_path:
        text = read_head(path)
        assert text is not None
        analyses.append(analyze(path, text, settings))
        listings.put(analyses[-1], settings)  # as the check's own analyses are given
    for a in analyses:
        if any(f.code == "AGL805" for f in finish(check(a, ws), settings)):
            flagged.add(a.path)

    recorded = _recorded_lines(row["listing"])
    v = Version.parse(version)
    unbounded = settings_of(lay)._replace(env_budget=str(10**9))
    whole = build(items_of(lay, v, row["listing"]), v, unbounded)  # every entry as if it fit
    expected = set()
    for e in whole.entries:
        if e.item.path is None or e.item.source not in ("project", "user"):
            continue
        if recorded.get(e.item.name) != e.line:  # listed by name alone, or cut shorter
            where, prefix = (project, "/p/") if e.item.source == "project" else (home, "/home/u/")
            expected.add(str(where / e.item.path.removeprefix(prefix)))
    assert flagged == expected


@pytest.mark.parametrize("rid", ["many", "order", "firstfit", "cap", "many-fraction-0.02"])
def test_agentls_context_prints_the_listing_byte_for_byte(rid: str, tmp_path: Any) -> None:
    """`agentls context` on the recorded project prints the listing Claude Code sent."""
    import subprocess
    import sys
    from pathlib import Path

    version = max(VERSIONS, key=Version.parse)
    row = _row(version, rid)
    lay = budget.layout(row["scenario"], row["params"])
    home, project = tmp_path / "home", tmp_path / "p"
    files = {project / rel: text for rel, text in lay.project.items()}
    files |= {home / rel: text for rel, text in lay.home.items()}
    if lay.settings:
        files[project / ".claude" / "settings.json"] = json.dumps(lay.settings)
    (project / ".git").mkdir(parents=True)
    for f, text in files.items():
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, "utf-8")
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run(
        [sys.executable, "-m", "agentls", "context", "--raw", "--claude-version", version],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(home), "PYTHONPATH": str(root / "server")},
    )
    assert r.returncode == 0, r.stderr
    from agentls.core.listing import HEADING

    skills = r.stdout.split("\n\nAvailable agent types for the Agent tool:\n")[0]
    assert skills == HEADING + row["listing"]
