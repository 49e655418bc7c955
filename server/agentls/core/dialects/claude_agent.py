"""Claude Code's quirk rules for its subagents (``claude-agent``; formats.md §3, §11, §13).

The agent is checked by the shared engine (``generic``) with its profile ``claude-agent.yaml``:
the block as Claude Code reads it, a file without it (documentation), the required
``description``, unknown keys, enums and MCP servers. These named rules
(``dialect_rules.RULES["claude-agent"]``; a field's ``value_rule`` names the rule ``rule_<name>``
that checks its value) add what the runtime does beyond that: a file without ``name`` is
documentation, how ``tools`` entries resolve, model resolution, version-gated names and
descriptions, value types whose wrong values Claude Code's handling of is unverified, and hooks
that skip the agent.
They read the tree Claude Code loads (or, when it gives up, the tree recovered key by key) and
report what the runtime will do, at the key, the value or the list item concerned.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from agentls.core.catalog import Entry, claude, with_article
from agentls.core.context import Context
from agentls.core.findings import Severity
from agentls.core.suggest import closest, did_you_mean
from agentls.core.text import Span
from agentls.core.toollist import ToolItem, source_offset, tool_items
from agentls.core.versions import Version
from agentls.core.yamltree import BOOL, YEntry, YMap, YNode, YScalar, YSeq, kind_name

DIALECT = "claude-agent"
# the runtime's debug-log reasons for skipping an agent
MISSING_NAME = '`Missing required "name" field`'
MISSING_DESCRIPTION = '`Missing required "description" field`'
V2_1_208 = Version(2, 1, 208)
V2_1_218 = Version(2, 1, 218)
# names starting with `-` are skipped from 2.1.172 (bisected; 2.1.170 lists them, 2.1.171 was not
# published), names containing `:` from 2.1.218
DASH_NAME_SKIP_SINCE = Version(2, 1, 172)
# an agent named `Explore` runs on the built-in Explore's model (Haiku), whatever its `model`
# (bisected on gen/agent/a0105: 2.1.150 and 2.1.178 honour `model`, 2.1.152-2.1.177 do not)
EXPLORE_MODEL_FROM, EXPLORE_MODEL_UNTIL = Version(2, 1, 152), Version(2, 1, 178)
NAME_STYLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MCP_PATTERN = re.compile(r"mcp__[A-Za-z0-9_-]+(?:__(?:[A-Za-z0-9_-]+|\*))?")
TOOL_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?", re.S)
# plain scalars YAML 1.1 (PyYAML) reads as booleans, and YAML 1.2 (Claude Code) as strings
YAML11_BOOLS = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n") for w in (word, word.title(), word.upper())
)


# ---------------------------------------------------------------------------------------------
# tools


class ToolVerdict(NamedTuple):
    resolves: bool | None  # True, False, or None (unverified: may resolve)
    entry: Entry | None = None


def judge_tool(ctx: Context, item: ToolItem, field_key: str) -> ToolVerdict:
    """Report on one ``tools``/``disallowedTools`` entry; say whether it resolves."""
    name = item.text
    if name == "*":
        return ToolVerdict(True)
    if name.startswith("mcp__"):
        if name == "mcp__*":
            if field_key == "tools":
                ctx.add(
                    "AGL407",
                    item.span,
                    "`mcp__*` (every MCP tool) works only in `disallowedTools`; in `tools` "
                    "it matches nothing. List servers as `mcp__<server>` instead.",
                )
                return ToolVerdict(False)
            return ToolVerdict(True)
        if not MCP_PATTERN.fullmatch(name):
            ctx.add(
                "AGL407",
                item.span,
                f"`{name}` is not a valid MCP tool pattern: use `mcp__<server>`, "
                "`mcp__<server>__*` or `mcp__<server>__<tool>` (letters, digits, `_`, `-`).",
            )
            return ToolVerdict(None)
        return ToolVerdict(True)
    m = TOOL_ENTRY.fullmatch(name)
    if not m:
        ctx.add(
            "AGL401", item.span, f"`{name}` is not a tool name: Claude Code ignores this entry."
        )
        return ToolVerdict(False)
    base, spec = m.group(1), m.group(2)
    entry = claude().tools.get(base)
    if entry is None:
        case, hint, suggestion = _unknown_tool(base)
        if case:
            ctx.add(
                "AGL401",
                _name_span(item, base),
                f"Tool names are case-sensitive: `{base}` does not match `{case}`, so "
                f"Claude Code ignores it. Write `{case}`.",
                suggestion=case,
            )
        else:
            ctx.add(
                "AGL401",
                _name_span(item, base),
                f"Unknown tool `{base}`: Claude Code ignores this entry.{hint}",
                suggestion=suggestion,
            )
        return ToolVerdict(False)
    if (entry.until is not None and ctx.version >= entry.until) or (
        entry.status == "removed" and entry.until is None
    ):
        ctx.add(
            "AGL406",
            _name_span(item, base),
            f"`{base}` was removed in Claude Code {entry.until}: it no longer resolves.",
        )
        return ToolVerdict(False, entry)
    if entry.since is not None and ctx.version < entry.since:
        ctx.add(
            "AGL401",
            _name_span(item, base),
            f"`{base}` exists only since Claude Code {entry.since}; the target version "
            f"{ctx.version} ignores it.",
        )
        return ToolVerdict(False, entry)
    resolves: bool | None = True
    if entry.status == "legacy":
        repl = entry.extra.get("replaced_by")
        if base == "Task" and ctx.version < Version(2, 1, 63):
            pass  # the current name before the rename
        elif base == "Task":
            ctx.add(
                "AGL406",
                _name_span(item, base),
                "`Task` was renamed `Agent` in Claude Code 2.1.63; `Task` still works as an alias.",
                Severity.HINT,
                suggestion="Agent",
            )
        elif (target := entry.extra.get("runtime_alias_of")) is not None:
            ctx.add(
                "AGL406",
                _name_span(item, base),
                f"`{base}` is the former name of `{target}`: Claude Code grants `{target}`. "
                f"Write `{target}`.",
                Severity.HINT,
                suggestion=target,
            )
        elif (
            gone := entry.extra.get("unknown_since")
        ) is not None and ctx.version >= Version.parse(str(gone)):
            instead = f" Use `{repl}`." if repl else ""
            ctx.add(
                "AGL406",
                _name_span(item, base),
                f"`{base}` is no longer a Claude Code tool: {gone} does not know it and ignores "
                f"this entry.{instead}",
                suggestion=repl,
            )
            resolves = False
        else:
            instead = f" Use `{repl}`." if repl else ""
            ctx.add(
                "AGL406",
                _name_span(item, base),
                f"`{base}` is a legacy tool name; whether it still resolves is unverified."
                f"{instead}",
                suggestion=repl,
            )
            resolves = None
    if spec is not None and field_key == "tools":
        if base in ("Agent", "Task"):
            ctx.add(
                "AGL404",
                item.span,
                f"`{base}({spec})` limits which agents can be spawned only when this agent "
                "runs as the main thread (`claude --agent`); as a subagent the list is "
                f"ignored and `{base}` is granted as is.",
            )
        else:
            ctx.add(
                "AGL403",
                item.span,
                f"Claude Code does not enforce `({spec})` in an agent's `tools`: this grants "
                f"all of `{base}`. Restrict it with hooks or permission rules in settings.",
            )
    plan = ctx.get("permissionMode")
    plan_mode = plan is not None and getattr(plan.value, "value", None) == "plan"
    if (
        field_key == "tools"
        and entry.extra.get("subagents") == "never"
        and not (base == "ExitPlanMode" and plan_mode)
    ):
        note = f" ({entry.note})" if entry.note and "plan" in entry.note else ""
        ctx.add(
            "AGL405",
            _name_span(item, base),
            f"Subagents never get `{base}`: Claude Code removes it even when listed{note}.",
        )
    elif field_key == "tools" and (span := _withheld(entry, ctx.version)):
        resolves = False
        ctx.add(
            "AGL405",
            _name_span(item, base),
            f"Claude Code {span} does not give `{base}` to subagents, even when listed: this "
            "agent does not get it.",
            Severity.WARNING,
        )
    return ToolVerdict(resolves, entry)


@functools.lru_cache(maxsize=4096)  # the same unknown names recur across files
def _unknown_tool(base: str) -> tuple[str | None, str, str | None]:
    """For a name the catalogue lacks: the tool it matches but for case, the did-you-mean text
    (among current tools) and the closest tool."""
    tools = claude().tools
    current = tuple(t for t, e in tools.items() if e.status == "current")
    case = closest(base, tools) if base.lower() in {t.lower() for t in tools} else None
    return case, did_you_mean(base, current), closest(base, tools)


@functools.cache
def _gated_tools() -> frozenset[str]:
    """The tools the catalogue names a session gate for."""
    gates = claude().session_gates
    return frozenset(
        n for n, e in claude().tools.items() if str(e.extra.get("session_gate")) in gates
    )


def _withheld(entry: Entry, version: Version) -> str | None:
    """The version range (as text) of the catalogue's `subagents_withheld` holding ``version``."""
    for r in entry.extra.get("subagents_withheld") or ():
        lo = Version.parse(r["since"]) if r.get("since") else None
        hi = Version.parse(r["until"]) if r.get("until") else None
        if (lo is None or version >= lo) and (hi is None or version < hi):
            if lo is None:
                return f"before {hi}"
            return f"{lo} to {r['last']}" if r.get("last") else f"from {lo}"
    return None


