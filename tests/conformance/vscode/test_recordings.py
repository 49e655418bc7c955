"""Replay checks of the VS Code recordings: well-formed, and matching their inputs (no runtime)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agentls.core.dialects import detect
from tests.conformance.cases import CORPUS
from tests.conformance.vscode import runtime
from tests.conformance.vscode.cases import corpus, generated
from tests.conformance.vscode.driver import SOURCES, folder, load, text_sha, verdict_of

VERDICTS = {"loads", "loads-with-warnings", "drops", "breaks-project", "unknown"}
SEVERITIES = {"error", "warning", "info", "hint"}
COMMON = ("id", "dialect", "file", "sha", "verdict", "name", "description", "problems", "log")


def _rows(source: str) -> list[dict[str, Any]]:
    rows = load(source)
    if not rows:
        pytest.skip(f"no {source} recording")
    return rows


def test_meta() -> None:
    meta = json.loads((folder() / "meta.json").read_text("utf-8"))
    assert meta["version"] == runtime.VSCODE_VERSION
    assert meta["owner"] == "prompts-diagnostics-provider"


@pytest.mark.parametrize("source", SOURCES)
def test_rows_are_well_formed(source: str) -> None:
    rows = _rows(source)
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for r in rows:
        assert tuple(r)[: len(COMMON)] == COMMON, r["id"]
        assert r["verdict"] in VERDICTS
        assert len(r["sha"]) == 16
        m = detect(r["file"])
        assert (m.dialect if m else None) == r["dialect"], r["id"]
        for p in r["problems"]:
            assert p["severity"] in SEVERITIES
            assert len(p["range"]) == 4 and all(isinstance(x, int) for x in p["range"])
            assert "/tmp/" not in p["message"], r["id"]
            assert not p["message"].startswith("Unknown tool '") or p.get("code") is None
        if not r["log"] or not r["log"][0].startswith("helper:"):
            assert r["verdict"] == verdict_of(r["problems"]), r["id"]


def test_generated_recordings_match_their_inputs() -> None:
    rows = _rows("generated")
    cases = {c.id: c for c in generated()}
    missing = [r["id"] for r in rows if r["id"] not in cases]
    assert not missing, f"recorded cases the generator no longer makes: {missing[:5]}"
    for r in rows:
        f = cases[r["id"]].files[0]
        assert r["file"] == f.rel
        assert r["sha"] == text_sha(f.data), f"{r['id']}: generator changed; re-record"
    assert len(rows) == len(cases), "cases not recorded: re-record"


def test_corpus_recordings_match_their_inputs() -> None:
    rows = _rows("corpus")
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    laid = {c.id: c.files[0] for c in corpus(1000)}
    checked = 0
    for r in rows:
        f = laid.get(r["id"])
        if f is None or text_sha(f.data) != r["sha"]:
            continue  # the corpus file changed or went away: skipped
        assert r["file"] == f.rel
        checked += 1
    assert checked > 0
