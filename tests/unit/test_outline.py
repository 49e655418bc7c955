"""Heading symbols and folds on every LSP line ending (core, no server)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import analyze
from agentls.core.outline import Symbol, folding, symbols
from agentls.core.settings import Settings

LINES = ["---", "name: demo", "description: |", "  two", "  lines", "---", "# Skill ", "text"]
LINES += ["## Sub\u2028part ##", "```", "# not a heading", "```", "# Two", ""]


def walk(syms: list[Symbol] | tuple[Symbol, ...]) -> list[Symbol]:
    return [x for s in syms for x in (s, *walk(s.children))]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_headings_stop_at_the_line_end(eol: str) -> None:
    text = eol.join(LINES)
    a = analyze("/p/.claude/skills/demo/SKILL.md", text, Settings())
    headings = [s for s in walk(symbols(a)) if s.kind == "heading"]
    # U+2028 is not an LSP line break (text.LineIndex): it stays inside the heading
    assert [s.name for s in headings] == ["Skill", "Sub\u2028part", "Two"]
    for s in headings:
        assert text[s.selection.start : s.selection.end] == s.name
        line, _ = a.lines.position(s.selection.start)
        assert a.lines.position(s.selection.end) == (
            line,
            len(a.lines.line_text(line).rstrip(" #")),
        )
    for s in walk(symbols(a)):
        assert "\r" not in s.name and "\n" not in s.detail and "\r" not in s.detail
    assert (6, 11) in [(f.start_line, f.end_line) for f in folding(a)]


def test_last_heading_ends_before_the_line_break() -> None:
    text = "---\r\nname: demo\r\ndescription: d\r\n---\r\n# Skill\r\n"
    a = analyze("/p/.claude/skills/demo/SKILL.md", text, Settings())
    skill = next(s for s in symbols(a) if s.kind == "heading")
    assert text[skill.span.start : skill.span.end] == "# Skill"
