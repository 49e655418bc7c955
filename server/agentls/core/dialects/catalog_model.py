"""Pydantic models of the catalogue-driven dialects (every dialect but ``claude-agent``).

One model per ``<dialect>.yaml``, built at run time from its ``DialectSpec``: a field per
catalogue key, typed by the catalogue ``type``, documented with the catalogue docs. Used only to
export the JSON Schemas (``agentls schema``) and by tests: the analysis never imports this module
(pydantic is too slow to import for the CLI and the first diagnostics).

The models are as permissive as the tools: unknown keys are allowed (except where the catalogue
says the tool rejects them), open vocabularies (tools, models) are completion hints, never
restrictions, and a deprecated or legacy value of a closed set is still accepted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from agentls.core.catalog import (
    DIALECT_FILES,
    DialectSpec,
    Entry,
    FieldSpec,
    dialect,
    field_values,
)
from agentls.core.dialects.claude_agent_model import (
    Effort,
    HookEvents,
    McpServer,
    ModelName,
    ToolEntry,
    absent_ok,
    plain,
)

# Claude Code skills and commands: these strings are booleans too, in any case (§0.4)
LENIENT_BOOLEAN_PATTERN = "^([Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff]|1|0)$"
# what the engine splits a tools-style string on (commas and whitespace)
SEPARATORS = r"[\s,]+"
_REGEX_SPECIAL = re.compile(r"([.^$*+?()\[\]{}|\\/])")

PERMISSION_ACTIONS = {
    "ask": "Ask for approval before each use.",
    "allow": "Allow without asking.",
    "deny": "Deny.",
}


# ---------------------------------------------------------------------------------------------
# value vocabularies


def value_doc(e: Entry, tool: str) -> str:
    doc = e.doc
    if e.since is not None:
        doc += f" Since {tool} {e.since}."
    if e.status != "current":
        doc += f" {e.status.capitalize()}."
    return doc


def enum_schema(entries: Iterable[Entry], tool: str) -> dict[str, Any]:
    """``enum`` with per-value docs that VS Code and yaml-language-server both show."""
    items = list(entries)
    return {
        "type": "string",
        "enum": [e.name for e in items],
        "enumDescriptions": [plain(value_doc(e, tool)) for e in items],
        "markdownEnumDescriptions": [value_doc(e, tool) for e in items],
    }


def split(entries: Mapping[str, Entry]) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """(current entries, older entries that still work): ``removed`` ones are left out."""
    now = {n: e for n, e in entries.items() if e.status == "current"}
    older = {n: e for n, e in entries.items() if e.status not in ("current", "removed")}
    return now, older


def closed_schema(entries: Mapping[str, Entry], tool: str) -> dict[str, Any]:
    """A closed set: the current values, then the older ones (accepted, not suggested first)."""
    now, older = split(entries)
    if not older:
        return enum_schema(now.values(), tool)
    return {
        "anyOf": [
            enum_schema(now.values(), tool),
            {
                **enum_schema(older.values(), tool),
                "description": "Older values, still accepted.",
                "deprecationMessage": "An older value: prefer a current one.",
            },
        ]
    }


def closed(entries: Mapping[str, Entry], tool: str) -> Any:
    """A ``Literal`` of the values that work today, whose JSON schema carries their docs."""
    now, older = split(entries)
    names = (*now, *older)
    return Annotated[Literal[names], WithJsonSchema(closed_schema(entries, tool))]


def string_schema(f: FieldSpec) -> dict[str, Any]:
    """``type: string`` with the field's length and pattern limits."""
    out: dict[str, Any] = {"type": "string"}
    for limit, keyword in (
        ("min_length", "minLength"),
        ("max_length", "maxLength"),
        ("pattern", "pattern"),
    ):
        if f.limit(limit) is not None:
            out[keyword] = f.limit(limit)
    return out


def hinted_schema(
    entries: Mapping[str, Entry], tool: str, other: dict[str, Any], what: str
) -> dict[str, Any]:
    """An open vocabulary: the known values as completion hints, then any string."""
    now, _ = split(entries)
    return {
        "anyOf": [
            {**enum_schema(now.values(), tool), "description": f"A known {what}."},
            {**other, "description": f"Any other {what}."},
        ]
    }


