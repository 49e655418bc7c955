"""Checks that need the workspace: linked files, referenced agents and skills, names that clash,
MCP servers (issue 5), AGL800-AGL804; the listings' budgets (issue 14), AGL805-AGL807.

They depend on other files, so they are not part of the per-version :class:`Analysis`: the
server runs them at each publish from the cached analysis and the current index, and the CLI
after scanning the project. The only I/O is the ``exists`` callback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from agentls.core.analysis import Analysis
from agentls.core.codes import CODES
from agentls.core.complete import MCP_KEYS
from agentls.core.dialects import CLAUDE_FILES, LISTED_DIALECTS
from agentls.core.findings import Finding, Severity
from agentls.core.links import VSCODE, candidates, links_in, looks_like_file
from agentls.core.navigation import Reference, references_in
from agentls.core.suggest import closest
from agentls.core.text import Span
from agentls.core.toollist import ToolItem, tool_items
from agentls.core.workspace import Entity, Index, Question, clash, entity, under
from agentls.core.yamltree import YMap, YScalar, YSeq

if TYPE_CHECKING:
    from agentls.core.cost import Project
    from agentls.core.settings import Budgets

# MCP tool names that no `.mcp.json` defines: claude.ai connectors and plugin servers (§11.6)
_MCP_ELSEWHERE = ("claude_ai_", "plugin_")


def needs_listings(a: Analysis, budgets: Budgets) -> bool:
    """Whether a file's workspace checks read its project's listings: a skill's or command's
    do (AGL805, AGL806); an agent's only against a team's agent budget (AGL807): Claude Code
    sets none, and an agent's own cost does not depend on other files."""
    d = a.dialect.dialect if a.dialect else None
    return d in LISTED_DIALECTS or (d == "claude-agent" and budgets.agent_listing is not None)


class Workspace:
    """What the checks read besides the document: the index and the file system, and the
    listings of the document's project (``project``: agentls.core.cost, None: not checked).

    With ``asked`` (a list), the checks that read the index's entities and MCP servers only
    note their questions there (:func:`unsettled` answers them): a check's workers analyse
    files while the main process builds the index from what they read."""

    __slots__ = ("asked", "entity", "exists", "index", "project")

    def __init__(
        self,
        index: Index,
        exists: Callable[[str], bool] = os.path.exists,
        project: Callable[[Analysis], Project | None] | None = None,
    ) -> None:
        self.index = index
        self.exists = exists
        self.project = project
        self.asked: list[Question] | None = None
        self.entity: Entity | None = None  # the document's, while the index has none yet


def _finding(
    code: str, span: Span, message: str, severity: Severity | None = None, **data: object
) -> Finding:
    return Finding(code, severity or CODES[code].severity, span, message, data)


def check(a: Analysis, ws: Workspace) -> list[Finding]:
    """The workspace findings of one analysed document (an empty list for other files)."""
    if a.dialect is None or a.path is None:
        return []
    path = os.path.abspath(a.path)
    out = _links(a, path, ws)
    in_workspace = ws.index.ready and any(under(path, r) for r in ws.index.roots)
    asked = ws.asked
    if in_workspace:
        if asked is None:
            out.extend(_references(a, ws.index))
            out.extend(_mcp(a, ws.index))
        else:
            asked.extend(("ref", r.name, r.kinds) for r in references_in(a) if _named(r))
            wanted = frozenset(server for _, server in _mcp_wanted(a))
            if wanted:
                asked.append(("mcp", wanted, None))
    if ws.index.ready:
        e = ws.index.by_path.get(path) or ws.entity or entity(path, a.text, a.dialect)
        if e is not None:
            if asked is None:
                out.extend(_clashes(a, e, ws.index))
            elif e.scope != "plugin":
                asked.append(("clash", e, None))
        if ws.project is not None and a.dialect.dialect in CLAUDE_FILES:
            project = ws.project(a)  # None when nothing of it is checked (needs_listings)
            if project is not None:
                from agentls.core.cost import findings as cost_findings

                out.extend(cost_findings(a, project))
    return out


def _links(a: Analysis, path: str, ws: Workspace) -> list[Finding]:
    out: list[Finding] = []
    dialect = a.dialect.dialect if a.dialect else ""
    for link in links_in(a):
        if not looks_like_file(link):
            continue
        paths = candidates(link, path, ws.index.roots)
        if not paths or any(ws.exists(p) for p in paths):
            continue
        vscode = dialect in VSCODE and link.kind != "include"
        where = "this file's folder" if link.kind == "markdown" else "this file or the workspace"
        effect = (
            "VS Code reports the reference and attaches nothing"
            if vscode
            else "the agent cannot open it"
            if link.kind == "markdown"
            else "Claude Code cannot include it"
        )
        out.append(
            _finding(
                "AGL800",
                link.span,
                f"`{link.target}` does not exist (relative to {where}): {effect}.",
                None if vscode else Severity.INFORMATION,
            )
        )
    return out


