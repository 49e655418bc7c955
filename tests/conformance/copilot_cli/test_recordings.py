"""Replay checks for the Copilot CLI recordings: well-formed, and matching their inputs.

No runtime is needed. Generated rows must match the generator's bytes (a changed generator
fails until re-recorded); examples and corpus rows whose input changed or vanished are skipped.
"""

from __future__ import annotations

import json

import pytest

from tests.conformance.cases import CORPUS, ROOT
from tests.conformance.copilot_cli import recordings
from tests.conformance.copilot_cli.cases import generated, kind_of
from tests.conformance.copilot_cli.driver import sha16
from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON

COMMON = ("id", "dialect", "file", "sha", "verdict", "name", "description", "problems", "log")
VERDICTS = {"loads", "loads-with-warnings", "drops", "breaks-project", "unknown"}
SEVERITIES = {"error", "warning", "info", "hint"}

pytestmark = pytest.mark.skipif(
    not (recordings.folder() / "meta.json").is_file(), reason="no Copilot CLI recordings"
)


def _load() -> tuple[JSON, dict[str, list[JSON]]]:
    return recordings.load(VERSION)


def test_meta() -> None:
    meta, records = _load()
    assert meta["version"] == VERSION
    assert meta["session_tools"] and "task" in meta["session_tools"]
    for source, rows in records.items():
        assert meta["sources"].get(source) == len(rows), source


@pytest.mark.parametrize("source", recordings.SOURCES)
def test_rows_well_formed(source: str) -> None:
    _meta, records = _load()
    rows = records.get(source, [])
    keys = [(r["id"], r["file"]) for r in rows]
    assert keys == sorted(keys), "rows not sorted by id"
    assert len(set(keys)) == len(keys), "duplicate rows"
    for r in rows:
        assert tuple(r)[: len(COMMON)] == COMMON, r["id"]
        assert r["id"].split("/", 1)[0] == recordings.prefix(source)
        assert r["verdict"] in VERDICTS, r["id"]
        assert len(r["sha"]) == 16
        for p in r["problems"]:
            assert p["severity"] in SEVERITIES and isinstance(p["message"], str), r["id"]
            if "range" in p:
                assert len(p["range"]) == 4 and all(isinstance(x, int) for x in p["range"])
        if r["verdict"].startswith("loads"):
            assert not [p for p in r["problems"] if p["severity"] == "error"], r["id"]
        if r["verdict"] == "loads-with-warnings":
            assert [p for p in r["problems"] if p["severity"] == "warning"], r["id"]
        assert len(json.dumps(r)) < 20_000, f"{r['id']}: row too big"


def test_generated_rows_match_the_generator() -> None:
    _meta, records = _load()
    rows = records.get("generated", [])
    if not rows:
        pytest.skip("no generated recordings")
    files = {(c.id, f.rel): f for c in generated() for f in c.files}
    recorded = {(r["id"], r["file"]) for r in rows}
    assert recorded == set(files), "generator and recordings disagree on the cases: re-record"
    stale = [r["id"] for r in rows if files[(r["id"], r["file"])].sha != r["sha"]]
    assert not stale, f"re-record: {stale[:5]}"


@pytest.mark.parametrize("source", ("examples", "corpus"))
def test_external_rows_match_their_inputs(source: str) -> None:
    _meta, records = _load()
    rows = records.get(source, [])
    if not rows:
        pytest.skip(f"no {source} recordings")
    base = ROOT / "examples" if source == "examples" else CORPUS
    checked = 0
    for r in rows:
        p = base / r["origin"]
        if not p.is_file() or sha16(p.read_bytes()) != r["sha"]:
            continue  # the input changed or is gone: skipped
        assert kind_of(r["file"]) is not None, r["id"]
        checked += 1
    assert checked or not base.is_dir()