def _name_span(item: ToolItem, base: str) -> Span:
    if item.text.startswith(base) and item.span.end - item.span.start == len(item.text):
        return Span(item.span.start, item.span.start + len(base))
    return item.span


# ---------------------------------------------------------------------------------------------
# rules


def missing_name(ctx: Context) -> None:
    """Without `name` the file is documentation too (a plugin's agent takes its file name)."""
    if ctx.block is None or (ctx.parse is not None and ctx.parse.not_mapping):
        return
    has = set(ctx.root.key_names()) if ctx.root is not None else set()
    if "name" in has:
        return
    others = bool(has & set(claude().fields))
    what = (
        "loads under its file name, with no `name` for delegation rules"
        if ctx.match.plugin
        else "treats the file as documentation and skips it, with no message"
    )
    ctx.add(
        "AGL201",
        ctx.block.open_span,
        f"Missing `name`: Claude Code {what}. Add `name:` (lowercase letters and hyphens).",
        Severity.WARNING if others else Severity.INFORMATION,
    )


def rule_name(ctx: Context) -> None:
    e = ctx.get("name") if ctx.root else None
    if e is None:
        return
    v = e.value
    span = ctx.value_span(v, e.key)
    skips = not ctx.match.plugin  # plugin agents: the loader's checks are unverified
    if skips and isinstance(v, YScalar) and (v.is_null or v.value in ("", 0, False)):
        # a falsy name: treated as documentation, like a file without `name`
        ctx.add(
            "AGL304",
            span,
            "`name` is empty: Claude Code treats the file as documentation and skips it, with "
            "no message. Add a name (lowercase letters and hyphens).",
            Severity.ERROR,
        )
        return
    if not isinstance(v, YScalar) or not isinstance(v.value, str):
        ctx.add(
            "AGL300",
            span,
            f"`name` is {with_article(kind_name(v))}: Claude Code needs text and skips this "
            f"agent ({MISSING_NAME} in its debug log). Quote it."
            if skips
            else "`name` should be a string; how Claude Code treats this value is unverified. "
            "Quote it.",
            Severity.ERROR if skips else None,
        )
        return
    name = v.value
    if not name.strip():
        ctx.add("AGL304", span, "`name` is empty: Claude Code needs a name to load the agent.")
        return
    colon = ":" in name and ctx.version >= V2_1_218
    if colon or (name.startswith("-") and ctx.version >= DASH_NAME_SKIP_SINCE):
        why = "contains `:` (reserved for plugin ids)" if colon else "starts with `-`"
        since = V2_1_218 if colon else DASH_NAME_SKIP_SINCE
        ctx.add(
            "AGL302",
            span,
            f"The name {why}: since Claude Code {since} the agent is skipped (error in the "
            "debug log).",
        )
        return
    if v.style is None and name in YAML11_BOOLS:
        ctx.add(
            "AGL101",
            span,
            f"`{name}` is a string for Claude Code but a boolean for YAML 1.1 tools (PyYAML): "
            f'quote it ("{name}").',
        )
    if not NAME_STYLE.fullmatch(name):
        suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        ctx.add(
            "AGL303",
            span,
            "Agent names should be lowercase letters, digits and hyphens (the documented "
            f"form); other tools may reject `{name}`."
            + (f" Use `{suggestion}`." if suggestion else ""),
            suggestion=suggestion or None,
        )


