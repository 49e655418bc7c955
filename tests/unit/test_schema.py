"""The exported JSON Schema and its pydantic model, checked against the files and the rule engine.

The cross-check feeds the same small front matters to the pydantic model and to the analysis and
compares, key by key, "pydantic reports an error" with "the engine reports a type/shape/enum
finding". Places where the two differ on purpose are listed in KNOWN_DIFFERENCES with the reason.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agentls.core.analysis import Analysis, analyze
from agentls.core.catalog import (
    DIALECT_FILES,
    FieldSpec,
    claude,
    dialect,
    field_values,
    values_of,
)
from agentls.core.dialects import DialectMatch
from agentls.core.dialects.catalog_model import model as catalog_model
from agentls.core.dialects.claude_agent_model import ClaudeAgent, HookHandler
from agentls.core.findings import Severity
from agentls.core.verdict import own_findings
from agentls.core.yamltree import to_data
from agentls.schemas import render_all, schemas

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / ".claude" / "agents").glob("*.md"))
MISSING = object()


# ---------------------------------------------------------------------------------------------
# the committed files


def test_committed_schemas_are_up_to_date() -> None:
    rendered = render_all()
    committed = {
        p.name.removesuffix(".schema.json"): p for p in (ROOT / "schemas").glob("*.schema.json")
    }
    assert set(committed) == set(rendered), "schemas/ is stale: run `agentls schema`"
    for name, text in rendered.items():
        assert committed[name].read_text("utf-8") == text, (
            f"schemas/{name}.schema.json is stale: run `agentls schema`"
        )


def test_render_is_deterministic() -> None:
    assert render_all() == render_all()


def test_schema_is_valid_draft07() -> None:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema is not installed (not a project dependency)"
    )
    for schema in schemas().values():
        jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schemas()["claude-agent"])
    for name in GOOD_EXAMPLES:
        path = ROOT / "examples" / ".claude" / "agents" / name
        data = to_data(analyze(str(path), path.read_text("utf-8")).root)
        assert not list(validator.iter_errors(data)), name
    # the schema says what the model says (JSON Schema's "integer" also takes 3.0)
    for key, value, valid in CASES:
        if isinstance(value, float) and value.is_integer():
            continue
        _, fm = _document(key, value)
        assert validator.is_valid(fm) == valid, _id(key, value)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def assert_draft_07(schema: dict[str, Any]) -> None:
    """Only draft-07 keywords, `$ref` alone and resolvable, every enum value described."""
    for node in _walk(schema):
        assert not NOT_DRAFT_07 & set(node), sorted(NOT_DRAFT_07 & set(node))
        if "$ref" in node:
            assert set(node) == {"$ref"}, "draft-07 ignores keywords next to $ref"
            prefix, _, ref = node["$ref"].rpartition("/")
            assert prefix == "#/definitions" and ref in schema["definitions"]
        if "enum" in node:
            n = len(node["enum"])
            assert len(node["enumDescriptions"]) == n == len(node["markdownEnumDescriptions"])
            assert all(node["markdownEnumDescriptions"])


NOT_DRAFT_07 = {
    "$defs",
    "prefixItems",
    "dependentRequired",
    "dependentSchemas",
    "$anchor",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "minContains",
    "maxContains",
    "discriminator",
}


def test_schema_keeps_to_draft07() -> None:
    schema = schemas()["claude-agent"]
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == "https://agentls.dev/schemas/claude-agent.schema.json"
    assert schema["title"] and schema["description"]
    assert schema["required"] == ["name", "description"]
    assert schema["additionalProperties"] is True
    assert_draft_07(schema)


def _enum(prop: dict[str, Any]) -> list[str]:
    return next(n["enum"] for n in _walk(prop) if "enum" in n)


def test_enums_come_from_the_catalogue() -> None:
    cat = claude()
    props = schemas()["claude-agent"]["properties"]
    for key in ("color", "permissionMode", "memory", "effort", "isolation"):
        values = values_of("claude-agent", key)
        assert values is not None
        assert _enum(props[key]) == [n for n, e in values.items() if e.status == "current"], key
    defs = schemas()["claude-agent"]["definitions"]
    assert _enum(defs["ToolEntry"]) == [n for n, e in cat.tools.items() if e.status == "current"]
    assert list(defs["HookEvents"]["properties"]) == list(cat.hook_events)
    assert _enum(defs["HookHandler"]["properties"]["type"]) == list(cat.hook_handler_types)
    model = _enum(props["model"])
    assert "inherit" in model and set(cat.model_ids) <= set(model)


def test_model_covers_the_catalogue() -> None:
    cat = claude()
    assert set(ClaudeAgent.model_fields) == set(cat.fields)
    handler_keys = {f.alias or n for n, f in HookHandler.model_fields.items()}
    listed = {k for k, e in cat.hook_common_keys.items() if e.extra.get("scope") == "handler"}
    for e in cat.hook_handler_types.values():
        listed |= set(e.extra.get("keys", ()))
    assert handler_keys == listed


def test_analysis_does_not_import_pydantic() -> None:
    code = "import sys, agentls.cli, agentls.core.analysis; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------------------------
# examples


GOOD_EXAMPLES = ("senior-backend-architect.md", "senior-backend-expert.md")


@pytest.mark.parametrize("name", GOOD_EXAMPLES)
def test_good_examples_validate(name: str) -> None:
    path = ROOT / "examples" / ".claude" / "agents" / name
    a = analyze(str(path), path.read_text("utf-8"))
    assert a.root is not None
    ClaudeAgent.model_validate(to_data(a.root))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_pydantic_agrees_with_the_engine(path: Path) -> None:
    a = analyze(str(path), path.read_text("utf-8"))
    data = to_data(a.root)
    for key in {"name", "description", *data}:
        errors, findings = _pydantic_errors(data, key), _engine_findings(a, key)
        assert bool(errors) == bool(findings), f"{key}: pydantic {errors}, engine {findings}"


# ---------------------------------------------------------------------------------------------
# cross-check: pydantic vs the rule engine

# type / shape / enum findings; unknown keys, tool and model names, style and version notes are
# deliberately outside the schema
SHAPE_CODES = frozenset(
    {
        "AGL201",
        "AGL202",
        "AGL300",
        "AGL301",
        "AGL302",
        "AGL304",
        "AGL310",
        "AGL500",
        "AGL501",
        "AGL502",
        "AGL503",
    }
)
REQUIRED_CODES = {"AGL201": "name", "AGL202": "description"}

CMD = {"type": "command", "command": "./check.sh"}

# (key, value, valid)
CASES: list[tuple[str, Any, bool]] = [
    ("hooks", {"Stop": [{"hooks": [{"type": "command", "command": None}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "agent", "prompt": None}]}]}, False),
    ("name", "code-reviewer", True),
    ("name", "Code Reviewer", True),  # style warning only
    ("name", 123, False),
    ("name", None, False),
    ("name", "", False),
    ("name", "a:b", False),
    ("name", "-x", False),
    ("name", MISSING, False),
    ("description", "Reviews code.", True),
    ("description", "a\\nb", True),
    ("description", "", False),
    ("description", 3000, False),
    ("description", ["a"], False),
    ("description", None, False),
    ("description", MISSING, False),
    ("tools", "Read, Grep", True),
    ("tools", ["Read", "Grep"], True),
    ("tools", ["Read, Grep"], True),
    ("tools", "Bash(git diff:*)", True),  # specifier not enforced: a warning, not a shape error
    ("tools", ["mcp__github", "mcp__github__*", "*"], True),
    ("tools", ["NoSuchTool"], True),  # unknown names are ignored by Claude Code (engine warns)
    ("tools", None, True),  # no tools at all (engine warns)
    ("tools", [], True),
    ("tools", ["Read", 3], False),
    ("tools", ["Read", None], False),
    ("tools", [["Read"]], False),
    ("tools", 3, False),
    ("tools", {"Read": True}, False),
    ("disallowedTools", ["mcp__*"], True),
    ("disallowedTools", "Read Grep", True),
    ("disallowedTools", True, False),
    ("model", "sonnet", True),
    ("model", "inherit", True),
    ("model", "claude-opus-4-8", True),
    ("model", "us.anthropic.claude-sonnet-4-5-v1:0", True),
    ("model", "gpt-4", True),  # unknown model: engine warning outside the schema
    ("model", None, True),
    ("model", "", False),
    ("model", "  ", False),
    ("model", 4, False),
    ("model", True, False),
    ("permissionMode", "plan", True),
    ("permissionMode", "manual", True),
    ("permissionMode", None, True),
    ("permissionMode", "delegate", False),  # removed
    ("permissionMode", "yolo", False),
    ("permissionMode", 1, False),
    ("maxTurns", 3, True),
    ("maxTurns", 10**12, True),
    ("maxTurns", None, True),
    ("maxTurns", "5", False),
    ("maxTurns", 0, False),
    ("maxTurns", -1, False),
    ("maxTurns", 2.5, False),
    ("maxTurns", 1000.0, False),
    ("maxTurns", True, False),
    ("skills", ["a", "b"], True),
    ("skills", [], True),
    ("skills", None, True),
    ("skills", [1], False),
    ("skills", {"a": 1}, False),
    ("mcpServers", ["github"], True),
    ("mcpServers", [], True),
    ("mcpServers", [{"srv": {"type": "stdio", "command": "x"}}], True),
    ("mcpServers", [{"srv": {"command": "x", "args": ["-v"]}}], True),
    ("mcpServers", [{"srv": {"type": "http", "url": "https://x"}}], True),
    ("mcpServers", [{"srv": {"type": "sse", "url": "https://x"}}], True),  # deprecated, works
    ("mcpServers", [{"srv": {"url": "https://x"}}], False),  # "has a url but no type"
    ("mcpServers", [{"srv": {}}], False),
    ("mcpServers", [{"srv": {"type": "tcp", "url": "u"}}], False),
    ("mcpServers", [{"srv": {"type": None, "command": "x"}}], False),
    ("mcpServers", [{"a": {"command": "x"}, "b": {"command": "y"}}], False),
    ("mcpServers", [{"srv": "x"}], False),
    ("mcpServers", [{"srv": None}], False),
    ("mcpServers", [3], False),
    ("mcpServers", "github", False),
    ("mcpServers", {"srv": {"command": "x"}}, False),
    ("hooks", {"PreToolUse": [{"matcher": "Bash", "hooks": [CMD]}]}, True),
    ("hooks", {"Stop": [{"hooks": [CMD]}], "SubagentStop": []}, True),
    ("hooks", {"Stop": [{"hooks": [{"type": "prompt", "prompt": "p", "model": "haiku"}]}]}, True),
    ("hooks", {"Stop": [{"hooks": [{"type": "mcp_tool"}]}]}, True),
    ("hooks", {"Stop": [{"hooks": [{**CMD, "once": True}]}]}, True),  # ignored: information
    ("hooks", {"Stop": [{"hooks": [], "extra": 1}]}, True),
    ("hooks", {}, True),
    ("hooks", {"PreToolUse": [CMD]}, False),  # VS Code's flat shape
    ("hooks", {"PreToolUse": "x"}, False),
    ("hooks", {"Stop": None}, False),
    ("hooks", {"Stop": ["x"]}, False),
    ("hooks", {"Nope": [{"hooks": [CMD]}]}, False),
    ("hooks", {"Stop": [{"matcher": "Bash"}]}, False),
    ("hooks", {"Stop": [{"hooks": None}]}, False),
    ("hooks", {"Stop": [{"hooks": CMD}]}, False),
    ("hooks", {"Stop": [{"hooks": ["x"]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"command": "x"}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": None}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "shell", "command": "x"}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "command"}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "http"}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "prompt"}]}]}, False),
    ("hooks", [], False),
    ("hooks", "x", False),
    ("memory", "project", True),
    ("memory", "global", False),
    ("memory", "", False),
    ("memory", True, False),
    ("background", True, True),
    ("background", False, True),
    ("background", None, True),
    ("background", "yes", False),
    ("background", "true", False),
    ("background", 1, False),
    ("effort", "xhigh", True),
    ("effort", None, True),
    ("effort", "extreme", False),
    ("effort", 3, True),  # Claude Code takes any integer, and a level in any case (2.1.332)
    ("effort", "HIGH", True),
    ("effort", "med", True),
    ("isolation", "worktree", True),
    ("isolation", "remote", True),
    ("isolation", "Remote", False),
    ("isolation", "container", False),
    ("color", "red", True),
    ("color", None, True),
    ("color", "magenta", False),
    ("color", "Red", False),
    ("color", "", False),
    ("color", 1, False),
    ("initialPrompt", "/review the diff", True),
    ("initialPrompt", "", True),
    ("initialPrompt", None, True),
    ("initialPrompt", ["a"], False),
    ("initialPrompt", 3, False),
    ("allowed_tools", ["Read"], True),  # unknown key: a warning, allowed by the schema
    # the runtime drops these entries (2.1.332: `hooks.Stop.0...; entry ignored`)
    ("hooks", {"Stop": [{"hooks": [{**CMD, "timeout": "30"}]}]}, False),
    ("hooks", {"Stop": [{"hooks": [{"type": "command", "command": 3}]}]}, False),
    ("hooks", {"Stop": [{"matcher": 3, "hooks": [CMD]}]}, False),
]

# (key, value, pydantic valid, engine valid, why)
KNOWN_DIFFERENCES: list[tuple[str, Any, bool, bool, str]] = [
    (
        "description",
        " ",
        True,
        False,
        "engine treats a blank description as empty (AGL304); §12 asks only minLength 1",
    ),
    ("name", "  ", True, False, "engine treats a blank name as empty (AGL304)"),
    (
        "skills",
        "a, b",
        False,
        True,
        "comma-string form: the engine accepts it with a hint (§12); the schema wants a list",
    ),
    (
        "hooks",
        {"Stop": [{"hooks": [{**CMD, "if": 3}]}]},
        False,
        True,
        "the engine does not type-check handler keys",
    ),
    (
        "mcpServers",
        [{"srv": {"command": "x", "env": {"A": 1}}}],
        False,
        True,
        "the engine does not type-check server config keys",
    ),
    (
        "mcpServers",
        [{"srv": {"command": "x", "args": "a b"}}],
        False,
        True,
        "the engine does not type-check server config keys",
    ),
    (
        "mcpServers",
        [{"srv": {"type": "http", "url": None}}],
        False,
        True,
        "the engine does not type-check server config keys",
    ),
]


def _document(key: str, value: Any) -> tuple[str, dict[str, Any]]:
    """A front matter with a valid name and description plus ``key: value`` (JSON is YAML)."""
    fm: dict[str, Any] = {"name": "x", "description": "d"}
    if value is MISSING:
        del fm[key]
    else:
        fm[key] = value
    lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fm.items())
    return f"---\n{lines}---\nbody\n", fm


def _engine_findings(a: Analysis, key: str) -> list[str]:
    """Type/shape/enum findings (warning or error) the engine reports on ``key``, as the
    schema's own tool (Claude Code for the agent schema) sees them."""
    assert a.root is not None
    out = []
    for f in own_findings(a):
        if f.code not in SHAPE_CODES or f.severity > Severity.WARNING:
            continue
        on = REQUIRED_CODES.get(f.code)
        if on is None:
            on = next(
                (
                    e.key_text
                    for e in a.root.entries
                    if e.key.span.start <= f.span.start
                    and f.span.end <= max(e.key.span.end, e.value.span.end)
                ),
                None,
            )
        if on == key:
            line, col = a.lines.position(f.span.start)
            out.append(f"{f.code} {line + 1}:{col + 1} {f.message}")
    return out


