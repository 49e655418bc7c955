"""Pydantic model of Claude Code subagent front matter (formats.md §3.2, §11, §12).

Used only to export the JSON Schema (``agentls schema``) and by tests: the analysis never imports
this module (pydantic is too slow to import for the CLI and the first diagnostics).

Every vocabulary comes from the catalogue: closed enums are ``Literal`` types built at import from
the entries whose status is ``current``, and field descriptions are the catalogue docs. The model
is as permissive as Claude Code is: unknown keys, unknown tool names and other model ids are
accepted (agentls warns about them; the schema must not call a loadable file invalid).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    WithJsonSchema,
    create_model,
    model_validator,
)

from agentls.core.catalog import Entry, claude

# The key each handler type needs, shared with the rule engine (AGL502) so both agree.
from agentls.core.dialects.claude_agent import HANDLER_NEEDS

CAT = claude()


def current(entries: Mapping[str, Entry], *, deprecated: bool = False) -> dict[str, Entry]:
    """The entries a file may use today (``deprecated`` ones still work where asked)."""
    ok = {"current", "deprecated"} if deprecated else {"current"}
    return {n: e for n, e in entries.items() if e.status in ok}


def plain(markdown: str) -> str:
    """Markdown doc text without code backticks, for ``enumDescriptions``."""
    return markdown.replace("`", "")


def value_doc(e: Entry) -> str:
    doc = e.doc
    if e.since is not None:
        doc += f" Since Claude Code {e.since}."
    if e.status == "deprecated":
        doc += " Deprecated."
    return doc


def enum_schema(entries: Iterable[Entry]) -> dict[str, Any]:
    """``enum`` with per-value docs that VS Code and yaml-language-server both show."""
    items = list(entries)
    return {
        "type": "string",
        "enum": [e.name for e in items],
        "enumDescriptions": [plain(value_doc(e)) for e in items],
        "markdownEnumDescriptions": [value_doc(e) for e in items],
    }


def closed(entries: Mapping[str, Entry]) -> Any:
    """A ``Literal`` of the entries' names whose JSON schema carries their docs."""
    return Annotated[Literal[tuple(entries)], WithJsonSchema(enum_schema(entries.values()))]


def field_doc(key: str) -> str:
    """A field's description: catalogue doc, accepted values and default."""
    spec = CAT.fields[key]
    parts = [spec.entry.doc]
    if spec.values_doc:
        parts.append(f"Values: {spec.values_doc}")
    if spec.default:
        parts.append(f"Default: {spec.default}")
    return "\n\n".join(parts)


def doc(key: str) -> Any:
    """``Field`` with the catalogue description of a top-level key, default ``None``."""
    return Field(default=None, description=field_doc(key))


# ---------------------------------------------------------------------------------------------
# scalar vocabularies

MCP_PATTERN = r"^mcp__[A-Za-z0-9_*-]*"
SPECIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*\(.*\)$"

TOOL_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {**enum_schema(current(CAT.tools).values()), "description": "A built-in tool."},
        {
            "type": "string",
            "pattern": f"{SPECIFIER_PATTERN}|{MCP_PATTERN}|^\\*$",
            "description": "`Tool(specifier)`, `Agent(type, …)`, an MCP pattern (`mcp__<server>`, "
            "`mcp__<server>__*`, `mcp__<server>__<tool>`) or `*` (every tool).",
        },
        {
            "type": "string",
            "description": "Any other entry (several may be separated by commas or spaces). Claude "
            "Code ignores names it does not know; agentls warns about them.",
        },
    ]
}

