"""Cases for Copilot CLI: generated mutations, the project's examples, the shared corpus.

Copilot CLI 1.0.102 reads custom agents (``.github/agents/**/*.md``, ``.claude/agents/*.md``,
``~/.copilot/agents/*.md``), skills (``.github/skills``, ``.claude/skills``, ``.agents/skills``,
``~/.copilot/skills``: ``<dir>/SKILL.md``) and instructions (``.github/instructions/**/
*.instructions.md``, ``.claude/rules/*.md``, ``~/.copilot/instructions``). Generated files carry
a token (``g0042``) in their file or folder name, and, where the case allows, in their ``name``,
so the runtime's log lines (by path), agent listing (by name), skill list (by folder) and
instruction list (by path) map back to files. A case whose listed name cannot carry the token
is run alone (``isolate``).

Paths starting with ``~/`` are laid out in the run's home: ``~/.copilot/`` is ``COPILOT_HOME``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from tests.conformance.cases import (
    CORPUS,
    DESCRIPTIONS,
    EXAMPLES,
    FORMATS,
    Case,
    Doc,
    File,
    Mut,
    addl,
    attr,
    both,
    delk,
    fm_bytes,
    front_matter_name,
    lines_map,
    prep,
    rawb,
    setk,
)

__all__ = ["Case", "File", "all_cases", "corpus", "examples", "generated", "kind_of"]

Row = tuple[str, Mut, bool]

# ------------------------------------------------------------------------------ bases


def agent_base(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} reviews code for bugs", "tools: [read, search]"],
        f"You are {t}. Review the code you are given.",
    )


def skill_base(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} extracts tables from PDF files"],
        f"# {t}\n\nRead the PDF and extract every table.",
    )


def instr_base(t: str) -> Doc:
    return Doc(
        [f"description: {t} Python style rules", 'applyTo: "**/*.py"'],
        f"{t}: use type hints everywhere.",
    )


# ------------------------------------------------------------------- value shapes

# (label, raw YAML value); {t} is the token
TYPES: list[tuple[str, str]] = [
    ("str", "{t} text"),
    ("str-quoted", '"{t} quoted"'),
    ("int", "5"),
    ("float", "1.5"),
    ("bool", "true"),
    ("bool-false", "false"),
    ("null", "null"),
    ("empty", ""),
    ("empty-str", '""'),
    ("list", "[{t}-a, {t}-b]"),
    ("list-block", "\n  - {t}-a\n  - {t}-b"),
    ("list-empty", "[]"),
    ("list-mixed", "[{t}, 1, true]"),
    ("map", "{{a: {t}}}"),
    ("map-block", "\n  a: {t}\n  b: 2"),
    ("map-empty", "{{}}"),
    ("date", "2024-01-01"),
    ("yes", "yes"),
]

AGENT_KEYS = [
    "name",
    "description",
    "tools",
    "model",
    "target",
    "mcp-servers",
    "metadata",
    "infer",
    "disable-model-invocation",
    "user-invocable",
    "user-invokable",
    "argument-hint",
    "handoffs",
    "reasoning-effort",
    "github",
    "hooks",
    "skills",
    "agents",
    "deferred-tool-loading",
    "strict-tools-list",
    "include-custom-instructions",
]

# key-name candidates, each added with a string value (to see which are known)
AGENT_KEY_NAMES = [
    "color",
    "effort",
    "permissionMode",
    "disallowedTools",
    "disallowed-tools",
    "mcpServers",
    "mcp_servers",
    "advancedOptions",
    "version",
    "display-name",
    "displayName",
    "reasoningEffort",
    "reasoning_effort",
    "userInvocable",
    "disableModelInvocation",
    "allowed-tools",
    "license",
    "compatibility",
    "memory",
    "maxTurns",
    "background",
    "isolation",
    "initialPrompt",
    "mode",
    "applyTo",
    "Description",
    "NAME",
    "x-custom",
    "tools ",
]

AGENT_VALUES: list[Row] = [
    # tools
    ("tools-comma", setk("tools", "read, edit"), False),
    ("tools-comma-nospace", setk("tools", "read,edit"), False),
    ("tools-single-string", setk("tools", "read"), False),
    ("tools-star-string", setk("tools", "'*'"), False),
    ("tools-star-list", setk("tools", '["*"]'), False),
    ("tools-empty-list", setk("tools", "[]"), False),
    ("tools-missing", delk("tools"), False),
    ("tools-claude-names", setk("tools", "[Read, Grep, Glob, Bash, Edit, Write]"), False),
    ("tools-claude-comma", setk("tools", "Read, Grep, Glob, Bash"), False),
    ("tools-aliases", setk("tools", "[execute, read, edit, search, agent, web, todo]"), False),
    ("tools-aliases-alt", setk("tools", "[shell, powershell, Task, custom-agent]"), False),
    ("tools-cli-names", setk("tools", "[bash, view, create, edit, grep, glob, task]"), False),
    ("tools-unknown", setk("tools", "[nope, read]"), False),
    ("tools-mcp-star", setk("tools", '["github/*", read]'), False),
    ("tools-mcp-tool", setk("tools", '["github/get_issue"]'), False),
    ("tools-playwright", setk("tools", '["playwright/*"]'), False),
    ("tools-vscode-names", setk("tools", "[codebase, editFiles, runCommands, fetch]"), False),
    ("tools-vscode-namespaced", setk("tools", '["read/readFile", "edit/editFiles"]'), False),
    ("tools-list-nested", setk("tools", "[[read], edit]"), False),
    ("tools-list-map-item", setk("tools", "[{{a: 1}}]"), False),
    ("tools-list-null-item", setk("tools", "[read, null]"), False),
    ("tools-duplicate", setk("tools", "[read, read]"), False),
    # model
    *[
        (f"model-{m.replace(' ', '-').replace('(', '').replace(')', '')}", setk("model", m), False)
        for m in (
            "gpt-4.1",
            "gpt-5",
            "claude-sonnet-4.5",
            "'Claude Sonnet 4.5 (copilot)'",
            "'GPT-5 (copilot)'",
            "sonnet",
            "inherit",
            "nonsense-model",
            "auto",
        )
    ],
    ("model-list", setk("model", "[gpt-4.1, gpt-5]"), False),
    ("model-empty", setk("model", ""), False),
    ("model-empty-str", setk("model", '""'), False),
    ("model-number", setk("model", "4"), False),
    # reasoning-effort
    *[
        (f"reasoning-effort-{v}", setk("reasoning-effort", v), False)
        for v in ("none", "minimal", "low", "medium", "high", "xhigh", "max", "HIGH", "extreme")
    ],
    (
        "reasoning-effort-with-model",
        both(setk("model", "gpt-5"), setk("reasoning-effort", "high")),
        False,
    ),
    ("reasoning_effort-underscore", addl("reasoning_effort: high"), False),
    # target
    *[(f"target-{v}", setk("target", v), False) for v in ("vscode", "github-copilot", "cli", "x")],
    # booleans
    ("infer-false", setk("infer", "false"), False),
    ("infer-string", setk("infer", "'false'"), False),
    ("infer-all", setk("infer", "all"), False),
    ("dmi-true", setk("disable-model-invocation", "true"), False),
    ("dmi-yes", setk("disable-model-invocation", "yes"), False),
    ("dmi-string-true", setk("disable-model-invocation", "'true'"), False),
    ("user-invocable-false", setk("user-invocable", "false"), False),
    (
        "user-invocable-and-dmi",
        both(setk("user-invocable", "false"), setk("disable-model-invocation", "true")),
        False,
    ),
    (
        "infer-false-dmi-false",
        both(setk("infer", "false"), setk("disable-model-invocation", "false")),
        False,
    ),
    # mcp-servers
    (
        "mcp-local-ok",
        addl(
            "mcp-servers:",
            "  srv:",
            "    type: local",
            "    command: echo",
            "    args: []",
            '    tools: ["*"]',
        ),
        False,
    ),
    (
        "mcp-local-no-tools",
        addl("mcp-servers:", "  srv:", "    type: local", "    command: echo", "    args: []"),
        False,
    ),
    (
        "mcp-stdio-ok",
        addl("mcp-servers:", "  srv:", "    type: stdio", "    command: echo", '    tools: ["*"]'),
        False,
    ),
    (
        "mcp-no-type",
        addl("mcp-servers:", "  srv:", "    command: echo", '    tools: ["*"]'),
        False,
    ),
    (
        "mcp-no-command",
        addl("mcp-servers:", "  srv:", "    type: local", '    tools: ["*"]'),
        False,
    ),
    (
        "mcp-http-ok",
        addl(
            "mcp-servers:",
            "  srv:",
            "    type: http",
            "    url: https://example.invalid/mcp",
            '    tools: ["*"]',
        ),
        False,
    ),
    (
        "mcp-sse-ok",
        addl(
            "mcp-servers:",
            "  srv:",
            "    type: sse",
            "    url: https://example.invalid/mcp",
            '    tools: ["*"]',
        ),
        False,
    ),
    (
        "mcp-http-no-url",
        addl("mcp-servers:", "  srv:", "    type: http", '    tools: ["*"]'),
        False,
    ),
    (
        "mcp-bad-type",
        addl("mcp-servers:", "  srv:", "    type: nope", "    command: echo", '    tools: ["*"]'),
        False,
    ),
    (
        "mcp-tools-string",
        addl("mcp-servers:", "  srv:", "    type: local", "    command: echo", "    tools: '*'"),
        False,
    ),
    (
        "mcp-env-secret",
        addl(
            "mcp-servers:",
            "  srv:",
            "    type: local",
            "    command: echo",
            '    tools: ["*"]',
            "    env:",
            "      TOKEN: ${{{{ secrets.TOKEN }}}}",
        ),
        False,
    ),
    (
        "mcp-unknown-field",
        addl(
            "mcp-servers:",
            "  srv:",
            "    type: local",
            "    command: echo",
            '    tools: ["*"]',
            "    bogus: 1",
        ),
        False,
    ),
    ("mcp-entry-string", addl("mcp-servers:", "  srv: echo"), False),
    ("mcp-list", addl("mcp-servers:", "  - srv"), False),
    (
        "mcp-json-style",
        addl(
            "mcp-servers:",
            "  srv:",
            "    command: echo",
            "    args: []",
            '    tools: ["*"]',
            "    type: local",
            "    env: {{}}",
        ),
        False,
    ),
    # github
    ("github-toolsets", addl("github:", "  toolsets: [repos, issues]"), False),
    ("github-permissions", addl("github:", "  permissions:", "    contents: read"), False),
    ("github-unknown-field", addl("github:", "  bogus: 1"), False),
    # handoffs / metadata / hooks / skills
    (
        "handoffs-vscode",
        addl("handoffs:", "  - label: Next", "    agent: other", "    prompt: go"),
        False,
    ),
    ("metadata-ok", addl("metadata:", "  owner: team", "  tier: '1'"), False),
    (
        "hooks-vscode-shape",
        addl("hooks:", "  PostToolUse:", "    - type: command", "      command: echo hi"),
        False,
    ),
    (
        "hooks-claude-shape",
        addl(
            "hooks:",
            "  PostToolUse:",
            "    - matcher: Bash",
            "      hooks:",
            "        - type: command",
            "          command: echo hi",
        ),
        False,
    ),
    ("skills-list", addl("skills: [pdf, docx]"), False),
    ("skills-string", addl("skills: pdf"), False),
]

AGENT_NAMES: list[Row] = [
    ("name-differs-from-file", setk("name", "{t}-other"), False),
    ("name-upper", setk("name", "{t}-Reviewer"), False),
    ("name-space", setk("name", "{t} reviewer"), False),
    ("name-punct", setk("name", "{t} Bad Name!"), False),
    ("name-colon", setk("name", "{t}:sub"), False),
    ("name-slash", setk("name", "{t}/sub"), False),
    ("name-dot", setk("name", "{t}.v2"), False),
    ("name-unicode", setk("name", "{t}-prüfer"), False),
    ("name-long", setk("name", "{t}-" + "x" * 200), False),
    ("name-leading-dash", setk("name", '"-{t}"'), True),
    ("name-quoted", setk("name", '"{t}"'), False),
    ("name-trailing-space-quoted", setk("name", '"{t} "'), False),
    ("name-leading-space-quoted", setk("name", '" {t}"'), True),
    ("name-missing", delk("name"), False),
    ("name-empty-quoted", setk("name", '""'), True),
    ("name-whitespace-quoted", setk("name", '"  "'), True),
    ("name-twice", both(setk("name", "{t}"), addl("name: {t}-second")), False),
    ("name-builtin-explore", setk("name", "explore"), True),
    ("name-builtin-task", setk("name", "task"), True),
    ("name-builtin-general", setk("name", "general-purpose"), True),
    ("name-xml", setk("name", "{t}<b>"), False),
    ("name-markdown", setk("name", "{t}**bold**"), False),
    ("name-newline-escape", setk("name", '"{t}\\nline"'), False),
]


def _filename(name: str) -> Mut:
    return attr(filename=name)


AGENT_FILES: list[Row] = [
    ("file-plain-md", _filename("{t}.md"), False),
    ("file-upper-ext", _filename("{t}.agent.MD"), False),
    ("file-markdown-ext", _filename("{t}.agent.markdown"), False),
    ("file-chatmode", _filename("{t}.chatmode.md"), False),
    ("file-prompt", _filename("{t}.prompt.md"), False),
    ("file-txt", _filename("{t}.agent.txt"), False),
    ("file-nested", _filename("sub/{t}.agent.md"), False),
    ("file-nested-deep", _filename("a/b/{t}.agent.md"), False),
    ("file-hidden", _filename(".{t}.agent.md"), False),
    ("file-no-name-plain-md", both(delk("name"), _filename("{t}.md")), False),
    ("file-no-name-nested", both(delk("name"), _filename("sub/{t}.agent.md")), False),
    ("file-name-with-dots", both(delk("name"), _filename("{t}.v2.agent.md")), False),
    ("file-name-spaces", both(delk("name"), _filename("{t} spaced.agent.md")), False),
]

# where the file goes: (label, folder template, name template); ~/ is the home
AGENT_PLACES: list[tuple[str, str]] = [
    ("place-claude-agents", ".claude/agents/{t}.md"),
    ("place-claude-agents-agent-md", ".claude/agents/{t}.agent.md"),
    ("place-claude-agents-nested", ".claude/agents/sub/{t}.md"),
    ("place-github-chatmodes", ".github/chatmodes/{t}.chatmode.md"),
    ("place-github-prompts", ".github/prompts/{t}.prompt.md"),
    ("place-root-agent-md", "{t}.agent.md"),
    ("place-dot-agents", ".agents/agents/{t}.md"),
    ("place-copilot-agents", ".copilot/agents/{t}.agent.md"),
    ("place-subdir-github", "pkg/.github/agents/{t}.agent.md"),
    ("place-user", "~/.copilot/agents/{t}.agent.md"),
    ("place-user-plain-md", "~/.copilot/agents/{t}.md"),
    ("place-user-nested", "~/.copilot/agents/sub/{t}.agent.md"),
    ("place-user-claude", "~/.claude/agents/{t}.md"),
]

# Claude Code agents as Copilot reads them from .claude/agents
CLAUDE_AGENT_VALUES: list[Row] = [
    ("claude-tools-comma", setk("tools", "Read, Grep, Glob"), False),
    ("claude-model-sonnet", setk("model", "sonnet"), False),
    ("claude-color", addl("color: blue"), False),
    ("claude-permission-mode", addl("permissionMode: plan"), False),
    (
        "claude-desc-examples",
        setk("description", '"{t} Use this. <example>user: hi</example>"'),
        False,
    ),
    ("claude-desc-colon-space", setk("description", "{t} Use when: reviewing code"), False),
]

SKILL_KEYS = [
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
    "user-invocable",
    "disable-model-invocation",
    "argument-hint",
]

SKILL_VALUES: list[Row] = [
    ("name-differs-from-folder", setk("name", "{t}-other"), False),
    ("name-upper", setk("name", "{t}-PDF"), False),
    ("name-space", setk("name", "{t} pdf tool"), False),
    ("name-underscore", setk("name", "{t}_pdf"), False),
    ("name-long", setk("name", "{t}-" + "x" * 80), False),
    ("name-missing", delk("name"), False),
    ("name-empty-quoted", setk("name", '""'), False),
    ("name-number", setk("name", "123"), True),
    ("desc-missing-body-para", delk("description"), False),
    ("desc-missing-no-body", both(delk("description"), attr(body="", tail="")), False),
    (
        "desc-missing-heading-only",
        both(delk("description"), attr(body="# {t} only heading")),
        False,
    ),
    ("desc-long-1100", setk("description", "{t} " + "y" * 1100), False),
    ("desc-xml", setk("description", "{t} <example>a</example> & more"), False),
    ("allowed-tools-string", setk("allowed-tools", "bash read"), False),
    ("allowed-tools-list", setk("allowed-tools", "[bash, read]"), False),
    ("unknown-key", addl("foo: bar"), False),
    ("unknown-keys-two", addl("foo: bar", "baz: 1"), False),
    ("claude-keys", addl("when_to_use: tables", "context: fork", "model: sonnet"), False),
    ("user-invocable-false", setk("user-invocable", "false"), False),
    ("dmi-true", setk("disable-model-invocation", "true"), False),
    (
        "dmi-and-not-invocable",
        both(setk("disable-model-invocation", "true"), setk("user-invocable", "false")),
        False,
    ),
]

SKILL_FILES: list[tuple[str, str]] = [
    ("place-claude-skills", ".claude/skills/{t}/SKILL.md"),
    ("place-agents-skills", ".agents/skills/{t}/SKILL.md"),
    ("place-lowercase-skill-md", ".github/skills/{t}/skill.md"),
    ("place-nested", ".github/skills/group/{t}/SKILL.md"),
    ("place-flat", ".github/skills/{t}.md"),
    ("place-user", "~/.copilot/skills/{t}/SKILL.md"),
    ("place-user-agents", "~/.agents/skills/{t}/SKILL.md"),
    ("place-user-claude", "~/.claude/skills/{t}/SKILL.md"),
]

INSTR_KEYS = ["applyTo", "description", "name", "excludeAgent"]

INSTR_VALUES: list[Row] = [
    ("applyTo-all", setk("applyTo", '"**"'), False),
    ("applyTo-star", setk("applyTo", '"*"'), False),
    ("applyTo-all-files", setk("applyTo", '"**/*"'), False),
    ("applyTo-comma", setk("applyTo", '"**/*.py, **/*.pyi"'), False),
    ("applyTo-brace", setk("applyTo", '"**/*.{{ts,tsx}}"'), False),
    ("applyTo-list", setk("applyTo", '["**/*.py", "**/*.pyi"]'), False),
    ("applyTo-missing", delk("applyTo"), False),
    ("applyTo-unquoted-star", setk("applyTo", "**/*.py"), False),
    ("applyTo-kebab", both(delk("applyTo"), addl('apply-to: "**/*.py"')), False),
    ("applyTo-lower", both(delk("applyTo"), addl('applyto: "**/*.py"')), False),
    ("paths-claude", both(delk("applyTo"), addl('paths: ["**/*.py"]')), False),
    ("excludeAgent-coding", setk("excludeAgent", "coding-agent"), False),
    ("excludeAgent-review", setk("excludeAgent", "code-review"), False),
    ("excludeAgent-list", setk("excludeAgent", "[coding-agent]"), False),
    ("excludeAgent-cli", setk("excludeAgent", "cli"), False),
    ("description-missing", delk("description"), False),
    ("unknown-key", addl("foo: bar"), False),
    ("applyTo-all-no-desc", both(setk("applyTo", '"**"'), delk("description")), False),
]

INSTR_FILES: list[tuple[str, str]] = [
    ("place-nested", ".github/instructions/sub/{t}.instructions.md"),
    ("place-plain-md", ".github/instructions/{t}.md"),
    ("place-claude-rules", ".claude/rules/{t}.md"),
    ("place-claude-rules-nested", ".claude/rules/sub/{t}.md"),
    ("place-root", "{t}.instructions.md"),
    ("place-user", "~/.copilot/instructions/{t}.instructions.md"),
    ("place-user-claude-rules", "~/.claude/rules/{t}.md"),
]

# the shared FORMATS variants that say nothing new for these readers are kept anyway (cheap);
# the huge ones are limited to agents
_BIG = {
    "fmt-size-1mib-body",
    "fmt-size-under-1mib",
    "fmt-size-1mib-front-matter",
    "fmt-size-big-description",
    "fmt-alias-bomb",
}

# --------------------------------------------------------------------------- builder


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def token(self) -> str:
        self.n += 1
        return f"g{self.n:04d}"


def _name_of(lines: list[str] | None) -> list[str]:
    return [x[5:].strip(" \t\"'") for x in lines or [] if x.startswith("name:")]


def _agent_file(t: str, d: Doc, place: str | None = None) -> File:
    fname = (d.filename or "{t}.agent.md").replace("{t}", t)
    rel = (place or ".github/agents/" + fname).replace("{t}", t)
    names = _name_of(d.lines)
    name: str | None
    if not names:
        stem = rel.rsplit("/", 1)[-1]
        name = re.sub(r"(\.agent)?\.md$", "", stem, flags=re.I)
    else:
        name = names[-1] if names[-1].startswith(t) else None
    return File(rel, d.data(), name)


def _skill_file(t: str, d: Doc, place: str | None = None) -> File:
    rel = (place or ".github/skills/{t}/SKILL.md").replace("{t}", t)
    names = _name_of(d.lines)
    name = names[-1] if names and names[-1].startswith(t) else (t if not names else None)
    return File(rel, d.data(), name)


def _instr_file(t: str, d: Doc, place: str | None = None) -> File:
    rel = (place or ".github/instructions/{t}.instructions.md").replace("{t}", t)
    return File(rel, d.data(), t)


BUILD: dict[str, tuple[Callable[[str], Doc], Callable[[str, Doc, str | None], File]]] = {
    "github-agent": (agent_base, _agent_file),
    "agentskills": (skill_base, _skill_file),
    "vscode-instructions": (instr_base, _instr_file),
}


def _make(
    c: _Counter, kind: str, label: str, mut: Mut, iso: bool, place: str | None = None
) -> Case:
    base, to_file = BUILD[kind]
    t = c.token()
    f = to_file(t, mut(base(t), t), place)
    if label.startswith("name-builtin-"):  # listed under the built-in's name, if at all
        f = replace(f, name=_name_of(mut(base(t), t).lines)[-1])
    iso = iso or f.name is None
    return Case(f"gen/{kind}/{t}-{label}", kind, "generated", (f,), iso, label)


def _types(c: _Counter, kind: str, keys: list[str]) -> Iterator[Case]:
    for key in keys:
        for label, value in TYPES:
            iso = key == "name" and label not in ("str", "str-quoted")
            yield _make(c, kind, f"{key}-{label}", setk(key, value), iso)


def _two_agents(c: _Counter) -> Iterator[Case]:
    for label, second_place, second_name in (
        ("dup-name-two-files", ".github/agents/{t}-b.agent.md", "name: {t}"),
        ("dup-stem-nested", ".github/agents/sub/{t}.agent.md", None),
        ("dup-name-claude-and-github", ".claude/agents/{t}.md", "name: {t}"),
        ("dup-name-user-and-project", "~/.copilot/agents/{t}.agent.md", "name: {t}"),
        ("dup-name-case", ".github/agents/{t}-b.agent.md", "name: {T}"),
    ):
        t = c.token()
        a = Doc([f"name: {t}", f"description: {t} FIRST file"], "First.")
        lines = [f"description: {t} SECOND file"]
        if second_name:
            lines.insert(0, second_name.format(t=t, T=t.upper()))
        b = Doc(lines, "Second.")
        yield Case(
            f"gen/github-agent/{t}-{label}",
            "github-agent",
            "generated",
            (
                File(f".github/agents/{t}.agent.md", a.data(), t),
                File(second_place.format(t=t), b.data(), None),
            ),
            True,
            label,
        )
    t = c.token()
    yield Case(
        f"gen/agentskills/{t}-dup-name-two-folders",
        "agentskills",
        "generated",
        (
            File(f".github/skills/{t}/SKILL.md", skill_base(t).data(), t),
            File(f".claude/skills/{t}-b/SKILL.md", skill_base(t).data(), None),
        ),
        True,
        "dup-name-two-folders",
    )
    t = c.token()
    yield Case(
        f"gen/agentskills/{t}-dup-folder-github-and-claude",
        "agentskills",
        "generated",
        (
            File(f".github/skills/{t}/SKILL.md", skill_base(t).data(), t),
            File(f".claude/skills/{t}/SKILL.md", skill_base(t).data(), None),
        ),
        True,
        "dup-folder-github-and-claude",
    )


def generated() -> list[Case]:
    c = _Counter()
    out: list[Case] = []
    # agents
    out += _types(c, "github-agent", AGENT_KEYS)
    for key in AGENT_KEY_NAMES:
        out.append(
            _make(
                c,
                "github-agent",
                f"key-{key.strip()}{'-space' if key.endswith(' ') else ''}",
                addl(f"{key}: x"),
                False,
            )
        )
    for label, m, iso in AGENT_VALUES + AGENT_NAMES + AGENT_FILES + CLAUDE_AGENT_VALUES:
        out.append(_make(c, "github-agent", label, m, iso))
    for label, place in AGENT_PLACES:
        out.append(_make(c, "github-agent", label, lambda d, t: d, False, place))
    out.append(
        _make(
            c,
            "github-agent",
            "place-claude-agents-no-name",
            delk("name"),
            False,
            ".claude/agents/{t}.md",
        )
    )
    for label, m, _iso in DESCRIPTIONS:
        out.append(_make(c, "github-agent", label, m, False))
    for label, m, _iso in FORMATS:
        out.append(_make(c, "github-agent", label, m, label in _BIG))
    out += list(_two_agents(c))
    # skills
    out += _types(c, "agentskills", SKILL_KEYS)
    for label, m, iso in SKILL_VALUES:
        out.append(_make(c, "agentskills", label, m, iso))
    for label, place in SKILL_FILES:
        out.append(_make(c, "agentskills", label, lambda d, t: d, False, place))
    for label, m, _iso in DESCRIPTIONS[::2]:
        out.append(_make(c, "agentskills", label, m, False))
    for label, m, _iso in FORMATS:
        if label not in _BIG:
            out.append(_make(c, "agentskills", label, m, False))
    # instructions
    out += _types(c, "vscode-instructions", INSTR_KEYS)
    for label, m, iso in INSTR_VALUES:
        out.append(_make(c, "vscode-instructions", label, m, iso))
    for label, place in INSTR_FILES:
        out.append(_make(c, "vscode-instructions", label, lambda d, t: d, False, place))
    for label, m, _iso in FORMATS[::3]:
        if label not in _BIG:
            out.append(_make(c, "vscode-instructions", label, m, False))
    # added later (issue 11, second round): tokens after the first set's, so theirs stay
    for label, m, iso in LATER_AGENT_VALUES:
        out.append(_make(c, "github-agent", label, m, iso))
    for label, m, iso in LATER_SKILL_VALUES:
        out.append(_make(c, "agentskills", label, m, iso))
    return out


def _hook(event: str) -> Mut:
    return addl("hooks:", f"  {event}:", "    - type: command", "      command: echo hi")


# which hook events an agent may name (`Unsupported agent hook event` drops it), and where the
# YAML parser's nesting limit is (`recursion limit exceeded`: g0675 fails at the 128th `[`)
LATER_AGENT_VALUES: list[tuple[str, Mut, bool]] = [
    *(
        (f"hooks-event-{e}", _hook(e), False)
        for e in (
            "preToolUse",
            "Stop",
            "UserPromptSubmit",
            "userPromptSubmitted",
            "SubagentStop",
            "agentStop",
            "Notification",
            "PreCompact",
            "posttooluse",
            "SessionStart",
        )
    ),
    ("fmt-nesting-126", addl("x-deep: " + "[" * 126 + "]" * 126), False),
    ("fmt-nesting-127", addl("x-deep: " + "[" * 127 + "]" * 127), False),
    ("fmt-nesting-128", addl("x-deep: " + "[" * 128 + "]" * 128), False),
    (
        "fmt-nesting-block-130",
        addl(*(" " * i + f"k{i}:" for i in range(130)), " " * 130 + "v"),
        False,
    ),
]

# the same parser limits for skills (agentls's view: copilot-skill)
LATER_SKILL_VALUES: list[tuple[str, Mut, bool]] = [
    ("fmt-nesting-126", addl("x-deep: " + "[" * 126 + "]" * 126), False),
    ("fmt-nesting-127", addl("x-deep: " + "[" * 127 + "]" * 127), False),
    *((label, m, True) for label, m, _iso in FORMATS if label == "fmt-alias-bomb"),
]


# --------------------------------------------------------------- examples and corpus


def kind_of(rel: str) -> str | None:
    """The Copilot CLI reader of a laid-out path, or None when it reads no such file."""
    parts = rel.split("/")
    home = rel.startswith("~/")
    if home:
        parts = parts[1:]
    if not rel.endswith(".md"):
        return None
    if parts[0] == ".github" and len(parts) >= 3 and parts[1] == "agents":
        return "github-agent"
    if parts[:2] in ([".claude", "agents"], [".copilot", "agents"]):
        return "github-agent"
    if parts[-1] == "SKILL.md" and len(parts) >= 4 and parts[1] == "skills":
        return "agentskills"
    if parts[:2] in ([".github", "instructions"], [".copilot", "instructions"]):
        return "vscode-instructions" if rel.endswith(".instructions.md") else None
    if parts[:2] == [".claude", "rules"] and not home:
        return "vscode-instructions"
    return None


def _lay_out(source: str, corpus_rel: str) -> str | None:
    """Where Copilot CLI would read a corpus or example file, or None (not read)."""
    parts = corpus_rel.split("/")
    if corpus_rel.startswith(".claude/") or corpus_rel.startswith(".github/"):
        return corpus_rel
    name = parts[-1]
    if name == "SKILL.md" and len(parts) >= 3 and parts[-3] == "skills":
        return f".github/skills/{parts[-2]}/SKILL.md"
    if len(parts) >= 2 and parts[-2] == "agents" and name.endswith(".md") and "skills" not in parts:
        if name.endswith(".agent.md"):
            return f".github/agents/{name}"
        return f".claude/agents/{name}"
    if name.endswith(".instructions.md") and "instructions" in parts[:-1]:
        return f".github/instructions/{name}"
    return None


def _external(source: str, root: Path, prefix: str) -> list[Case]:
    out: list[Case] = []
    if not root.is_dir():
        return out
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root).as_posix()
        target = _lay_out(source, rel)
        if target is None or not p.is_file():
            continue
        kind = kind_of(target)
        if kind is None:
            continue
        data = p.read_bytes()
        if kind == "github-agent":
            stem = re.sub(r"(\.agent)?\.md$", "", target.rsplit("/", 1)[-1])
            name = front_matter_name(data) or stem
        elif kind == "agentskills":
            name = target.split("/")[-2]
        else:
            name = target
        out.append(
            Case(f"{source}/{prefix}{rel}", kind, source, (File(target, data, name, prefix + rel),))
        )
    return out


def examples() -> list[Case]:
    return _external("examples", EXAMPLES, "")


def corpus() -> list[Case]:
    return _external("corpus", CORPUS, "")


def all_cases(sources: tuple[str, ...] = ("generated", "examples", "corpus")) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += generated()
    if "examples" in sources:
        out += examples()
    if "corpus" in sources:
        out += corpus()
    return out


_ = (fm_bytes, lines_map, prep, rawb)  # re-exported helpers, kept for new cases