def runtime_description(value: object) -> str | None:
    """The text the agent receives: each literal backslash-n becomes a newline (§0.2 step 5)."""
    if not isinstance(value, str):
        return None
    return value.replace("\\n", "\n")


_CODE_SPAN = re.compile(r"`[^`\n]*`")


def rule_description(ctx: Context) -> None:
    e = ctx.get("description") if ctx.root else None
    if e is None:
        return
    v = e.value
    span = ctx.value_span(v, e.key)
    skips = not ctx.match.plugin  # the plugin loader's checks are unverified
    if isinstance(v, YScalar) and (v.is_null or v.value == ""):
        ctx.add(
            "AGL304",
            span,
            "`description` is empty: Claude Code skips this agent (" + MISSING_DESCRIPTION + " "
            "in its debug log). Say when Claude should use it."
            if skips
            else "`description` is empty: Claude Code requires a non-empty description and "
            "will most likely skip the agent. Say when Claude should use it.",
            Severity.ERROR if skips else None,
        )
        return
    if isinstance(v, YScalar) and isinstance(v.value, str) and not v.value.strip():
        ctx.add(
            "AGL304",
            span,
            "`description` is blank: Claude Code loads the agent, but Claude has nothing to "
            "tell when to use it. Say when Claude should use it.",
        )
        return
    if not isinstance(v, YScalar) or not isinstance(v.value, str):
        ctx.add(
            "AGL300",
            span,
            f"`description` is {with_article(kind_name(v))}: Claude Code needs text and skips "
            f"this agent ({MISSING_DESCRIPTION} in its debug log). Quote it."
            if skips
            else "`description` should be a string; how Claude Code treats a "
            f"{kind_name(v)} here is unverified. Quote it.",
            Severity.ERROR if skips else None,
        )
        return
    if v.style is None and v.value in YAML11_BOOLS:
        ctx.add(
            "AGL101",
            span,
            f"`{v.value}` is a string for Claude Code but a boolean for YAML 1.1 tools.",
        )
    # a literal \n inside `code` is most likely meant as text (a regex, an escape)
    if "\\n" not in v.value:
        return
    base = source_offset(ctx.text, v)
    for m in _CODE_SPAN.finditer(v.value):
        if "\\n" in m.group():
            where = Span(base + m.start(), base + m.end()) if base is not None else span
            ctx.add(
                "AGL309",
                where,
                "Claude Code turns every `\\n` in an agent description into a line break, also "
                f"inside {m.group()}. If you mean the two characters, rephrase (for example "
                "'newline').",
            )