_documented_aliases = {
    n: e for n, e in current(CAT.model_aliases).items() if e.extra.get("agent_documented", True)
}
MODEL_SCHEMA: dict[str, Any] = {
    "anyOf": [
        enum_schema([*_documented_aliases.values(), *current(CAT.model_ids).values()]),
        {
            "type": "string",
            "pattern": r"\S",
            "description": "Another model id: a full Claude id "
            f"(`{CAT.model_id_pattern}`) or a provider id (Bedrock ARN or inference profile, "
            "Vertex, Foundry), as accepted by `--model`.",
        },
    ]
}


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_effort_extra = CAT.fields["effort"].entry.extra
_effort_words = [*current(CAT.effort_levels), *(_effort_extra.get("value_aliases") or {})]
# Claude Code reads `effort` in any case, `med`, any integer and a string that starts with one
EFFORT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        enum_schema(current(CAT.effort_levels).values()),
        {
            "type": "string",
            "pattern": f"^(?:{'|'.join(_any_case(w) for w in _effort_words)})$"
            r"|^\s*[+-]?[0-9]",
            "description": "A level in any case (`HIGH`), `med`, or an integer as text.",
        },
        {"type": "number", "description": "An integer effort (a fraction is cut to one)."},
    ]
}


def _effort(value: str | int | float) -> str | int | float:
    if isinstance(value, str) and re.search(EFFORT_SCHEMA["anyOf"][1]["pattern"], value) is None:
        raise ValueError(f"not an effort level or an integer: {value!r}")
    return value


if TYPE_CHECKING:
    Color: TypeAlias = str
    PermissionMode: TypeAlias = str
    MemoryScope: TypeAlias = str
    Effort: TypeAlias = str
    Isolation: TypeAlias = str
    HandlerType: TypeAlias = str
    McpServerType: TypeAlias = str
    ModelName: TypeAlias = str
else:
    Color = closed(current(CAT.colors))
    PermissionMode = closed(current(CAT.permission_modes))
    MemoryScope = closed(current(CAT.memory_scopes))
    Effort = Annotated[str | int | float, AfterValidator(_effort), WithJsonSchema(EFFORT_SCHEMA)]
    Isolation = closed(current(CAT.isolation_modes))
    HandlerType = closed(current(CAT.hook_handler_types))
    McpServerType = closed(current(CAT.mcp_server_types, deprecated=True))
    ModelName = Annotated[str, Field(pattern=r"\S"), WithJsonSchema(MODEL_SCHEMA)]


class ToolEntry(RootModel[Annotated[str, WithJsonSchema(TOOL_SCHEMA)]]):
    """A `tools` entry: a tool name, `Tool(specifier)` or an MCP pattern."""

    model_config = ConfigDict(strict=True, title="Tool entry")


Tools = ToolEntry | list[ToolEntry]


# ---------------------------------------------------------------------------------------------
# hooks (§11.5)


def hook_key_doc(key: str) -> str:
    common = CAT.hook_common_keys.get(key)
    if common is not None:
        return common.doc
    kinds = [f"`{t}`" for t, e in CAT.hook_handler_types.items() if key in e.extra.get("keys", ())]
    return f"Key of {' and '.join(kinds)} handlers."


def absent_ok(description: str, alias: str | None = None) -> Any:
    """``Field`` of a key that may be absent but not null (a default is never validated)."""
    return Field(default=None, alias=alias, description=description)


def hook_field(key: str) -> Any:
    return absent_ok(hook_key_doc(key), alias=key if key in ("if", "async") else None)


class HookHandler(BaseModel):
    """A hook handler: what runs when the event fires."""

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        title="Hook handler",
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                    "then": {"required": [k]},
                }
                for t, k in HANDLER_NEEDS.items()
            ]
        },
    )

    type: HandlerType = Field(description=hook_key_doc("type"))
    if_: str = hook_field("if")
    timeout: float = hook_field("timeout")
    statusMessage: str = hook_field("statusMessage")
    once: bool = hook_field("once")
    command: str = hook_field("command")
    args: list[str] = hook_field("args")
    async_: bool = hook_field("async")
    asyncRewake: bool = hook_field("asyncRewake")
    shell: str = hook_field("shell")
    url: str = hook_field("url")
    headers: dict[str, str] = hook_field("headers")
    allowedEnvVars: list[str] = hook_field("allowedEnvVars")
    prompt: str = hook_field("prompt")
    model: str = hook_field("model")

    @model_validator(mode="after")
    def _needed_key(self) -> HookHandler:
        need = HANDLER_NEEDS.get(self.type)
        if need is not None and getattr(self, need, None) is None:
            raise ValueError(f"`{self.type}` hook handlers need `{need}`")
        return self


