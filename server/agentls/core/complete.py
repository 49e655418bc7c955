"""Completion in the front matter, decided from the text around the cursor.

The YAML may be half-typed and invalid, so the context is read from lines, not from the tree:
the key being typed, the value of a `key:` line, or an item under a top-level key.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.catalog import Entry, FieldSpec, claude, fields_of, values_of
from agentls.core.text import Span
from agentls.core.toollist import split_tool_string, tool_items


class Candidate(NamedTuple):
    label: str
    kind: str  # property | value | enum | tool | event | snippet | color
    detail: str
    doc: str  # markdown
    replace: Span
    insert: str
    snippet: str | None = None  # the snippet form, for clients that support snippets
    sort: str = ""
    deprecated: bool = False


_KEY_PREFIX = re.compile(r"[A-Za-z_-]*")
_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)")
_ITEM = re.compile(r"([ \t]+)-[ \t]*(.*)")
_INDENTED_KEY = re.compile(r"([ \t]+)(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)")
_WORD_END = re.compile(r"[\w-]*")
# the keys whose tool names may be `mcp__<server>` (formats.md §3.3 item 7, §4.2, §5)
MCP_KEYS = {
    "claude-agent": ("tools", "disallowedTools"),
    "claude-skill": ("allowed-tools",),
    "claude-command": ("allowed-tools",),
}

BOOLEANS = {"true": "Yes.", "false": "No."}


def _is_list(spec: FieldSpec) -> bool:
    return spec.type in ("tools", "list", "string-or-list", "mcp-servers")


def _field_snippet(spec: FieldSpec, values: dict[str, Entry] | None) -> str | None:
    if values and spec.type in ("string", "enum"):
        choices = ",".join(n for n, e in values.items() if e.status == "current")
        return f"{spec.key}: ${{1|{choices}|}}"
    if spec.type == "boolean":
        return f"{spec.key}: ${{1|true,false|}}"
    if spec.type == "hooks":
        return (
            f'{spec.key}:\n  ${{1:PreToolUse}}:\n    - matcher: "${{2:Bash}}"\n'
            '      hooks:\n        - type: command\n          command: "${3:./check.sh}"'
        )
    if spec.type in ("list", "mcp-servers"):
        return f"{spec.key}:\n  - $0"
    return None


def _keys(a: Analysis, replace: Span, current_line_key: str | None) -> list[Candidate]:
    assert a.dialect is not None
    dialect = a.dialect.dialect
    present = set(a.root.key_names()) if a.root is not None else set()
    present.discard(current_line_key or "")
    out = []
    for i, spec in enumerate(fields_of(dialect).values()):
        if spec.key in present or spec.deprecated:
            continue
        enum = values_of(dialect, spec.key) if spec.type == "enum" else None
        out.append(
            Candidate(
                spec.key,
                "property",
                ("required" if spec.required else "optional") + f" · {spec.type}",
                spec.markdown(),
                replace,
                f"{spec.key}: ",
                _field_snippet(spec, enum),
                f"{0 if spec.required else 2 if spec.undocumented else 1}{i:02d}",
            )
        )
    return out


def _values(
    entries: dict[str, Entry],
    kind: str,
    replace: Span,
    only_current: bool = True,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[Candidate]:
    out = []
    for i, (name, e) in enumerate(entries.items()):
        if name in exclude or (only_current and e.status not in ("current",)):
            continue
        out.append(Candidate(name, kind, e.doc[:80], e.markdown(), replace, name, None, f"{i:03d}"))
    return out


def _value_candidates(
    a: Analysis, key: str, value: str, value_start: int, cursor: int, mcp: Collection[str]
) -> list[Candidate]:
    assert a.dialect is not None
    dialect = a.dialect.dialect
    spec = fields_of(dialect).get(key)
    if spec is None:
        return []
    values = _with_mcp(values_of(dialect, key), key, dialect, mcp)
    before = value[: cursor - value_start]
    if _is_list(spec):
        if not values:
            return []
        return _tool_candidates(a, key, before, value, value_start, cursor, values)
    v = value.rstrip()
    vstart = value_start
    if v[:1] in ("'", '"'):
        vstart += 1
        v = v[1:]
        if v.endswith(("'", '"')):
            v = v[:-1]
    word = Span(vstart, max(cursor, vstart + len(v)))
    if spec.type == "boolean":
        return [
            Candidate(b, "value", "boolean", d, word, b, None, str(i))
            for i, (b, d) in enumerate(BOOLEANS.items())
        ]
    if not values:
        return []
    kind = "color" if key == "color" and dialect == "claude-agent" else "enum"
    return _values(values, kind, word)


def _tool_candidates(
    a: Analysis,
    key: str,
    before: str,
    value: str,
    value_start: int,
    cursor: int,
    values: dict[str, Entry],
) -> list[Candidate]:
    """Names for the list item at the cursor, without those the key already lists."""
    # the token under the cursor: after the last separator outside parentheses
    stripped = before.lstrip("[")
    offset_in = len(before) - len(stripped)
    parts = split_tool_string(stripped)
    if before and not before[-1].isspace() and before[-1] not in ",[" and parts:
        s, _ = parts[-1]
        start = value_start + offset_in + s
    else:
        start = cursor
    if "(" in before[start - value_start :]:
        return []  # inside a specifier
    m = _WORD_END.match(value, cursor - value_start)
    end = cursor + (m.end() - m.start() if m else 0)
    listed = {value[s:e] for s, e in split_tool_string(value.strip("[]"))}
    entry = a.root.get(key) if a.root is not None else None
    if entry is not None:
        listed |= {i.text for i in tool_items(a.text, entry.value)}
    return _values(values, "tool", Span(start, end), exclude=listed)


def _parent_key(a: Analysis, line: int) -> tuple[str, int] | None:
    """The nearest top-level key above ``line`` and its line."""
    lines = a.lines
    for ln in range(line - 1, -1, -1):
        t = lines.line_text(ln)
        if t.strip() == "---":
            return None
        if t and not t[0].isspace() and not t.startswith("#"):
            m = _KEY_VALUE.match(t)
            return (m.group(1), ln) if m else None
    return None


def _with_mcp(
    values: dict[str, Entry] | None, key: str, dialect: str, servers: Collection[str]
) -> dict[str, Entry] | None:
    """The key's catalogue values, plus `mcp__<server>` for tool lists when servers are known."""
    if not servers or key not in MCP_KEYS.get(dialect, ()):
        return values
    mcp = {
        f"mcp__{s}": Entry(
            f"mcp__{s}",
            f"Every tool of the MCP server `{s}` (configured in the workspace's `.mcp.json` or "
            "this file's `mcpServers`); `mcp__<server>__<tool>` selects one tool.",
            "formats.md §3.3, §11.6",
        )
        for s in sorted(servers)
    }
    return {**(values or {}), **mcp}


