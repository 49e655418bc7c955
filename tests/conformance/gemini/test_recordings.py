"""Replay checks for the Gemini CLI recordings (no runtime needed): well-formed rows whose
inputs still match (a changed generator fails until re-recorded; changed corpus files are
skipped)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conformance.cases import CORPUS, File
from tests.conformance.gemini import cases as gcases
from tests.conformance.gemini import recordings
from tests.conformance.gemini.runtime import VERSION

JSON = dict[str, Any]

pytestmark = pytest.mark.skipif(
    not (recordings.FOLDER / "meta.json").is_file(), reason="no Gemini CLI recordings"
)

VERDICTS = {"loads", "loads-with-warnings", "drops", "breaks-project", "unknown"}
SEVERITIES = {"error", "warning", "info", "hint"}
COMMON = ["id", "dialect", "file", "sha", "verdict", "name", "description", "problems", "log"]


def _rows() -> dict[str, list[JSON]]:
    return recordings.load()[1]


def test_meta() -> None:
    meta, _ = recordings.load()
    assert meta["version"] == VERSION
    assert meta["builtin_agents"], "the built-in agents are recorded"
    assert "invoke_agent" in meta["main_tools"]


def test_rows_are_well_formed() -> None:
    for source, rows in _rows().items():
        keys = [(r["id"], r["file"]) for r in rows]
        assert keys == sorted(keys), f"{source}.jsonl is not sorted by id"
        assert len(set(keys)) == len(keys), f"{source}.jsonl repeats a file"
        for r in rows:
            assert list(r)[: len(COMMON)] == COMMON, r["id"]
            assert r["id"].split("/", 1)[0] == recordings.prefix(source)
            assert r["dialect"] in (gcases.AGENT, gcases.SKILL)
            assert re.fullmatch(r"[0-9a-f]{16}", r["sha"])
            assert r["verdict"] in VERDICTS, r["id"]
            for p in r["problems"]:
                assert p["severity"] in SEVERITIES
                assert "/tmp/" not in p["message"], "paths are normalised"
                if "range" in p:
                    assert len(p["range"]) == 4 and all(isinstance(x, int) for x in p["range"])
            if r["verdict"] in ("loads", "loads-with-warnings"):
                assert r["name"] is not None, r["id"]
            if r["verdict"] == "drops" and r["dialect"] == gcases.AGENT:
                assert r["problems"] or r["log"], r["id"]
            probe = r.get("probe")
            if probe is not None:
                assert r["verdict"] in ("loads", "loads-with-warnings"), r["id"]
                assert set(probe) in ({"model", "tools", "temperature", "prompt"}, {"failed"})


def test_generated_recordings_match_their_inputs() -> None:
    rows = _rows().get("generated", [])
    if not rows:
        pytest.skip("generated cases not recorded")
    files = {(c.id, f.rel): f for c in gcases.generated() for f in c.files}
    recorded = {(r["id"], r["file"]): r for r in rows}
    assert set(files) == set(recorded), "the generator and the recording differ: re-record"
    for key, f in files.items():
        assert recorded[key]["sha"] == f.sha, f"{key} changed: re-record"
        assert recorded[key]["verdict"] != "unknown", key


def test_corpus_recordings_match_their_inputs() -> None:
    rows = _rows().get("corpus", [])
    if not rows or not CORPUS.is_dir():
        pytest.skip("corpus not recorded or not present")
    checked = 0
    for r in rows:
        p = CORPUS / r["id"].split("/", 1)[1]
        if not p.is_file() or File("", p.read_bytes(), None).sha != r["sha"]:
            continue  # the corpus changed: skipped, not failed
        checked += 1
        assert r["file"].endswith("/SKILL.md")
    assert checked > 0


def test_error_messages_name_their_file() -> None:
    for rows in _rows().values():
        for r in rows:
            for p in r["problems"]:
                if p["message"].startswith("Failed to load agent from "):
                    assert p["message"].startswith(
                        "Failed to load agent from <home>/" + r["file"].removeprefix("~/")
                    ), r["id"]
