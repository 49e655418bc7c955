"""The exported JSON Schema and its pydantic model, checked against the files and the rule engine.

The cross-check feeds the same small front matters to the pydantic model and to the analysis and
compares, key by key, "pydantic reports an error" with "the engine reports a type/shape/enum
finding". Places where the two differ on purpose are listed in KNOWN_DIFFERENCES with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agentls.core.analysis import Analysis, analyze
from agentls.core.catalog import claude
from agentls.core.dialects.claude_agent_model import ClaudeAgent, HookHandler
from agentls.core.findings import Severity
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
    for node in _walk(schema):
        assert not NOT_DRAFT_07 & set(node), sorted(NOT_DRAFT_07 & set(node))
        if "$ref" in node:
            assert set(node) == {"$ref"}, "draft-07 ignores keywords next to $ref"
            prefix, _, name = node["$ref"].rpartition("/")
            assert prefix == "#/definitions" and name in schema["definitions"]
        if "enum" in node:
            n = len(node["enum"])
            assert len(node["enumDescriptions"]) == n == len(node["markdownEnumDescriptions"])
            assert all(node["markdownEnumDescriptions"])


def _enum(prop: dict[str, Any]) -> list[str]:
    return next(n["enum"] for n in _walk(prop) if "enum" in n)


def test_enums_come_from_the_catalogue() -> None:
    cat = claude()
    props = schemas()["claude-agent"]["properties"]
    for key in ("color", "permissionMode", "memory", "effort", "isolation"):
        values = cat.enum(key)
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
    ("effort", 3, False),
    ("isolation", "worktree", True),
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
        {"Stop": [{"hooks": [{**CMD, "timeout": "30"}]}]},
        False,
        True,
        "the engine does not type-check handler keys",
    ),
    (
        "hooks",
        {"Stop": [{"hooks": [{**CMD, "if": 3}]}]},
        False,
        True,
        "the engine does not type-check handler keys",
    ),
    (
        "hooks",
        {"Stop": [{"hooks": [{"type": "command", "command": 3}]}]},
        False,
        True,
        "the engine does not type-check handler keys",
    ),
    (
        "hooks",
        {"Stop": [{"matcher": 3, "hooks": [CMD]}]},
        False,
        True,
        "the engine does not type-check `matcher`",
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
    """Type/shape/enum findings (warning or error) the engine reports on ``key``."""
    assert a.root is not None
    out = []
    for f in a.findings:
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