def _pydantic_errors(data: dict[str, Any], key: str) -> list[str]:
    try:
        ClaudeAgent.model_validate(data)
    except ValidationError as e:
        return [f"{err['loc']}: {err['msg']}" for err in e.errors() if err["loc"][:1] == (key,)]
    return []


def _verdicts(key: str, value: Any) -> tuple[list[str], list[str]]:
    text, fm = _document(key, value)
    a = analyze(".claude/agents/x.md", text)
    data = to_data(a.root)
    assert data == fm, "the test document did not parse as intended"
    return _pydantic_errors(data, key), _engine_findings(a, key)


def _id(key: str, value: Any) -> str:
    shown = "<missing>" if value is MISSING else json.dumps(value)
    return f"{key}={shown[:60]}"


@pytest.mark.parametrize(("key", "value", "valid"), CASES, ids=[_id(k, v) for k, v, _ in CASES])
def test_pydantic_agrees_with_the_engine(key: str, value: Any, valid: bool) -> None:
    errors, findings = _verdicts(key, value)
    assert (not errors) == valid, f"pydantic: {errors}"
    assert (not findings) == valid, f"engine: {findings}"


@pytest.mark.parametrize(
    ("key", "value", "pydantic_ok", "engine_ok", "why"),
    KNOWN_DIFFERENCES,
    ids=[_id(k, v) for k, v, *_ in KNOWN_DIFFERENCES],
)
def test_known_differences(
    key: str, value: Any, pydantic_ok: bool, engine_ok: bool, why: str
) -> None:
    errors, findings = _verdicts(key, value)
    assert (not errors) == pydantic_ok, f"pydantic ({why}): {errors}"
    assert (not findings) == engine_ok, f"engine ({why}): {findings}"