def _references(a: Analysis, index: Index) -> list[Finding]:
    out: list[Finding] = []
    for ref in references_in(a):
        if not _named(ref) or index.named(ref.name, ref.kinds):
            continue
        kind = ref.kinds[0]
        suggestion = closest(ref.name, index.names(ref.kinds))
        hint = f" Did you mean `{suggestion}`?" if suggestion else ""
        if ref.key == "skills":
            msg = (
                f"No skill named `{ref.name}` in the workspace or ~/.claude/skills: Claude Code "
                f"skips it (a warning in its debug log only).{hint}"
            )
            sev = None
        else:
            msg = (
                f"No {kind} named `{ref.name}` in the workspace; unless it is defined elsewhere "
                f"(user profile, plugin), it cannot be used.{hint}"
            )
            sev = Severity.INFORMATION
        out.append(_finding("AGL801", ref.span, msg, sev, suggestion=suggestion, name=ref.name))
    return out


def _named(ref: Reference) -> bool:
    """Whether a reference names an entity the workspace's index should have (`plugin:name`
    lives in a plugin, outside the workspace)."""
    return not ref.builtin and ":" not in ref.name


def _name_span(a: Analysis, e: Entity) -> Span:
    if e.length:
        start = a.lines.line_start(e.line) + e.column
        return Span(start, start + e.length)
    if a.block is not None:
        return a.block.open_span
    return Span(0, len(a.lines.line_text(0)) if a.lines.line_count else 0)


def _clashes(a: Analysis, e: Entity, index: Index) -> list[Finding]:
    if e.scope == "plugin":
        return []  # plugin ids carry the plugin name and folders (§3.1)
    out: list[Finding] = []
    for o in index.named(e.name):
        found = clash(e, o, index)
        if found is not None:
            out.append(_finding(found[0], _name_span(a, e), found[1], other=o.path))
    return out


def own_servers(a: Analysis) -> set[str]:
    """Servers an agent defines or names in its own `mcpServers` (§3.2)."""
    e = a.root.get("mcpServers") if a.root is not None else None
    if e is None:
        return set()
    v = e.value
    if isinstance(v, YMap):
        return {x.key_text for x in v.entries}
    names: set[str] = set()
    if isinstance(v, YSeq):
        for item in v.items:
            if isinstance(item, YScalar) and isinstance(item.value, str):
                names.add(item.value)
            elif isinstance(item, YMap):
                names.update(x.key_text for x in item.entries)
    return names


def _mcp_wanted(a: Analysis) -> Iterator[tuple[ToolItem, str]]:
    """The MCP tools a file names, with their servers, that neither the file defines nor a
    connector or plugin provides."""
    keys = MCP_KEYS.get(a.dialect.dialect if a.dialect else "", ())
    if not keys or a.root is None:
        return
    own: set[str] | None = None
    for key in keys:
        entry = a.root.get(key)
        if entry is None:
            continue
        for item in tool_items(a.text, entry.value):
            parts = item.text.split("__")
            if len(parts) < 2 or parts[0] != "mcp" or not parts[1] or parts[1] == "*":
                continue
            server = parts[1]
            if own is None:
                own = own_servers(a)
            if server not in own and not server.startswith(_MCP_ELSEWHERE):
                yield item, server


def _mcp(a: Analysis, index: Index) -> list[Finding]:
    configured = index.mcp_names()
    if configured is None:
        return []
    out: list[Finding] = []
    known: frozenset[str] | None = None
    for item, server in _mcp_wanted(a):
        if server in configured:
            continue
        if known is None:
            known = configured | own_servers(a)
        suggestion = closest(server, known)
        hint = f" Did you mean `{suggestion}`?" if suggestion else ""
        start = item.span.start + len("mcp__")
        out.append(
            _finding(
                "AGL804",
                Span(start, start + len(server)),
                f"No MCP server `{server}` in the workspace's `.mcp.json` or this file's "
                f"`mcpServers`: unless it is configured elsewhere (user settings, a "
                f"connector), `{item.text}` matches no tool.{hint}",
                suggestion=suggestion,
            )
        )
    return out
