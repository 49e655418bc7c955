"""Fast paths against the plain code they replace: the same answer on any input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agentls.core.dialects import body

LINE_BITS = ["```", "~~~", "````", "`", "~", " ", "   ", "    ", "\n", "\r", "\r\n", "x", "!"]


def _fences_plain(text: str, start: int) -> list[tuple[int, int, int, int, int, str, str]]:
    """body._fences as it was: each search with the `^`-anchored patterns."""
    opening = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)$", re.M)
    out: list[tuple[int, int, int, int, int, str, str]] = []
    pos = start
    while True:
        m = opening.search(text, pos)
        if m is None:
            break
        mark, info = m.group(1), m.group(2).strip()
        if mark[0] == "`" and "`" in info:
            pos = m.end() + 1
            continue
        end = m.end() - (1 if m.group(2).endswith("\r") else 0)
        close = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t\r]*$", re.M)
        content = min(m.end() + 1, len(text))
        c = close.search(text, content)
        if c is None:
            out.append((m.start(), end, content, len(text), len(text), mark, info))
            break
        out.append((m.start(), end, content, c.start(), c.end(), mark, info))
        pos = c.end() + 1
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LINE_BITS), max_size=40), st.integers(0, 60))
def test_fences_as_the_plain_search(bits: list[str], start: int) -> None:
    text = "".join(bits)
    start = min(start, len(text))
    got = [
        (f.opening.start, f.opening.end, f.content.start, f.content.end, f.end, f.mark, f.info)
        for f in body._fences(text, start)
    ]
    assert got == _fences_plain(text, start)


SEGMENTS = [".github", ".claude", "agents", "skills", "x", "SKILL.md", "a.md", ".hidden.md", "~"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=6))
def test_a_rule_s_globs_as_one_pattern(parts: list[str]) -> None:
    from agentls.core.catalog import _load
    from agentls.core.runtimes import _glob, _registry

    path = "/".join(parts)
    raw = _load("runtimes")["readers"]
    for rule, row in zip(_registry()[1], raw, strict=True):
        assert bool(rule.paths.match(path)) == any(_glob(p).match(path) for p in row["paths"])
        assert bool(rule.not_paths and rule.not_paths.match(path)) == any(
            _glob(p).match(path) for p in row.get("not_paths") or ()
        )


TEXT_BITS = ["a", "é", "Ã", "Â", "©", "â€™", "Ã©", "\ud800", "\udcff", "🚀", "—", "\n", "ÿ", "À"]
TEXT_BITS += ["ô", "ð", "Ÿ", "\x81", "Ž", "\xad", "ðŸš€", "ô\x81\x81\x81"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TEXT_BITS), max_size=30), st.integers(0, 40), st.integers(0, 40))
def test_text_checks_as_the_plain_scans(bits: list[str], start: int, end: int) -> None:
    from agentls.core import textcheck

    text = "".join(bits)
    start, end = min(start, len(text)), min(max(start, end), len(text))
    plain = [m.start() for m in textcheck._SURROGATE.finditer(text)]
    assert list(textcheck.surrogates(text)) == plain[: textcheck.MAX_REPORTS]
    found = []
    if not text.isascii() and textcheck._LEAD.search(text, start, end):
        for m in textcheck._mojibake_re().finditer(text, start, end):
            fixed = textcheck._repair(m.group())
            if fixed is not None:
                found.append((m.start(), m.end(), m.group(), fixed))
    got = [(s.start, s.end, bad, good) for s, bad, good in textcheck.mojibake(text, start, end)]
    assert got == found


NAME_BITS = ["a", "B", "/", "x", "Read", "read", "ns/"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(NAME_BITS), max_size=4).map("".join), max_size=8),
    st.lists(st.sampled_from(NAME_BITS), max_size=3).map("".join),
)
def test_vocabulary_index_as_the_plain_scans(names: list[str], text: str) -> None:
    from agentls.core.catalog import Entry
    from agentls.core.dialects.generic import _vocabulary_index

    values = {n: Entry(n) for n in names}
    lookup = _vocabulary_index(values)
    assert lookup.names == tuple(values)
    assert lookup.by_suffix.get(text, []) == [n for n in values if n.endswith("/" + text)]
    first = next((x for n, x in values.items() if n.lower() == text.lower()), None)
    assert lookup.by_lower.get(text.lower()) is first


BODY_BITS = ["$", "\\", "0", "1", "12", "ARGUMENTS[0]", "ARGUMENTS.", "!", "`", " ", "\n", "a"]
BODY_BITS += ["K", "k ", ".", ",", "\r", "\t", "é", "\\$", "$1", "$0", "$ARGUMENTS.1", "!`x`"]
PLAIN_PATTERNS = {  # each body pattern as first written, with its look-behind first
    "_INJECTION": re.compile(r"(?:^|(?<=\s))!`([^`\n]+)`", re.M),
    "_RUNTIME_INLINE": re.compile(r"(?:^|(?<=\s))!`([^`]+)`", re.M),
    "_POSITIONAL": re.compile(r"(?<![\\\w])\$([1-9])(?![0-9])(?![.,][0-9])(?![KkMmBb]\b)"),
    "_FIRST_ARGUMENT": re.compile(r"(?<!\\)(?:\$0(?![0-9])(?![.,][0-9])|\$ARGUMENTS\[0\])"),
    "_OLD_INDEX": re.compile(r"(?<!\\)\$ARGUMENTS\.([0-9]+)"),
}


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(BODY_BITS), max_size=30), st.integers(0, 30), st.integers(0, 60))
def test_body_patterns_as_first_written(bits: list[str], lo: int, hi: int) -> None:
    text = "".join(bits)
    for name, plain in PLAIN_PATTERNS.items():
        fast: re.Pattern[str] = getattr(body, name)
        for args in ((text,), (text, lo, hi)):
            want = [(m.span(), m.groups()) for m in plain.finditer(*args)]  # type: ignore[arg-type]
            assert [(m.span(), m.groups()) for m in fast.finditer(*args)] == want  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["---", "--", "\n", "\r", " ", "\t", "\f", "x"]), max_size=30))
def test_closing_line_as_the_plain_search(bits: list[str]) -> None:
    from agentls.core.dialects import generic

    text = "".join(bits)
    for pos in range(len(text) + 2):
        found = body.line_search(generic._CLOSE_LINE, generic._CLOSE_LINE_NL, text, pos)
        plain = generic._CLOSE_LINE.search(text, pos)
        assert (found and found.span()) == (plain and plain.span())


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["&", "*", "!", " ", "\t", "\n", "\r", "[", "{", ",", ":", "a"]),
        max_size=14,
    )
)
def test_strictyaml_token_hints_as_first_written(bits: list[str]) -> None:
    from agentls.core.dialects import generic

    text = "".join(bits)
    plain = re.compile(r"(?m)(?:^|[ \t\[{,:])[&*!]|\t")
    plain_flow = re.compile(r"(?m)(?:^|[ \t\[{,:])[&*!]|[\t\[{]")
    assert bool(generic._MAY_TOKEN.search(text)) == bool(plain.search(text))
    assert bool(generic._MAY_TOKEN_FLOW.search(text)) == bool(plain_flow.search(text))
