"""References to agents and skills by name: `skills:`, `agents:`, `Agent(name)`, `agent:`, handoffs.

One function, :func:`references_in`, lists them for a whole document; go-to-definition, document
links, find-references, rename and the missing-reference check all read it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.text import Span
from agentls.core.toollist import source_offset, tool_items
from agentls.core.workspace import Entity, Index
from agentls.core.yamltree import YMap, YNode, YScalar, YSeq, trim_end

_SPEC = re.compile(r"^(?:Agent|Task)\(([^)]*)\)$")

# Agent types that exist without a file. Claude Code: the built-in subagents (`Agent(Explore)` in
# formats.md §11.7; `general-purpose` is the default of a skill's `agent`, §4.2). VS Code prompt
# files: the built-in agents of §7.5 (`ask`, `agent`, `plan`, older `edit`).
BUILTIN_AGENTS = {
    "claude": frozenset(
        {"general-purpose", "Explore", "Plan", "statusline-setup", "output-style-setup",
         "claude-code-guide"}
    ),
    "vscode": frozenset({"ask", "agent", "plan", "edit"}),
}  # fmt: skip
_CLAUDE = frozenset({"claude-agent", "claude-skill", "claude-command"})
_VSCODE_AGENTS = frozenset({"vscode-agent", "github-agent", "vscode-chatmode"})


class Reference(NamedTuple):
    name: str
    kinds: tuple[str, ...]  # entity kinds the name can resolve to
    span: Span
    key: str  # the front-matter key it appears under
    builtin: bool  # a name of a built-in agent (never missing)


def _scalar_span(text: str, node: YScalar) -> Span:
    """The value's own characters (inside the quotes), or the whole node if not verbatim."""
    off = source_offset(text, node)
    if off is None:
        return trim_end(text, node.span)
    return Span(off, off + len(node.raw))


def _name_of(node: YNode | None) -> YScalar | None:
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value:
        return node
    return None


def _ref(name: str, kind: str, span: Span, key: str, family: str) -> Reference:
    return Reference(name, (kind,), span, key, name in BUILTIN_AGENTS.get(family, ()))


def references_in(a: Analysis) -> list[Reference]:
    """Every agent or skill name referenced by the front matter, in document order."""
    if a.root is None or a.dialect is None:
        return []
    dialect = a.dialect.dialect
    family = "claude" if dialect in _CLAUDE else "vscode"
    out: list[Reference] = []
    for e in a.root.entries:
        key, v = e.key_text, e.value
        if key == "skills" and dialect == "claude-agent":
            out.extend(_ref(i.text, "skill", i.span, key, family) for i in tool_items(a.text, v))
        elif key == "agents" and dialect in _VSCODE_AGENTS:
            out.extend(
                _ref(i.text, "agent", i.span, key, family)
                for i in tool_items(a.text, v)
                if i.text != "*"
            )
        elif key == "tools" and dialect == "claude-agent":
            for item in tool_items(a.text, v):
                m = _SPEC.match(item.text)
                if m is None:
                    continue
                base = item.span.start + m.start(1)
                for part in re.finditer(r"[^,\s]+", m.group(1)):
                    span = Span(base + part.start(), base + part.end())
                    out.append(_ref(part.group(), "agent", span, key, family))
        elif key == "agent" and dialect in ("vscode-prompt", "claude-skill", "claude-command"):
            s = _name_of(v)
            if s is not None:
                out.append(_ref(str(s.value), "agent", _scalar_span(a.text, s), key, family))
        elif key == "handoffs" and dialect in _VSCODE_AGENTS and isinstance(v, YSeq):
            for h in v.items:
                t = h.get("agent") if isinstance(h, YMap) else None
                s = _name_of(t.value) if t is not None else None
                if s is not None:
                    out.append(_ref(str(s.value), "agent", _scalar_span(a.text, s), key, family))
    return out


def reference_at(a: Analysis, offset: int) -> Reference | None:
    for ref in references_in(a):
        if ref.span.start <= offset <= ref.span.end:
            return ref
    return None


# --- across files: find references and rename -------------------------------------------------

REFERRING = frozenset(
    {"claude-agent", "claude-skill", "claude-command", "vscode-agent", "github-agent",
     "vscode-chatmode", "vscode-prompt"}
)  # fmt: skip
_BAD_NAME = re.compile(r"[\s,:()\[\]{}\"'#`]|^-|^$")


def declaration_span(a: Analysis, e: Entity) -> Span | None:
    """Where ``e``'s name is written in ``a`` (its `name:` value), or None (from the path)."""
    if not e.length or e.line >= a.lines.line_count:
        return None
    start = a.lines.line_start(e.line) + e.column
    if a.text[start : start + e.length] != e.name:
        return None
    return Span(start, start + e.length)


def symbol_at(a: Analysis, offset: int, own: Entity | None) -> Reference | None:
    """The reference under the cursor, or this file's own name when the cursor is on it."""
    ref = reference_at(a, offset)
    if ref is not None:
        return ref
    span = declaration_span(a, own) if own is not None else None
    if own is not None and span is not None and span.start <= offset <= span.end:
        return Reference(own.name, (own.kind,), span, "name", False)
    return None


class Occurrence(NamedTuple):
    analysis: Analysis
    span: Span
    declaration: bool


def occurrences(
    name: str,
    kinds: tuple[str, ...],
    index: Index,
    load: Callable[[str], Analysis | None],
) -> list[Occurrence]:
    """The declarations and references of ``name`` in every indexed file that can refer to it.

    ``load`` returns a file's analysis (the editor's text when the file is open)."""
    out: list[Occurrence] = []
    declared = {e.path: e for e in index.named(name, kinds)}
    for path, e in list(index.by_path.items()):
        if e.dialect not in REFERRING and path not in declared:
            continue
        a = load(path)
        if a is None or name not in a.text:
            continue
        own = declared.get(path)
        span = declaration_span(a, own) if own is not None else None
        if span is not None:
            out.append(Occurrence(a, span, True))
        for ref in references_in(a):
            if ref.name == name and set(ref.kinds) & set(kinds):
                out.append(Occurrence(a, ref.span, False))
    return out


def invalid_name(name: str) -> str | None:
    """Why ``name`` cannot be an agent or skill name, or None."""
    if _BAD_NAME.search(name):
        return (
            f"`{name}` cannot be used as a name: no spaces, commas, colons, brackets, quotes "
            "or a leading `-` (formats.md §3.2)."
        )
    return None


def path_renames(entities: list[Entity], old: str, new: str) -> list[tuple[str, str]]:
    """Files or folders to rename so that the tools see ``new``: a skill's folder is its name in
    Claude Code (§4.1), and a file without a `name:` is named by its path (§5, §7.3)."""
    out: list[tuple[str, str]] = []
    for e in entities:
        folder, base = os.path.split(e.path)
        if e.kind == "skill":
            parent, leaf = os.path.split(folder)
            if leaf == old:
                out.append((folder, os.path.join(parent, new)))
        elif not e.length and e.kind != "command" and base.startswith(old + "."):
            out.append((e.path, os.path.join(folder, new + base[len(old) :])))
    return out
