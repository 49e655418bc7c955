"""docs/conformance.md's runtime sections and summary, from a made-up Comparison."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from tests.conformance import report
from tests.conformance.agreement import Comparison
from tests.conformance.compare import Known, Result, Tally


def _comparison() -> Comparison:
    c = Comparison("Fake CLI", "9.9.9", files=10, loads=7, stale=["gen/x/a9"])
    for i in range(8):  # agent: 6 of 8 agree on loads
        ok = i < 6
        c.ask(f"gen/agent/a{i}", "fake-agent", "loads", ok, "drops-no-error", f"detail {i}")
    for i in range(2):  # skill: both agree
        c.ask(f"gen/skill/s{i}", "fake-skill", "loads", True)
    c.ask("gen/agent/a0", "fake-agent", "description", True)
    c.ask("gen/agent/a1", "fake-agent", "description", False, "description-differs", "x")
    c.ask("gen/skill/s0", "fake-skill", "errors", True)
    c.ask("gen/agent/a0", "fake-agent", "unknown-keys", True)  # a question of its own
    return c


def _known() -> Known:
    return Known(
        [
            {
                "question": "loads",
                "category": "drops-no",
                "ids": ["gen/agent/a6"],
                "reason": "two files with one name | a property of the folder",
            }
        ]
    )


def _rr() -> report.RuntimeResult:
    return report.RuntimeResult("fake", _comparison(), _known())


def test_runtime_section_tallies_per_reader_and_question() -> None:
    text = "\n".join(report.runtime_section(_rr()))
    assert "## Fake CLI 9.9.9" in text
    assert "10 files compared, 7 of them loaded by Fake CLI; 1 recordings stale" in text
    head = "| reader | loads | description | name | errors | unknown-keys |"
    assert head in text
    assert "| fake-agent | 75.0% (6/8) | 50.0% (1/2) | – | – | 100.0% (1/1) |" in text
    assert "| fake-skill | 100.0% (2/2) | – | – | 100.0% (1/1) | – |" in text
    assert "| all | 80.0% (8/10) | 50.0% (1/2) | – | 100.0% (1/1) | 100.0% (1/1) |" in text
    # 3 differences: a6 listed (known), a7 and the description of a1 not
    assert "3 differences, 1 of them listed in `tests/conformance/fake/known_differences.yaml`" in (
        text
    )
    assert "known differences on 1 (10.0%) files" in text
    assert "| loads | drops-no | 1 | two files with one name / a property of the folder |" in text
    assert "| loads | fake-agent | drops-no-error | 1 | `gen/agent/a7` |" in text
    assert "| description | fake-agent | description-differs | 1 | `gen/agent/a1` |" in text


def test_summary_has_a_row_per_runtime_and_claude_version() -> None:
    claude = Result("2.1.332", files=4)
    claude.tallies[("generated", "agent", "loads")] = Tally(3, 4)
    claude.tallies[("generated", "agent", "description")] = Tally(2, 2)
    text = "\n".join(report.summary([claude], Known([]), [_rr()]))
    assert "| runtime | version | files | load/drop agreement | description | errors |" in text
    assert "| Fake CLI | 9.9.9 | 10 | 80.0% (8/10) | 50.0% (1/2) | 100.0% (1/1) | 1 (10.0%) |" in (
        text
    )
    assert "| Claude Code | 2.1.332 | 4 | 75.0% (3/4) | 100.0% (2/2) | – | 0 (0.0%) |" in text


def test_render_puts_the_summary_first_and_every_runtime_after() -> None:
    text = report.render([], Known([]), [_rr()])
    assert text.index("## Summary") < text.index("## Fake CLI 9.9.9") < text.index("## Claude Code")


def test_runtime_results_import_each_agreement_and_skip_packages_without_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = types.ModuleType("tests.conformance.fakeruntime.agreement")
    fake.compare = _comparison  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests.conformance.fakeruntime", types.ModuleType("x"))
    monkeypatch.setitem(sys.modules, "tests.conformance.fakeruntime.agreement", fake)
    monkeypatch.setattr(report, "HERE", tmp_path)
    (tmp_path / "fakeruntime").mkdir()
    (tmp_path / "fakeruntime" / "known_differences.yaml").write_text(
        "differences:\n  - question: loads\n    category: drops\n    ids: [gen/agent/a6]\n"
        "    reason: by design\n",
        "utf-8",
    )
    got = report.runtime_results(["fakeruntime", "no_such_runtime_package"])
    assert [r.package for r in got] == ["fakeruntime"]
    assert got[0].comparison.runtime == "Fake CLI"
    assert report.known_files(got[0]) == {"gen/agent/a6"}