def complete(a: Analysis, offset: int, mcp_servers: Collection[str] = ()) -> list[Candidate]:
    """Candidates at ``offset``; [] when there is nothing sensible to offer.

    ``mcp_servers``: the MCP servers the workspace configures, offered as `mcp__<server>` in
    tool lists."""
    if a.dialect is None:
        return []
    lines = a.lines
    line, col = lines.position(offset)
    start = lines.line_start(line)
    text = lines.line_text(line)
    prefix = text[:col]
    block = a.block
    if block is None:
        if not a.text.strip() and line == 0:
            snippet = (
                "---\nname: ${1:my-agent}\ndescription: ${2:Use this agent when ...}\n---\n\n$0"
            )
            return [
                Candidate(
                    "---",
                    "snippet",
                    "agent front matter",
                    "A new Claude Code agent: "
                    "`name`, `description` and the body (the system prompt).",
                    Span(start, start + len(text)),
                    "---\nname: my-agent\ndescription: Use this agent when ...\n---\n",
                    snippet,
                )
            ]
        return []
    if not (block.content.start <= offset <= block.content.end) and not (
        block.close_span is None and offset >= block.content.start
    ):
        if block.close_span is not None and offset >= block.body_start:
            return _body_candidates(a, prefix, start, offset)
        return []
    if not prefix[:1].isspace():
        if _KEY_PREFIX.fullmatch(prefix):
            m = _WORD_END.match(text, col)
            end = col + (m.end() - m.start() if m else 0)
            rest = text[end:]
            km = _KEY_VALUE.match(text)
            if rest.lstrip().startswith(":"):
                return _keys(a, Span(start, start + end), km.group(1) if km else None)
            return _keys(a, Span(start, start + len(text)), km.group(1) if km else None)
        m2 = _KEY_VALUE.match(text)
        if m2 and col >= m2.start(2):
            return _value_candidates(
                a, m2.group(1), m2.group(2), start + m2.start(2), offset, mcp_servers
            )
        return []
    parent = _parent_key(a, line)
    if parent is None:
        return []
    key = parent[0]
    spec = fields_of(a.dialect.dialect).get(key)
    if spec is None:
        return []
    item = _ITEM.fullmatch(text)
    values = _with_mcp(values_of(a.dialect.dialect, key), key, a.dialect.dialect, mcp_servers)
    if item and _is_list(spec) and values and col >= item.start(2):
        return _tool_candidates(
            a,
            key,
            text[item.start(2) : col],
            item.group(2),
            start + item.start(2),
            offset,
            values,
        )
    if spec.type == "hooks":
        return _hook_candidates(text, col, start, offset)
    if spec.type == "mcp-servers":
        im = _INDENTED_KEY.fullmatch(text)
        if im and im.group(2) == "type" and col >= im.start(3):
            return _values(
                claude().mcp_server_types, "enum", Span(start + im.start(3), start + len(text))
            )
    return []


