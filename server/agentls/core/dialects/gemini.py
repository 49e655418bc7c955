"""How Gemini CLI 0.61.0 finds and reads the front matter of its agents and skills.

Read in its code (``agents/agentLoader.ts``, ``skills/skillLoader.ts``) and pinned by the
recordings of tests/conformance/gemini (NOTES.md): both use one regex for the block, js-yaml
``load`` for the YAML; an agent then goes through a strict zod schema, a skill takes ``name`` and
``description`` when both are strings and otherwise falls back to a line-wise reading that loads
almost anything. The checks themselves are data (``gemini-agent.yaml``, ``gemini-skill.yaml``)
and the rules of ``dialect_rules``; this module is the reading.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple, TypeGuard

from agentls.core.frontmatter import Block
from agentls.core.text import Span

# `FRONTMATTER_REGEX`, applied at the start of the file (no BOM skipped, no `m` flag): the
# block ends at the first line starting with `---`; the body only follows a line break there
FRONTMATTER = re.compile(r"---\r?\n([\s\S]*?)\r?\n---(?:\r?\n([\s\S]*))?")
# js-yaml 4's timestamp type (a Date, not a string)
_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?\Z"
)
# JavaScript's \s (trim)
_JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_LINE = re.compile(r"\r?\n")
_NAME_LINE = re.compile(rf"[{_JS_SPACE}]*name:[{_JS_SPACE}]*([^\n\r\u2028\u2029]*)\Z")
_DESC_LINE = re.compile(rf"[{_JS_SPACE}]*description:[{_JS_SPACE}]*([^\n\r\u2028\u2029]*)\Z")
_CONTINUATION = re.compile(rf"[ \t]+[^{_JS_SPACE}]")
_UNSAFE_NAME = re.compile(r'[:\\/<>*?"|]')
# characters libyaml reads as line breaks but js-yaml keeps inside a value
_SEPARATORS = "\u2028\u2029\x85"
_PLACEHOLDERS = "\ue000\ue001\ue002"
# js-yaml refuses these anywhere in its input (`the stream contains non-printable characters`,
# `null byte is not allowed in input`: g0324, g0331-g0333)
NON_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]"
)
BUILTIN_AGENTS = ("codebase_investigator", "cli_help", "generalist")


class Reading(NamedTuple):
    """What Gemini CLI reads from a file: the listed name and description."""

    name: str
    description: str


def js_trim(s: str) -> str:
    return s.strip(_JS_SPACE)


def block(text: str) -> Block | None:
    """The block as ``FRONTMATTER_REGEX`` finds it; None: the file has none for Gemini CLI.
    Without a line break right after the closing ``---`` the body is lost (``body_start`` is the
    end of the file)."""
    m = FRONTMATTER.match(text)
    if m is None:
        return None
    close = text.index("---", m.end(1))
    body = m.start(2) if m.group(2) is not None else len(text)
    return Block(Span(0, 3), Span(m.start(1), m.end(1)), Span(close, close + 3), body, True)


def is_date(value: str) -> bool:
    """A plain scalar js-yaml reads as a Date."""
    return bool(_DATE.match(value))


def load(text: str, content: Span) -> tuple[bool, Any]:
    """(parsed, data) for the block's YAML as js-yaml loads it, as near as agentls can: plain
    dates are Dates (left as ``datetime.date``-like markers), U+2028/U+2029/NEL stay in values."""
    from agentls.core.textcheck import clean_for_yaml
    from agentls.core.yamltree import YMap, YNode, YScalar, parse, walk

    raw = text[content.start : content.end]
    if NON_PRINTABLE.search(raw):
        return False, None
    if not raw.endswith("\n"):
        raw += "\n"  # js-yaml ends its input with a line break (block scalars keep it)
    marked = raw.translate(str.maketrans(_SEPARATORS, _PLACEHOLDERS))
    result = parse(clean_for_yaml(marked), content.start)
    root = result.root
    if not result.ok or (root is not None and any(unknown_tag(n) for n in walk(root))):
        return False, None

    def data(n: YNode | None) -> Any:
        if n is None:
            return None
        if isinstance(n, YScalar):
            v = n.value
            if isinstance(v, str):
                if n.style is None and is_date(v):
                    return _Date(v)
                return v.translate(str.maketrans(_PLACEHOLDERS, _SEPARATORS))
            return v
        if isinstance(n, YMap):
            return {e.key_text: data(e.value) for e in n.entries}
        return [data(i) for i in getattr(n, "items", [])]

    return True, data(result.root)


def unknown_tag(node: Any) -> bool:
    """A tag js-yaml's default schema does not know (`!x`: `unknown tag`, g0056, g0100)."""
    tag = getattr(node, "tag", None)
    return isinstance(tag, str) and not tag.startswith("tag:yaml.org,2002:")


