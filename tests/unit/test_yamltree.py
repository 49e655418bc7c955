from __future__ import annotations

import math

import pytest

from agentls.core.yamltree import MAX_DEPTH, YMap, YScalar, YSeq, parse, resolve_plain, to_data


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("tRue", "tRue"),
        ("null", None),
        ("~", None),
        ("", None),
        ("Null", None),
        ("017", 17),
        ("0o17", 15),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("-5", -5),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("2024-01-01", "2024-01-01"),
        ("0b11", "0b11"),
    ],
)
def test_yaml_1_2_core_schema(raw: str, value: object) -> None:
    assert resolve_plain(raw)[1] == value
    assert type(resolve_plain(raw)[1]) is type(value)


def test_special_floats() -> None:
    assert resolve_plain(".inf")[1] == math.inf
    assert resolve_plain("-.Inf")[1] == -math.inf
    v = resolve_plain(".NaN")[1]
    assert isinstance(v, float) and v != v


def test_quoted_and_tagged_scalars() -> None:
    r = parse("a: 'yes'\nb: !!str 12\nc: \"017\"\nd: !custom x\n")
    assert to_data(r.root) == {"a": "yes", "b": "12", "c": "017", "d": "x"}


def test_spans_are_document_offsets_in_code_points() -> None:
    text = 'name: "🚀"\nmodel: gpt-4\n'
    r = parse(text, base=10)
    root = r.root
    assert isinstance(root, YMap)
    e = root.get("model")
    assert e is not None and isinstance(e.value, YScalar)
    assert (e.value.span.start - 10, e.value.span.end - 10) == (
        text.index("gpt-4"),
        text.index("gpt-4") + 5,
    )


def test_list_item_spans() -> None:
    text = "tools:\n  - Read\n  - Grep\n"
    r = parse(text)
    assert isinstance(r.root, YMap)
    tools = r.root.get("tools")
    assert tools is not None and isinstance(tools.value, YSeq)
    assert [text[i.span.start : i.span.end] for i in tools.value.items] == ["Read", "Grep"]


def test_duplicates_are_detected_at_every_level() -> None:
    r = parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert not r.ok
    assert sorted(d.key_text for _, d in r.duplicates) == ["a", "c"]
    assert to_data(r.root) == {"a": 3, "b": {"c": 2}}


def test_syntax_error_has_an_offset() -> None:
    text = "name: a\ndescription: b: c\n"
    r = parse(text, base=4)
    assert r.error is not None and r.root is None
    assert text.index("b: c") <= r.error.offset - 4 <= len(text)


def test_alias_bomb_is_refused_cheaply() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    r = parse("\n".join(lines) + "\n")
    assert r.limit is not None and r.root is None


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000,
        "a: " + "[" * 30_000 + "]" * 30_000,
        "a:\n" + "- " * 40_000 + "x\n",
        "a: " + "{b: " * 20_000 + "1" + "}" * 20_000,
    ],
)
def test_deep_nesting_never_reaches_the_c_stack(text: str) -> None:
    r = parse(text)
    assert r.root is None
    assert r.limit is not None or r.error is not None


def test_depth_limit_allows_realistic_nesting() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n"
    assert parse(text).ok


def test_multiple_documents_are_an_error() -> None:
    r = parse("a: 1\n---\nb: 2\n")
    assert r.error is not None


def test_pyyamls_non_printable_pattern_and_ours_match_the_same_characters() -> None:
    """agentls.core.pyyaml gives PyYAML a faster-compiled pattern for its reader's: the same."""
    import re

    from agentls.core import pyyaml

    # (DOTALL changes nothing in a character class, only the cache key: a compile of its own)
    theirs = re.compile(pyyaml.PYYAML_NON_PRINTABLE, re.DOTALL)
    ours = re.compile(pyyaml.NON_PRINTABLE)
    assert theirs.pattern != ours.pattern
    text = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in theirs.finditer(text)] == [m.start() for m in ours.finditer(text)]
    import yaml.reader

    assert yaml.reader.Reader.NON_PRINTABLE.search(text).start() == 0  # type: ignore[union-attr]
