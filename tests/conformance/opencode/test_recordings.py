"""The OpenCode recordings are well-formed and match their inputs (no runtime needed)."""

from __future__ import annotations

import json

import pytest

from tests.conformance.cases import CORPUS
from tests.conformance.opencode import cases, recordings, runtime

COMMON = ("id", "dialect", "file", "sha", "verdict", "name", "description", "problems", "log")
VERDICTS = {"loads", "loads-with-warnings", "drops", "breaks-project", "unknown"}
SEVERITIES = {"error", "warning", "info", "hint"}

RECS = recordings.load()


def _rows(source: str) -> list[dict[str, object]]:
    return list(RECS.get(source, []))


def test_recordings_exist_for_the_pinned_version() -> None:
    assert recordings.FOLDER.name == runtime.VERSION
    assert (recordings.FOLDER / "meta.json").is_file()
    assert _rows("generated"), "no generated recording"


@pytest.mark.parametrize("source", ["generated", "corpus"])
def test_rows_are_well_formed(source: str) -> None:
    rows = _rows(source)
    if not rows:
        pytest.skip(f"no {source} recording")
    keys = [(r["id"], r["file"]) for r in rows]
    assert keys == sorted(keys), "rows are sorted by id"  # type: ignore[type-var]
    assert len(set(keys)) == len(keys)
    for r in rows:
        assert tuple(r)[: len(COMMON)] == COMMON, r["id"]
        assert r["verdict"] in VERDICTS
        assert isinstance(r["sha"], str) and len(r["sha"]) == 16
        assert isinstance(r["problems"], list)
        for p in r["problems"]:
            assert isinstance(p, dict) and p["severity"] in SEVERITIES and p["message"]
        rec = r.get("received")
        if rec is not None:
            assert isinstance(rec, dict) and "listed" in rec, r["id"]
            assert r["verdict"] in ("loads", "loads-with-warnings"), r["id"]
        line = json.dumps(r, ensure_ascii=False)
        assert "/tmp/" not in line, f"{r['id']}: unnormalised path"


def test_generated_recordings_match_their_inputs() -> None:
    rows = _rows("generated")
    if not rows:
        pytest.skip("no generated recording")
    want = {(c.id, f.rel): f.sha for c in cases.generated() for f in c.files}
    got = {(str(r["id"]), str(r["file"])): r["sha"] for r in rows}
    assert set(got) == set(want), "re-record: the generator's cases changed"
    changed = [k for k, sha in got.items() if want[k] != sha]
    assert not changed, f"re-record: the generator's bytes changed for {changed[:5]}"


def test_corpus_recordings_match_their_inputs() -> None:
    rows = _rows("corpus")
    if not rows or not CORPUS.is_dir():
        pytest.skip("no corpus recording or no corpus")
    want = {(c.id, f.rel): f.sha for c in cases.corpus() for f in c.files}
    matched = 0
    for r in rows:
        sha = want.get((str(r["id"]), str(r["file"])))
        if sha is None or sha != r["sha"]:
            continue  # the corpus file changed or went away: skipped
        matched += 1
    assert matched, "no corpus row matches the corpus"


def test_breaking_files_name_their_fields() -> None:
    """Every file that breaks the project carries OpenCode's own reason."""
    for r in _rows("generated") + _rows("corpus"):
        if r["verdict"] == "breaks-project":
            assert r["problems"], r["id"]
            assert "Configuration is invalid at" in str(r["problems"][0]["message"]), r["id"]  # type: ignore[index]


def test_path_rule_matches_the_recordings() -> None:
    """``cases.read_by_opencode`` (used by the diff) agrees with every location case."""
    for r in _rows("generated"):
        if not cases.read_by_opencode(str(r["file"])):
            assert r["verdict"] == "drops", r["id"]
        elif "-loc-" in str(r["id"]):
            assert r["verdict"] in ("loads", "loads-with-warnings"), r["id"]