class _Date(str):
    """A js-yaml Date (not a string for Gemini CLI's checks)."""


def _simple(content: str) -> tuple[str, str] | None:
    """``parseSimpleFrontmatter``: the last `name:` line, the last `description:` line with its
    indented continuation lines."""
    lines = _LINE.split(content)
    name: str | None = None
    desc: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _NAME_LINE.match(line)
        if m:
            name = js_trim(m.group(1))
            i += 1
            continue
        m = _DESC_LINE.match(line)
        if m:
            parts = [js_trim(m.group(1))]
            while i + 1 < len(lines) and _CONTINUATION.match(lines[i + 1]):
                parts.append(js_trim(lines[i + 1]))
                i += 1
            desc = " ".join(p for p in parts if p)
        i += 1
    if name is None or desc is None:
        return None
    return name, desc


def skill(text: str) -> Reading | None:
    """The skill as Gemini CLI lists it, or None when it does not load it."""
    b = block(text)
    if b is None:
        return None
    ok, data = load(text, b.content)
    if ok and isinstance(data, dict):
        name, desc = data.get("name"), data.get("description")
        if _is_text(name) and _is_text(desc):
            return Reading(_UNSAFE_NAME.sub("-", name), desc)
    found = _simple(text[b.content.start : b.content.end])
    if found is None:
        return None
    return Reading(_UNSAFE_NAME.sub("-", found[0]), found[1])


def _is_text(v: Any) -> TypeGuard[str]:
    return isinstance(v, str) and not isinstance(v, _Date)


def agent(text: str) -> Reading | None:
    """A loaded agent's name and the description it is listed with (None: not an agent
    Gemini CLI loads, as far as its values go)."""
    b = block(text)
    if b is None:
        return None
    ok, data = load(text, b.content)
    if not ok or not isinstance(data, dict):
        return None
    name, desc = data.get("name"), data.get("description")
    if not _is_text(name):
        return None
    if data.get("kind") == "remote" or "agent_card_json" in data or "agent_card_url" in data:
        return Reading(name, _remote_description(desc, data.get("agent_card_json")))
    if not _is_text(desc):
        return None
    return Reading(name, desc)


def _remote_description(user: Any, card_json: Any) -> str:
    """A remote agent's description: the file's and the card's (``AgentRegistry``)."""
    parts = []
    if isinstance(user, str) and js_trim(user):
        parts.append(f"User Description: {js_trim(user)}")
    card: Any = None
    if isinstance(card_json, str):
        try:
            card = json.loads(card_json)
        except ValueError:
            card = None
    if isinstance(card, dict):
        d = card.get("description")
        if isinstance(d, str) and js_trim(d):
            parts.append(f"Agent Description: {js_trim(d)}")
        skills = card.get("skills")
        if isinstance(skills, list) and skills:
            listed = "\n".join(
                f"{s.get('name')}: {s.get('description') or 'No description provided'}"
                for s in skills
                if isinstance(s, dict)
            )
            parts.append(f"Skills:\n{listed}")
    return "\n".join(parts) if parts else (user if isinstance(user, str) else "")


_BLANK_RUN = re.compile(r"\n{3,}")


def reading(text: str, profile: str) -> Reading | None:
    """What Gemini CLI lists for a file it reads by ``profile``: its name and the description
    as the model receives it in the system prompt, where every run of three or more line
    breaks becomes two (the prompt's `replace(/\n{3,}/g, "\n\n")`: g0041, k0032)."""
    r = (
        skill(text)
        if profile == "gemini-skill"
        else agent(text)
        if profile == "gemini-agent"
        else None
    )
    if r is None:
        return None
    return r._replace(description=_BLANK_RUN.sub("\n\n", r.description))


