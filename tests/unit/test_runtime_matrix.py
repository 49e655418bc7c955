"""formats.md §3.6.1: each row of the behaviour matrix, through the whole analysis."""

from __future__ import annotations

from agentls.core.findings import Severity
from agentls.core.yamltree import YMap
from tests.helpers import at, codes, doc, rows, run

EXAMPLE_LINE = (
    "description: Use this agent for reviews. Examples:\\n\\n<example>\\nContext: a PR\\n"
    'user: "Review this"\\n</example>\n'
)


def errors(a: object) -> list[str]:
    return [f.code for f in a.findings if f.severity == Severity.ERROR]  # type: ignore[attr-defined]


def test_one_line_examples_load_through_the_retry() -> None:
    a = run(doc("name: r\n" + EXAMPLE_LINE))
    assert codes(a) == ["AGL100"]
    assert at(a, "AGL100")[0].startswith("Use this agent")
    assert a.runtime_loaded and a.parse is not None and a.parse.mode == "retry"
    assert a.description() == (
        "Use this agent for reviews. Examples:\n\n<example>\nContext: a PR"
        '\nuser: "Review this"\n</example>'
    )


def test_same_file_with_crlf_is_skipped() -> None:
    a = run(doc("name: r\n" + EXAMPLE_LINE).replace("\n", "\r\n"))
    assert errors(a) == ["AGL011"]
    assert not a.runtime_loaded
    assert at(a, "AGL011")[0].startswith("Use this agent")


def test_colon_space_only_needs_2_1_69() -> None:
    text = doc("name: r\ndescription: Triggers include: X, Y\n")
    assert codes(run(text)) == ["AGL100"]
    old = run(text, "2.1.50")
    assert errors(old) == ["AGL012"]
    assert at(old, "AGL012") == ["Triggers include: X, Y"]


def test_unindented_continuation_fails() -> None:
    a = run(
        doc(
            "name: r\ndescription: Use it when asked\n<example>\nContext: the user asks\n"
            "user: hi\n</example>\nmodel: opus\n"
        )
    )
    assert errors(a) == ["AGL010"]
    assert "AGL200" not in codes(a)  # the `Context:` lines are not reported as keys
    assert a.root is not None and "model" in a.root.key_names()


def test_indented_continuation_with_colon_fails() -> None:
    a = run(doc("name: r\ndescription: Use it\n  Context: when asked\n"))
    assert errors(a) == ["AGL010"]


def test_block_scalar_is_clean() -> None:
    a = run(doc("name: r\ndescription: |\n  Use it: always.\n  <example>x</example>\n"))
    assert codes(a) == []
    assert a.description() == "Use it: always.\n<example>x</example>\n"


def test_double_quoted_escapes() -> None:
    a = run(doc('name: r\ndescription: "a: b\\nc \\\\n d"\n'))
    assert codes(a) == []
    assert a.description() == "a: b\nc \n d"


def test_inner_quotes_fail() -> None:
    for value in ('"Reviewer" for "code"', "'It's'"):
        a = run(doc(f"name: r\ndescription: {value}\n"))
        assert errors(a) == ["AGL015"], value
        assert at(a, "AGL015") == [value]


def test_trigger_characters_are_repaired() -> None:
    for value in ("[draft] reviewer", "*bold* x", "@mention: x", "`code` here", "100% sure: ok"):
        a = run(doc(f"name: r\ndescription: {value}\n"))
        assert codes(a) == ["AGL100"], value
        assert a.description() == value


def test_leading_dash_is_not_a_trigger() -> None:
    a = run(doc("name: r\ndescription: - item one\n"))
    assert errors(a) == ["AGL010"]
    assert "`- `" in a.findings[0].message


def test_comment_truncates_silently() -> None:
    a = run(doc("name: r\ndescription: Fixes issue #123\n"))
    assert codes(a) == ["AGL017"]
    assert at(a, "AGL017") == ["#123"]
    assert a.description() == "Fixes issue"


def test_intentional_comment_is_quiet() -> None:
    a = run(doc("name: r\ndescription: d\nmodel: opus  # fast enough\n"))
    assert codes(a) == []