def _hook_candidates(text: str, col: int, start: int, offset: int) -> list[Candidate]:
    cat = claude()
    indent = len(text) - len(text.lstrip())
    word = text.strip()
    if indent and ":" not in text[:col] and not word.startswith("-") and indent <= 2:
        return _values(cat.hook_events, "event", Span(start + indent, start + len(text.rstrip())))
    im = _INDENTED_KEY.fullmatch(text)
    if im and col >= im.start(3):
        replace = Span(start + im.start(3), start + len(text.rstrip()))
        if im.group(2) == "type":
            return _values(cat.hook_handler_types, "enum", replace)
        if im.group(2) == "matcher":
            return _values(cat.tools, "tool", replace)
    del offset
    return []


# ---------------------------------------------------------------------------------------------
# body syntax: `${CLAUDE_...}` in Claude commands and skills, `#tool:` and `${...}` in VS Code files

_CLAUDE_VAR = re.compile(r"\$\{(CLAUDE_\w*|C\w*)?$")
_TOOL_REF = re.compile(r"#tool:([\w./-]*)$")
_PROMPT_VAR = re.compile(r"\$\{(\w*)$")

_VAR_DOCS = {
    "CLAUDE_SESSION_ID": "The current session's id.",
    "CLAUDE_SKILL_DIR": "The folder of this skill.",
    "CLAUDE_PROJECT_DIR": "The project's root folder (since 2.1.196).",
    "CLAUDE_EFFORT": "The current reasoning effort.",
    "CLAUDE_PLUGIN_ROOT": "The plugin's root folder (plugins only).",
    "CLAUDE_PLUGIN_DATA": "The plugin's data folder (plugins only).",
}


def _body_candidates(a: Analysis, prefix: str, start: int, offset: int) -> list[Candidate]:
    from agentls.core.dialects import body

    assert a.dialect is not None
    dialect = a.dialect.dialect
    if dialect in ("claude-command", "claude-skill"):
        m = _CLAUDE_VAR.search(prefix)
        if m is None:
            return []
        replace = Span(start + m.start() + 2, offset)
        names = [
            n for n in body.SUBSTITUTIONS if a.dialect.plugin or n not in body.PLUGIN_SUBSTITUTIONS
        ]
        return [
            Candidate(
                n, "value", "substitution", _VAR_DOCS.get(n, ""), replace, n + "}", None, f"{i:02d}"
            )
            for i, n in enumerate(names)
        ]
    if dialect in (
        "vscode-prompt",
        "vscode-agent",
        "vscode-instructions",
        "vscode-chatmode",
        "github-agent",
    ):
        m = _TOOL_REF.search(prefix)
        if m is not None:
            tools = values_of("vscode-agent", "tools") or {}
            return _values(tools, "tool", Span(start + m.start(1), offset))
        m = _PROMPT_VAR.search(prefix)
        if m is not None and dialect == "vscode-prompt":
            replace = Span(start + m.start(1), offset)
            names = [*body.PROMPT_VARIABLES, "input:name", "input:name:placeholder"]
            return [
                Candidate(n, "value", "prompt variable", "", replace, n + "}", None, f"{i:02d}")
                for i, n in enumerate(names)
            ]
    return []
