"""Regressions found by the stdio fuzzer (tests/fuzz), reduced to the core function at fault."""

from __future__ import annotations

import pytest

from agentls.cli import lsp_range
from agentls.convert import Converter
from agentls.core.analysis import analyze
from agentls.core.dialects import detect
from agentls.core.outline import symbols
from agentls.core.settings import Settings
from agentls.core.text import LineIndex, Span
from agentls.core.workspace import entity
from tests.fuzz.lsp import Lines, check_range


@pytest.mark.parametrize("text", ["a\r\nb", "ab\r\n", "x\r\n\r\ny"])
def test_offset_inside_crlf_is_the_end_of_its_line(text: str) -> None:
    """An offset between \\r and \\n was a column one past the line's content: a range
    ending there was outside the document (LSP has no position inside a line break)."""
    lines = LineIndex(text)
    mid = text.index("\r\n") + 1
    line, col = lines.position(mid)
    assert (line, col) == lines.position(mid - 1)
    for enc in ("utf-8", "utf-16", "utf-32"):
        rng = Converter(lines, enc).range(Span(0, mid))
        as_dict = {
            "start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character},
        }
        assert check_range(Lines(text), as_dict, enc) is None
    assert check_range(Lines(text), lsp_range(lines, Span(0, mid)), "utf-16") is None


def test_line_splitter_key_symbol_in_a_crlf_file() -> None:
    """Claude Code <= 2.0.76 splits lines at \\n only: an empty value's span starts after the
    \\r, and the document symbol of its key ended inside the CRLF (fuzz seed 807920316475)."""
    text = "---\r\npaths:\r\n  - 'src/**'\r\n---\r\nBody\r\n"
    settings, _ = Settings.parse({"claudeCode": {"version": "2.0.76"}})
    a = analyze("/p/.claude/rules/r.md", text, settings)
    conv = Converter(a.lines, "utf-32")
    for sym in symbols(a):
        for s in (sym, *sym.children):
            for span in (s.span, s.selection):
                r = conv.range(span)
                as_dict = {
                    "start": {"line": r.start.line, "character": r.start.character},
                    "end": {"line": r.end.line, "character": r.end.character},
                }
                assert check_range(Lines(text), as_dict, "utf-32") is None, (s.name, span)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ndescription: a\rb\nname: docs-bot\n---\n", 3),  # a lone CR ends a line
        ("---\r\ndescription: a\r\nname: docs-bot\r\n---\r\n", 2),
        ("\ufeff---\ndescription: a\nname: docs-bot\n---\n", 2),
    ],
)
def test_indexed_name_position_counts_every_line_break(text: str, line: int) -> None:
    """The index placed an agent's name by counting \\n only: after a lone \\r the workspace
    symbol (and go-to-definition, AGL802) pointed at the line before, past its end
    (fuzz seed 929626303100)."""
    path = "/p/.claude/agents/a.md"
    match = detect(path)
    assert match is not None
    e = entity(path, text, match)
    assert e is not None and e.name == "docs-bot"
    assert (e.line, e.column, e.length) == (line, len("name: "), len("docs-bot"))
    body = text.lstrip("\ufeff")
    assert Lines(body).line(e.line)[e.column : e.column + e.length] == "docs-bot"