# ---------------------------------------------------------------------------------------------
# the catalogue dialects: one schema each, built from the catalogue (catalog_model.py)

DIALECTS = tuple(DIALECT_FILES)
CORPUS = ROOT.parent / "shared" / "corpus"
# what a schema says too: wrong types, values outside a closed set, missing keys, ranges,
# lengths, patterns, and the shapes of hooks and MCP servers (AGL200 only where unknown keys are
# refused); other findings (tool names, versions, style, portability) are outside the schemas
SCHEMA_CODES = frozenset(
    {"AGL206", "AGL300", "AGL301", "AGL310", "AGL311", "AGL312", "AGL500", "AGL501", "AGL502"}
    | {"AGL503"}
)
CMD_HOOKS = {"Stop": [{"hooks": [CMD]}]}


def test_every_dialect_has_a_schema() -> None:
    assert set(schemas()) == {"claude-agent", *DIALECTS}
    for name in DIALECTS:
        assert (ROOT / "schemas" / f"{name}.schema.json").is_file(), name


@pytest.mark.parametrize("name", ["claude-agent", *DIALECTS])
def test_each_schema_keeps_to_draft07(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = schemas()[name]
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"https://agentls.dev/schemas/{name}.schema.json"
    assert list(schema)[:4] == ["$schema", "$id", "title", "description"]
    assert "Generated by `agentls schema`" in schema["description"]
    assert_draft_07(schema)


@pytest.mark.parametrize("name", DIALECTS)
def test_schema_follows_the_catalogue(name: str) -> None:
    spec = dialect(name)
    schema = schemas()[name]
    assert schema["title"] == spec.title
    assert spec.tool in schema["description"]
    assert list(schema["properties"]) == list(spec.fields)
    assert schema.get("required", []) == list(spec.required)
    assert schema["additionalProperties"] is (spec.unknown_keys != "error")
    for key, f in spec.fields.items():
        prop = schema["properties"][key]
        assert prop["description"].startswith(f.entry.doc), key
        assert prop.get("deprecated", False) is bool(f.deprecated), key
        values = field_values(f)
        if f.type == "enum":
            assert values is not None
            assert _enum(prop) == [n for n, e in values.items() if e.status == "current"], key


def test_open_vocabularies_are_hints() -> None:
    """Tool and model names are completed, never refused (extensions and MCP add their own)."""
    for name, key, value in (
        ("vscode-agent", "tools", ["my-mcp/*", "publisher.ext/tool", "someTool"]),
        ("vscode-agent", "model", ["Some Model (vendor)", "GPT-5 (copilot)"]),
        ("vscode-prompt", "agent", "my-custom-agent"),
        ("github-agent", "tools", "read, some-server/some-tool"),
        ("claude-skill", "allowed-tools", "Bash(git *) NoSuchTool"),
        ("claude-command", "model", "some-other-model"),
        ("gemini-agent", "model", "gemini-9-pro"),
    ):
        doc = {**_required(name), key: value}
        assert _schema_errors(name, doc) == [], (name, key)
        schema = _validator(name).schema
        prop = schema["properties"][key]
        refs = [n["$ref"].rpartition("/")[2] for n in _walk(prop) if "$ref" in n]
        assert any("enum" in n for n in _walk([prop, *(schema["definitions"][r] for r in refs)]))


def test_older_values_stay_valid() -> None:
    """A deprecated or legacy value still works: the schema accepts it (agentls notes it)."""
    for name in DIALECTS:
        for key, f in dialect(name).fields.items():
            for value, e in (field_values(f) or {}).items():
                if e.status in ("deprecated", "legacy") and f.values_ref is None:
                    sample = [value] if f.type == "list" else value
                    doc = {**_required(name), key: sample}
                    assert _schema_errors(name, doc) == [], (name, key, value)


# examples built from the catalogue ------------------------------------------------------------

TEXT_SAMPLES = ("my-agent", "provider/model-x", "#336699", "some text")
WRONG = {"k": "v"}  # a mapping: wrong for every text or list type


def _text_sample(f: FieldSpec) -> str:
    values = field_values(f)
    if values:
        return next(n for n, e in values.items() if e.status == "current")
    lo, hi, pattern = f.limit("min_length"), f.limit("max_length"), f.limit("pattern")
    return next(
        s
        for s in TEXT_SAMPLES
        if (lo is None or len(s) >= lo)
        and (hi is None or len(s) <= hi)
        and (pattern is None or re.search(pattern, s))
    )


def _valid(f: FieldSpec) -> Any:
    """A value the tool takes for the field."""
    t = f.type
    samples: dict[str, Any] = {
        "boolean": True,
        "integer": f.limit("min") if f.limit("min") is not None else 3,
        "number": f.limit("min") if f.limit("min") is not None else 0.5,
        "map": {"a": 1, "b": ["c"]},
        "string-map": {"a": "b"},
        "tool-map": {"read": True, "mymcp_*": False},
        "hooks": CMD_HOOKS,
        "vscode-hooks": {"PostToolUse": [{"type": "command", "command": "./fmt.sh"}]},
        "mcp-servers": ["github", {"srv": {"command": "x"}}],
        "github-mcp-servers": {"srv": {"type": "local", "command": "x", "tools": ["*"]}},
        "copilot-mcp-servers": {"srv": {"command": "x", "args": [], "tools": ["*"]}},
        "handoffs": [{"label": "Go", "agent": "impl", "prompt": "Do it.", "send": False}],
        "permission": {"bash": {"git *": "allow", "*": "ask"}, "edit": "deny"},
        "any": {"anything": [1, "x"]},
    }
    if t in samples:
        return samples[t]
    if t in ("list", "string-or-list", "model-or-list"):
        return [_text_sample(f)]
    if f.values_ref == "claude_code.models":
        return "sonnet"
    return _text_sample(f)


def _wrong(f: FieldSpec) -> Any:
    """A value of the wrong type for the field (``MISSING`` where every value is fine)."""
    return {
        "boolean": "maybe",
        "integer": "5",
        "number": "fast",
        "map": "text",
        "string-map": "text",
        "tool-map": ["read"],
        "hooks": "text",
        "vscode-hooks": "text",
        "mcp-servers": "github",
        "github-mcp-servers": ["srv"],
        "copilot-mcp-servers": ["srv"],
        "handoffs": "text",
        "permission": "sometimes",
        "any": MISSING,
    }.get(f.type, WRONG)


# keys a runtime warns about when missing, though it does not require them
_EXPECTED = {"vscode-skill": ("name", "description")}  # `Skill should provide a name.`


def _required(name: str) -> dict[str, Any]:
    spec = dialect(name)
    return {k: _valid(spec.fields[k]) for k in (*spec.required, *_EXPECTED.get(name, ()))}


def _dialect_cases() -> list[tuple[str, str, Any, bool]]:
    """(dialect, key, value, valid): a good and a wrong value for every catalogue key."""
    out = []
    for name in DIALECTS:
        spec = dialect(name)
        if spec.unread:
            continue  # the runtime reads no such file: the engine checks nothing in it
        for key, f in spec.fields.items():
            out.append((name, key, _valid(f), True))
            wrong = _wrong(f)
            if wrong is not MISSING:
                out.append((name, key, wrong, False))
            if f.type == "enum":
                out.append((name, key, "no-such-value", False))
            if f.limit("lenient_booleans_since"):
                out += [(name, key, "Yes", True), (name, key, "off", True)]
            if f.limit("min") is not None and f.type in ("integer", "number"):
                out.append((name, key, f.limit("min") - 1, False))
            if f.limit("max") is not None:
                out.append((name, key, f.limit("max") + 1, False))
            if f.limit("max_length") is not None:
                out.append((name, key, "a" * (f.limit("max_length") + 1), False))
            if f.limit("pattern") is not None and not re.search(f.limit("pattern"), "Not Valid <>"):
                out.append((name, key, "Not Valid <>", False))
        for key in spec.required:
            out.append((name, key, MISSING, False))
    return out


# (dialect, key, value, schema valid, engine valid, why): where the two differ on purpose
DIALECT_DIFFERENCES: list[tuple[str, str, Any, bool, bool, str]] = [
    *(
        (name, key, 42, False, True, "Claude Code coerces a number to text (>= 2.1.47); the "
         "schema asks for text, as formats.md documents it")
        for name in ("claude-skill", "claude-command")
        for key in ("description", "argument-hint")
    ),
    ("agentskills", "metadata", {"version": 1.0}, False, True,
     "the spec says string -> string; the engine takes any scalar (skills-ref stringifies)"),
    ("vscode-agent", "hooks", {"PostToolUse": "x"}, False, True,
     "the engine checks only that `hooks` is a mapping"),
    ("vscode-agent", "mcp-servers", {"srv": "x"}, False, True,
     "the engine checks only that `mcp-servers` is a mapping"),
    ("vscode-agent", "handoffs", [{"label": 1, "agent": "a", "prompt": "p"}], False, True,
     "the engine does not type-check `label`, `agent` and `prompt`"),
    ("vscode-instructions", "excludeAgent", "", False, True,
     "an empty string names no agent: the engine has nothing to check"),
    ("claude-skill", "name", True, False, True,
     "Claude Code coerces a boolean to text (>= 2.1.47); the schema asks for text"),
    ("claude-skill", "model", "", False, True,
     "the schema reuses the agent `model` (non-blank); the engine does not check skill models"),
    ("claude-skill", "argument-hint", ["x"], False, True,
     "read as a list and coerced to `x`: the engine reports AGL706 rather than a type error"),
    ("github-agent", "metadata", {"a": True}, False, True,
     "string -> string map: the engine takes any scalar value"),
    ("vscode-agent", "handoffs", [{"label": None, "agent": "a", "prompt": "p"}], False, True,
     "the engine checks that `label` is present, not that it has a value"),
    ("gemini-agent", "mcp_servers", {"a": 1, "b": ["c"]}, True, False,
     "the engine checks each server against Gemini CLI's server schema (g0247-g0273); the "
     "schema only that `mcp_servers` is a mapping"),
    ("gemini-agent", "auth", {"anything": [1, "x"]}, True, False,
     "`auth` makes a remote agent, whose `auth` the engine checks (g0284, g0285); the schema "
     "takes any value"),
    ("gemini-agent", "agent_card_url", "my-agent", True, False,
     "the engine checks that it is a URL (g0279) and that a remote agent has no local keys"),
]  # fmt: skip
_DIFFERING = {(n, k, repr(v)) for n, k, v, *_ in DIALECT_DIFFERENCES}
DIALECT_CASES = [c for c in _dialect_cases() if (c[0], c[1], repr(c[2])) not in _DIFFERING]


def _dialect_document(name: str, key: str, value: Any) -> tuple[str, dict[str, Any]]:
    fm = {**_required(name), key: value}
    if value is MISSING:
        del fm[key]
    # Codex's retry reads a flow collection holding `: ` as text (tests/conformance/codex
    # k0051): write its collections without that space, so that they stay collections
    sep = (",", ":") if name == "codex-skill" else None
    lines = "".join(
        f"{k}: {json.dumps(v, ensure_ascii=False, separators=sep)}\n" for k, v in fm.items()
    )
    return f"---\n{lines}---\nbody\n", fm


@functools.cache
def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft7Validator(schemas()[name])


def _schema_errors(name: str, doc: dict[str, Any]) -> list[str]:
    validator = _validator(name)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


def _as_text(v: Any) -> Any:
    """What VS Code's header parser reads: every scalar but `true`/`false` is text."""
    if isinstance(v, dict):
        return {k: _as_text(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_as_text(x) for x in v]
    if isinstance(v, bool):
        return v
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v


def _dialect_verdicts(name: str, key: str, value: Any) -> tuple[list[str], list[str], list[str]]:
    """(schema errors, pydantic errors, engine findings) on ``key`` of a small document."""
    text, fm = _dialect_document(name, key, value)
    a = analyze(f"x/{name}.md", text, dialect=DialectMatch(name, scope="portable"))
    data = to_data(a.root) if a.root is not None else {}
    assert data == (_as_text(fm) if dialect(name).parser == "vscode" else fm), (
        "the document did not parse as intended"
    )
    try:
        catalog_model(name).model_validate(fm)
        model_errors: list[str] = []
    except ValidationError as e:
        model_errors = [f"{err['loc']}: {err['msg']}" for err in e.errors()]
    findings = [
        f"{f.code} {f.message}"
        for f in a.findings
        if f.code in SCHEMA_CODES and f.severity <= Severity.WARNING
    ]
    return _schema_errors(name, fm), model_errors, findings


def _dialect_id(name: str, key: str, value: Any) -> str:
    shown = "<missing>" if value is MISSING else json.dumps(value)
    return f"{name}:{key}={shown[:40]}"


@pytest.mark.parametrize("name", DIALECTS)
def test_a_valid_example_validates(name: str) -> None:
    doc = {key: _valid(f) for key, f in dialect(name).fields.items()}
    assert _schema_errors(name, doc) == []
    catalog_model(name).model_validate(doc)


@pytest.mark.parametrize(
    ("name", "key", "value", "valid"),
    DIALECT_CASES,
    ids=[_dialect_id(n, k, v) for n, k, v, _ in DIALECT_CASES],
)
def test_schema_agrees_with_the_engine(name: str, key: str, value: Any, valid: bool) -> None:
    schema_errors, model_errors, findings = _dialect_verdicts(name, key, value)
    assert (not schema_errors) == valid, f"schema: {schema_errors}"
    assert (not model_errors) == valid, f"pydantic: {model_errors}"
    assert (not findings) == valid, f"engine: {findings}"


@pytest.mark.parametrize(
    ("name", "key", "value", "schema_ok", "engine_ok", "why"),
    DIALECT_DIFFERENCES,
    ids=[_dialect_id(n, k, v) for n, k, v, *_ in DIALECT_DIFFERENCES],
)
def test_dialect_known_differences(
    name: str, key: str, value: Any, schema_ok: bool, engine_ok: bool, why: str
) -> None:
    schema_errors, model_errors, findings = _dialect_verdicts(name, key, value)
    assert (not schema_errors) == schema_ok, f"schema ({why}): {schema_errors}"
    assert (not model_errors) == schema_ok, f"pydantic ({why}): {model_errors}"
    assert (not findings) == engine_ok, f"engine ({why}): {findings}"


# the corpus -----------------------------------------------------------------------------------


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".mdc") and p.is_file())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus at ../shared/corpus")
def test_corpus_front_matter_validates() -> None:
    """Every corpus file on which the engine reports nothing a schema also says is valid
    against the schema of its dialect; every file with such a finding is invalid."""
    refuse_unknown = {n for n, s in schemas().items() if s["additionalProperties"] is False}
    checked: dict[str, int] = {}
    wrong = []
    for path in _corpus():
        a = analyze(str(path), path.read_text("utf-8"))
        if a.dialect is None or a.root is None:
            continue
        name = a.dialect.dialect
        codes = SHAPE_CODES if name == "claude-agent" else SCHEMA_CODES
        flagged = any(
            (f.code in codes or (name in refuse_unknown and f.code == "AGL200"))
            and f.severity <= Severity.WARNING
            for f in a.findings
        )
        errors = [
            f"{list(e.path)}: {e.message[:120]}"
            for e in _validator(name).iter_errors(to_data(a.root))
        ]
        if flagged == (not errors):
            wrong.append(f"{path.relative_to(CORPUS)} ({name}): engine flagged={flagged}, {errors}")
        checked[name] = checked.get(name, 0) + 1
    assert not wrong, "\n".join(wrong)
    assert sum(checked.values()) > 100, checked
