"""Replay of the skills-ref recordings: well-formed, matching their inputs, and the pinned rules."""

from __future__ import annotations

import pytest

from tests.conformance.skills_ref import driver
from tests.conformance.skills_ref.common import JSON, check_rows, load_recordings

pytestmark = pytest.mark.skipif(
    not (driver.FOLDER / "meta.json").is_file(), reason="no skills-ref recording"
)


@pytest.fixture(scope="module")
def rows() -> dict[str, JSON]:
    _, by_source = load_recordings(driver.FOLDER)
    return {r["id"]: r for rs in by_source.values() for r in rs}


def test_meta_names_the_pinned_version() -> None:
    meta, _ = load_recordings(driver.FOLDER)
    assert meta["version"] == driver.VERSION
    assert meta["allowed_keys"] == driver.ALLOWED


def test_recordings_match_their_inputs() -> None:
    _, by_source = load_recordings(driver.FOLDER)
    current = {c.id: (c.files[0].rel, c.files[0].data) for c in driver.cases(tuple(by_source))}
    for source, rs in by_source.items():
        assert rs, source
        pre = "gen/" if source == "generated" else f"{source}/"
        mine = {i: v for i, v in current.items() if i.startswith(pre)}
        assert check_rows(rs, mine) == [], source


def _verdict(rows: dict[str, JSON], token: str) -> str:
    (r,) = [r for i, r in rows.items() if i.startswith(f"gen/agentskills/{token}-")]
    return str(r["verdict"])


@pytest.mark.parametrize(
    ("token", "verdict"),
    [
        ("k0001", "loads"),  # the base skill
        ("k0084", "loads"),  # `<` in the description: accepted
        ("k0085", "loads"),  # `>`
        ("k0086", "loads"),  # `<tables>`
        ("k0201", "drops"),  # a UTF-8 BOM: "must start with YAML frontmatter"
        ("k0188", "drops"),  # an anchor: strictyaml "Anchor tokens not allowed"
        ("k0064", "drops"),  # anchor + alias
        ("k0171", "drops"),  # an unknown key
        ("k0079", "drops"),  # 1,025-character description
        ("k0078", "loads"),  # 1,024
        ("k0112", "drops"),  # 65-character name
        ("k0111", "loads"),  # 64
        ("k0118", "drops"),  # name differs from the folder
        ("k0039", "loads"),  # description: 3000 (strictyaml: every scalar is a string)
        ("k0235", "unknown"),  # invalid UTF-8: a traceback
    ],
)
def test_pinned_rules(rows: dict[str, JSON], token: str, verdict: str) -> None:
    assert _verdict(rows, token) == verdict
