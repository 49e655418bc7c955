"""A tools-style value split into entries exactly as Claude Code does (formats.md §3.3 step 2).

Shared by the rules of every dialect (agent `tools`, skill `allowed-tools`, comma strings), the
body checks, hover, completion, navigation and the verdicts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from agentls.core.text import Span
from agentls.core.yamltree import YNode, YScalar, YSeq, trim_end

_TOOL_TOKEN = re.compile(r"[^\s,]+")


class ToolItem(NamedTuple):
    text: str
    span: Span
    node: YNode


def split_tool_string(value: str) -> list[tuple[int, int]]:
    """(start, end) of each entry: split on commas and spaces outside parentheses."""
    if "(" not in value:
        if _TOOL_TOKEN.fullmatch(value):
            return [(0, len(value))]  # one entry (most list items)
        return [m.span() for m in _TOOL_TOKEN.finditer(value)]
    out: list[tuple[int, int]] = []
    depth = 0
    start = -1
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch == "," or ch.isspace()):
            if start >= 0:
                out.append((start, i))
                start = -1
        elif start < 0:
            start = i
    if start >= 0:
        out.append((start, len(value)))
    return out


def source_offset(text: str, node: YScalar) -> int | None:
    """Document offset of the value's first character when the source spells it verbatim."""
    start = node.span.start
    src = text[start : node.span.end].rstrip(" \t\r\n")  # as trim_end
    if node.style in ("'", '"'):
        if len(src) >= 2 and src[1:-1] == node.raw:
            return start + 1
        return None
    if src == node.raw:
        return start
    return None


def tool_items(text: str, node: YNode) -> list[ToolItem]:
    """Every entry of a ``tools``-style value with its exact span (non-strings are skipped)."""
    scalars: list[YScalar] = []
    if isinstance(node, YScalar) and isinstance(node.value, str):
        scalars = [node]
    elif isinstance(node, YSeq):
        scalars = [n for n in node.items if isinstance(n, YScalar) and isinstance(n.value, str)]
    items: list[ToolItem] = []
    for s in scalars:
        assert isinstance(s.value, str)
        base = source_offset(text, s)
        for a, b in split_tool_string(s.value):
            span = Span(base + a, base + b) if base is not None else trim_end(text, s.span)
            items.append(ToolItem(s.value[a:b], span, s))
    return items
