# ruff: noqa: E501  (tables of mutations: one per line reads best)
"""Cases for VS Code's prompt-file validation: generated mutations, and the corpus.

Every dialect VS Code validates gets a valid base file and the same structural / YAML mutations
(block boundaries, line endings, encodings, quoting, indentation, anchors, duplicates...), plus
mutations of each key it knows. Generated files carry a token (``g0042``) in their path (the file
name, or the skill folder), so the recording maps back to the case; the generator is
deterministic (fixed order), so recordings keep only the id and a content hash.

Ids: ``gen/<dialect>/<token>-<label>``; corpus rows: the corpus path (``awesome-copilot/...``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conformance.cases import (
    CORPUS,
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

LONG_BODY = ("Review the change and report problems. " * 30 + "\n") * 200  # ~230 KB


@dataclass(frozen=True)
class Dialect:
    id: str  # the token's group, and (unless noted) agentls's dialect id
    path: str  # laid-out path, {t} = token
    base: Callable[[str], Doc]


def _agent(t: str) -> Doc:
    return Doc(
        [f"name: {t}-agent", f"description: {t} reviews code for bugs", "tools: ['read']"],
        f"You are {t}. Review the code you are given.",
    )


def _prompt(t: str) -> Doc:
    return Doc(
        [f"name: {t}-prompt", f"description: {t} writes a test", "agent: agent"],
        f"Write a unit test for the selected code ({t}).",
    )


def _instructions(t: str) -> Doc:
    return Doc(
        [f"description: {t} Python style", "applyTo: '**/*.py'"],
        f"Use type hints everywhere ({t}).",
    )


def _chatmode(t: str) -> Doc:
    return Doc(
        [f"description: {t} planning mode", "tools: ['read']"],
        f"You plan before you act ({t}).",
    )


def _skill(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} extracts tables from PDF files"],
        f"# {t}\n\nUse pdfplumber to read the tables.",
    )


def _claude_agent(t: str) -> Doc:
    return Doc(
        [
            f"name: {t}-reviewer",
            f"description: {t} reviews code for bugs",
            "tools: Read, Grep, Glob",
            "model: sonnet",
        ],
        f"You are {t}. Review the code you are given.",
    )


DIALECTS = (
    Dialect("vscode-agent", ".github/agents/{t}.agent.md", _agent),
    Dialect("github-agent", ".github/agents/{t}.md", _agent),  # no suffix: the GitHub layout
    Dialect("vscode-prompt", ".github/prompts/{t}.prompt.md", _prompt),
    Dialect("vscode-instructions", ".github/instructions/{t}.instructions.md", _instructions),
    Dialect("vscode-chatmode", ".github/chatmodes/{t}.chatmode.md", _chatmode),
    Dialect("github-skill", ".github/skills/{t}/SKILL.md", _skill),
    Dialect("claude-skill", ".claude/skills/{t}/SKILL.md", _skill),
    Dialect("claude-agent", ".claude/agents/{t}.md", _claude_agent),
)

Muts = list[tuple[str, Mut]]

PROBE = addl("zz-probe: 1")

# Structure, encodings and YAML syntax: applied to every dialect (on its description).
STRUCTURE: Muts = [
    ("base", lambda d, t: d),
    ("crlf", attr(newline="\r\n")),
    ("cr-only", attr(newline="\r")),
    ("bom", attr(bom=True)),
    ("no-closer", attr(closer=None)),
    ("blank-line-before-opener", attr(before="\n")),
    ("closer-trailing-text", attr(after_closer=" trailing")),
    ("closer-trailing-space", attr(after_closer="  ")),
    ("opener-trailing-space", attr(opener="---  ")),
    ("closer-four-dashes", attr(closer="----")),
    ("closer-dots", attr(closer="...")),
    ("no-front-matter", attr(lines=None)),
    ("empty-front-matter", attr(lines=[])),
    ("only-comment", attr(lines=["# just a comment"])),
    ("top-level-list", attr(lines=["- a", "- b"])),
    ("top-level-scalar", attr(lines=["just some text"])),
    ("blank-line-inside", prep("")),
    ("comment-lines", both(prep("# leading comment"), addl("# trailing comment"))),
    ("dashes-inside-value", setk("description", "{t} before --- after")),
    ("dashes-line-in-block", setk("description", "|\n  {t} first\n---\n  after")),
    ("desc-plain-colon-space", setk("description", "{t} Use when: reviewing code")),
    ("desc-single-quoted", setk("description", "'{t} single quoted'")),
    ("desc-double-quoted", setk("description", '"{t} double quoted"')),
    ("desc-double-escapes", setk("description", '"{t} tab\\there\\nnew \\u00e9 \\x41"')),
    ("desc-single-doubled-quote", setk("description", "'{t} it''s fine'")),
    ("desc-literal-block", setk("description", "|\n  {t} literal\n  second\n\n  para")),
    ("desc-literal-strip", setk("description", "|-\n  {t} strip\n")),
    ("desc-literal-keep", setk("description", "|+\n  {t} keep\n")),
    ("desc-folded-block", setk("description", ">\n  {t} folded\n  second\n\n  para")),
    ("desc-folded-indicator", setk("description", ">2\n   {t} indented more")),
    ("desc-plain-multiline", setk("description", "{t} first line\n  continued here")),
    ("desc-unterminated-double", setk("description", '"{t} never closed')),
    ("desc-unterminated-single", setk("description", "'{t} never closed")),
    ("desc-quote-then-text", setk("description", '"{t} quoted" then text')),
    ("desc-trailing-comment", setk("description", "{t} text # a comment")),
    ("desc-hash-no-space", setk("description", "{t} C#code")),
    ("desc-empty", setk("description", "")),
    ("desc-empty-quoted", setk("description", '""')),
    ("desc-spaces-quoted", setk("description", '"   "')),
    ("desc-null", setk("description", "null")),
    ("desc-tilde", setk("description", "~")),
    ("desc-number", setk("description", "123")),
    ("desc-float", setk("description", "1.5")),
    ("desc-bool", setk("description", "true")),
    ("desc-date", setk("description", "2024-01-01")),
    ("desc-flow-list", setk("description", "[a, b]")),
    ("desc-block-list", setk("description", "\n  - a\n  - b")),
    ("desc-flow-map", setk("description", "{{a: b}}")),
    ("desc-block-map", setk("description", "\n  a: b")),
    ("desc-angle-brackets", setk("description", "{t} uses <tags> & more")),
    ("desc-unicode", setk("description", "{t} Übersetzer — 日本語 🚀")),
    ("desc-long", setk("description", "{t} " + "long text " * 200)),
    ("desc-tab-after-colon", lines_map(lambda x: x.replace("description: ", "description:\t"))),
    ("desc-no-space-after-colon", lines_map(lambda x: x.replace("description: ", "description:"))),
    ("desc-space-before-colon", lines_map(lambda x: x.replace("description: ", "description : "))),
    ("desc-key-quoted", lines_map(lambda x: x.replace("description: ", '"description": '))),
    ("desc-key-uppercase", lines_map(lambda x: x.replace("description: ", "Description: "))),
    ("desc-explicit-key", lines_map(lambda x: x.replace("description: ", "? description\n: "))),
    ("dup-description", addl("description: {t} second description")),
    ("dup-key-unknown", addl("foo: 1", "foo: 2")),
    ("unknown-key", addl("foo-bar: 1")),
    ("unknown-key-map", addl("foo:", "  bar: 1")),
    ("indented-stray-key", addl("  stray: indented")),
    ("indented-first-key", lines_map(lambda x: x if not x.startswith("description") else "  " + x)),
    ("tab-indented-key", addl("\tstray: tab")),
    ("line-without-colon", addl("just a line")),
    ("key-without-value-last", addl("argument-hint:")),
    ("key-without-value-middle", prep("argument-hint:")),
    ("flow-seq-unclosed", addl("foo: [a, b")),
    ("flow-map-unclosed", addl("foo: {{a: b")),
    ("flow-seq-junk", addl("foo: [a, b] c")),
    ("flow-seq-empty-item", addl("foo: [a, , b]")),
    ("flow-map-no-key", addl("foo: {{: b}}")),
    ("block-seq-empty-item", addl("foo:", "  -", "  - b")),
    ("anchor-alias", both(addl("x-anchor: &a {t} anchored"), addl("x-alias: *a"))),
    ("alias-description", both(prep("x-anchor: &a {t} anchored"), setk("description", "*a"))),
    ("merge-key", both(prep("base: &b", "  k: v"), addl("<<: *b"))),
    ("tag-str", setk("description", "!!str {t} tagged")),
    ("document-end-marker", addl("...")),
    ("invalid-utf8-in-description", rawb(lambda b: b.replace(b" reviews", b" \xff\xfe", 1))),
    ("invalid-utf8-in-body", rawb(lambda b: b.rstrip(b"\n") + b" \xc3\x28\n")),
    ("nul-in-front-matter", fm_bytes(b"\n---\n", b"\nx: a\x00b\n---\n")),
    ("latin1-description", rawb(lambda b: b.replace(b"---\n", b"---\nx-l1: caf\xe9\n", 1))),
    ("utf16le-bom", rawb(lambda b: b"\xff\xfe" + b.decode("utf-8").encode("utf-16-le"))),
    ("huge-body", attr(body=LONG_BODY)),
    ("indent-4-map", addl("foo:", "    bar: 1", "    baz: 2")),
    ("mixed-indent-map", addl("foo:", "  bar: 1", "    baz: 2")),
    # probes: an unknown key last in the block, whose hint shows whether VS Code read that far
    ("probe-base", PROBE),
    ("probe-bom", both(PROBE, attr(bom=True))),
    ("probe-crlf", both(PROBE, attr(newline="\r\n"))),
    ("probe-cr-only", both(PROBE, attr(newline="\r"))),
    ("probe-no-closer", both(PROBE, attr(closer=None))),
    ("probe-blank-line-before-opener", both(PROBE, attr(before="\n"))),
    ("probe-space-before-opener", both(PROBE, attr(opener=" ---"))),
    ("probe-opener-trailing-space", both(PROBE, attr(opener="---  "))),
    ("probe-opener-trailing-text", both(PROBE, attr(opener="--- yaml"))),
    ("probe-opener-four-dashes", both(PROBE, attr(opener="----"))),
    (
        "probe-closer-trailing-text",
        both(PROBE, attr(after_closer=" trailing"), attr(body="zz-after: 1")),
    ),
    ("probe-closer-trailing-space", both(PROBE, attr(after_closer="  "), attr(body="zz-after: 1"))),
    ("probe-closer-four-dashes", both(PROBE, attr(closer="----"), attr(body="zz-after: 1"))),
    ("probe-closer-dots", both(PROBE, attr(closer="..."), attr(body="zz-after: 1"))),
    ("probe-closer-indented", both(PROBE, attr(closer=" ---"), attr(body="zz-after: 1"))),
    ("probe-after-line-without-colon", both(addl("just a line"), PROBE)),
    ("probe-after-unterminated-double", both(setk("description", '"{t} never closed'), PROBE)),
    ("probe-after-colon-space", both(setk("description", "{t} Use when: reviewing"), PROBE)),
    ("probe-after-tab-indented-key", both(addl("\tstray: tab"), PROBE)),
    ("probe-after-indented-key", both(addl("  stray: two"), PROBE)),
    (
        "probe-after-dashes-in-block",
        both(setk("description", "|\n  {t} first\n---\n  after"), PROBE),
    ),
    ("probe-after-flow-seq-unclosed", both(addl("foo: [a, b"), PROBE)),
    ("probe-after-comment", both(addl("# a comment"), PROBE)),
    ("probe-after-blank-lines", both(addl("", ""), PROBE)),
    ("probe-after-document-end", both(addl("..."), PROBE)),
    ("probe-after-document-start", both(addl("---x"), PROBE)),
    ("probe-after-nul", both(PROBE, fm_bytes(b"zz-probe", b"x\x00y: 1\nzz-probe"))),
    (
        "probe-invalid-utf8",
        both(PROBE, rawb(lambda b: b.replace(b"zz-probe: 1", b"zz-bad: \xff\nzz-probe: 1", 1))),
    ),
    ("probe-body-dashes", both(PROBE, attr(body="Intro\n---\nzz-after: 1\n---\nmore"))),
]

# Structure mutations that need the description key (the base of every dialect has one).
_AGENT_KEYS: Muts = [
    ("name-empty", setk("name", "")),
    ("name-empty-quoted", setk("name", '""')),
    ("name-number", setk("name", "42")),
    ("name-bool", setk("name", "true")),
    ("name-list", setk("name", "[a, b]")),
    ("name-spaces", setk("name", "{t} My Agent")),
    ("name-missing", delk("name")),
    ("description-missing", delk("description")),
    ("tools-comma-string", setk("tools", "read, edit, search")),
    ("tools-single-string", setk("tools", "read")),
    ("tools-empty-list", setk("tools", "[]")),
    ("tools-empty-value", setk("tools", "")),
    ("tools-number", setk("tools", "5")),
    ("tools-bool", setk("tools", "true")),
    ("tools-map", setk("tools", "\n  read: true")),
    ("tools-list-number", setk("tools", "[read, 5]")),
    ("tools-list-nested", setk("tools", "[read, [edit]]")),
    ("tools-block-list", setk("tools", "\n  - read\n  - 'execute'")),
    ("tools-star", setk("tools", "['*']")),
    ("tools-renamed", setk("tools", "['runCommands', 'fetch', 'githubRepo']")),
    ("tools-namespaced", setk("tools", "['read/readFile', 'search/codebase', 'web/fetch']")),
    ("tools-mcp", setk("tools", "['github/*', 'playwright/navigate', 'myserver/*']")),
    ("tools-extension", setk("tools", "['ms-python.python/getPythonEnvironmentInfo']")),
    ("tools-claude-names", setk("tools", "['Read', 'Grep', 'Bash']")),
    ("model-string", setk("model", "GPT-5 (copilot)")),
    ("model-list", setk("model", "['GPT-5 (copilot)', 'Claude Sonnet 4.5 (copilot)']")),
    ("model-empty", setk("model", "")),
    ("model-empty-list", setk("model", "[]")),
    ("model-number", setk("model", "4")),
    ("model-list-number", setk("model", "[gpt, 4]")),
    ("model-list-empty-string", setk("model", "['']")),
    ("model-map", setk("model", "\n  a: b")),
    ("argument-hint-ok", setk("argument-hint", "a file name")),
    ("argument-hint-empty", setk("argument-hint", '""')),
    ("argument-hint-number", setk("argument-hint", "3")),
    ("user-invocable-false", setk("user-invocable", "false")),
    ("user-invocable-yes", setk("user-invocable", "yes")),
    ("user-invocable-quoted", setk("user-invocable", '"true"')),
    ("user-invocable-uppercase", setk("user-invocable", "True")),
    ("user-invokable-old", setk("user-invokable", "false")),
    ("disable-model-invocation-true", setk("disable-model-invocation", "true")),
    ("disable-model-invocation-1", setk("disable-model-invocation", "1")),
    ("infer-false", setk("infer", "false")),
    ("infer-all", setk("infer", "all")),
    ("target-vscode", setk("target", "vscode")),
    ("target-github", setk("target", "github-copilot")),
    ("target-other", setk("target", "cursor")),
    ("target-empty", setk("target", '""')),
    ("target-list", setk("target", "[vscode]")),
    (
        "target-github-with-vscode-keys",
        both(
            setk("target", "github-copilot"),
            setk("argument-hint", "x"),
            addl("handoffs:", "  - label: Go", "    agent: agent", "    prompt: go"),
        ),
    ),
    (
        "target-github-mcp-servers",
        both(
            setk("target", "github-copilot"),
            addl(
                "mcp-servers:",
                "  fs:",
                "    type: local",
                "    command: npx",
                "    args: ['-y', 'fs']",
                "    tools: ['*']",
            ),
        ),
    ),
    (
        "mcp-servers-vscode",
        addl("mcp-servers:", "  fs:", "    type: local", "    command: npx", "    tools: ['*']"),
    ),
    ("metadata", addl("metadata:", "  owner: team")),
    ("agents-list", both(setk("tools", "['read', 'agent']"), setk("agents", "['*']"))),
    ("agents-without-agent-tool", setk("agents", "['planner']")),
    ("agents-string", setk("agents", "planner")),
    ("agents-list-number", setk("agents", "[1]")),
    (
        "agents-unknown-name",
        both(setk("tools", "['agent']"), setk("agents", "['no-such-agent-zz']")),
    ),
    (
        "handoffs-ok",
        addl(
            "handoffs:",
            "  - label: Start",
            "    agent: agent",
            "    prompt: Go on",
            "    send: false",
        ),
    ),
    ("handoffs-missing-prompt", addl("handoffs:", "  - label: Start", "    agent: agent")),
    ("handoffs-not-list", addl("handoffs: start")),
    ("handoffs-item-string", addl("handoffs:", "  - start")),
    (
        "handoffs-dup-label",
        addl(
            "handoffs:",
            "  - label: A",
            "    agent: agent",
            "    prompt: p",
            "  - label: A",
            "    agent: agent",
            "    prompt: q",
        ),
    ),
    (
        "handoffs-send-yes",
        addl("handoffs:", "  - label: A", "    agent: agent", "    prompt: p", "    send: yes"),
    ),
    (
        "handoffs-unknown-prop",
        addl("handoffs:", "  - label: A", "    agent: agent", "    prompt: p", "    color: red"),
    ),
    (
        "handoffs-label-punct",
        addl("handoffs:", "  - label: '--'", "    agent: agent", "    prompt: p"),
    ),
    (
        "handoffs-unknown-agent",
        addl("handoffs:", "  - label: A", "    agent: no-such-agent-zz", "    prompt: p"),
    ),
    (
        "hooks-vscode-shape",
        addl("hooks:", "  PostToolUse:", "    - type: command", "      command: ./lint.sh"),
    ),
    (
        "hooks-claude-shape",
        addl(
            "hooks:",
            "  PostToolUse:",
            "    - matcher: Edit",
            "      hooks:",
            "        - type: command",
            "          command: ./lint.sh",
        ),
    ),
    ("hooks-unknown-event", addl("hooks:", "  OnSave:", "    - type: command", "      command: x")),
    ("hooks-not-map", addl("hooks: run")),
    ("hooks-no-command", addl("hooks:", "  PostToolUse:", "    - type: command")),
    ("github-permissions", addl("github:", "  permissions:", "    issues: write")),
    ("github-bad-scope", addl("github:", "  permissions:", "    nope: read")),
    ("github-not-map", addl("github: yes")),
    ("reasoning-effort-high", setk("reasoning-effort", "high")),
    ("reasoning-effort-bad", setk("reasoning-effort", "extreme")),
    ("claude-keys", both(addl("color: blue", "permissionMode: plan", "memory: project"))),
    (
        "body-file-ref-missing",
        attr(body="See [the guide](./missing-guide.md) and #file:missing.md."),
    ),
    ("body-tool-ref", attr(body="Use #tool:read and #tool:runCommands and #tool:nope.")),
]

_PROMPT_KEYS: Muts = [
    ("name-empty", setk("name", "")),
    ("name-number", setk("name", "42")),
    ("description-missing", delk("description")),
    ("agent-ask", setk("agent", "ask")),
    ("agent-plan", setk("agent", "plan")),
    ("agent-edit", setk("agent", "edit")),
    ("agent-unknown", setk("agent", "no-such-agent-zz")),
    ("agent-empty", setk("agent", "")),
    ("agent-number", setk("agent", "1")),
    ("agent-missing", delk("agent")),
    ("mode-alone", both(delk("agent"), setk("mode", "agent"))),
    ("mode-and-agent", setk("mode", "agent")),
    ("mode-bad", both(delk("agent"), setk("mode", "nope"))),
    ("tools-list", setk("tools", "['read', 'edit']")),
    ("tools-with-ask", both(setk("agent", "ask"), setk("tools", "['read']"))),
    ("tools-string", setk("tools", "read, edit")),
    ("tools-number", setk("tools", "5")),
    ("model-string", setk("model", "GPT-5 (copilot)")),
    ("model-list", setk("model", "['GPT-5 (copilot)']")),
    ("model-number", setk("model", "5")),
    ("argument-hint-ok", setk("argument-hint", "a file")),
    ("argument-hint-empty", setk("argument-hint", '""')),
    ("agent-keys", addl("user-invocable: false", "handoffs: []", "target: vscode")),
    (
        "body-variables",
        attr(body="Use ${{selection}} in ${{file}} and ${{input:name:placeholder}}."),
    ),
    (
        "body-file-ref-missing",
        attr(body="See [the guide](./missing-guide.md) and #file:missing.md."),
    ),
    ("body-tool-ref", attr(body="Use #tool:read and #tool:runCommands and #tool:nope.")),
]

_INSTRUCTIONS_KEYS: Muts = [
    ("applyTo-list", setk("applyTo", "['**/*.py', '**/*.pyi']")),
    ("applyTo-comma", setk("applyTo", "'**/*.py, **/*.pyi'")),
    ("applyTo-star", setk("applyTo", "'**'")),
    ("applyTo-plain-star", setk("applyTo", "*")),
    ("applyTo-empty", setk("applyTo", '""')),
    ("applyTo-number", setk("applyTo", "1")),
    ("applyTo-bad-glob", setk("applyTo", "'src/[a'")),
    ("applyTo-braces", setk("applyTo", "'**/*.{{ts,tsx}}'")),
    ("applyTo-missing", delk("applyTo")),
    ("excludeAgent-string", setk("excludeAgent", "code-review")),
    ("excludeAgent-list", setk("excludeAgent", "['coding-agent']")),
    ("excludeAgent-number", setk("excludeAgent", "1")),
    ("excludeAgent-other", setk("excludeAgent", "nope")),
    ("name-ok", setk("name", "{t} style")),
    ("name-number", setk("name", "1")),
    ("description-missing", delk("description")),
    ("paths-list", setk("paths", "['src/**']")),
    ("agent-keys", addl("tools: ['read']", "model: x")),
]

_CHATMODE_KEYS: Muts = [
    ("tools-string", setk("tools", "read, edit")),
    ("tools-number", setk("tools", "5")),
    ("model-string", setk("model", "GPT-4.1")),
    ("name-ok", setk("name", "{t}-mode")),
    ("handoffs-ok", addl("handoffs:", "  - label: Start", "    agent: agent", "    prompt: Go")),
    ("description-missing", delk("description")),
]

_SKILL_KEYS: Muts = [
    ("name-mismatch", setk("name", "other-name")),
    ("name-uppercase", lambda d, t: setk("name", t.upper())(d, t)),
    ("name-underscore", setk("name", "{t}_x")),
    ("name-empty", setk("name", "")),
    ("name-number", setk("name", "42")),
    ("name-missing", delk("name")),
    ("description-missing", delk("description")),
    (
        "description-missing-user-invocable-false",
        both(delk("description"), setk("user-invocable", "false")),
    ),
    (
        "description-missing-dmi-false",
        both(delk("description"), setk("disable-model-invocation", "false")),
    ),
    ("user-invocable-false", setk("user-invocable", "false")),
    ("user-invocable-string", setk("user-invocable", "nope")),
    ("disable-model-invocation-true", setk("disable-model-invocation", "true")),
    ("disable-model-invocation-string", setk("disable-model-invocation", "nope")),
    ("context-fork", setk("context", "fork")),
    ("license", setk("license", "MIT")),
    ("compatibility", setk("compatibility", "Requires Python 3.11")),
    ("metadata", addl("metadata:", "  author: team", "  version: '1.0'")),
    ("allowed-tools", setk("allowed-tools", "Read Grep")),
    ("argument-hint", setk("argument-hint", "a path")),
    ("model", setk("model", "sonnet")),
    ("agent-keys", addl("tools: ['read']", "target: vscode")),
    ("body-file-ref-missing", attr(body="See [the reference](./reference.md).")),
]

_CLAUDE_AGENT_KEYS: Muts = [
    ("tools-list", setk("tools", "[Read, Grep]")),
    ("tools-unknown", setk("tools", "Read, Nope")),
    ("tools-vscode-names", setk("tools", "read, edit")),
    ("tools-number", setk("tools", "5")),
    ("disallowedTools", setk("disallowedTools", "Bash")),
    ("model-opus", setk("model", "opus")),
    ("model-inherit", setk("model", "inherit")),
    ("model-full-id", setk("model", "claude-sonnet-4-5")),
    ("model-bogus", setk("model", "gpt-9")),
    ("model-number", setk("model", "4")),
    ("color", setk("color", "blue")),
    ("permissionMode", setk("permissionMode", "plan")),
    ("permissionMode-bad", setk("permissionMode", "nope")),
    ("memory", setk("memory", "project")),
    ("skills", setk("skills", "[pdf]")),
    ("mcpServers", addl("mcpServers:", "  - github")),
    ("hooks", addl("hooks:", "  PreToolUse:", "    - matcher: Bash", "      hooks:", "        - type: command", "          command: ./x.sh")),
    ("name-missing", delk("name")),
    ("description-missing", delk("description")),
    ("name-empty", setk("name", "")),
    ("name-number", setk("name", "42")),
    ("vscode-keys", addl("target: vscode", "handoffs: []", "user-invocable: false")),
]  # fmt: skip

KEYS: dict[str, Muts] = {
    "vscode-agent": _AGENT_KEYS,
    "github-agent": [m for m in _AGENT_KEYS if m[0].startswith(("target", "mcp", "metadata", "name", "description", "tools-comma", "infer"))],
    "vscode-prompt": _PROMPT_KEYS,
    "vscode-instructions": _INSTRUCTIONS_KEYS,
    "vscode-chatmode": _CHATMODE_KEYS,
    "github-skill": _SKILL_KEYS,
    "claude-skill": _SKILL_KEYS,
    "claude-agent": _CLAUDE_AGENT_KEYS,
}  # fmt: skip

# The structural mutations every dialect gets in full; the others get a subset (the parser is
# one and the same: its behaviour is covered on vscode-agent, spot-checked elsewhere).
FULL_STRUCTURE = ("vscode-agent",)
STRUCTURE_SUBSET = (
    "base", "crlf", "bom", "no-closer", "blank-line-before-opener", "closer-trailing-text",
    "no-front-matter", "empty-front-matter", "top-level-list", "desc-unterminated-double",
    "desc-empty", "desc-number", "desc-bool", "desc-flow-list", "desc-block-map",
    "dup-description", "unknown-key", "indented-stray-key", "line-without-colon",
    "key-without-value-last", "flow-seq-unclosed", "anchor-alias", "merge-key",
    "invalid-utf8-in-description", "tab-indented-key", "desc-plain-colon-space",
)  # fmt: skip


def _files(d: Dialect, t: str, doc: Doc) -> File:
    rel = d.path.replace("{t}", t)
    return File(rel, doc.data(), None)


def generated() -> list[Case]:
    out: list[Case] = []
    n = 0
    for d in DIALECTS:
        structure = (
            STRUCTURE
            if d.id in FULL_STRUCTURE
            else [m for m in STRUCTURE if m[0] in STRUCTURE_SUBSET]
        )
        for label, mut in [*structure, *KEYS[d.id]]:
            n += 1
            t = f"g{n:04d}"
            doc = mut(d.base(t), t)
            f = _files(d, t, doc)
            out.append(Case(f"gen/{d.id}/{t}-{label}", d.id, "generated", (f,), False, label))
    for dialect_id, label, mut in PROBES:  # added later: new tokens after the others
        n += 1
        t = f"g{n:04d}"
        d = next(x for x in DIALECTS if x.id == dialect_id)
        f = _files(d, t, mut(d.base(t), t))
        out.append(Case(f"gen/{d.id}/{t}-{label}", d.id, "generated", (f,), False, label))
    return out


def _lines(lines: list[str]) -> Mut:
    return attr(lines=lines)


# Probes added after the first recording (issue 11, second round): `applyTo` as a list, which
# the corpus writes as `applyTo: ['*']` on the first line.
PROBES: list[tuple[str, str, Mut]] = [
    ("vscode-instructions", "applyTo-list-one-star", setk("applyTo", "['*']")),
    ("vscode-instructions", "applyTo-list-one", setk("applyTo", "['**/*.py']")),
    (
        "vscode-instructions",
        "applyTo-list-first",
        _lines(["applyTo: ['*']", 'description: "{t} Python"']),
    ),
    ("vscode-instructions", "applyTo-block-list", setk("applyTo", "\n  - '**/*.py'")),
]


# --------------------------------------------------------------------------- corpus

# corpus folder -> laid-out folder (the paths VS Code reads them from)
CORPUS_LAYOUT = (
    ("awesome-copilot/agents/", ".github/agents/"),
    ("awesome-copilot/instructions/", ".github/instructions/"),
    ("awesome-copilot/skills/", ".github/skills/"),
    ("awesome-copilot-2025/prompts/", ".github/prompts/"),
    ("awesome-copilot-2025/chatmodes/", ".github/chatmodes/"),
)
SUFFIX = {
    ".github/agents/": ".agent.md",
    ".github/instructions/": ".instructions.md",
    ".github/prompts/": ".prompt.md",
    ".github/chatmodes/": ".chatmode.md",
}
# The corpus has ~1,050 such files (~20 minutes here); the default is a deterministic sample.
SAMPLE_PER_1000 = 300


def _sampled(rel: str, per_1000: int) -> bool:
    return int(hashlib.sha256(rel.encode()).hexdigest()[:8], 16) % 1000 < per_1000


def corpus(per_1000: int = SAMPLE_PER_1000, root: Path = CORPUS) -> list[Case]:
    """The awesome-copilot files VS Code reads, laid out where VS Code reads them.

    ``per_1000``: keep a file when the hash of its corpus path falls in that share (1000: all).
    """
    out: list[Case] = []
    if not root.is_dir():
        return out
    for src, dst in CORPUS_LAYOUT:
        base = root / src
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*.md")):
            rel = p.relative_to(root).as_posix()
            sub = p.relative_to(base).as_posix()
            if dst == ".github/skills/":
                if p.name != "SKILL.md" or sub.count("/") != 1:
                    continue
            elif "/" in sub or not p.name.endswith(SUFFIX[dst]):
                continue
            if not _sampled(rel, per_1000):
                continue
            f = File(dst + sub, p.read_bytes(), None, rel)
            out.append(Case(rel, dst.split("/")[1], "corpus", (f,), False, ""))
    return out


def all_cases(source: str, per_1000: int = SAMPLE_PER_1000) -> list[Case]:
    if source == "generated":
        return generated()
    if source == "corpus":
        return corpus(per_1000)
    raise ValueError(source)
