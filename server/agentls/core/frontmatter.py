"""Find the front-matter block the way each tool does (formats.md §0.2 step 1, §2)."""

from __future__ import annotations

from typing import NamedTuple

from agentls.core.text import Span

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator); Python's differs (\x1c-\x1f, \x85).
JS_SPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
BOM = "\ufeff"


def _skip_js_space(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in JS_SPACE:
        i += 1
    return i


class Block(NamedTuple):
    """A front-matter block.

    ``content`` is the YAML text the tool parses; ``found_by_runtime`` is False when the tool
    would not see front matter at all (leading blank line, BOM on old versions, no closing
    delimiter) and the block was recovered only so that its keys can still be checked.
    """

    open_span: Span  # the opening ``---``
    content: Span
    close_span: Span | None  # the closing ``---`` (None: unterminated)
    body_start: int
    found_by_runtime: bool
    leading: Span | None = None  # blank lines / text before the opening ``---``
    bom: bool = False


def _claude_match(text: str, start: int) -> tuple[int, int, int] | None:
    """Apply ``^---\\s*\\n([\\s\\S]*?)---\\s*\\n?`` at ``start``.

    Returns (content_start, close_start, body_start) or None.
    """
    if not text.startswith("---", start):
        return None
    ws_end = _skip_js_space(text, start + 3)
    # greedy \s* then \n: backtrack to the last \n inside the whitespace run
    nl = text.rfind("\n", start + 3, ws_end)
    if nl < 0:
        return None
    content_start = nl + 1
    close = text.find("---", content_start)
    if close < 0:
        return None
    return content_start, close, _skip_js_space(text, close + 3)


def _recover_unterminated(text: str, content_start: int) -> int:
    """End of a block whose closing ``---`` is missing: up to the first blank line."""
    i = content_start
    n = len(text)
    while i < n:
        eol = text.find("\n", i)
        line_end = n if eol < 0 else eol
        if not text[i:line_end].strip():
            return i
        if eol < 0:
            return n
        i = eol + 1
    return n


MAX_LEADING_LINES = 5


def _misplaced_opening(text: str) -> int | None:
    """Offset of a '---' line within the first few lines, if the file does not start with it."""
    pos = 0
    for _ in range(MAX_LEADING_LINES + 1):
        eol = text.find("\n", pos)
        line = text[pos : eol if eol >= 0 else len(text)].rstrip("\r")
        if pos > 0 and line.rstrip() == "---":
            return pos
        if eol < 0:
            return None
        pos = eol + 1
    return None


def claude_block(text: str, *, bom_ok: bool) -> Block | None:
    """The block Claude Code finds (formats.md §0.2 step 1), or a recovered one.

    ``bom_ok``: the target version skips a leading UTF-8 BOM (>= 2.1.239).
    Returns None when the text has no front matter at all, not even a misplaced one.
    """
    m = _claude_match(text, 0)
    if m is not None:
        cs, close, body = m
        return Block(Span(0, 3), Span(cs, close), Span(close, close + 3), body, True)
    has_bom = text.startswith(BOM)
    if has_bom:
        m = _claude_match(text, 1)
        if m is not None:
            cs, close, body = m
            return Block(
                Span(1, 4), Span(cs, close), Span(close, close + 3), body, bom_ok, bom=True
            )
    # misplaced opening: blank lines or a few lines of text before a '---' line
    opening = _misplaced_opening(text)
    if opening is not None:
        m = _claude_match(text, opening)
        if m is not None:
            cs, close, body = m
            return Block(
                Span(opening, opening + 3),
                Span(cs, close),
                Span(close, close + 3),
                body,
                False,
                leading=Span(0, opening),
                bom=has_bom,
            )
    # unterminated: an opening '---' line with no closing delimiter anywhere
    start = 1 if has_bom else 0
    if text.startswith("---", start):
        ws_end = _skip_js_space(text, start + 3)
        nl = text.rfind("\n", start + 3, ws_end)
        if nl >= 0:
            cs = nl + 1
            end = _recover_unterminated(text, cs)
            return Block(Span(start, start + 3), Span(cs, end), None, end, False, bom=has_bom)
    return None


def delimiter_is_alone(text: str, span: Span) -> tuple[bool, bool]:
    """(starts a line, nothing but whitespace after it on its line) for a ``---`` span."""
    at_line_start = (
        span.start == 0 or text[span.start - 1] in "\n\r" or (span.start == 1 and text[0] == BOM)
    )
    eol = len(text)
    for i in range(span.end, len(text)):
        if text[i] in "\r\n":
            eol = i
            break
    return at_line_start, not text[span.end : eol].strip()