def rule_tools(ctx: Context) -> None:
    if ctx.root is None:
        return
    listed: dict[str, dict[str, Span]] = {}
    for key in ("tools", "disallowedTools"):
        e = ctx.get(key)
        if e is None:
            continue
        v = e.value
        span = ctx.value_span(v, e.key)
        if isinstance(v, YMap) or (
            isinstance(v, YScalar) and not isinstance(v.value, str) and not v.is_null
        ):
            effect = (
                "this agent gets no tools at all (it is not refused)"
                if key == "tools"
                else "it removes nothing"
            )
            ctx.add(
                "AGL300",
                span,
                f"`{key}` should be a comma-separated string or a list of tool names: Claude "
                f"Code reads no tool from a {kind_name(v)}, so {effect}.",
            )
            continue
        if isinstance(v, YSeq):
            for item in v.items:
                if not (isinstance(item, YScalar) and isinstance(item.value, str)):
                    ctx.add(
                        "AGL300",
                        ctx.value_span(item),
                        f"Claude Code drops this {kind_name(item)} from `{key}`: list items must "
                        "be tool names (strings).",
                    )
        items = tool_items(ctx.text, v)
        if not items:
            if key == "tools":
                ctx.add(
                    "AGL400",
                    span,
                    "`tools` is present but empty: this agent gets no tools at all. Remove "
                    "the key to give it every tool, or list the tools it needs.",
                )
            continue
        seen: dict[str, Span] = {}
        verdicts: list[bool | None] = []
        for tool in items:
            if tool.text in seen:
                ctx.add("AGL408", tool.span, f"`{tool.text}` is already listed in `{key}`.")
                continue
            seen[tool.text] = tool.span
            verdicts.append(judge_tool(ctx, tool, key).resolves)
        listed[key] = seen
        if key == "tools" and verdicts and not all(r is False for r in verdicts):
            _session_only(ctx, seen, verdicts, span)
        if key == "tools" and verdicts and all(r is False for r in verdicts):
            if ctx.version >= V2_1_208:
                ctx.add(
                    "AGL402",
                    span,
                    "No entry of `tools` resolves to a tool: Claude Code refuses to launch "
                    'this agent ("would be spawned with zero tools").',
                )
            else:
                ctx.add(
                    "AGL402",
                    span,
                    "No entry of `tools` resolves to a tool: the agent runs with no tools.",
                    Severity.WARNING,
                )
    both = set(listed.get("tools", {})) & set(listed.get("disallowedTools", {}))
    for name in sorted(both):
        ctx.add(
            "AGL409",
            listed["tools"][name],
            f"`{name}` is also in `disallowedTools`, which is applied first: the agent does "
            "not get it.",
        )
    tools = listed.get("tools", {})
    if tools and "*" not in tools and set(tools) <= both:
        e = ctx.get("tools")
        assert e is not None
        ctx.add(
            "AGL402",
            ctx.value_span(e.value, e.key),
            "Every entry of `tools` is also in `disallowedTools`: the agent runs with no tools "
            "(Claude Code does not refuse it).",
            Severity.WARNING,
        )
    _session_gates(ctx, tools, set(listed.get("disallowedTools", {})))


def _own_servers(ctx: Context) -> set[str]:
    """MCP servers this agent names or defines in its own `mcpServers`."""
    e = ctx.get("mcpServers")
    out: set[str] = set()
    if e is not None and isinstance(e.value, YSeq):
        for item in e.value.items:
            if isinstance(item, YScalar) and isinstance(item.value, str):
                out.add(item.value)
            elif isinstance(item, YMap):
                out.update(x.key_text for x in item.entries)
    return out


def _session_only(
    ctx: Context, seen: dict[str, Span], verdicts: list[bool | None], span: Span
) -> None:
    """Every entry that may resolve depends on the session: a tool of an MCP server the file
    does not define, or a todo tool (catalogue `session_gates`). Whether the session connects
    the server (user settings, plugins) or runs an older model is unknowable here, so the
    zero-tools refusal is information, not an error."""
    own = _own_servers(ctx)
    servers: list[str] = []
    todo: list[str] = []
    for text, ok in zip(seen, verdicts, strict=True):
        if ok is False:
            continue
        parts = text.split("__")
        entry = claude().tools.get(_base(text))
        gate = claude().session_gates.get("todo-tools")
        if (
            entry is not None
            and gate is not None
            and entry.extra.get("session_gate") == gate.name
            and (gate.since is None or ctx.version >= gate.since)
        ):
            todo.append(entry.name)
            continue
        if len(parts) < 2 or parts[0] != "mcp" or parts[1] in ("", "*") or parts[1] in own:
            return
        servers.append(parts[1])
    if not (servers or todo) or ctx.version < V2_1_208:
        return
    unless: list[str] = []
    if servers:
        names = ", ".join(f"`{n}`" for n in dict.fromkeys(servers))
        unless.append(f"the session connects the MCP server ({names}; `.mcp.json`, user settings)")
    if todo:
        unless.append(
            "the session runs a model from before Claude 5 or sets CLAUDE_CODE_ENABLE_TODO_TOOLS"
            f" ({', '.join(f'`{n}`' for n in todo)})"
        )
    ctx.add(
        "AGL402",
        span,
        "Every tool in `tools` depends on the session: unless "
        + " and ".join(unless)
        + ', Claude Code refuses to launch this agent ("would be spawned with zero tools").',
        Severity.INFORMATION,
    )


def _base(entry: str) -> str:
    m = TOOL_ENTRY.fullmatch(entry)
    return m.group(1) if m else entry