_JS_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)\Z")
_JS_FLOAT = re.compile(
    r"(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)


def js_number(node: Any) -> float | int | None:
    """The number js-yaml 4 (default schema) reads from a scalar, or None when it is not one."""
    from agentls.core.yamltree import FLOAT, INT

    if node.tag in (INT, FLOAT) and isinstance(node.value, (int, float)):
        return node.value  # type: ignore[no-any-return]
    if node.style is not None or not isinstance(node.value, str):
        return None
    s = node.value
    if _JS_INT.match(s) and not s.replace("_", "").lstrip("+-").endswith(("b", "x", "o")):
        t = s.replace("_", "")
        sign = -1 if t.startswith("-") else 1
        t = t.lstrip("+-")
        base = {"0b": 2, "0x": 16, "0o": 8}.get(t[:2].lower(), 10)
        try:
            return sign * int(t[2:] if base != 10 else t, base)
        except ValueError:
            return None
    if _JS_FLOAT.match(s) and any(c.isdigit() for c in s):
        try:
            return float(s.replace("_", ""))
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# rules (registered in dialect_rules.RULES); `ctx` is a generic.DialectContext

# `ALL_BUILTIN_TOOL_NAMES` and `TOOL_LEGACY_ALIASES` of 0.61.0 (g0114, g0129)
TOOLS = frozenset(
    (
        "glob",
        "write_todos",
        "write_file",
        "google_web_search",
        "web_fetch",
        "replace",
        "run_shell_command",
        "grep_search",
        "read_many_files",
        "read_file",
        "list_directory",
        "activate_skill",
        "ask_user",
        "tracker_create_task",
        "tracker_update_task",
        "tracker_get_task",
        "tracker_list_tasks",
        "tracker_add_dependency",
        "tracker_visualize",
        "get_internal_docs",
        "enter_plan_mode",
        "exit_plan_mode",
        "update_topic",
        "complete_task",
        "invoke_agent",
        "read_mcp_resource",
        "list_mcp_resources",
        "search_file_content",
    )
)
_SLUG = re.compile(r"[a-z0-9_.:-]+\Z", re.I)
LOCAL_KEYS = ("tools", "mcp_servers", "model", "temperature", "max_turns", "timeout_mins")
REMOTE_KEYS = ("agent_card_url", "agent_card_json", "auth")


def valid_tool(name: str) -> bool:
    """``isValidToolName(name, {allowWildcards: true})``."""
    if name in TOOLS or name.startswith("discovered_tool_") or name in ("*", "mcp_*"):
        return True
    if not name.startswith("mcp_") or name.startswith("mcp__"):
        return False
    server, sep, tool = name[4:].partition("_")  # parseMcpToolName: the first `_` splits
    if not (server and sep and tool) or not _SLUG.match(server):
        return False
    if tool == "*":
        return True
    return not re.fullmatch(r"_*", tool) and bool(_SLUG.match(tool))


def _error(ctx: Any, code: str, span: Span, message: str, **data: Any) -> None:
    from agentls.core.findings import Severity

    ctx.add(code, span, message, Severity.ERROR, **data)


def agent_body(ctx: Any) -> None:
    """An agent whose system prompt (the body after the block, trimmed) is empty is listed but
    fails as soon as it is invoked (`PromptConfig must define either systemPrompt or
    initialMessages`: g0308, g0365); so is every agent whose closing line is not `---` and a
    line break (the body is then lost: g0302-g0304, g0384)."""
    b = ctx.block
    if b is None or b.close_span is None or ctx.root is None:
        return
    if js_trim(ctx.text[b.body_start :]) or _kind(ctx) == "remote":
        return  # a remote agent has no system prompt of its own
    lost = b.body_start == len(ctx.text) and js_trim(ctx.text[b.close_span.end :])
    if lost:
        why = (
            "the closing line is not exactly `---`, so Gemini CLI drops everything after it "
            "(the body is lost)"
        )
    else:
        why = "the body after the front matter is its system prompt, and it is empty"
    _error(
        ctx,
        "AGL304",
        b.close_span,
        f"Gemini CLI lists this agent but it fails when invoked (`PromptConfig must define "
        f"either systemPrompt or initialMessages`): {why}. Write the instructions after a line "
        "`---`.",
    )


def agent_name(ctx: Any) -> None:
    """A user or project agent named like a built-in one is ignored: the first registration
    wins and built-ins come first (g0032-g0034)."""
    e = ctx.get("name")
    v = getattr(e.value, "value", None) if e is not None else None
    if isinstance(v, str) and v in BUILTIN_AGENTS:
        _error(
            ctx,
            "AGL302",
            ctx.value_span(e.value, e.key),
            f"`{v}` is the name of a built-in Gemini CLI agent: Gemini CLI ignores this agent "
            "(`Duplicate agent name`). Rename it.",
        )


def agent_tools(ctx: Any) -> None:
    """Each `tools` item must be a tool name Gemini CLI knows (`tools.N: Invalid tool name`
    drops the agent: g0124-g0136)."""
    from agentls.core.suggest import did_you_mean
    from agentls.core.yamltree import YScalar, YSeq

    e = ctx.get("tools")
    if e is None or not isinstance(e.value, YSeq):
        return
    for i, item in enumerate(e.value.items):
        if not (isinstance(item, YScalar) and isinstance(item.value, str)):
            continue  # reported as a wrong type
        name = item.value
        if valid_tool(name):
            continue
        _error(
            ctx,
            "AGL401",
            ctx.value_span(item),
            f"`{name}` is not a tool name Gemini CLI accepts (`tools.{i}: Invalid tool name`)."
            f"{did_you_mean(name, sorted(TOOLS))}",
        )


def _kind(ctx: Any) -> str | None:
    k = ctx.get("kind")
    v = getattr(k.value, "value", None) if k is not None else None
    if v in ("local", "remote"):
        return str(v)
    keys = set(ctx.root.key_names()) if ctx.root else set()
    local = bool(keys & set(LOCAL_KEYS))
    remote = bool(keys & set(REMOTE_KEYS))
    if local and remote:
        return "mixed"  # every branch of the schema rejects it (g0235)
    return "local" if local else "remote" if remote else None


def agent_kind_keys(ctx: Any) -> None:
    """A local agent rejects the remote keys and a remote one the local keys (`.strict()`:
    g0173, g0235, g0283); `kind` is `local` or `remote` exactly (g0168-g0172)."""
    if ctx.root is None:
        return
    kind = _kind(ctx)
    if kind is None:
        return
    other = LOCAL_KEYS if kind == "remote" else REMOTE_KEYS
    for e in ctx.root.entries:
        if e.key_text in other:
            this = "remote" if kind == "local" else "local" if kind == "remote" else "mixed"
            _error(
                ctx,
                "AGL200",
                e.key.span,
                f"`{e.key_text}` is a key of a {'local' if this == 'local' else 'remote'} "
                f"agent: Gemini CLI rejects it in a {'local' if this != 'local' else 'remote'} "
                "agent (`Unrecognized key(s) in object`).",
            )
    if kind == "remote":
        url, card = ctx.get("agent_card_url"), ctx.get("agent_card_json")
        if url is not None and card is not None:
            _error(
                ctx,
                "AGL200",
                card.key.span,
                "A remote agent has `agent_card_url` or `agent_card_json`, not both: Gemini CLI "
                "rejects it (`Expected undefined`).",
            )
        uv = getattr(url.value, "value", None) if url is not None else None
        if isinstance(uv, str) and not is_url(uv):
            _error(
                ctx,
                "AGL312",
                ctx.value_span(url.value, url.key),
                "`agent_card_url` is not a URL: Gemini CLI rejects the agent (`Invalid url`).",
            )
        cv = getattr(card.value, "value", None) if card is not None else None
        if isinstance(cv, str):
            try:
                json.loads(cv)
            except ValueError:
                _error(
                    ctx,
                    "AGL312",
                    ctx.value_span(card.value, card.key),
                    "`agent_card_json` is not valid JSON: Gemini CLI rejects the agent.",
                )
        auth = ctx.get("auth")
        problem = _remote_auth(auth.value) if auth is not None else None
        if problem:
            _error(
                ctx,
                "AGL300",
                ctx.value_span(auth.value, auth.key),
                f"`auth` {problem}: Gemini CLI rejects the agent.",
            )
        if url is None and card is None:
            _error(
                ctx,
                "AGL206",
                ctx.block.open_span,
                "A remote agent needs `agent_card_url` or `agent_card_json`: Gemini CLI "
                "rejects it (`agent_card_url: Required`).",
            )


# mcpServerSchema: key -> (type, what); other keys are ignored (the object is not strict)
_MCP = {
    "command": "string",
    "args": "strings",
    "env": "string-map",
    "cwd": "string",
    "url": "string",
    "http_url": "string",
    "headers": "string-map",
    "tcp": "string",
    "type": "sse|http",
    "timeout": "number",
    "trust": "boolean",
    "description": "string",
    "include_tools": "strings",
    "exclude_tools": "strings",
    "auth": "auth",
}
_WANT = {
    "string": "a string",
    "strings": "a list of strings",
    "string-map": "a mapping of strings",
    "sse|http": "`sse` or `http`",
    "number": "a number",
    "boolean": "`true` or `false`",
    "auth": "a mapping with `type: google-credentials` or `type: oauth`",
}


def _mcp_ok(kind: str, v: Any) -> bool:
    from agentls.core.yamltree import BOOL, YMap, YScalar, YSeq

    def text(n: Any) -> bool:
        return (
            isinstance(n, YScalar)
            and isinstance(n.value, str)
            and not (n.style is None and is_date(n.value))
        )

    if kind == "string":
        return text(v)
    if kind == "strings":
        return isinstance(v, YSeq) and all(text(i) for i in v.items)
    if kind == "string-map":
        return isinstance(v, YMap) and all(text(x.value) for x in v.entries)
    if kind == "sse|http":
        return text(v) and v.value in ("sse", "http")
    if kind == "number":
        return isinstance(v, YScalar) and (n := js_number(v)) is not None and n == n
    if kind == "boolean":
        return isinstance(v, YScalar) and v.tag == BOOL
    if kind == "auth":
        t = v.get("type") if isinstance(v, YMap) else None
        kind_ = getattr(t.value, "value", None) if t is not None else None
        if kind_ == "oauth":
            urls = [v.get(k) for k in _OAUTH_URLS]
            return all(u is None or (text(u.value) and is_url(u.value.value)) for u in urls)
        return kind_ == "google-credentials"
    return True


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]*\Z")
_OAUTH_URLS = ("authorization_url", "token_url", "issuer", "redirect_uri", "registration_url")


