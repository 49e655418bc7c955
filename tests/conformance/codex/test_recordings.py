"""Replay of the Codex recordings: well-formed, matching their inputs, and the pinned rules."""

from __future__ import annotations

import pytest

from tests.conformance.codex import driver
from tests.conformance.skills_ref.common import JSON, check_rows, load_recordings

pytestmark = pytest.mark.skipif(
    not (driver.FOLDER / "meta.json").is_file(), reason="no Codex recording"
)


@pytest.fixture(scope="module")
def rows() -> dict[str, JSON]:
    _, by_source = load_recordings(driver.FOLDER)
    return {r["id"]: r for rs in by_source.values() for r in rs}


def test_meta_names_the_pinned_version() -> None:
    meta, _ = load_recordings(driver.FOLDER)
    assert meta["version"] == driver.VERSION


def test_custom_prompts_are_not_read() -> None:
    """0.169.0 ignores ~/.codex/prompts: `/prompts:NAME` reaches the model as literal text."""
    meta, _ = load_recordings(driver.FOLDER)
    probe = meta["custom_prompts"]["/prompts:review src/a.py"]
    assert probe["user_texts"] == ["/prompts:review src/a.py"]
    assert not probe["body_reaches_model"]
    assert not probe["description_reaches_model"]


def test_skill_roots() -> None:
    meta, _ = load_recordings(driver.FOLDER)
    roots = meta["skill_roots"]["project root"]
    for read in (
        "home-codex-skills",
        "home-agents-skills",
        "project-codex-skills",
        "project-agents-skills",
    ):
        assert roots[read], read
    for unread in ("project-github-skills", "project-claude-skills", "project-skills"):
        assert not roots[unread], unread


def test_recordings_match_their_inputs() -> None:
    _, by_source = load_recordings(driver.FOLDER)
    current = {c.id: (c.files[0].rel, c.files[0].data) for c in driver.cases(tuple(by_source))}
    for source, rs in by_source.items():
        assert rs, source
        pre = "gen/" if source == "generated" else f"{source}/"
        mine = {i: v for i, v in current.items() if i.startswith(pre)}
        assert check_rows(rs, mine) == [], source


def _row(rows: dict[str, JSON], token: str) -> JSON:
    (r,) = [r for i, r in rows.items() if i.startswith(f"gen/agentskills/{token}-")]
    return r


@pytest.mark.parametrize(
    ("token", "verdict"),
    [
        ("k0001", "loads"),
        ("k0012", "loads"),  # `description: x Use when: y` (invalid YAML) still loads
        ("k0043", "drops"),  # description: ~ -> "missing field `description`"
        ("k0048", "drops"),  # description: a list -> invalid type
        ("k0071", "drops"),  # description twice -> duplicate field
        ("k0112", "drops"),  # 65-character name
        ("k0201", "drops"),  # BOM -> "missing YAML frontmatter delimited by ---"
        ("k0171", "loads"),  # unknown keys are ignored
        ("k0084", "loads"),  # `<` in the description
    ],
)
def test_pinned_rules(rows: dict[str, JSON], token: str, verdict: str) -> None:
    assert _row(rows, token)["verdict"] == verdict