def _session_gates(ctx: Context, tools: dict[str, Span], disallowed: set[str]) -> None:
    """Listed tools the session leaves out (catalogue `session_gates`), so the agent lacks them."""
    gated = _gated_tools()
    if not any(t in gated or t.split("(", 1)[0] in gated for t in tools):
        return  # (a tool's name is the entry, or what comes before its `(`)
    bases = {_base(t) for t in tools}
    bash = "Bash" in bases and "Bash" not in {_base(d) for d in disallowed}
    for text, span in tools.items():
        entry = claude().tools.get(_base(text))
        gate = claude().session_gates.get(str(entry.extra.get("session_gate"))) if entry else None
        if entry is None or gate is None or (gate.since and ctx.version < gate.since):
            continue
        name = entry.name
        if gate.name == "embedded-search":
            if not bash:
                continue
            message = (
                f"With `Bash` granted, Claude Code drops `{name}`: native builds search with "
                f"`find`/`grep` inside `Bash` and leave `{name}` out of the session (an agent "
                "without `Bash` gets it)."
            )
        else:
            message = (
                f"Claude Code gives `{name}` only to sessions on a model from before Claude 5, "
                "or with CLAUDE_CODE_ENABLE_TODO_TOOLS set: on the current models this agent "
                "does not get it."
            )
        ctx.add(
            "AGL405",
            Span(span.start, span.start + len(name)) if text.startswith(name) else span,
            message,
            Severity.WARNING if gate.extra.get("severity") == "warning" else Severity.INFORMATION,
            gate=gate.name,
        )


def rule_model(ctx: Context) -> None:
    e = ctx.get("model") if ctx.root else None
    if e is None:
        return
    v = e.value
    span = ctx.value_span(v, e.key)
    if not isinstance(v, YScalar) or not isinstance(v.value, str) or not v.value.strip():
        if isinstance(v, YScalar) and v.is_null:
            return
        ctx.add("AGL300", span, "`model` should be a model alias or id (a string).")
        return
    model = v.value.strip()
    cat = claude()
    name = ctx.get("name")
    if (
        EXPLORE_MODEL_FROM <= ctx.version < EXPLORE_MODEL_UNTIL
        and name is not None
        and getattr(name.value, "value", None) == "Explore"
        and model.lower() not in ("haiku", "inherit")
    ):
        ctx.add(
            "AGL306",
            span,
            f"Claude Code {ctx.version} runs an agent named `Explore` on the built-in Explore's "
            "model (Haiku), whatever `model` says (2.1.152 to 2.1.177). Rename the agent to use "
            "this model.",
        )
        return
    old_list = ctx.version < cat.model_ids_since and cat.models_before_ids
    if old_list and not re.fullmatch(cat.model_id_pattern, model):
        if v.value not in cat.models_before_ids:
            ctx.add(
                "AGL306",
                span,
                f"Claude Code {ctx.version} takes only "
                + ", ".join(f"`{m}`" for m in cat.models_before_ids)
                + " (exactly, in lower case): this agent runs on the session's model."
                + did_you_mean(model.lower(), list(cat.models_before_ids)),
                suggestion=closest(model.lower(), list(cat.models_before_ids)),
            )
        return
    alias = cat.model_aliases.get(model)
    if alias is None and cat.models_case_insensitive:
        alias = cat.model_aliases.get(model.lower())  # `Sonnet`, `HAIKU`: resolved (2.1.332)
    if alias is not None and alias.extra.get("resolved", True):
        effect = alias.extra.get("agent_effect")
        if not alias.extra.get("agent_documented", True) and effect:
            ctx.add(
                "AGL306",
                span,
                f"`{model}` is a general model alias, not one documented for agents: {effect} "
                "Prefer `sonnet`, `opus`, `haiku`, `fable` or `inherit`.",
                Severity.INFORMATION,
            )
        return
    remap = cat.model_remap
    if (
        remap is not None
        and model in remap.ids
        and ctx.version >= (remap.since or cat.model_ids_since)
    ):
        ctx.add(
            "AGL307",
            span,
            f"`{model}` is a retired model: Claude Code replaces it with the current "
            f"`{remap.to}` model (unless {remap.env} is set), so the agent does not run on the "
            f"model written. Write `{remap.to}` or a current model id.",
            suggestion=remap.to,
        )
        return
    id_shaped = bool(re.fullmatch(cat.model_id_pattern, model))
    provider = bool(re.search(r"claude|anthropic", model, re.I)) or model.startswith("arn:")
    if id_shaped or provider:
        if ctx.version < cat.model_ids_since:
            ctx.add(
                "AGL307",
                span,
                f"Claude Code before {cat.model_ids_since} ignores full model ids: this agent "
                "runs on the default model. Use an alias such as `sonnet`.",
            )
        elif id_shaped and model not in cat.model_ids:
            ctx.add(
                "AGL306",
                span,
                f"`{model}` is not a model id agentls knows; Claude Code sends it to the API as "
                "written: check that it exists.",
                Severity.INFORMATION,
            )
        return
    names = [n for n, x in cat.model_aliases.items() if x.extra.get("resolved", True)]
    hint = did_you_mean(model, names + list(cat.model_ids))
    if ctx.version < cat.model_ids_since:
        ctx.add(
            "AGL306",
            span,
            f"`{model}` is neither a model alias nor a model id; Claude Code "
            f"{ctx.version} will not use it as given.{hint}",
            suggestion=closest(model, names),
        )
        return
    ctx.add(
        "AGL306",
        span,
        f"`{model}` is neither a Claude model alias nor a Claude model id: Claude Code sends it "
        "to the API as written, which works only through a gateway that serves such a model "
        f"(the Anthropic API rejects it).{hint}",
        Severity.INFORMATION,
        suggestion=closest(model, names),
    )