def is_url(s: str) -> bool:
    """Whether ``new URL(s)`` parses (zod's ``url()``), near enough: a scheme, no spaces."""
    s = s.strip()
    if not _URL.match(s):
        return False
    scheme, _, rest = s.partition(":")
    special = scheme.lower() in ("http", "https", "ws", "wss", "ftp", "file")
    return not special or bool(rest.lstrip("/"))


def agent_mcp_servers(ctx: Any) -> None:
    """Each `mcp_servers` entry against Gemini CLI's server schema (g0247-g0273)."""
    from agentls.core.yamltree import YMap

    e = ctx.get("mcp_servers")
    if e is None or not isinstance(e.value, YMap):
        return
    for server in e.value.entries:
        name = server.key_text
        v = server.value
        if not isinstance(v, YMap):
            _error(
                ctx,
                "AGL300",
                ctx.value_span(v, server.key),
                f"`mcp_servers.{name}` should be a mapping (`command`, `url`...): Gemini CLI "
                "rejects the agent.",
            )
            continue
        for sub in v.entries:
            kind = _MCP.get(sub.key_text)
            if kind is None or _mcp_ok(kind, sub.value):
                continue
            _error(
                ctx,
                "AGL300",
                ctx.value_span(sub.value, sub.key),
                f"`mcp_servers.{name}.{sub.key_text}` should be {_WANT[kind]}: Gemini CLI "
                "rejects the agent.",
            )