def text(f: FieldSpec, tool: str, what: str = "value") -> Any:
    """A string with the field's limits; its known values (if any) as hints."""
    limits = {
        "min_length": f.limit("min_length"),
        "max_length": f.limit("max_length"),
        "pattern": f.limit("pattern"),
    }
    values = field_values(f)
    other = string_schema(f)
    if values and f.limit("pattern_doc"):
        what = f"{what} ({f.limit('pattern_doc')})"
    schema = hinted_schema(values, tool, other, what) if values else other
    constraints = Field(**{k: v for k, v in limits.items() if v is not None})
    return Annotated[str, constraints, WithJsonSchema(schema)]


def alternation(names: Iterable[str]) -> str:
    return "|".join(_REGEX_SPECIAL.sub(r"\\\1", n) for n in names)


def closed_items(entries: Mapping[str, Entry], tool: str) -> Any:
    """A closed item set as a string (one or more values separated by commas or spaces) or a
    list (one value per item), as the engine reads it."""
    now, older = split(entries)
    alt = alternation((*now, *older))
    pattern = rf"^\s*(?:{alt})(?:{SEPARATORS}(?:{alt}))*\s*$"
    several = {
        "type": "string",
        "pattern": pattern,
        "description": "Several values separated by commas or spaces.",
    }
    one = closed_schema(entries, tool)
    as_string = Annotated[str, Field(pattern=pattern), WithJsonSchema({"anyOf": [one, several]})]
    item: Any = closed(entries, tool)
    return as_string | list[item]


# ---------------------------------------------------------------------------------------------
# compound values


class Handoff(BaseModel):
    """A VS Code handoff: a next-step button switching to another agent with a prompt."""

    model_config = ConfigDict(strict=True, extra="allow", title="Handoff")

    label: str = Field(description="Text of the button.")
    agent: str = Field(description="Agent to switch to.")
    prompt: str = Field(description="Prompt sent to that agent.")
    send: bool = absent_ok("`true` sends the prompt at once. Default: `false`.")
    showContinueOn: bool = absent_ok("Show the button to continue in another environment.")
    model: str = absent_ok("Model for the next step (qualified name, e.g. `GPT-5 (copilot)`).")


PERMISSION_ENTRIES = {n: Entry(n, doc) for n, doc in PERMISSION_ACTIONS.items()}
PermissionAction = Annotated[
    Literal["ask", "allow", "deny"],
    WithJsonSchema(enum_schema(PERMISSION_ENTRIES.values(), "OpenCode")),
]


def lenient_boolean(f: FieldSpec, tool: str) -> Any:
    since = f.limit("lenient_booleans_since")
    return (
        bool
        | Annotated[
            str,
            Field(pattern=LENIENT_BOOLEAN_PATTERN),
            WithJsonSchema(
                {
                    "type": "string",
                    "pattern": LENIENT_BOOLEAN_PATTERN,
                    "description": f"`yes`/`no`/`on`/`off`/`1`/`0` (any case), since {tool} "
                    f"{since}.",
                }
            ),
        ]
    )


def number(f: FieldSpec, kind: type[int] | type[float]) -> Any:
    bounds = {"ge": f.limit("min"), "le": f.limit("max")}
    return Annotated[kind, Field(**{k: v for k, v in bounds.items() if v is not None})]


class CopilotLocalServer(BaseModel):
    """An `mcp-servers` entry Copilot CLI runs itself (tests/conformance/copilot_cli)."""

    model_config = ConfigDict(strict=True, extra="allow", title="Copilot CLI local MCP server")
    type: Annotated[str, Field(pattern="^(local|stdio)$")] = "local"
    command: str
    args: list[str]
    tools: list[str]


class CopilotRemoteServer(BaseModel):
    """An `mcp-servers` entry Copilot CLI connects to."""

    model_config = ConfigDict(strict=True, extra="allow", title="Copilot CLI remote MCP server")
    type: Annotated[str, Field(pattern="^(http|sse)$")]
    url: str
    tools: list[str]


