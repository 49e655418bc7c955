"""Gemini CLI conformance cases: generated mutations and the shared corpus.

Two dialects are read by Gemini CLI 0.61.0 from Markdown:

- ``gemini-agent``: ``.gemini/agents/*.md`` (project, registered only once acknowledged) and
  ``~/.gemini/agents/*.md`` (user, the same loader, no acknowledgement). Generated agents are laid
  out in the user folder (``File.rel`` starts with ``~/``). Token ``g0042``.
- ``agentskills``: ``SKILL.md`` in ``.gemini/skills/``, ``.gemini/skills/*/``, ``.agents/skills/``
  and the same under ``~``. Generated skills are laid out in the project. Token ``k0042``.

Custom commands are TOML (``.gemini/commands/*.toml``): no Markdown, out of scope.

Each generated file carries its token in its file (or folder) name, and in its name when that is
valid, so errors (which name the path) and listings (agents by name, skills by location) map
back to files. The generator is deterministic; recordings keep only ids and hashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from tests.conformance.cases import (
    CORPUS,
    DESCRIPTIONS,
    LONG,
    Case,
    Doc,
    File,
    Mut,
    addl,
    attr,
    both,
    delk,
    fm_bytes,
    lines_map,
    prep,
    rawb,
    setk,
)

AGENT = "gemini-agent"
SKILL = "agentskills"
AGENTS_DIR = "~/.gemini/agents"
SKILLS_DIR = ".gemini/skills"

Table = list[tuple[str, Mut, bool]]

# A closed loopback port: remote agents and MCP servers never reach anything but 127.0.0.1.
DEAD = "http://127.0.0.1:9"

_EXTRA_KEY = re.compile(r"^x-[a-z-]+:")


def _x_to_display_name(d: Doc, t: str) -> Doc:
    """The shared mutations add filler keys (``x-extra``); Gemini rejects unknown keys, so a
    single top-level filler becomes ``display_name`` (a string key every agent may have)."""
    lines = list(d.lines or [])
    hits = [i for i, x in enumerate(lines) if _EXTRA_KEY.match(x)]
    if len(hits) == 1:
        i = hits[0]
        lines[i] = "display_name:" + lines[i].split(":", 1)[1]
    return replace(d, lines=lines)


def _upper_name(suffix: str) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        return setk("name", t.upper() + suffix)(d, t)

    return f


def gem(m: Mut) -> Mut:
    return both(m, _x_to_display_name)


# --------------------------------------------------------------------------- formats

FORMATS: Table = [
    ("fmt-crlf", attr(newline="\r\n"), False),
    ("fmt-cr", attr(newline="\r"), False),
    (
        "fmt-crlf-colon-space",
        both(setk("description", "{t} Use when: x"), attr(newline="\r\n")),
        False,
    ),
    ("fmt-mixed-crlf", fm_bytes(b"\n", b"\r\n"), False),
    ("fmt-crlf-closer-only", fm_bytes(b"\n---\n", b"\n---\r\n"), False),
    ("fmt-bom", attr(bom=True), False),
    ("fmt-bom-crlf", attr(bom=True, newline="\r\n"), False),
    ("fmt-leading-blank", attr(before="\n"), False),
    ("fmt-leading-space", attr(before=" "), False),
    ("fmt-leading-text", attr(before="# Title\n\n"), False),
    ("fmt-opener-trailing-space", attr(opener="---   "), False),
    ("fmt-opener-tab", attr(opener="---\t"), False),
    ("fmt-opener-four", attr(opener="----"), False),
    ("fmt-opener-text", attr(opener="--- yaml"), False),
    ("fmt-closer-trailing-space", attr(closer="---  "), False),
    ("fmt-closer-four", attr(closer="----"), False),
    ("fmt-closer-text", attr(after_closer=" body starts here"), False),
    ("fmt-closer-dots", attr(closer="..."), False),
    ("fmt-closer-indented", attr(closer="  ---"), False),
    ("fmt-unterminated", attr(closer=None), False),
    ("fmt-no-body", attr(body="", tail=""), False),
    ("fmt-no-final-newline", attr(tail=""), False),
    ("fmt-closer-eof", both(attr(body="", tail=""), rawb(lambda b: b.rstrip(b"\n"))), False),
    ("fmt-body-dashes", attr(body="Body.\n\n---\n\nmore: text\n---\n"), False),
    ("fmt-dashes-in-value", setk("description", "{t} a\n  ---\n  b"), False),
    ("fmt-comment-lines", prep("# a comment", "  # indented comment"), False),
    ("fmt-blank-lines", prep("", ""), False),
    ("fmt-blank-line-before-closer", addl(""), False),
    ("fmt-doc-end-marker", addl("..."), False),
    ("fmt-yaml-directive", prep("%YAML 1.2", "---"), False),
    ("fmt-second-document", addl("---", "other: doc"), False),
    ("fmt-tab-after-colon", lines_map(lambda x: x.replace(": ", ":\t", 1)), False),
    ("fmt-tab-before-key", addl("\tdisplay_name: x"), False),
    ("fmt-tab-indent-list", lines_map(lambda x: x.replace("  - ", "\t- ")), False),
    ("fmt-trailing-whitespace", lines_map(lambda x: x + "  "), False),
    ("fmt-indented-keys", lines_map(lambda x: "  " + x), False),
    ("fmt-nul-in-front-matter", addl("display_name: a\x00b"), False),
    ("fmt-nul-in-body", attr(body="Body\x00with NUL."), False),
    (
        "fmt-invalid-utf8-in-front-matter",
        both(addl("display_name: MARK"), fm_bytes(b"MARK", b"\xff\xfe")),
        False,
    ),
    (
        "fmt-invalid-utf8-in-description",
        both(setk("description", "{t} DESCMARK description"), fm_bytes(b"DESCMARK", b"caf\xe9")),
        False,
    ),
    (
        "fmt-invalid-utf8-in-body",
        both(attr(body="Body BODYMARK."), fm_bytes(b"BODYMARK", b"caf\xe9")),
        False,
    ),
    (
        "fmt-latin1-file",
        both(
            setk("description", "{t} caf\u00e9 cr\u00e8me"),
            rawb(lambda b: b.decode("utf-8").encode("latin-1", "replace")),
        ),
        False,
    ),
    (
        "fmt-utf16le-bom",
        rawb(lambda b: b"\xff\xfe" + b.decode("utf-8", "replace").encode("utf-16-le")),
        False,
    ),
    ("fmt-control-char", addl("display_name: a\x07b"), False),
    ("fmt-escape-char", addl("display_name: a\x1bb"), False),
    ("fmt-del-char", addl("display_name: a\x7fb"), False),
    ("fmt-u2028-line", addl("display_name: a\u2028other: b"), False),
    ("fmt-size-1mib-body", attr(body="x" * (1024 * 1024 + 10)), True),
    ("fmt-size-1mib-front-matter", addl("display_name: " + "z" * (1024 * 1024 + 10)), True),
    ("fmt-size-big-description", setk("description", "{t} " + "w" * 200_000), True),
    ("fmt-deep-nesting", addl("display_name: " + "[" * 300 + "]" * 300), False),
    (
        "fmt-alias-bomb",
        addl(
            "x-a: &a [x, x, x, x, x, x, x, x, x]",
            *[
                f"x-{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
                for i in range(9)
            ],
        ),
        True,
    ),
    ("fmt-merge-key", both(prep("<<: {{display_name: merged}}")), False),
    (
        "fmt-merge-key-alias-list",
        both(setk("tools", "&t [read_file]"), addl("<<: {{display_name: m}}")),
        False,
    ),
    (
        "fmt-anchor-alias-description",
        both(setk("display_name", "&d {t} shared"), setk("description", "*d")),
        False,
    ),
    ("fmt-not-mapping-list", attr(lines=["- a", "- b"]), False),
    ("fmt-not-mapping-scalar", attr(lines=["just text"]), False),
    ("fmt-empty-front-matter", attr(lines=[]), False),
    ("fmt-only-comment", attr(lines=["# nothing"]), False),
    ("fmt-no-front-matter", attr(lines=None, body="{t} body only\n\nSecond paragraph."), False),
    ("fmt-yaml-error-late", addl("display_name: [unclosed"), False),
    ("fmt-yaml-error-indent", addl("display_name: a", " b: 2"), False),
    ("fmt-complex-key", addl("? display_name", ": value"), False),
    ("fmt-flow-map-front-matter", attr(lines=["{{name: {t}, description: {t} flow}}"]), False),
    ("fmt-tagged-str-name", setk("name", "!!str {t}"), False),
    ("fmt-custom-tag", addl("display_name: !custom x"), False),
    ("fmt-binary-tag", addl("display_name: !!binary aGk="), False),
    ("fmt-timestamp-value", addl("display_name: 2024-01-01"), False),
    ("fmt-octal-like", addl("display_name: 0o17"), False),
]

# ------------------------------------------------------------------------------ agents


def agent_base(t: str) -> Doc:
    return Doc(
        [
            f"name: {t}",
            f"description: {t} reviews code for bugs",
            "tools:",
            "  - read_file",
            "  - grep_search",
            "model: gemini-2.5-flash",
        ],
        f"You are {t}. Review the code you are given.",
    )


AGENT_NAMES: Table = [
    ("name-hyphen", setk("name", "{t}-reviewer"), False),
    ("name-underscore", setk("name", "{t}_reviewer"), False),
    ("name-digits-suffix", setk("name", "{t}-2"), False),
    ("name-leading-dash", setk("name", "-{t}"), False),
    ("name-trailing-dash", setk("name", "{t}-"), False),
    ("name-leading-underscore", setk("name", "_{t}"), False),
    ("name-upper", setk("name", "{t}-Reviewer"), False),
    ("name-all-upper", _upper_name(""), False),
    ("name-space", setk("name", "{t} reviewer"), False),
    ("name-colon", setk("name", "{t}:sub"), False),
    ("name-slash", setk("name", "{t}/sub"), False),
    ("name-dot", setk("name", "{t}.v2"), False),
    ("name-quoted", setk("name", '"{t}"'), False),
    ("name-single-quoted", setk("name", "'{t}'"), False),
    ("name-unicode", setk("name", "{t}-prüfer"), False),
    ("name-long", setk("name", "{t}-" + "x" * 200), False),
    ("name-trailing-space-quoted", setk("name", '"{t} "'), False),
    ("name-hash-comment", setk("name", "{t} #comment"), False),
    ("name-number", setk("name", "123"), False),
    ("name-number-quoted", setk("name", '"12345"'), True),
    ("name-float", setk("name", "1.5"), False),
    ("name-bool", setk("name", "true"), False),
    ("name-null", setk("name", "null"), False),
    ("name-empty", setk("name", ""), False),
    ("name-empty-quoted", setk("name", '""'), False),
    ("name-list", setk("name", "[{t}]"), False),
    ("name-mapping", setk("name", "{{a: {t}}}"), False),
    ("name-missing", delk("name"), False),
    ("name-key-upper", both(delk("name"), prep("Name: {t}")), False),
    ("name-twice", both(setk("name", "{t}"), addl("name: {t}-second")), False),
    ("name-builtin-generalist", setk("name", "generalist"), True),
    ("name-builtin-codebase-investigator", setk("name", "codebase_investigator"), True),
    ("name-builtin-cli-help", setk("name", "cli_help"), True),
]

# errors name the file and listings the agent: the shared table's isolation is not needed here
AGENT_DESCRIPTIONS: Table = [(label, gem(m), False) for label, m, _ in DESCRIPTIONS] + [
    ("desc-whitespace-only-quoted", setk("description", '" "'), False),
    ("desc-xml-close-tag", setk("description", "{t} ends </description> early"), False),
    ("desc-one-char", setk("description", "x"), False),
]

ALL_TOOLS = (
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
)

AGENT_TOOLS: Table = [
    ("tools-all-builtin", setk("tools", "[" + ", ".join(ALL_TOOLS) + "]"), False),
    ("tools-flow-list", setk("tools", "[read_file, glob]"), False),
    ("tools-string", setk("tools", "read_file"), False),
    ("tools-comma-string", setk("tools", "read_file, glob"), False),
    ("tools-star", setk("tools", "['*']"), False),
    ("tools-star-string", setk("tools", "'*'"), False),
    ("tools-mcp-all", setk("tools", "[mcp_*]"), False),
    ("tools-mcp-server-star", setk("tools", "[mcp_github_*]"), False),
    ("tools-mcp-tool", setk("tools", "[mcp_github_create_issue]"), False),
    ("tools-mcp-dotted-server", setk("tools", "[mcp_my.server_tool]"), False),
    ("tools-mcp-double-underscore", setk("tools", "[mcp__github__create_issue]"), False),
    ("tools-mcp-no-tool", setk("tools", "[mcp_github]"), False),
    ("tools-mcp-underscore-tool", setk("tools", "[mcp_github___]"), False),
    ("tools-mcp-upper", setk("tools", "[mcp_GitHub_Create]"), False),
    ("tools-mcp-space", setk("tools", "['mcp_git hub_x']"), False),
    ("tools-legacy-alias", setk("tools", "[search_file_content]"), False),
    ("tools-discovered", setk("tools", "[discovered_tool_foo]"), False),
    ("tools-claude-names", setk("tools", "[Read, Grep]"), False),
    ("tools-upper", setk("tools", "[READ_FILE]"), False),
    ("tools-unknown", setk("tools", "[read_file, nope]"), False),
    ("tools-typo", setk("tools", "[read_files]"), False),
    ("tools-agent-name", setk("tools", "[codebase_investigator]"), False),
    ("tools-display-name", setk("tools", "[ReadFile]"), False),
    ("tools-empty-list", setk("tools", "[]"), False),
    ("tools-null", setk("tools", ""), False),
    ("tools-number", setk("tools", "5"), False),
    ("tools-list-number", setk("tools", "[read_file, 5]"), False),
    ("tools-list-null", setk("tools", "[read_file, null]"), False),
    ("tools-nested-list", setk("tools", "[[read_file]]"), False),
    ("tools-mapping", setk("tools", "{{read_file: true}}"), False),
    ("tools-duplicate", setk("tools", "[read_file, read_file]"), False),
    ("tools-empty-string-item", setk("tools", "['']"), False),
    ("tools-missing", both(delk("tools"), lines_map(lambda x: x)), False),
    ("tools-key-allowed-tools", both(delk("tools"), addl("allowed_tools: [read_file]")), False),
]


def _drop_tool_items(d: Doc, t: str) -> Doc:
    return replace(d, lines=[x for x in d.lines or [] if not x.startswith("  - ")])


# ``tools:`` is a block list in the base: drop its items whenever ``tools`` is replaced
AGENT_TOOLS = [(label, both(_drop_tool_items, m), iso) for label, m, iso in AGENT_TOOLS]

AGENT_MODELS: Table = [
    *[
        (f"model-{m}", setk("model", m), False)
        for m in (
            "gemini-2.5-pro",
            "gemini-2.5-flash-lite",
            "gemini-3-pro-preview",
            "gemini-3-flash-preview",
            "inherit",
            "auto",
            "pro",
            "flash",
            "gpt-4",
            "sonnet",
        )
    ],
    ("model-quoted", setk("model", '"gemini-2.5-pro"'), False),
    ("model-number", setk("model", "4"), False),
    ("model-float", setk("model", "2.5"), False),
    ("model-bool", setk("model", "true"), False),
    ("model-null", setk("model", ""), False),
    ("model-empty-quoted", setk("model", '""'), False),
    ("model-list", setk("model", "[gemini-2.5-pro]"), False),
    ("model-missing", delk("model"), False),
]

AGENT_KEYS: Table = [
    ("kind-local", addl("kind: local"), False),
    ("kind-local-quoted", addl("kind: 'local'"), False),
    ("kind-Local", addl("kind: Local"), False),
    ("kind-empty", addl("kind: ''"), False),
    ("kind-null", addl("kind:"), False),
    ("kind-number", addl("kind: 1"), False),
    ("kind-subagent", addl("kind: subagent"), False),
    ("kind-remote-no-card", addl("kind: remote"), False),
    ("display-name", addl("display_name: {t} Reviewer"), False),
    ("display-name-number", addl("display_name: 5"), False),
    ("display-name-empty", addl("display_name: ''"), False),
    ("display-name-null", addl("display_name:"), False),
    ("display-name-camel", addl("displayName: Reviewer"), False),
    ("display-name-kebab", addl("display-name: Reviewer"), False),
    *[
        (f"temperature-{label}", addl(f"temperature: {v}"), False)
        for label, v in (
            ("0", "0"),
            ("0.2", "0.2"),
            ("1", "1"),
            ("2", "2"),
            ("5", "5"),
            ("negative", "-1"),
            ("exp", "1e-1"),
            ("inf", ".inf"),
            ("nan", ".nan"),
            ("string", "'0.5'"),
            ("word", "hot"),
            ("bool", "true"),
            ("null", "null"),
            ("list", "[0.5]"),
            ("hex", "0x1"),
        )
    ],
    *[
        (f"max-turns-{label}", addl(f"max_turns: {v}"), False)
        for label, v in (
            ("1", "1"),
            ("10", "10"),
            ("1000000", "1000000"),
            ("0", "0"),
            ("negative", "-5"),
            ("float", "1.5"),
            ("float-integral", "10.0"),
            ("exp", "1e3"),
            ("inf", ".inf"),
            ("string", "'10'"),
            ("null", "null"),
            ("bool", "true"),
            ("octal", "0o17"),
            ("underscore", "1_000"),
        )
    ],
    ("max-turns-camel", addl("maxTurns: 10"), False),
    ("max-turns-kebab", addl("max-turns: 10"), False),
    *[
        (f"timeout-mins-{label}", addl(f"timeout_mins: {v}"), False)
        for label, v in (
            ("1", "1"),
            ("30", "30"),
            ("0", "0"),
            ("negative", "-1"),
            ("float", "0.5"),
            ("string", "'5'"),
            ("null", "null"),
        )
    ],
    ("timeout-camel", addl("timeoutMins: 5"), False),
    ("timeout-plain", addl("timeout: 5"), False),
    # keys of other runtimes
    *[
        (f"unknown-{k}", addl(f"{k}: {v}"), False)
        for k, v in (
            ("color", "blue"),
            ("mcpServers", "{{}}"),
            ("maxTurns", "5"),
            ("permissionMode", "plan"),
            ("argument-hint", "x"),
            ("skills", "[a]"),
            ("hooks", "{{}}"),
            ("effort", "high"),
            ("x-extra", "1"),
            ("metadata", "{{author: me}}"),
            ("Description", "again"),
            ("handoffs", "[]"),
            ("target", "vscode"),
            ("mode", "subagent"),
            ("disallowedTools", "[glob]"),
            ("agent_card_url", DEAD + "/card"),
        )
    ],
    ("unknown-two-keys", addl("color: blue", "permissionMode: plan"), False),
    ("unknown-null-value", addl("color:"), False),
    ("key-twice-unknown", addl("color: a", "color: b"), False),
    ("key-twice-model", addl("model: gemini-2.5-pro"), False),
    ("required-name-and-description-missing", both(delk("name"), delk("description")), False),
    ("only-name-description", both(delk("tools"), delk("model"), _drop_tool_items), False),
    (
        "all-local-keys",
        both(
            addl(
                "kind: local",
                "display_name: Full Reviewer",
                "temperature: 0.3",
                "max_turns: 12",
                "timeout_mins: 4",
                "mcp_servers:",
                "  local-srv:",
                "    command: 'true'",
            )
        ),
        False,
    ),
]

AGENT_MCP: Table = [
    *[
        (f"mcp-{label}", addl("mcp_servers:", "  srv:", *("    " + x for x in body)), False)
        for label, body in (
            ("command", ["command: 'true'", "args: [--x]", "env: {{A: b}}", "cwd: /tmp"]),
            ("url", [f"url: {DEAD}/sse", "type: sse"]),
            ("http-url", [f"http_url: {DEAD}/mcp", "headers: {{X-A: b}}"]),
            ("type-http", [f"url: {DEAD}/mcp", "type: http"]),
            ("type-ws", [f"url: {DEAD}/mcp", "type: ws"]),
            ("type-stdio", ["command: 'true'", "type: stdio"]),
            ("tcp", ["tcp: 127.0.0.1:9"]),
            ("timeout", ["command: 'true'", "timeout: 1000"]),
            ("timeout-string", ["command: 'true'", "timeout: '1000'"]),
            ("trust", ["command: 'true'", "trust: true"]),
            ("trust-string", ["command: 'true'", "trust: 'yes'"]),
            ("description", ["command: 'true'", "description: a server"]),
            ("include-tools", ["command: 'true'", "include_tools: [a, b]", "exclude_tools: [c]"]),
            ("include-tools-string", ["command: 'true'", "include_tools: a"]),
            ("args-string", ["command: 'true'", "args: --x"]),
            ("args-numbers", ["command: 'true'", "args: [1, 2]"]),
            ("env-number", ["command: 'true'", "env: {{A: 1}}"]),
            ("command-list", ["command: [node, x.js]"]),
            ("unknown-key", ["command: 'true'", "enabled: true"]),
            ("camel-key", ["command: 'true'", "httpUrl: x"]),
            ("empty", ["{{}}"]),
            ("auth-google", ["command: 'true'", "auth: {{type: google-credentials, scopes: [a]}}"]),
            (
                "auth-oauth",
                [f"url: {DEAD}", f"auth: {{{{type: oauth, client_id: c, token_url: '{DEAD}/t'}}}}"],
            ),
            ("auth-oauth-bad-url", [f"url: {DEAD}", "auth: {{type: oauth, token_url: not-a-url}}"]),
            ("auth-apikey", [f"url: {DEAD}", "auth: {{type: apiKey, key: k}}"]),
        )
    ],
    ("mcp-servers-null", addl("mcp_servers:"), False),
    ("mcp-servers-empty-map", addl("mcp_servers: {{}}"), False),
    ("mcp-servers-list", addl("mcp_servers:", "  - command: 'true'"), False),
    ("mcp-servers-string", addl("mcp_servers: srv"), False),
    ("mcp-server-string", addl("mcp_servers:", "  srv: 'true'"), False),
    ("mcp-server-null", addl("mcp_servers:", "  srv:"), False),
    ("mcp-servers-camel", addl("mcpServers:", "  srv:", "    command: 'true'"), False),
    ("mcp-servers-kebab", addl("mcp-servers:", "  srv:", "    command: 'true'"), False),
]

CARD = (
    '{{"name": "{t}-card", "description": "{t} card description", "url": "' + DEAD + '/a2a", '
    '"version": "1.0.0", "protocolVersion": "0.3.0", "capabilities": {{}}, '
    '"defaultInputModes": ["text"], "defaultOutputModes": ["text"], "skills": []}}'
)


def _remote(*lines: str) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        return replace(d, lines=[x.format(t=t) for x in lines])

    return f


AGENT_REMOTE: Table = [
    (
        "remote-card-url",
        _remote(
            "kind: remote", "name: {t}", "description: {t} remote", f"agent_card_url: {DEAD}/card"
        ),
        True,
    ),
    (
        "remote-card-url-no-kind",
        _remote("name: {t}", "description: {t} remote", f"agent_card_url: {DEAD}/card"),
        True,
    ),
    (
        "remote-card-url-no-description",
        _remote("kind: remote", "name: {t}", f"agent_card_url: {DEAD}/card"),
        True,
    ),
    (
        "remote-card-url-invalid",
        _remote("kind: remote", "name: {t}", "description: d", "agent_card_url: not a url"),
        True,
    ),
    (
        "remote-card-json",
        _remote(
            "kind: remote",
            "name: {t}",
            "description: {t} remote json",
            "agent_card_json: '" + CARD + "'",
        ),
        True,
    ),
    (
        "remote-card-json-invalid",
        _remote("kind: remote", "name: {t}", "description: d", "agent_card_json: '{{not json'"),
        True,
    ),
    (
        "remote-both",
        _remote(
            "kind: remote",
            "name: {t}",
            "description: d",
            f"agent_card_url: {DEAD}/card",
            "agent_card_json: '{{}}'",
        ),
        True,
    ),
    (
        "remote-with-tools",
        _remote(
            "kind: remote",
            "name: {t}",
            "description: d",
            f"agent_card_url: {DEAD}/card",
            "tools: [read_file]",
        ),
        True,
    ),
    (
        "remote-auth-apikey",
        _remote(
            "kind: remote",
            "name: {t}",
            "description: d",
            f"agent_card_url: {DEAD}/card",
            "auth:",
            "  type: apiKey",
            "  key: k",
        ),
        True,
    ),
    (
        "remote-auth-bearer-no-token",
        _remote(
            "kind: remote",
            "name: {t}",
            "description: d",
            f"agent_card_url: {DEAD}/card",
            "auth:",
            "  type: http",
            "  scheme: Bearer",
        ),
        True,
    ),
    (
        "remote-list",
        _remote(
            f"- name: {{t}}-one\n  agent_card_url: {DEAD}/one",
            f"- name: {{t}}-two\n  agent_card_url: {DEAD}/two",
        ),
        True,
    ),
    ("remote-list-invalid", _remote("- name: {t}-one", "- 5"), True),
]

AGENT_FILES: Table = [
    ("file-upper-ext", attr(filename="{t}.MD"), False),
    ("file-markdown-ext", attr(filename="{t}.markdown"), False),
    ("file-underscore", attr(filename="_{t}.md"), False),
    ("file-agent-md", attr(filename="{t}.agent.md"), False),
    ("file-subfolder", attr(filename="sub/{t}.md"), False),
    ("file-dotfile", attr(filename=".{t}.md"), False),
    ("file-no-ext", attr(filename="{t}"), False),
    ("file-space", attr(filename="{t} copy.md"), False),
    ("body-empty", attr(body="", tail=""), False),
    ("body-whitespace", attr(body="   \n\n  ", tail="\n"), False),
    ("body-long", attr(body=LONG * 20), False),
]

# what the subagent really gets (model, tools, temperature): read from its own request
AGENT_PROBES: Table = [
    ("probe-temperature-no-model", both(delk("model"), addl("temperature: 0.2")), False),
    ("probe-temperature-inherit", both(setk("model", "inherit"), addl("temperature: 0.2")), False),
    ("probe-temperature-auto", both(setk("model", "auto"), addl("temperature: 0.2")), False),
    (
        "probe-temperature-pro",
        both(setk("model", "gemini-2.5-pro"), addl("temperature: 0.2")),
        False,
    ),
    (
        "probe-temperature-unknown-model",
        both(setk("model", "gpt-4"), addl("temperature: 0.2")),
        False,
    ),
    ("probe-model-empty-string", setk("model", "''"), False),
    ("probe-model-flash-alias", setk("model", "flash"), False),
    (
        "probe-tools-mcp-server-star",
        both(_drop_tool_items, setk("tools", "[mcp_github_*, read_file]")),
        False,
    ),
    (
        "probe-tools-legacy-alias",
        both(_drop_tool_items, setk("tools", "[search_file_content]")),
        False,
    ),
    (
        "probe-tools-write-todos",
        both(_drop_tool_items, setk("tools", "[write_todos, ask_user, invoke_agent]")),
        False,
    ),
    ("probe-tools-complete-task", both(_drop_tool_items, setk("tools", "[complete_task]")), False),
    (
        "probe-tools-background",
        both(_drop_tool_items, setk("tools", "[list_background_processes]")),
        False,
    ),
    (
        "probe-tools-update-topic",
        both(_drop_tool_items, setk("tools", "[update_topic, read_many_files]")),
        False,
    ),
    ("probe-body-whitespace-only", attr(body="  \n\t", tail="\n"), False),
    (
        "probe-body-after-dashes-closer",
        attr(closer="---", after_closer="-", body="Body kept?"),
        False,
    ),
]

# ------------------------------------------------------------------------------ skills


def skill_base(t: str) -> Doc:
    return Doc([f"name: {t}", f"description: {t} does a useful thing"], f"# {t}\n\nSteps.")


SKILL_KEYS: Table = [
    ("name-missing", delk("name"), True),
    ("name-number", setk("name", "123"), True),
    ("name-bool", setk("name", "true"), True),
    ("name-null", setk("name", ""), True),
    ("name-empty-quoted", setk("name", '""'), True),
    ("name-list", setk("name", "[{t}]"), True),
    ("name-upper", _upper_name("-Skill"), False),
    ("name-space", setk("name", "{t} skill"), False),
    ("name-colon", setk("name", "{t}:sub"), False),
    ("name-colon-space", setk("name", "{t}: sub"), False),
    ("name-slash", setk("name", "{t}/sub"), False),
    ("name-specials", setk("name", '{t}<a>*?"|\\b'), False),
    ("name-quoted", setk("name", '"{t}"'), False),
    ("name-unicode", setk("name", "{t}-prüfen"), False),
    ("name-indented-key", both(delk("name"), addl("  name: {t}")), False),
    ("name-nested-under-metadata", both(delk("name"), addl("metadata:", "  name: {t}")), False),
    ("name-other-than-folder", setk("name", "{t}-other"), False),
    ("name-twice", addl("name: {t}-second"), False),
    (
        "extra-keys",
        addl("license: MIT", "allowed-tools: Read", "metadata: {{a: b}}", "color: red"),
        False,
    ),
    ("unknown-key", addl("whatever: 1"), False),
    ("both-missing", both(delk("name"), delk("description")), True),
    ("key-uppercase", both(delk("name"), addl("Name: {t}")), True),
    ("yaml-error-with-name", addl("bad: [unclosed"), False),
    (
        "yaml-error-desc-continuation",
        both(addl("bad: [unclosed"), setk("description", "{t} first\n  second\n  third")),
        False,
    ),
]

SKILL_FILES: Table = [
    ("file-root-skill-md", attr(filename="SKILL.md"), False),
    ("file-lowercase", attr(filename="{t}/skill.md"), False),
    ("file-nested", attr(filename="{t}/sub/SKILL.md"), False),
    ("file-agents-dir", attr(filename="../../.agents/skills/{t}/SKILL.md"), False),
    ("file-underscore-folder", attr(filename="_{t}/SKILL.md"), False),
    ("file-dot-folder", attr(filename=".{t}/SKILL.md"), False),
    ("file-readme", attr(filename="{t}/README.md"), False),
]

SKILL_DESCRIPTIONS: Table = [(label, m, False) for label, m, _ in DESCRIPTIONS]

SKILL_FORMATS: Table = [
    (label, m, iso)
    for label, m, iso in FORMATS
    if not label.startswith("fmt-size-1mib") and label != "fmt-tagged-str-name"
]

# ------------------------------------------------------------------------------ build


class _Counter:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}

    def token(self, prefix: str) -> str:
        self.n[prefix] = self.n.get(prefix, 0) + 1
        return f"{prefix}{self.n[prefix]:04d}"


def _listed_name(d: Doc) -> str | None:
    names = [x[5:].strip(" \t\"'") for x in d.lines or [] if x.startswith("name:")]
    return names[0] if len(names) == 1 else None


def _agent_file(t: str, d: Doc) -> File:
    fname = (d.filename or "{t}.md").replace("{T}", t.upper()).replace("{t}", t)
    name = _listed_name(d)
    return File(f"{AGENTS_DIR}/{fname}", d.data(), name if name and t in name else None)


def _skill_file(t: str, d: Doc) -> File:
    fname = (d.filename or "{t}/SKILL.md").replace("{T}", t.upper()).replace("{t}", t)
    rel = str(Path(SKILLS_DIR, fname).as_posix())
    rel = re.sub(r"[^/]+/[^/]+/\.\./\.\./", "", rel)  # ``../../.agents/skills/...``
    if fname == "SKILL.md":  # the root SKILL.md of the skills folder: give it a token
        rel = f"{SKILLS_DIR}/SKILL.md"
    name = _listed_name(d)
    return File(rel, d.data(), name if name and t in name else None)


def _make(c: _Counter, dialect: str, label: str, mut: Mut, isolate: bool, group: str) -> Case:
    if dialect == AGENT:
        t = c.token("g")
        f = _agent_file(t, mut(agent_base(t), t))
        kind = "agent"
    else:
        t = c.token("k")
        f = _skill_file(t, mut(skill_base(t), t))
        kind = "skill"
        # a skill's name decides precedence between files: a name without the token runs alone
        isolate = isolate or f.name is None or f.rel == f"{SKILLS_DIR}/SKILL.md"
    return Case(f"gen/{dialect}/{t}-{label}", kind, "generated", (f,), isolate, f"{group}: {label}")


def _duplicates(c: _Counter) -> Iterator[Case]:
    t = c.token("g")
    a = Doc([f"name: {t}", f"description: {t} FIRST file"], "First.")
    b = Doc([f"name: {t}", f"description: {t} SECOND file"], "Second.")
    yield Case(
        f"gen/{AGENT}/{t}-dup-name-two-files",
        "agent",
        "generated",
        (File(f"{AGENTS_DIR}/{t}-a.md", a.data(), t), File(f"{AGENTS_DIR}/{t}-b.md", b.data(), t)),
        True,
        "same name twice",
    )
    t = c.token("g")
    a = Doc([f"name: {t}", f"description: {t} ZZ file"], "x")
    b = Doc([f"name: {t}", f"description: {t} AA file"], "x")
    yield Case(
        f"gen/{AGENT}/{t}-dup-name-zz-first",
        "agent",
        "generated",
        (
            File(f"{AGENTS_DIR}/zz-{t}.md", a.data(), t),
            File(f"{AGENTS_DIR}/aa-{t}.md", b.data(), t),
        ),
        True,
        "same name twice, names sorting the other way",
    )
    k = c.token("k")
    sa = Doc([f"name: {k}", f"description: {k} FIRST skill"], "First.")
    sb = Doc([f"name: {k}", f"description: {k} SECOND skill"], "Second.")
    yield Case(
        f"gen/{SKILL}/{k}-dup-name-two-folders",
        "skill",
        "generated",
        (
            File(f"{SKILLS_DIR}/{k}-a/SKILL.md", sa.data(), k),
            File(f"{SKILLS_DIR}/{k}-b/SKILL.md", sb.data(), k),
        ),
        True,
        "same skill name twice",
    )
    k = c.token("k")
    sa = Doc([f"name: {k}", f"description: {k} GEMINI-DIR skill"], "First.")
    sb = Doc([f"name: {k}", f"description: {k} AGENTS-DIR skill"], "Second.")
    yield Case(
        f"gen/{SKILL}/{k}-dup-name-gemini-and-agents-dir",
        "skill",
        "generated",
        (
            File(f"{SKILLS_DIR}/{k}/SKILL.md", sa.data(), k),
            File(f".agents/skills/{k}/SKILL.md", sb.data(), k),
        ),
        True,
        "same skill name in .gemini/skills and .agents/skills",
    )


def generated() -> list[Case]:
    """Every generated case, in a fixed order (tokens depend on it)."""
    c = _Counter()
    out: list[Case] = [_make(c, AGENT, "base", both(), False, "base")]
    for group, table in (
        ("name", AGENT_NAMES),
        ("description", AGENT_DESCRIPTIONS),
        ("tools", AGENT_TOOLS),
        ("model", AGENT_MODELS),
        ("keys", AGENT_KEYS),
        ("mcp", AGENT_MCP),
        ("remote", AGENT_REMOTE),
        ("format", [(label, gem(m), iso) for label, m, iso in FORMATS]),
        ("file", AGENT_FILES),
    ):
        out.extend(_make(c, AGENT, label, m, iso, group) for label, m, iso in table)
    out.append(_make(c, SKILL, "base", both(), False, "base"))
    for group, table in (
        ("keys", SKILL_KEYS),
        ("description", SKILL_DESCRIPTIONS),
        ("format", SKILL_FORMATS),
        ("file", SKILL_FILES),
    ):
        out.extend(_make(c, SKILL, label, m, iso, group) for label, m, iso in table)
    out.extend(_duplicates(c))
    # appended last so that earlier tokens keep their numbers
    out.extend(_make(c, AGENT, label, m, iso, "probe") for label, m, iso in AGENT_PROBES)
    return out


# ------------------------------------------------------------------------------ corpus

_NAME = re.compile(rb"""(?m)^name[ \t]*:[ \t]*["']?([^"'\r\n#]*?)["']?[ \t]*\r?$""")


def rough_name(data: bytes) -> str | None:
    found = _NAME.findall(data[:8192])
    if len(found) != 1:
        return None
    try:
        return found[0].decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return None


def corpus() -> list[Case]:
    """Every ``SKILL.md`` of the shared corpus (Gemini CLI reads skills from any of them once
    placed in a skills folder), laid out as ``.gemini/skills/<its folder>/SKILL.md``. The corpus
    holds no Gemini agent (no ``.gemini/agents`` path, no Gemini-only key)."""
    out: list[Case] = []
    if not CORPUS.is_dir():
        return out
    for p in sorted(CORPUS.rglob("SKILL.md")):
        rel = p.relative_to(CORPUS).as_posix()
        parts = rel.split("/")
        if len(parts) < 2 or not p.is_file():
            continue
        data = p.read_bytes()
        f = File(f"{SKILLS_DIR}/{parts[-2]}/SKILL.md", data, rough_name(data), rel)
        out.append(Case(f"corpus/{rel}", "skill", "corpus", (f,), False, ""))
    return out


def examples() -> list[Case]:
    """The project has no Gemini example files (examples/ holds none)."""
    return []


def all_cases(sources: tuple[str, ...] = ("generated", "examples", "corpus")) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += generated()
    if "examples" in sources:
        out += examples()
    if "corpus" in sources:
        out += corpus()
    return out


def dialect_of(case: Case) -> str:
    return AGENT if case.kind == "agent" else SKILL
