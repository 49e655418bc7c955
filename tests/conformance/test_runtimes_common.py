"""The shared runtime-driver plumbing: recordings on disk, the check's sample and verdict, runs."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conformance import runtimes_common as rc


@dataclass(frozen=True)
class _File:
    rel: str
    sha: str


@dataclass(frozen=True)
class _Case:
    id: str
    files: tuple[_File, ...]


def _row(cid: str, verdict: str = "loads", **extra: object) -> rc.JSON:
    return rc.base_row(cid, "d", f"{cid}.md", "s", **extra) | {"verdict": verdict}


def test_sample_is_fixed_and_keeps_the_order() -> None:
    cases = [_Case(f"gen/x/{i:04d}", ()) for i in range(100)]
    a = rc.sample(cases, 10)
    assert a == rc.sample(list(reversed(cases)), 10)[::-1]  # the same cases, whatever the order
    assert len(a) == 10 and a == sorted(a, key=lambda c: c.id)
    assert rc.sample(cases, None) == cases and rc.sample(cases, 500) == cases


def test_recordings_roundtrip_and_meta_merge(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rc, "RECORDINGS", tmp_path)
    r = rc.Recordings("fake", "1.0")
    rows = [_row("gen/x/b"), _row("corpus/a"), _row("gen/x/a")]
    r.write({"v": 1, "sources": {"generated": 2}}, rows, ("generated", "corpus"))
    r.write({"sources": {"corpus": 1}}, [_row("corpus/a")], ("corpus",))
    meta, by_source = r.load()
    assert meta == {"v": 1, "sources": {"generated": 2, "corpus": 1}}
    assert [x["id"] for x in by_source["generated"]] == ["gen/x/a", "gen/x/b"]
    assert list(by_source["generated"][0])[: len(rc.COMMON_FIELDS)] == list(rc.COMMON_FIELDS)
    line = (tmp_path / "fake" / "1.0" / "corpus.jsonl").read_text("utf-8")
    assert line == json.dumps(_row("corpus/a"), separators=(",", ":")) + "\n"


def _suite(tmp_path: Path, runs: list[dict[str, str]]) -> rc.Suite:
    """A runtime whose n-th recording gives each case the verdict ``runs[n][id]``."""
    cases = [_Case(f"gen/x/{c}", (_File(f"gen/x/{c}.md", "s"),)) for c in "abc"]
    calls: list[list[str]] = []

    def record(todo: list[_Case], _a: argparse.Namespace) -> list[rc.JSON]:
        verdicts = runs[len(calls)]
        calls.append([c.id for c in todo])
        return [_row(c.id, verdicts.get(c.id, "loads"), run="alone") for c in todo]

    s = rc.Suite(
        name="Fake",
        package="fake",
        version="1.0",
        recordings=rc.Recordings("fake", "1.0"),
        install=lambda _force: "installed",
        cases=lambda _sources: cases,
        record=record,
        meta=lambda *_: {},
        diff=lambda _a: 0,
        volatile=("run",),
    )
    s.recordings.write({}, [_row(c.id, run="batch") for c in cases], ("generated",))
    s.calls = calls  # type: ignore[attr-defined]
    return s


def test_check_fails_on_a_change_seen_twice_and_prints_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(rc, "RECORDINGS", tmp_path)
    # b drops in both recordings; c only the first time (a passing failure)
    s = _suite(tmp_path, [{"gen/x/b": "drops", "gen/x/c": "drops"}, {"gen/x/b": "drops"}])
    assert rc.main(s, ["check", "--source", "generated"]) == 1
    out = capsys.readouterr().out
    assert "gen/x/b gen/x/b.md: verdict" in out
    assert 'verdict: recorded "loads"' in out and 'verdict: now      "drops"' in out
    assert "gen/x/c" not in out.split("observed")[0]
    assert "1 differ from the recordings" in out
    assert s.calls == [["gen/x/a", "gen/x/b", "gen/x/c"], ["gen/x/b", "gen/x/c"]]  # type: ignore[attr-defined]


def test_check_passes_when_only_volatile_fields_differ(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rc, "RECORDINGS", tmp_path)
    s = _suite(tmp_path, [{}])
    assert rc.main(s, ["check", "--source", "generated"]) == 0


def test_run_kills_its_process_group_on_timeout() -> None:
    t0 = time.monotonic()
    p = rc.run(["sh", "-c", "sleep 30 & sleep 30"], timeout=0.5)
    assert p.rc is None and p.status == "timeout"
    assert time.monotonic() - t0 < 10
    ok = rc.run(["sh", "-c", "cat; echo err >&2"], stdin=b"in", timeout=10)
    assert (ok.rc, ok.out, ok.err) == (0, "in", "err\n")