def value_type(spec: DialectSpec, f: FieldSpec) -> Any:
    """The pydantic type of a catalogue field, by its ``type``."""
    t, tool = f.type, spec.tool
    values = field_values(f)
    claude_tools = f.values_ref == "claude_code.tools"
    open_items = f.item_kind in ("tool", "model", "permission-rule", "agent", "skill")
    if t in ("string", "comma-string"):
        return text(f, tool)
    if t == "model":
        if f.values_ref == "claude_code.models":
            return ModelName
        return text(f, tool, "model")
    if t == "enum":
        assert values is not None, f"{spec.id}.{f.key}: an enum without values"
        if f.limit("accepts_integer") and f.values_ref == "claude_code.effort_levels":
            return Effort  # any case, `med`, integers: as for agents
        return closed(values, tool)
    if t == "boolean":
        return lenient_boolean(f, tool) if f.limit("lenient_booleans_since") else bool
    if t == "integer":
        return number(f, int)
    if t == "number":
        return number(f, float)
    if t in ("list", "string-or-list", "model-or-list"):
        if claude_tools:
            item: Any = ToolEntry
        elif values and not open_items and t != "model-or-list":
            if t == "string-or-list":
                return closed_items(values, tool)
            item = closed(values, tool)
        elif values:
            what = {"tool": "tool", "model": "model"}.get(f.item_kind or "", "value")
            item = Annotated[
                str, WithJsonSchema(hinted_schema(values, tool, {"type": "string"}, what))
            ]
        else:
            item = str
        return list[item] if t == "list" else item | list[item]
    if t == "map":
        return dict[str, Any]
    if t == "string-map":
        return dict[str, str]
    if t == "tool-map":
        return dict[str, bool]
    if t == "hooks":
        return HookEvents
    if t == "vscode-hooks":
        return dict[str, list[dict[str, Any]]]
    if t == "mcp-servers":
        return list[McpServer]
    if t == "github-mcp-servers":
        return dict[str, dict[str, Any]]
    if t == "copilot-mcp-servers":
        return dict[str, CopilotLocalServer | CopilotRemoteServer] | None
    if t == "handoffs":
        return list[Handoff]
    if t == "permission":
        return PermissionAction | dict[str, Any]
    if t == "any":
        return Any
    raise ValueError(f"{spec.id}.{f.key}: unknown catalogue type {t!r}")


# ---------------------------------------------------------------------------------------------
# the front matter


def field_doc(spec: DialectSpec, f: FieldSpec) -> str:
    """A field's description: catalogue doc, accepted values, default and status."""
    parts = [f.entry.doc]
    if f.values_doc:
        parts.append(f"Values: {f.values_doc}")
    if f.default:
        parts.append(f"Default: {f.default}")
    if f.entry.since is not None:
        parts.append(f"Since {spec.tool} {f.entry.since}.")
    if f.deprecated:
        parts.append(deprecation(f))
    if f.undocumented:
        parts.append("Undocumented: it exists, but its effect is not described by the tool.")
    return "\n\n".join(parts)


def deprecation(f: FieldSpec) -> str:
    assert f.deprecated is not None
    repl = f.deprecated.get("replaced_by")
    return f.deprecated.get("message") or "Deprecated" + (f": use `{repl}`." if repl else ".")


def model_name(dialect_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", dialect_id))


def field_definition(spec: DialectSpec, f: FieldSpec) -> tuple[Any, Any]:
    required = f.required or f.key in spec.required
    kind = value_type(spec, f)
    extra: dict[str, Any] = {}
    if f.deprecated:
        extra["deprecationMessage"] = deprecation(f)
    info = Field(
        ... if required else None,
        alias=f.key,
        description=field_doc(spec, f),
        deprecated=deprecation(f) if f.deprecated else None,
        json_schema_extra=extra or None,
    )
    if required or kind is Any:
        return kind, info
    return kind | None, info  # a key without a value (`key:`) is null: the tools skip it


@functools.cache
def model(dialect_id: str) -> type[BaseModel]:
    """The front-matter model of one catalogue dialect."""
    spec = dialect(dialect_id)
    fields: dict[str, Any] = {}
    for i, f in enumerate(spec.fields.values()):
        fields[f"f{i}_{re.sub(r'[^A-Za-z0-9_]', '_', f.key)}"] = field_definition(spec, f)
    for key in spec.required:
        if key not in spec.fields:  # required by the tool, but not described
            fields[f"r_{re.sub(r'[^A-Za-z0-9_]', '_', key)}"] = (Any, Field(..., alias=key))
    config = ConfigDict(
        strict=True,
        extra="forbid" if spec.unknown_keys == "error" else "allow",
        title=spec.title,
        populate_by_name=False,
    )
    built: type[BaseModel] = create_model(
        model_name(dialect_id),
        __config__=config,
        __doc__=f"Front matter of a {spec.title} file, read by {spec.tool}.",
        **fields,
    )
    return built


def models() -> dict[str, type[BaseModel]]:
    """Dialect id -> model, for every catalogue dialect."""
    return {d: model(d) for d in DIALECT_FILES}
