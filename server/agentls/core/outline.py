"""Document structure: front-matter keys and Markdown headings (symbols), folding ranges."""

from __future__ import annotations

import re
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.text import Span
from agentls.core.yamltree import YMap, trim_end

# Lines end in \n, \r\n or \r (LSP, text.LineIndex). `^`, `$` and `.` of re.M know only \n: a
# heading's name and range would take in the \r of a CRLF line; a lone-CR text would be one line.
_SOL = r"(?<![^\r\n])"  # at the start of a line
_EOL = r"(?=[\r\n]|\Z)"  # at the end of a line, before its terminator
_HEADING = re.compile(_SOL + r"(#{1,6})[ \t]+([^\r\n]+?)[ \t]*#*[ \t]*" + _EOL)
_FENCE = re.compile(_SOL + r" {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"[\r\n]")


class Symbol(NamedTuple):
    name: str
    kind: str  # key | heading | front-matter
    span: Span  # the whole element
    selection: Span  # the name
    detail: str = ""
    children: tuple[Symbol, ...] = ()


def _headings(a: Analysis, start: int) -> list[Symbol]:
    """Markdown headings of the body, nested by level (fenced code is skipped)."""
    text = a.text
    fences: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for m in _FENCE.finditer(text, start):
        if opened is None:
            opened = (m.start(), m.group(1)[0])
        elif m.group(1)[0] == opened[1]:
            fences.append((opened[0], m.end()))
            opened = None
    if opened is not None:
        fences.append((opened[0], len(text)))
    flat: list[tuple[int, Symbol]] = []
    for m in _HEADING.finditer(text, start):
        if any(a0 <= m.start() < b0 for a0, b0 in fences):
            continue
        flat.append(
            (
                len(m.group(1)),
                Symbol(m.group(2), "heading", Span(m.start(), m.end()), Span(m.start(2), m.end(2))),
            )
        )

    # nest: a heading owns the following deeper ones; its span runs to the next sibling
    def build(i: int, level: int, end: int) -> tuple[list[Symbol], int]:
        out: list[Symbol] = []
        while i < len(flat) and flat[i][0] > level:
            lvl, sym = flat[i]
            nxt = next((j for j in range(i + 1, len(flat)) if flat[j][0] <= lvl), len(flat))
            stop = flat[nxt][1].span.start if nxt < len(flat) else end
            children, _ = build(i + 1, lvl, stop)
            out.append(
                sym._replace(
                    span=Span(sym.span.start, max(sym.span.end, stop)), children=tuple(children)
                )
            )
            i = nxt
        return out, i

    return build(0, 0, len(text.rstrip()))[0]


def symbols(a: Analysis) -> list[Symbol]:
    out: list[Symbol] = []
    body_start = 0
    if a.block is not None:
        block = a.block
        end = block.close_span.end if block.close_span else block.content.end
        keys: list[Symbol] = []
        if isinstance(a.root, YMap):
            for e in a.root.entries:
                value = trim_end(a.text, e.value.span)
                detail = _BREAK.split(a.text[value.start : min(value.end, value.start + 60)])[0]
                keys.append(
                    Symbol(
                        e.key_text,
                        "key",
                        Span(e.key.span.start, max(e.key.span.end, value.end)),
                        e.key.span,
                        detail,
                    )
                )
        out.append(
            Symbol(
                "front matter",
                "front-matter",
                Span(block.open_span.start, end),
                block.open_span,
                a.dialect.dialect if a.dialect else "",
                tuple(keys),
            )
        )
        body_start = block.body_start
    out.extend(_headings(a, body_start))
    return out


class Fold(NamedTuple):
    start_line: int
    end_line: int
    kind: str | None  # "region" | None


def folding(a: Analysis) -> list[Fold]:
    lines = a.lines
    out: list[Fold] = []

    def add(span: Span) -> None:
        s, _ = lines.position(span.start)
        e, col = lines.position(span.end)
        if col == 0 and e > s:
            e -= 1  # the span ends where the next section starts: keep that line visible
        while e > s and not lines.line_text(e).strip():
            e -= 1
        if e > s:
            out.append(Fold(s, e, None))

    def walk(syms: list[Symbol] | tuple[Symbol, ...]) -> None:
        for sym in syms:
            add(sym.span)
            walk(sym.children)

    walk(symbols(a))
    return out
