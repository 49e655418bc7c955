from __future__ import annotations

from agentls.core.frontmatter import claude_block
from tests.helpers import at, codes, doc, run


def test_block_at_offset_zero() -> None:
    text = "---\nname: a\n---\nbody"
    b = claude_block(text, bom_ok=True)
    assert b is not None and b.found_by_runtime
    assert text[b.content.start : b.content.end] == "name: a\n"
    assert text[b.body_start :] == "body"


def test_blank_lines_after_opening_are_eaten_by_the_regex() -> None:
    text = "---  \n\n  name: a\n---\n"
    b = claude_block(text, bom_ok=True)
    assert b is not None and text[b.content.start : b.content.end] == "  name: a\n"


def test_opening_must_end_its_line() -> None:
    assert claude_block("--- name: a\n---\n", bom_ok=True) is None
    assert claude_block("----\nname: a\n---\n", bom_ok=True) is None


def test_first_dashes_anywhere_close_the_block() -> None:
    text = "---\nname: a\ndescription: x---y\nmodel: opus\n---\nbody"
    b = claude_block(text, bom_ok=True)
    assert b is not None and text[b.content.start : b.content.end] == "name: a\ndescription: x"


def test_crlf_delimiters() -> None:
    text = "---\r\nname: a\r\n---\r\nbody"
    b = claude_block(text, bom_ok=True)
    assert b is not None and b.found_by_runtime and text[b.body_start :] == "body"


def test_leading_blank_line_is_an_error_and_keys_are_still_checked() -> None:
    a = run("\n---\nname: a\ndescription: d\ncolor: magneta\n---\nbody")
    assert "AGL001" in codes(a) and at(a, "AGL001") == ["---"]
    assert at(a, "AGL301") == ["magneta"]
    assert not a.runtime_loaded


def test_bom_before_and_after_2_1_239() -> None:
    text = "\ufeff" + doc("name: a\ndescription: d\n")
    new = run(text)
    old = run(text, "2.1.200")
    assert [f.severity.label for f in new.findings if f.code == "AGL005"] == ["warning"]
    assert [f.severity.label for f in old.findings if f.code == "AGL005"] == ["error"]
    assert new.runtime_loaded and not old.runtime_loaded


def test_unterminated_block() -> None:
    a = run("---\nname: a\ndescription: d\n\n# Heading\ntext")
    assert at(a, "AGL002") == ["---"]
    assert "AGL202" not in codes(a)  # the recovered keys are still read


def test_dashes_inside_a_value_lose_later_keys() -> None:
    a = run(doc("name: a\ndescription: before---after\nmodel: opus\ncolor: red\n"))
    f = [x for x in a.findings if x.code == "AGL003"]
    assert len(f) == 1 and a.text[f[0].span.start : f[0].span.end] == "---"
    assert f[0].data["lost_keys"] == ["model", "color"]
    assert a.root is not None and a.root.key_names() == ["name", "description"]
    # the agent still loads (gen/agent/a0037-desc-mid-dashes): a warning, no error
    assert f[0].severity.label == "warning" and a.runtime_loaded
    assert [x for x in a.findings if x.severity.label == "error"] == []
    # a required key lost: the error is on the missing key
    lost = run(doc("name: a\nx: before---after\ndescription: d\n"))
    assert [x.code for x in lost.findings if x.severity.label == "error"] == ["AGL202"]


def test_text_after_closing_delimiter() -> None:
    a = run("---\nname: a\ndescription: d\n--- extra\nbody")
    assert codes(a) == ["AGL004"]


def test_no_front_matter_is_information_only() -> None:
    a = run("# Just docs\n")
    assert [(f.code, f.severity.label) for f in a.findings] == [("AGL201", "information")]


def test_other_markdown_gets_nothing() -> None:
    a = run("---\nfoo: : :\n---\n", path="docs/readme.md")
    assert a.dialect is None and a.findings == ()