def test_retry_changes_a_value_that_was_fine() -> None:
    a = run(doc("name: r # reviewer\ndescription: Use when: asked\n"))
    assert {"AGL018", "AGL100"} <= set(codes(a))
    assert a.root is not None
    name = a.root.get("name")
    assert name is not None and getattr(name.value, "value", None) == "r # reviewer"


def test_non_string_description_skips_the_agent() -> None:
    # gen/agent/a0039-desc-number: `Missing required "description" field`
    a = run(doc("name: r\ndescription: 3000\n"))
    assert [(c, f.severity.label) for c, f in zip(codes(a), a.findings, strict=True)] == [
        ("AGL300", "error")
    ]
    assert "skips this agent" in a.findings[0].message


def test_duplicate_key_skips_the_agent_before_2_1_113() -> None:
    a = run(doc("name: r\ndescription: d\nname: s\n"), "2.1.112")
    assert errors(a) == ["AGL013"]
    assert rows(a)[0][:3] == ("AGL013", 3, 0)
    assert not a.runtime_loaded


def test_duplicate_key_keeps_the_last_value_from_2_1_113() -> None:
    a = run(doc("name: r\ndescription: d\nname: s\n"), "2.1.113")
    assert errors(a) == []
    assert [(f.code, f.severity) for f in a.findings] == [("AGL013", Severity.WARNING)]
    assert rows(a)[0][:3] == ("AGL013", 3, 0)
    assert a.runtime_loaded and a.root is not None
    name = a.root.get("name")
    assert name is not None and getattr(name.value, "value", None) == "s"


def test_tab_indentation_fails_before_2_1_199() -> None:
    a = run(doc("name: r\ndescription: d\nhooks:\n\tStop:\n\t  - hooks: []\n"), "2.1.150")
    assert errors(a) == ["AGL014"]


def test_tab_indentation_reads_as_spaces_from_2_1_199() -> None:
    text = doc("name: r\ndescription: d\nmetadata:\n\tauthor: me\n")
    a = run(text, "2.1.199")
    assert errors(a) == [] and a.runtime_loaded
    assert [(f.code, f.severity) for f in a.findings if f.code == "AGL014"] == [
        ("AGL014", Severity.WARNING)
    ]
    assert at(a, "AGL014") == ["metadata"]
    assert a.parse is not None and a.parse.mode == "retry"  # the retry turns tabs into spaces
    meta = a.root.get("metadata") if a.root else None
    assert meta is not None and isinstance(meta.value, YMap)
    assert meta.value.key_names() == ["author"]
    assert at(a, "AGL200") == ["metadata"]
    # a tab that indents a top-level key still breaks the block
    broken = run(doc("name: r\ndescription: d\n\tx-extra: 1\n"), "2.1.199")
    assert errors(broken) == ["AGL014"] and not broken.runtime_loaded


def test_empty_tools_means_no_tools() -> None:
    a = run(doc("name: r\ndescription: d\ntools:\n"))
    assert codes(a) == ["AGL400"]
    assert at(a, "AGL400") == ["tools"]


def test_yes_is_a_string_for_claude_code() -> None:
    a = run(doc("name: yes\ndescription: d\n"))
    assert "AGL101" in codes(a)


def test_line_splitter_before_2_1() -> None:
    a = run(doc("name: r\ndescription: a: b: c\ntools: Read, Grep\n"), "2.0.76")
    assert errors(a) == []
    assert "AGL100" in codes(a)
    assert a.description() == "a: b: c"


def test_not_a_mapping() -> None:
    a = run(doc("- a\n- b\n"))
    assert "AGL016" in errors(a)


def test_every_broken_key_is_reported() -> None:
    a = run(doc('name: r\ndescription: "A" and "B"\nmodel: - opus\ncolor: magenta\n'))
    assert sorted(errors(a)) == ["AGL010", "AGL015"]
    assert at(a, "AGL301") == ["magenta"]


def test_aliases_across_keys_are_not_blamed_on_one_entry() -> None:
    a = run(doc('name: &n r\ndescription: "A" and "B"\ncolor: *n\n'))
    assert errors(a) == ["AGL015"]