def integer_effort(value: object) -> bool:
    """Does Claude Code read ``value`` as an integer effort (``Number.isInteger``, or
    ``parseInt`` of the text: `3`, `1.5`, `"2 levels"`)?"""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    text = value if isinstance(value, str) else str(value) if isinstance(value, float) else ""
    return re.match(r"\s*[+-]?[0-9]", text) is not None


def _list(values: dict[str, Entry]) -> str:
    return ", ".join(f"`{n}`" for n, e in values.items() if e.status == "current")


def rule_scalars(ctx: Context) -> None:
    """maxTurns, background, initialPrompt, skills: types and ranges."""
    e = ctx.get("maxTurns")
    if e is not None and not (isinstance(e.value, YScalar) and e.value.is_null):
        v = e.value
        span = ctx.value_span(v, e.key)
        if isinstance(v, YScalar) and type(v.value) is int:
            if v.value < 1:
                ctx.add("AGL310", span, "`maxTurns` must be at least 1.")
        else:
            shown = ""
            if isinstance(v, YScalar) and isinstance(v.value, str):
                shown = f' (not the string "{v.value}")'
            ctx.add(
                "AGL300",
                span,
                f"`maxTurns` should be a whole number{shown}; how Claude Code treats other "
                "values is unverified.",
            )
    e = ctx.get("background")
    if e is not None and not (isinstance(e.value, YScalar) and e.value.is_null):
        v = e.value
        if not (isinstance(v, YScalar) and v.tag == BOOL):
            extra = ""
            if isinstance(v, YScalar) and v.style is None and v.value in YAML11_BOOLS:
                extra = f" (`{v.value}` is a string in YAML 1.2)"
            ctx.add(
                "AGL300",
                ctx.value_span(v, e.key),
                f"`background` should be `true` or `false`{extra}; other values are unverified.",
            )
    e = ctx.get("initialPrompt")
    if e is not None and not (
        isinstance(e.value, YScalar) and (isinstance(e.value.value, str) or e.value.is_null)
    ):
        ctx.add("AGL300", ctx.value_span(e.value, e.key), "`initialPrompt` should be text.")
    e = ctx.get("skills")
    if e is not None:
        v = e.value
        if isinstance(v, YScalar) and isinstance(v.value, str):
            ctx.add(
                "AGL300",
                ctx.value_span(v, e.key),
                "`skills` is documented as a list; the comma-string form is unverified. "
                "Write a YAML list (`skills: [a, b]`).",
                Severity.HINT,
            )
        elif isinstance(v, YSeq):
            for item in v.items:
                if not (isinstance(item, YScalar) and isinstance(item.value, str)):
                    ctx.add(
                        "AGL300", ctx.value_span(item), "Each `skills` item should be a skill name."
                    )
        elif not (isinstance(v, YScalar) and v.is_null):
            ctx.add("AGL300", ctx.value_span(v, e.key), "`skills` should be a list of names.")


def check_mcp_servers(ctx: Context, e: YEntry) -> None:
    """A Claude Code ``mcpServers`` list (formats.md §3.2, §11.6)."""
    if isinstance(e.value, YScalar) and e.value.is_null:
        return
    v = e.value
    if not isinstance(v, YSeq):
        ctx.add(
            "AGL503",
            ctx.value_span(v, e.key),
            "`mcpServers` should be a list: server names, or one-key maps "
            "`- name: {type: stdio, command: ...}`.",
        )
        return
    types = claude().mcp_server_types
    for item in v.items:
        if isinstance(item, YScalar) and isinstance(item.value, str):
            continue
        if not isinstance(item, YMap) or len(item.entries) != 1:
            ctx.add(
                "AGL503",
                ctx.value_span(item),
                "Each `mcpServers` item is a configured server's name or a map with exactly "
                "one key (the server name) whose value is its configuration.",
            )
            continue
        cfg_entry = item.entries[0]
        cfg = cfg_entry.value
        if not isinstance(cfg, YMap):
            ctx.add(
                "AGL503",
                ctx.value_span(cfg, cfg_entry.key),
                f"The configuration of `{cfg_entry.key_text}` should be a mapping "
                "(`type`, `command`/`url`, ...).",
            )
            continue
        t = cfg.get("type")
        if t is None:
            if cfg.get("url") is not None:
                ctx.add(
                    "AGL503",
                    cfg_entry.key.span,
                    f"`{cfg_entry.key_text}` has a `url` but no `type`: Claude Code rejects it "
                    "(add `type: http`, `sse` or `ws`).",
                )
            elif cfg.get("command") is None:
                ctx.add(
                    "AGL503",
                    cfg_entry.key.span,
                    f"`{cfg_entry.key_text}` needs a `command` (stdio) or a `url` and `type`.",
                )
            continue
        tv = t.value
        if not (isinstance(tv, YScalar) and isinstance(tv.value, str) and tv.value in types):
            shown = tv.value if isinstance(tv, YScalar) else "?"
            ctx.add(
                "AGL503",
                ctx.value_span(tv, t.key),
                f"Unknown MCP server type `{shown}`: use one of {_list(types)}."
                f"{did_you_mean(str(shown), types)}",
            )


