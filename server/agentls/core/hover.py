"""Hover: docs for the key, value, tool or model under the cursor (read from the Analysis)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.catalog import Entry, claude, fields_of, values_of
from agentls.core.dialects import LISTED_DIALECTS
from agentls.core.received import frontmatter_description, listing_rules
from agentls.core.text import Span
from agentls.core.toollist import tool_items
from agentls.core.yamltree import YEntry, YMap, YScalar, YSeq, trim_end, walk

if TYPE_CHECKING:
    from agentls.core.cost import Cost

_SUBAGENTS = {
    "background": "Kept by background subagents (the default) and foreground ones.",
    "foreground": "Background subagents (the default) do not get it; foreground subagents do.",
    "never": "Subagents never get it: Claude Code removes it even when listed.",
}


class HoverResult(NamedTuple):
    markdown: str
    span: Span


def _within(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


def _entry_at(root: YMap, offset: int, text: str) -> tuple[YEntry, bool] | None:
    """The top-level entry under ``offset`` and whether the cursor is on its key."""
    for e in root.entries:
        if _within(e.key.span, offset):
            return e, True
        if _within(trim_end(text, e.value.span), offset):
            return e, False
    return None


def _tool_markdown(entry: Entry) -> str:
    md = entry.markdown()
    sub = entry.extra.get("subagents")
    if isinstance(sub, str) and sub in _SUBAGENTS:
        md += "\n\n" + _SUBAGENTS[sub]
    return md


def description_markdown(a: Analysis) -> str:
    """The exact description the model receives, as a hover section ("" when none)."""
    text = a.description()
    dialect = a.dialect.dialect if a.dialect else None
    if dialect in LISTED_DIALECTS:
        return _listed_markdown(a, text, "skill" if dialect == "claude-skill" else "command")
    if text is None:
        if a.parse is not None and not a.runtime_loaded:
            return (
                "**What the agent receives:** nothing: Claude Code cannot load this front "
                "matter, so the agent is skipped."
            )
        return ""
    fence = "````" if "```" in text else "```"
    how = {"retry": " (loaded through Claude Code's quoting retry)"}.get(
        a.parse.mode if a.parse else "", ""
    )
    return (
        f"**What the agent receives**{how}, with each `\\n` turned into a line break:\n\n"
        f"{fence}text\n{text}\n{fence}"
    )


def _listed_markdown(a: Analysis, text: str | None, kind: str) -> str:
    if text is None:
        return ""
    own = a.runtime_loaded and a.root is not None and a.root.get("description") is not None
    if own and a.root is not None:
        e = a.root.get("description")
        value = getattr(e.value, "value", None) if e is not None else None
        own = frontmatter_description(value) is not None
    source = (
        "from `description`"
        if own
        else "no usable `description`, so Claude Code takes the first line of the body"
    )
    fence = "````" if "```" in text else "```"
    return (
        f"**What the model receives** in the {kind} listing of Claude Code {a.version} "
        f"({source}; {', '.join(listing_rules(a.version))}):\n\n"
        f"{fence}text\n{text}\n{fence}"
    )


def hover(
    a: Analysis, offset: int, cost: Callable[[], Cost | None] | None = None
) -> HoverResult | None:
    """The docs at ``offset``, then any finding a suppression hides there: a suppression
    changes nothing the runtime does, so the hover still says it. ``cost``: what the file adds
    to every request (agentls.core.cost), asked for and shown on its description only."""
    found = _hover(a, offset)
    if found is not None and cost is not None and _on_description(a, offset):
        c = cost()
        if c is not None:
            found = HoverResult(f"{found.markdown}\n\n**Context cost:** {c.summary()}", found.span)
    hidden = [f for f in a.suppressed if f.span.start <= offset <= f.span.end]
    if not hidden:
        return found
    notes = []
    for f in hidden:
        why = f.data.get("suppressed")
        reason = f": {why}" if isinstance(why, str) and why else ""
        notes.append(f"**{f.code} ({f.severity.label}, suppressed{reason})** {f.message}")
    md = "\n\n".join(notes)
    if found is None:
        return HoverResult(md, hidden[0].span)
    return HoverResult(f"{found.markdown}\n\n---\n\n{md}", found.span)


def _on_description(a: Analysis, offset: int) -> bool:
    found = _entry_at(a.root, offset, a.text) if a.root is not None else None
    return found is not None and found[0].key_text == "description"


def _hover(a: Analysis, offset: int) -> HoverResult | None:
    if a.root is None or a.dialect is None:
        return None
    dialect = a.dialect.dialect
    found = _entry_at(a.root, offset, a.text)
    if found is None:
        return None
    e, on_key = found
    key = e.key_text
    spec = fields_of(dialect).get(key)
    if spec is None:
        return None
    agent_description = key == "description" and (
        dialect == "claude-agent" or dialect in LISTED_DIALECTS
    )
    if on_key:
        md = spec.markdown()
        if agent_description and (d := description_markdown(a)):
            md += "\n\n---\n\n" + d
        return HoverResult(md, e.key.span)
    v = e.value
    vspan = trim_end(a.text, v.span)
    if agent_description:
        return HoverResult(description_markdown(a) or spec.markdown(), vspan)
    values = values_of(dialect, key)
    if (
        isinstance(v, YSeq)
        or spec.type == "tools"
        or (values and spec.type in ("string-or-list", "list"))
    ):
        for item in tool_items(a.text, v):
            if _within(item.span, offset):
                return _item_hover(item.text, item.span, values)
        return HoverResult(spec.markdown(), vspan)
    if isinstance(v, YScalar) and isinstance(v.value, str) and values:
        entry = values.get(v.value)
        if entry is not None:
            return HoverResult(entry.markdown(), vspan)
    if spec.type == "hooks" and isinstance(v, YMap):
        nested = _hook_hover(v, offset, a.text)
        if nested is not None:
            return nested
    return HoverResult(spec.markdown(), vspan)


def _item_hover(text: str, span: Span, values: dict[str, Entry] | None) -> HoverResult | None:
    name = text.split("(", 1)[0]
    entry = (values or {}).get(text) or (values or {}).get(name)
    if entry is not None:
        return HoverResult(_tool_markdown(entry), span)
    if name.startswith("mcp__"):
        return HoverResult(
            f"**{text}**\n\nAn MCP tool pattern: `mcp__<server>` or `mcp__<server>__*` selects "
            "a whole server, `mcp__<server>__<tool>` one tool.",
            span,
        )
    return None


def _hook_hover(hooks: YMap, offset: int, text: str) -> HoverResult | None:
    cat = claude()
    for ev in hooks.entries:
        if _within(ev.key.span, offset):
            entry = cat.hook_events.get(ev.key_text)
            return HoverResult(entry.markdown(), ev.key.span) if entry else None
        groups = ev.value
        if not isinstance(groups, YSeq):
            continue
        for node in walk(groups):
            if isinstance(node, YMap):
                t = node.get("type")
                if t is not None and isinstance(t.value, YScalar) and _within(t.value.span, offset):
                    entry = cat.hook_handler_types.get(str(t.value.value))
                    if entry:
                        keys = ", ".join(f"`{k}`" for k in entry.extra.get("keys") or [])
                        md = entry.markdown() + (f"\n\nKeys: {keys}" if keys else "")
                        return HoverResult(md, t.value.span)
    return None
