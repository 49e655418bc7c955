"""Whether Claude Code loads or skips a file, as recorded by the conformance suite (issue 10).

Each test names the conformance case that pins the behaviour on 2.1.332.
"""

from __future__ import annotations

from agentls.core.analysis import Analysis
from agentls.core.findings import Severity
from tests.helpers import at, codes, doc, run

BASE = "name: r\ndescription: d\n"


def errors(a: Analysis) -> list[str]:
    return [f.code for f in a.findings if f.severity == Severity.ERROR]


def test_merge_key_supplies_keys_from_2_1_113() -> None:
    # gen/agent/a0282-merge-key-description: `description` only through `<<: *base`
    text = doc("x-base: &base\n  description: merged\nname: r\n<<: *base\n")
    a = run(text)
    assert errors(a) == [] and a.runtime_loaded
    assert a.description() == "merged"
    assert at(a, "AGL200") == ["x-base"]  # `<<` is no key; the merged keys are
    old = run(text, "2.1.112")
    assert "AGL202" in errors(old)


def test_merge_key_keys_written_win() -> None:
    # gen/agent/a0283-merge-key-model and a0363: merged keys join, written ones win
    a = run(
        doc(
            "x-base: &base\n  model: haiku\n  x-color: red\nname: r\nmodel: opus\n"
            + "description: d\n<<: *base\n"
        )
    )
    assert a.root is not None
    model = a.root.get("model")
    assert model is not None and getattr(model.value, "value", None) == "opus"
    assert at(a, "AGL200") == ["x-base", "x-color"]


def test_u2028_stops_the_retry_line() -> None:
    # gen/agent/a0355-fmt-u2028-line: `a<U+2028>other: b` needs the retry, whose pattern
    # stops at U+2028: the retry cannot repair it and the agent is skipped
    a = run(doc(BASE + "x-extra: a\u2028other: b\n"))
    assert not a.runtime_loaded
    assert errors(a) == ["AGL010"]
    assert at(a, "AGL010") == ["a\u2028other: b"]


def test_retry_breaks_a_block_scalar() -> None:
    # gen/agent/a0431-desc-literal-strip+fmt-yaml-error-late: the retry another line needs
    # rewrites `description: |-` into a quoted string, and the block lines below fail
    a = run(doc("name: r\ndescription: |-\n  text\n\nx-bad: [unclosed\n"))
    assert not a.runtime_loaded
    assert errors(a) == ["AGL010"]
    assert at(a, "AGL010") == ["|-"]
    assert "quoting retry" in a.findings[[f.code for f in a.findings].index("AGL010")].message


def test_nul_in_front_matter_of_a_skill_drops_its_metadata() -> None:
    # gen/skill/s0200-fmt-nul-in-front-matter: listed under its body, metadata ignored
    a = run(doc("name: s\ndescription: d\nx: a\x00b\n"), path=".claude/skills/s/SKILL.md")
    assert "AGL010" in codes(a)
    assert "without its metadata" in next(f.message for f in a.findings if f.code == "AGL010")