# From 2.1.257 (bisected: 2.1.252 loads the agent; 2.1.253-256 were not published) a hook that
# cannot be loaded skips the agent when it sits under an event that may guard permissions (the
# runtime's own set); under other events the entry is ignored.
HOOKS_SKIP_SINCE = Version(2, 1, 257)
GUARD_EVENTS = frozenset({"PreToolUse", "PermissionRequest", "PreSkillShellCommand"})
_GUARD_WHY = (
    "a PreToolUse/PermissionRequest hook that cannot be loaded may be what guards the agent's "
    "permissions"
)


def rule_hooks(ctx: Context) -> None:
    skips = not ctx.match.plugin and ctx.version >= HOOKS_SKIP_SINCE
    if skips and ctx.root is not None:
        for top in ctx.root.entries:
            if top.key_text in GUARD_EVENTS and not _js_empty(top.value):
                ctx.add(
                    "AGL500",
                    top.key.span,
                    f"`{top.key_text}` at the top level of the front matter, outside `hooks`: "
                    f"Claude Code {HOOKS_SKIP_SINCE} and later skip this agent ({_GUARD_WHY}). "
                    "Move it under `hooks:`.",
                    Severity.ERROR,
                )
    e = ctx.get("hooks")
    if e is not None:
        check_hooks(ctx, e, skips=skips)


def _js_falsy(node: YNode) -> bool:
    """null, "", 0 or false: the runtime reads no hooks at all."""
    return isinstance(node, YScalar) and (node.is_null or node.value in ("", 0, False))


def _js_empty(node: YNode) -> bool:
    return (isinstance(node, YScalar) and node.is_null) or (
        isinstance(node, YSeq) and not node.items
    )


def _is_matcher(m: YMap) -> bool:
    """The runtime's test for a matcher group written where the event map belongs."""
    keys = set(m.key_names())
    if "matcher" not in keys and keys & set(claude().hook_events):
        return False
    h = m.get("hooks")
    if h is None:
        return False
    if isinstance(h.value, YSeq):
        return bool(h.value.items)
    if isinstance(h.value, YMap):
        t = h.value.get("type")
        return "matcher" in keys or (
            t is not None and isinstance(t.value, YScalar) and isinstance(t.value.value, str)
        )
    return False


def _holds_guard(node: YNode, depth: int = 3) -> bool:
    """Guard-event hooks somewhere under ``node`` (the runtime looks 3 levels down)."""
    if isinstance(node, YMap):
        if any(e.key_text in GUARD_EVENTS and not _js_empty(e.value) for e in node.entries):
            return True
        return depth > 0 and any(_holds_guard(e.value, depth - 1) for e in node.entries)
    if isinstance(node, YSeq):
        return depth > 0 and any(_holds_guard(i, depth - 1) for i in node.items)
    return False


class _HookReport(NamedTuple):
    """How a problem under one event is reported: the verdict depends on the event."""

    ctx: Context
    skips: bool  # the target version skips agents with unloadable guard hooks
    guard: bool  # the event may guard permissions

    def add(self, code: str, span: Span, message: str, old_effect: str = "", **data: Any) -> None:
        if self.skips and self.guard:
            self.ctx.add(
                code,
                span,
                f"{message} Claude Code {HOOKS_SKIP_SINCE} and later skip this agent "
                f"({_GUARD_WHY}).",
                Severity.ERROR,
                **data,
            )
        elif self.skips:
            self.ctx.add(code, span, f"{message} Claude Code ignores this entry.", **data)
        else:
            self.ctx.add(code, span, f"{message}{old_effect}", **data)