def skill_loads(ctx: Any) -> None:
    """Gemini CLI loads a skill when its block is found and it has a `name:` and a
    `description:` line (after the YAML, its line fallback); otherwise the skill is silently
    absent (k0002, k0016, k0022, k0023, k0096, k0097, k0107-k0121)."""
    if skill(ctx.text) is not None:
        return
    if ctx.block is None:
        _error(
            ctx,
            "AGL206",
            Span(0, 0),
            "Gemini CLI finds no front matter: the file must start with a line that is exactly "
            "`---` (no byte order mark, blank line or trailing space) and a later line starting "
            "with `---` must close it.",
        )
        return
    content = ctx.text[ctx.block.content.start : ctx.block.content.end]
    lines = _LINE.split(content)
    missing = [
        k
        for k, pat in (("name", _NAME_LINE), ("description", _DESC_LINE))
        if not any(pat.match(line) for line in lines)
    ]
    what = " and ".join(f"`{k}:`" for k in missing) or "`name:`"
    _error(
        ctx,
        "AGL206",
        ctx.block.open_span,
        f"Gemini CLI finds no {what} line here (the key, lower case, at the start of a line "
        "that is not the continuation of an indented `description:`).",
    )


def agent_yaml(ctx: Any) -> None:
    """What js-yaml refuses and agentls's YAML parser accepts: unknown tags (g0056, g0100); and
    what it accepts: merge keys, whose keys become the agent's (g0340)."""
    from agentls.core.yamltree import YMap, YSeq, walk

    b = ctx.block
    m = NON_PRINTABLE.search(ctx.text, b.content.start, b.content.end) if b else None
    if m is not None:
        _error(
            ctx,
            "AGL102",
            Span(m.start(), m.end()),
            f"A control character (U+{ord(m.group()):04X}) in the front matter: js-yaml "
            "refuses it (`the stream contains non-printable characters`), so Gemini CLI "
            "rejects the agent.",
        )
    if ctx.root is None:
        return
    for e in ctx.root.entries:
        for node in walk(e.value):
            if getattr(node, "tag", None) == "tag:yaml.org,2002:binary":
                field = ctx.spec.fields.get(e.key_text)
                if field is not None and field.type in ("string", "model", "enum"):
                    _error(
                        ctx,
                        "AGL300",
                        ctx.value_span(node),
                        f"`!!binary` makes `{e.key_text}` binary data, not text: Gemini CLI "
                        "rejects the agent.",
                    )
            if unknown_tag(node):
                _error(
                    ctx,
                    "AGL019",
                    ctx.value_span(node),
                    f"Invalid YAML for Gemini CLI: js-yaml does not know the tag "
                    f"`{getattr(node, 'tag', '')}` (`unknown tag`). Quote the value.",
                )
        if e.key_text != "<<":
            continue
        merged = e.value.items if isinstance(e.value, YSeq) else [e.value]
        for part in merged:
            if not isinstance(part, YMap):
                continue
            for sub in part.entries:
                if sub.key_text not in ctx.spec.fields:
                    _error(
                        ctx,
                        "AGL200",
                        sub.key.span,
                        f"Unknown key `{sub.key_text}` (merged by `<<`) for Gemini CLI: "
                        "Gemini CLI rejects the agent (`Unrecognized key(s) in object`).",
                    )


def _remote_auth(v: Any) -> str | None:
    """What ``authConfigSchema`` refuses in a remote agent's `auth` (g0284, g0285)."""
    from agentls.core.yamltree import YMap

    if not isinstance(v, YMap):
        return "should be a mapping with a `type`"

    def s(key: str) -> str | None:
        e = v.get(key)
        x = getattr(e.value, "value", None) if e is not None else None
        return x if isinstance(x, str) else None

    kind = s("type")
    if kind == "apiKey":
        return None if s("key") else "of type `apiKey` needs a non-empty `key`"
    if kind == "http":
        scheme = s("scheme")
        if not scheme:
            return "of type `http` needs a `scheme`"
        if s("value"):
            return None
        if scheme == "Bearer":
            return (
                None
                if s("token")
                else 'with scheme `Bearer` needs a `token` (`Bearer scheme requires "token"`)'
            )
        if scheme == "Basic":
            ok = s("username") and s("password")
            return None if ok else "with scheme `Basic` needs `username` and `password`"
        return f"with scheme `{scheme}` needs a `value`"
    if kind in ("google-credentials", "oauth"):
        return None
    return "needs `type`: `apiKey`, `http`, `google-credentials` or `oauth`"
