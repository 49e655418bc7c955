"""The agent or skill name under the cursor: `skills:`, `agents:`, `Agent(name)`, `agent:`."""

from __future__ import annotations

import re
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.dialects.claude_agent import tool_items
from agentls.core.text import Span
from agentls.core.yamltree import YMap, YScalar, YSeq, trim_end

_SPEC = re.compile(r"\(([^)]*)\)")


class Reference(NamedTuple):
    name: str
    kinds: tuple[str, ...]
    span: Span


def _within(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


def reference_at(a: Analysis, offset: int) -> Reference | None:
    if a.root is None:
        return None
    for e in a.root.entries:
        key, v = e.key_text, e.value
        if not _within(trim_end(a.text, v.span), offset):
            continue
        if key == "skills":
            for item in tool_items(a.text, v):
                if _within(item.span, offset):
                    return Reference(item.text, ("skill",), item.span)
        elif key == "agents":
            for item in tool_items(a.text, v):
                if _within(item.span, offset) and item.text != "*":
                    return Reference(item.text, ("agent",), item.span)
        elif key == "tools":
            for item in tool_items(a.text, v):
                m = _SPEC.search(item.text)
                if not (m and _within(item.span, offset)):
                    continue
                base = item.span.start + m.start(1)
                for part in re.finditer(r"[^,\s]+", m.group(1)):
                    span = Span(base + part.start(), base + part.end())
                    if _within(span, offset):
                        return Reference(part.group(), ("agent",), span)
        elif key == "agent" and isinstance(v, YScalar) and isinstance(v.value, str):
            return Reference(v.value, ("agent",), trim_end(a.text, v.span))
        elif key == "handoffs" and isinstance(v, YSeq):
            for h in v.items:
                t = h.get("agent") if isinstance(h, YMap) else None
                if t is not None and isinstance(t.value, YScalar) and _within(t.value.span, offset):
                    return Reference(str(t.value.value), ("agent",), trim_end(a.text, t.value.span))
    return None