def check_hooks(ctx: Context, e: YEntry, once_honoured: bool = False, skips: bool = False) -> None:
    """A Claude Code ``hooks`` map (formats.md §11.5).

    ``skips``: an agent on a version that skips it for an unloadable guard hook (2.1.278+).
    """
    if isinstance(e.value, YScalar) and e.value.is_null:
        return
    v = e.value
    cat = claude()
    if skips and _js_falsy(v):
        return
    if not isinstance(v, YMap):
        ctx.add(
            "AGL500",
            ctx.value_span(v, e.key),
            "`hooks` should map event names to lists of `{matcher, hooks: [...]}`; Claude "
            + (
                f"Code {HOOKS_SKIP_SINCE} and later skip this agent (`Invalid hooks` in the "
                "debug log)."
                if skips
                else "Code most likely drops this value."
            ),
            Severity.ERROR if skips else None,
        )
        return
    if skips and _is_matcher(v):
        ctx.add(
            "AGL500",
            ctx.value_span(v, e.key),
            "`hooks` holds a matcher group, not a map of events: Claude Code "
            f"{HOOKS_SKIP_SINCE} and later skip this agent. Put the group under its event "
            "(`PreToolUse:`, `Stop:`...).",
            Severity.ERROR,
        )
        return
    for ev in v.entries:
        name = ev.key_text
        report = _HookReport(ctx, skips, name in GUARD_EVENTS)
        if name not in cat.hook_events:
            fatal = skips and _holds_guard(ev.value)
            ctx.add(
                "AGL501",
                ev.key.span,
                f"Unknown hook event `{name}`"
                + (
                    f": it holds PreToolUse/PermissionRequest hooks, so Claude Code "
                    f"{HOOKS_SKIP_SINCE} and later skip this agent."
                    if fatal
                    else (": Claude Code ignores this entry." if skips else ".")
                )
                + did_you_mean(name, cat.hook_events),
                Severity.ERROR if fatal else None,
                suggestion=closest(name, cat.hook_events),
            )
            if skips:
                continue
        groups = ev.value
        if not isinstance(groups, YSeq):
            if skips and isinstance(groups, YScalar) and groups.is_null:
                report = report._replace(guard=False)
            report.add(
                "AGL500",
                ctx.value_span(groups, ev.key),
                f"`{name}` should be a list of matcher groups (`- matcher: ...` with `hooks:`).",
            )
            continue
        for g in groups.items:
            if not isinstance(g, YMap):
                report.add(
                    "AGL500",
                    ctx.value_span(g),
                    "Each item should be a matcher group: `{matcher: ..., hooks: [...]}`.",
                )
                continue
            if g.get("hooks") is None and (
                g.get("type") is not None or g.get("command") is not None
            ):
                report.add(
                    "AGL500",
                    ctx.value_span(g),
                    "This is VS Code's flat hook shape; Claude Code expects the handlers "
                    "under `hooks:` in a matcher group (`- matcher: ...` / `hooks: [...]`).",
                    " It most likely drops the whole `hooks` value.",
                )
                continue
            handlers = g.get("hooks")
            if handlers is None or not isinstance(handlers.value, YSeq):
                report.add(
                    "AGL500",
                    ctx.value_span(handlers.value, handlers.key) if handlers else ctx.value_span(g),
                    "A matcher group needs `hooks:` with a list of handlers.",
                )
                continue
            for h in handlers.value.items:
                _check_handler(report, h, once_honoured)
            m = g.get("matcher")
            bad = m is not None and not (
                isinstance(m.value, YScalar) and isinstance(m.value.value, str)
            )
            if m is not None and bad and (skips or not _js_empty(m.value)):
                report.add(
                    "AGL500",
                    ctx.value_span(m.value, m.key),
                    "`matcher` should be a string (a tool name or a pattern such as `Edit|Write`).",
                )


HANDLER_NEEDS = {"command": "command", "http": "url", "prompt": "prompt", "agent": "prompt"}
_HANDLER_TYPES: dict[str, str] = {"timeout": "number", "statusMessage": "string", "once": "bool"}


def _check_handler(report: _HookReport, h: YNode, once_honoured: bool) -> None:
    ctx = report.ctx
    cat = claude()
    if not isinstance(h, YMap):
        report.add("AGL502", ctx.value_span(h), "A hook handler should be a mapping with `type`.")
        return
    t = h.get("type")
    if t is None:
        report.add(
            "AGL502",
            ctx.value_span(h),
            f"This hook handler has no `type` ({_list(cat.hook_handler_types)}).",
        )
        return
    tv = t.value
    tname = tv.value if isinstance(tv, YScalar) else None
    if not isinstance(tname, str) or tname not in cat.hook_handler_types:
        report.add(
            "AGL502",
            ctx.value_span(tv, t.key),
            f"Unknown hook handler type `{tname}`: use one of "
            f"{_list(cat.hook_handler_types)}.{did_you_mean(str(tname), cat.hook_handler_types)}",
        )
        return
    need = HANDLER_NEEDS.get(tname)
    needed = h.get(need) if need else None
    if need and (needed is None or (isinstance(needed.value, YScalar) and needed.value.is_null)):
        report.add("AGL502", t.key.span, f"A `{tname}` hook handler needs `{need}`.")
        return
    if (
        report.skips
        and needed is not None
        and not (isinstance(needed.value, YScalar) and isinstance(needed.value.value, str))
    ):
        report.add(
            "AGL502",
            ctx.value_span(needed.value, needed.key),
            f"`{need}` in a `{tname}` hook handler should be text.",
        )
        return
    if report.skips:
        for key, want in _HANDLER_TYPES.items():
            f = h.get(key)
            if f is None:
                continue
            val = f.value.value if isinstance(f.value, YScalar) else None
            ok = (
                (
                    want == "number"
                    and isinstance(val, (int, float))
                    and type(val) is not bool
                    and val > 0
                )
                or (want == "string" and isinstance(val, str))
                or (want == "bool" and type(val) is bool)
            )
            if not ok:
                what = {
                    "number": "a positive number",
                    "string": "text",
                    "bool": "`true` or `false`",
                }
                report.add(
                    "AGL502",
                    ctx.value_span(f.value, f.key),
                    f"`{key}` in a hook handler should be {what[want]}.",
                )
                return
    once = h.get("once")
    if once is not None and not once_honoured:
        ctx.add(
            "AGL502",
            once.key.span,
            "`once` is honoured only in skill front matter; here it is ignored.",
            Severity.INFORMATION,
        )


# Claude Code's quirks, beside the shared checks of the generic engine (no front matter, required
# `description`, unknown keys, enums, MCP servers): registered in dialect_rules.RULES
RULES = (
    missing_name,
    rule_name,
    rule_description,
    rule_tools,
    rule_model,
    rule_scalars,
    rule_hooks,
)