class MatcherGroup(BaseModel):
    """A matcher group: an optional matcher and the handlers it runs."""

    model_config = ConfigDict(strict=True, extra="allow", title="Hook matcher group")

    matcher: str = hook_field("matcher")
    hooks: list[HookHandler] = Field(description=hook_key_doc("hooks"))


if TYPE_CHECKING:
    HookEvents = BaseModel
else:
    # one property per event (completion and hover on event names); other names are rejected
    HookEvents = create_model(
        "HookEvents",
        __config__=ConfigDict(strict=True, extra="forbid", title="Hooks"),
        __doc__="Hook event name -> list of matcher groups.",
        **{
            name: (list[MatcherGroup], absent_ok(e.doc))
            for name, e in current(CAT.hook_events).items()
        },
    )


# ---------------------------------------------------------------------------------------------
# MCP servers (§11.6)


class McpServerConfig(BaseModel):
    """An inline MCP server definition (the `.mcp.json` entry schema)."""

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        title="MCP server config",
        json_schema_extra={
            "anyOf": [{"required": ["type"]}, {"required": ["command"]}],
            "dependencies": {"url": ["type"]},
        },
    )

    type: McpServerType = absent_ok("Transport; `stdio` when omitted (then `command` is needed).")
    command: str = absent_ok("Command starting a `stdio` server.")
    args: list[str] = absent_ok("Arguments of `command`.")
    env: dict[str, str] = absent_ok("Environment variables of `command`.")
    url: str = absent_ok("URL of a remote server (needs `type`).")
    headers: dict[str, str] = absent_ok("HTTP headers sent to a remote server.")

    @model_validator(mode="before")
    @classmethod
    def _type_or_command(cls, data: Any) -> Any:
        if isinstance(data, dict) and "type" not in data:
            if "url" in data:
                raise ValueError('has a "url" but no "type"')
            if "command" not in data:
                raise ValueError("needs a `command` (stdio) or a `url` and `type`")
        return data


McpServer = str | Annotated[dict[str, McpServerConfig], Field(min_length=1, max_length=1)]


# ---------------------------------------------------------------------------------------------
# the front matter


class ClaudeAgent(BaseModel):
    """Front matter of a Claude Code subagent (`.claude/agents/*.md`): `name` and `description`
    are required; the Markdown body is the agent's system prompt."""

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        title="Claude Code subagent front matter",
    )

    # `:` and a leading `-` make Claude Code skip the agent (>= 2.1.218); the lowercase style is
    # only a warning, so it is not enforced here.
    name: str = Field(min_length=1, pattern=r"^[^:-][^:]*$", description=field_doc("name"))
    description: str = Field(min_length=1, description=field_doc("description"))
    tools: Tools | None = doc("tools")
    disallowedTools: Tools | None = doc("disallowedTools")
    model: ModelName | None = doc("model")
    permissionMode: PermissionMode | None = doc("permissionMode")
    maxTurns: Annotated[int, Field(ge=1)] | None = doc("maxTurns")
    skills: list[str] | None = doc("skills")
    mcpServers: list[McpServer] | None = doc("mcpServers")
    hooks: HookEvents | None = doc("hooks")
    memory: MemoryScope | None = doc("memory")
    background: bool | None = doc("background")
    effort: Effort | None = doc("effort")
    isolation: Isolation | None = doc("isolation")
    color: Color | None = doc("color")
    initialPrompt: str | None = doc("initialPrompt")
    # in Claude Code's own agent schema (native builds), undocumented
    omitClaudeMd: bool | None = doc("omitClaudeMd")
    observer: str | None = doc("observer")
    observerMessage: str | None = doc("observerMessage")
    observeSubagents: bool | None = doc("observeSubagents")
    observeToolResults: bool | None = doc("observeToolResults")
    autoCompactWindow: Annotated[int, Field(ge=1)] | None = doc("autoCompactWindow")
    experimental: dict[str, Any] | None = doc("experimental")
