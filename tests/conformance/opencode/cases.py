"""OpenCode conformance cases: generated mutations and the shared corpus.

Three kinds of file, each with its agentls dialect id:

* ``agent`` (``opencode-agent``): ``.opencode/agent/<token>.md`` and the other folders OpenCode
  reads agents from (``agents/``, sub-folders, ``mode/``, ``~/.config/opencode/agent/``);
* ``command`` (``opencode-command``; agentls has no dialect for it yet):
  ``.opencode/command/<token>.md``;
* ``skill`` (``agentskills``, or ``claude-skill`` under ``.claude/skills``):
  ``.opencode/skills/<token>/SKILL.md`` and the other skill folders OpenCode scans.

Every generated file carries its token (``a0042``, ``c0042``, ``s0042``) in its file or folder
name and in its body, so the runtime's output maps back to it whatever the front matter does.
A path starting with ``~/`` is laid out under the run's HOME instead of the project.

The description and format mutations are the Claude suite's tables (``tests/conformance/cases``,
imported, not copied); the key, value and location mutations are OpenCode's own. ``isolate``
marks the cases expected to make OpenCode fail (they would fail a whole batch); the driver runs
any batch that fails anyway one case at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.conformance.cases import (
    CORPUS,
    DESCRIPTIONS,
    FORMATS,
    Case,
    Doc,
    File,
    Mut,
    addl,
    attr,
    both,
    delk,
    prep,
    rawb,
    setk,
)

DIALECT = {"agent": "opencode-agent", "command": "opencode-command", "skill": "agentskills"}
PREFIX = {"agent": "a", "command": "c", "skill": "s"}
TOKEN = re.compile(r"\b([acs]\d{4})\b")


def dialect_of(kind: str, rel: str) -> str:
    if kind == "skill" and "/.claude/skills/" in "/" + rel:
        return "claude-skill"
    return DIALECT[kind]


# ------------------------------------------------------------------------------ bases


def agent_base(t: str) -> Doc:
    return Doc(
        [
            f"description: {t} reviews code for bugs",
            "mode: subagent",
            "model: mock/mock-model",
            "temperature: 0.2",
        ],
        f"You are {t}. Review the code you are given.",
    )


def command_base(t: str) -> Doc:
    return Doc(
        [f"description: {t} runs the tests", "agent: build", "model: mock/mock-model"],
        f"Run the tests for $ARGUMENTS ({t}).",
    )


def skill_base(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} formats release notes"],
        f"# {t}\n\nFormat the release notes.",
    )


# (label, mutation, isolate)
Table = list[tuple[str, Mut, bool]]

AGENT_VALUES: Table = [
    # mode
    ("mode-primary", setk("mode", "primary"), False),
    ("mode-all", setk("mode", "all"), False),
    ("mode-quoted", setk("mode", '"subagent"'), False),
    ("mode-capitalised", setk("mode", "Subagent"), True),
    ("mode-unknown", setk("mode", "sub"), True),
    ("mode-number", setk("mode", "5"), True),
    ("mode-empty", setk("mode", ""), True),
    ("mode-null", setk("mode", "null"), True),
    ("mode-list", setk("mode", "[primary]"), True),
    ("mode-missing", delk("mode"), False),
    # model
    ("model-provider-model", setk("model", "anthropic/claude-sonnet-4-5"), False),
    ("model-alias", setk("model", "sonnet"), False),
    ("model-inherit", setk("model", "inherit"), False),
    ("model-variant-suffix", setk("model", "mock/mock-model#high"), False),
    ("model-unknown-provider", setk("model", "nope/none"), False),
    ("model-number", setk("model", "5"), True),
    ("model-empty", setk("model", ""), True),
    ("model-empty-quoted", setk("model", '""'), False),
    ("model-list", setk("model", "[a/b]"), True),
    ("model-map", setk("model", "{{providerID: mock, model: mock-model}}"), True),
    ("model-missing", delk("model"), False),
    # variant
    ("variant-string", addl("variant: high"), False),
    ("variant-number", addl("variant: 5"), True),
    # temperature
    ("temperature-zero", setk("temperature", "0"), False),
    ("temperature-one", setk("temperature", "1"), False),
    ("temperature-two", setk("temperature", "2"), False),
    ("temperature-five", setk("temperature", "5"), False),
    ("temperature-negative", setk("temperature", "-1"), False),
    ("temperature-exp", setk("temperature", "5e-1"), False),
    ("temperature-hex", setk("temperature", "0x1"), False),
    ("temperature-octal-like", setk("temperature", "010"), False),
    ("temperature-underscore", setk("temperature", "1_0"), False),
    ("temperature-plus", setk("temperature", "+0.5"), False),
    ("temperature-leading-dot", setk("temperature", ".5"), False),
    ("temperature-quoted", setk("temperature", '"0.5"'), True),
    ("temperature-word", setk("temperature", "hot"), True),
    ("temperature-inf", setk("temperature", ".inf"), True),
    ("temperature-neg-inf", setk("temperature", "-.inf"), True),
    ("temperature-nan", setk("temperature", ".nan"), True),
    ("temperature-bool", setk("temperature", "true"), True),
    ("temperature-empty", setk("temperature", ""), True),
    ("temperature-null", setk("temperature", "~"), True),
    ("temperature-list", setk("temperature", "[0.5]"), True),
    ("temperature-comma-decimal", setk("temperature", "0,5"), True),
    # top_p
    ("top-p-valid", addl("top_p: 0.9"), False),
    ("top-p-big", addl("top_p: 7"), False),
    ("top-p-string", addl("top_p: high"), True),
    ("top-p-dash-key", addl("top-p: 0.9"), False),
    # steps / maxSteps
    ("steps-valid", addl("steps: 5"), False),
    ("steps-one", addl("steps: 1"), False),
    ("steps-big", addl("steps: 1000000"), False),
    ("steps-exp", addl("steps: 1e2"), False),
    ("steps-float-integral", addl("steps: 5.0"), False),
    ("steps-zero", addl("steps: 0"), True),
    ("steps-negative", addl("steps: -1"), True),
    ("steps-float", addl("steps: 1.5"), True),
    ("steps-quoted", addl('steps: "5"'), True),
    ("steps-inf", addl("steps: .inf"), True),
    ("steps-huge", addl("steps: 100000000000000000000"), True),
    ("max-steps-valid", addl("maxSteps: 7"), False),
    ("max-steps-zero", addl("maxSteps: 0"), True),
    ("max-steps-and-steps", addl("steps: 3", "maxSteps: 9"), False),
    ("max-turns-claude", addl("maxTurns: 3"), False),
    # color
    ("color-hex-quoted", addl('color: "#FF5733"'), False),
    ("color-hex-single-quoted", addl("color: '#ff5733'"), False),
    ("color-hex-unquoted", addl("color: #FF5733"), True),
    ("color-hex-short", addl('color: "#F53"'), True),
    ("color-hex-no-hash", addl("color: FF5733"), True),
    ("color-hex-eight", addl('color: "#FF5733AA"'), True),
    ("color-theme-primary", addl("color: primary"), False),
    ("color-theme-secondary", addl("color: secondary"), False),
    ("color-theme-accent", addl("color: accent"), False),
    ("color-theme-success", addl("color: success"), False),
    ("color-theme-warning", addl("color: warning"), False),
    ("color-theme-error", addl("color: error"), False),
    ("color-theme-info", addl("color: info"), False),
    ("color-theme-capitalised", addl("color: Primary"), True),
    ("color-name-blue", addl("color: blue"), True),
    ("color-name-red", addl("color: red"), True),
    ("color-number", addl("color: 123456"), True),
    ("color-empty", addl("color:"), True),
    # hidden / disable
    ("hidden-true", addl("hidden: true"), False),
    ("hidden-false", addl("hidden: false"), False),
    ("hidden-yes", addl("hidden: yes"), True),
    ("hidden-string", addl('hidden: "true"'), True),
    ("hidden-number", addl("hidden: 1"), True),
    ("hidden-primary", both(setk("mode", "primary"), addl("hidden: true")), False),
    ("disable-true", addl("disable: true"), False),
    ("disable-false", addl("disable: false"), False),
    ("disable-on", addl("disable: on"), True),
    ("disabled-key", addl("disabled: true"), False),
    # tools (deprecated map)
    ("tools-map", addl("tools:", "  write: false", "  bash: true"), False),
    ("tools-map-edit-patch", addl("tools:", "  edit: false", "  patch: true"), False),
    ("tools-map-flow", addl("tools: {{write: false, read: true}}"), False),
    ("tools-map-wildcard", addl("tools:", '  "mymcp_*": false'), False),
    ("tools-map-claude-names", addl("tools:", "  Read: true", "  Grep: false"), False),
    ("tools-map-empty", addl("tools: {{}}"), False),
    ("tools-map-string-value", addl("tools:", "  write: no"), True),
    ("tools-map-yes-value", addl("tools:", "  write: yes"), True),
    ("tools-map-number-value", addl("tools:", "  write: 0"), True),
    ("tools-comma-string", addl("tools: Read, Grep"), True),
    ("tools-one-word", addl("tools: Read"), True),
    ("tools-list", addl("tools:", "  - Read", "  - Grep"), True),
    ("tools-flow-list", addl("tools: [Read, Grep]"), True),
    ("tools-empty", addl("tools:"), True),
    (
        "tools-and-permission",
        addl("tools:", "  write: false", "permission:", "  edit: allow"),
        False,
    ),
    # permission
    ("permission-edit-deny", addl("permission:", "  edit: deny"), False),
    (
        "permission-all-keys",
        addl(
            "permission:",
            "  read: allow",
            "  edit: ask",
            "  glob: allow",
            "  grep: allow",
            "  list: allow",
            "  bash: ask",
            "  task: deny",
            "  external_directory: ask",
            "  todowrite: allow",
            "  question: allow",
            "  webfetch: deny",
            "  websearch: deny",
            "  lsp: allow",
            "  doom_loop: ask",
            "  skill: allow",
        ),
        False,
    ),
    (
        "permission-bash-patterns",
        addl("permission:", "  bash:", '    "git *": allow', '    "rm *": deny', '    "*": ask'),
        False,
    ),
    ("permission-string", addl("permission: allow"), False),
    ("permission-string-bad", addl("permission: maybe"), True),
    ("permission-action-bad", addl("permission:", "  bash: maybe"), True),
    ("permission-action-capitalised", addl("permission:", "  bash: Allow"), True),
    ("permission-action-bool", addl("permission:", "  bash: true"), True),
    ("permission-unknown-tool", addl("permission:", "  mytool: deny"), False),
    ("permission-unknown-tool-map", addl("permission:", "  mytool:", '    "x*": deny'), False),
    ("permission-webfetch-map", addl("permission:", "  webfetch:", '    "*": deny'), True),
    ("permission-doom-loop-map", addl("permission:", "  doom_loop:", '    "*": ask'), True),
    ("permission-list", addl("permission:", "  - edit"), True),
    ("permission-empty", addl("permission:"), True),
    ("permission-claude-style", addl("permissionMode: acceptEdits"), False),
    # options, prompt, name
    ("options-map", addl("options:", "  reasoningEffort: high"), False),
    ("options-string", addl("options: fast"), True),
    ("options-list", addl("options: [a]"), True),
    ("options-and-unknown", addl("options:", "  a: 1", "b: 2"), False),
    ("prompt-key", addl("prompt: {t} from the front matter"), False),
    ("prompt-key-number", addl("prompt: 5"), False),
    ("prompt-file-ref", addl('prompt: "{{file:./x.txt}}"'), False),
    ("name-key-same", prep("name: {t}"), False),
    ("name-key-other", prep("name: {t}-renamed"), True),
    ("name-key-number", prep("name: 12345"), True),
    ("name-key-empty", prep("name:"), True),
    ("name-key-list", prep("name: [{t}]"), True),
    ("name-key-slash", prep("name: {t}/x"), True),
    # unknown and foreign keys
    ("unknown-key", addl("foo: bar"), False),
    ("unknown-key-map", addl("foo:", "  bar: 1"), False),
    ("unknown-key-reasoning-effort", addl("reasoningEffort: high"), False),
    ("unknown-key-hidden-from-cycle", addl("hidden_from_cycle: true"), False),
    (
        "key-capitalised-description",
        both(delk("description"), addl("Description: {t} upper")),
        False,
    ),
    ("key-capitalised-mode", both(delk("mode"), addl("Mode: primary")), False),
    (
        "claude-keys",
        addl("name: {t}", "tools: Read, Grep, Glob", "model: sonnet", "color: blue"),
        True,
    ),
    ("claude-keys-valid-subset", addl("allowed-tools: Read", "argument-hint: <x>"), False),
    ("copilot-keys", addl("target: vscode", "handoffs: []", "infer: true"), False),
    ("gemini-keys", addl("max_turns: 3", "timeout_mins: 5", "kind: local"), False),
    # YAML typing (js-yaml 3 via gray-matter)
    ("desc-date-quoted", setk("description", '"2024-01-01"'), False),
    ("desc-datetime", setk("description", "2024-01-01T10:00:00Z"), True),
    ("desc-octal", setk("description", "017"), True),
    ("desc-sexagesimal", setk("description", "1:30"), False),
    ("desc-binary-tag", setk("description", "!!binary aGVsbG8="), True),
    ("desc-on", setk("description", "on"), False),
    ("desc-no", setk("description", "no"), False),
    ("desc-date-other-key", addl("updated: 2024-01-01"), False),
    ("dup-key-mode", addl("mode: primary"), False),
    ("dup-key-description", addl("description: {t} second"), False),
    (
        "dup-key-with-colon-value",
        both(addl("mode: primary"), setk("description", "{t} a: b")),
        False,
    ),
    (
        "colon-value-and-other-error",
        both(setk("description", "{t} Use when: reviewing"), addl("x-bad: [unclosed")),
        False,
    ),
    ("colon-value-dash-key", addl("x-note: {t} a: b"), False),
    ("colon-value-digit-key", addl("k9: {t} a: b"), False),
    ("colon-value-quoted-start", setk("description", '"{t}" Use when: x'), False),
    ("colon-value-in-flow", setk("description", "[{t}: a]"), True),
    ("colon-url", setk("description", "{t} see https://example.com"), False),
    (
        "anchor-merge-keys",
        both(
            prep("x-base: &base", "  mode: primary", "  temperature: 0.7"),
            delk("mode"),
            delk("temperature"),
            addl("<<: *base"),
        ),
        False,
    ),
    ("alias-description", both(prep("x-d: &d {t} aliased"), setk("description", "*d")), False),
]

AGENT_LOCATIONS: list[tuple[str, str, bool]] = [
    # (label, path with {t}, isolate)
    ("loc-agents-dir", ".opencode/agents/{t}.md", False),
    ("loc-subfolder", ".opencode/agent/team/{t}.md", False),
    ("loc-deep-subfolder", ".opencode/agents/a/b/{t}.md", False),
    ("loc-upper-ext", ".opencode/agent/{t}.MD", False),
    ("loc-markdown-ext", ".opencode/agent/{t}.markdown", False),
    ("loc-agent-md-suffix", ".opencode/agent/{t}.agent.md", False),
    ("loc-dotfile", ".opencode/agent/.{t}.md", False),
    ("loc-mode-dir", ".opencode/mode/{t}.md", False),
    ("loc-modes-dir", ".opencode/modes/{t}.md", False),
    ("loc-mode-subfolder", ".opencode/mode/x/{t}.md", False),
    ("loc-user-agent", "~/.config/opencode/agent/{t}.md", False),
    ("loc-user-agents", "~/.config/opencode/agents/{t}.md", False),
    ("loc-user-mode", "~/.config/opencode/mode/{t}.md", False),
    ("loc-no-dot-folder", "opencode/agent/{t}.md", False),
    ("loc-claude-agents", ".claude/agents/{t}.md", False),
    ("loc-nested-project", "pkg/.opencode/agent/{t}.md", False),
    ("loc-home-dot-opencode", "~/.opencode/agent/{t}.md", False),
]

# invalid values in the places that are not read the same way (mode files are decoded
# without the error path; the user folder goes through the same loader)
AGENT_LOCATION_VALUES: list[tuple[str, str, Mut, bool]] = [
    ("mode-dir-invalid", ".opencode/mode/{t}.md", setk("temperature", "hot"), False),
    ("mode-dir-subagent", ".opencode/mode/{t}.md", setk("mode", "subagent"), False),
    ("user-agent-invalid", "~/.config/opencode/agent/{t}.md", addl("color: blue"), True),
    ("user-agent-yaml-error", "~/.config/opencode/agent/{t}.md", addl("x: [unclosed"), False),
    ("agents-dir-invalid", ".opencode/agents/{t}.md", addl("steps: 0"), True),
    ("upper-ext-invalid", ".opencode/agent/{t}.MD", addl("steps: 0"), False),
]

COMMAND_VALUES: Table = [
    ("desc-plain", setk("description", "{t} plain"), False),
    ("desc-colon-space", setk("description", "{t} Use when: testing"), False),
    ("desc-number", setk("description", "5"), True),
    ("desc-date", setk("description", "2024-01-01"), True),
    ("desc-empty", setk("description", ""), True),
    ("desc-empty-quoted", setk("description", '""'), False),
    ("desc-list", setk("description", "[{t}]"), True),
    ("desc-missing", delk("description"), False),
    ("desc-literal-block", setk("description", "|\n  {t} literal\n  second"), False),
    ("agent-number", setk("agent", "5"), True),
    ("agent-unknown-name", setk("agent", "nobody"), False),
    ("agent-missing", delk("agent"), False),
    ("model-number", setk("model", "5"), True),
    ("model-alias", setk("model", "sonnet"), False),
    ("model-missing", delk("model"), False),
    ("variant-string", addl("variant: high"), False),
    ("variant-number", addl("variant: 1"), True),
    ("subtask-true", addl("subtask: true"), False),
    ("subtask-yes", addl("subtask: yes"), True),
    ("subtask-string", addl('subtask: "true"'), True),
    ("template-key", addl("template: {t} from the front matter"), False),
    ("template-key-number", addl("template: 5"), False),
    ("name-key", prep("name: {t}-renamed"), True),
    ("name-key-number", prep("name: 5"), True),
    ("unknown-key", addl("foo: bar"), False),
    ("claude-keys", addl("allowed-tools: Bash(git:*)", "argument-hint: [file]"), False),
    ("claude-keys-model-alias", addl("disable-model-invocation: true"), False),
    ("dup-key", addl("agent: plan"), False),
    ("yaml-error", addl("x-bad: [unclosed"), False),
    ("yaml-error-colon", setk("description", "{t} a: b: c"), False),
    ("empty-body", attr(body="", tail=""), False),
    ("no-front-matter", attr(lines=None, body="Run {t} with $ARGUMENTS."), False),
    ("empty-front-matter", attr(lines=[]), False),
    ("not-mapping", attr(lines=["- a"]), False),
    ("crlf", attr(newline="\r\n"), False),
    ("bom", attr(bom=True), False),
    ("leading-blank", attr(before="\n"), False),
    ("closer-text", attr(after_closer=" trailing"), False),
    ("unterminated", attr(closer=None), False),
]

COMMAND_LOCATIONS: list[tuple[str, str, bool]] = [
    ("loc-commands-dir", ".opencode/commands/{t}.md", False),
    ("loc-subfolder", ".opencode/command/git/{t}.md", False),
    ("loc-user", "~/.config/opencode/command/{t}.md", False),
    ("loc-claude-commands", ".claude/commands/{t}.md", False),
    ("loc-upper-ext", ".opencode/command/{t}.MD", False),
]

SKILL_VALUES: Table = [
    ("desc-plain", setk("description", "{t} plain"), False),
    ("desc-colon-space", setk("description", "{t} Use when: formatting"), False),
    ("desc-number", setk("description", "5"), False),
    ("desc-date", setk("description", "2024-01-01"), False),
    ("desc-empty", setk("description", ""), False),
    ("desc-empty-quoted", setk("description", '""'), False),
    ("desc-list", setk("description", "[{t}]"), False),
    ("desc-missing", delk("description"), False),
    ("desc-literal-block", setk("description", "|\n  {t} literal\n  second"), False),
    ("desc-xml", setk("description", "{t} <b>bold</b> & more"), False),
    ("desc-long", setk("description", "{t} " + "x" * 2000), False),
    ("name-missing", delk("name"), False),
    ("name-number", setk("name", "12345"), False),
    ("name-other", setk("name", "{t}-other"), False),
    ("name-upper-space", setk("name", "{t} Release Notes"), False),
    ("name-empty", setk("name", ""), False),
    ("name-empty-quoted", setk("name", '""'), False),
    ("name-list", setk("name", "[{t}]"), False),
    ("unknown-key", addl("foo: bar"), False),
    ("agentskills-keys", addl("license: MIT", "compatibility: any", "metadata:", "  a: b"), False),
    ("claude-keys", addl("allowed-tools: Read", "model: sonnet", "user-invocable: false"), False),
    ("metadata-not-map", addl("metadata: x"), False),
    ("dup-key", addl("description: {t} second"), False),
    ("yaml-error", addl("x-bad: [unclosed"), False),
    ("yaml-error-colon", setk("description", "{t} a: b: c"), False),
    ("yaml-error-quoted", setk("description", '"{t} unclosed'), False),
    ("no-front-matter", attr(lines=None, body="# {t}\n\nBody only."), False),
    ("empty-front-matter", attr(lines=[]), False),
    ("not-mapping", attr(lines=["- a"]), False),
    ("crlf", attr(newline="\r\n"), False),
    ("bom", attr(bom=True), False),
    ("leading-blank", attr(before="\n"), False),
    ("closer-text", attr(after_closer=" trailing"), False),
    ("opener-text", attr(opener="--- yaml"), False),
    ("unterminated", attr(closer=None), False),
    ("anchor", both(setk("description", "&d {t} anchored"), addl("x: *d")), False),
    ("invalid-utf8", both(addl("x: MARK"), rawb(lambda b: b.replace(b"MARK", b"\xff"))), False),
]

SKILL_LOCATIONS: list[tuple[str, str, bool]] = [
    ("loc-skill-dir", ".opencode/skill/{t}/SKILL.md", False),
    ("loc-claude-skills", ".claude/skills/{t}/SKILL.md", False),
    ("loc-agents-skills", ".agents/skills/{t}/SKILL.md", False),
    ("loc-nested", ".opencode/skills/group/{t}/SKILL.md", False),
    ("loc-claude-nested", ".claude/skills/group/{t}/SKILL.md", False),
    ("loc-lowercase-file", ".opencode/skills/{t}/skill.md", False),
    ("loc-github-skills", ".github/skills/{t}/SKILL.md", False),
    ("loc-user-config", "~/.config/opencode/skills/{t}/SKILL.md", False),
    ("loc-user-claude", "~/.claude/skills/{t}/SKILL.md", False),
    ("loc-user-agents", "~/.agents/skills/{t}/SKILL.md", False),
    ("loc-user-copilot", "~/.copilot/skills/{t}/SKILL.md", False),
    ("loc-other-file-name", ".opencode/skills/{t}/README.md", False),
]


# ------------------------------------------------------------------------------ making


class _Counter:
    def __init__(self) -> None:
        self.n = {"agent": 0, "command": 0, "skill": 0}

    def token(self, kind: str) -> str:
        self.n[kind] += 1
        return f"{PREFIX[kind]}{self.n[kind]:04d}"


_BASES = {"agent": agent_base, "command": command_base, "skill": skill_base}
_DEFAULT_PATH = {
    "agent": ".opencode/agent/{t}.md",
    "command": ".opencode/command/{t}.md",
    "skill": ".opencode/skills/{t}/SKILL.md",
}


def expected_name(kind: str, rel: str) -> str | None:
    """The name OpenCode derives from the path (a ``name`` key may override it)."""
    parts = rel.split("/")
    if kind == "skill":
        return None  # skills are named by their ``name`` key only
    folders = {"agent": ("agent", "agents", "mode", "modes"), "command": ("command", "commands")}
    for i, p in enumerate(parts[:-1]):
        if p in folders[kind] and i >= 1:
            stem = "/".join(parts[i + 1 :])
            return stem.rsplit(".", 1)[0] if "." in parts[-1] else stem
    return None


def _make(
    c: _Counter, kind: str, group: str, label: str, m: Mut, iso: bool, path: str = ""
) -> Case:
    t = c.token(kind)
    doc = m(_BASES[kind](t), t)
    rel = (path or _DEFAULT_PATH[kind]).format(t=t)
    f = File(rel, doc.data(), expected_name(kind, rel))
    return Case(f"gen/{dialect_of(kind, rel)}/{t}-{label}", kind, "generated", (f,), iso, group)


def generated() -> list[Case]:
    """Every generated case, in a fixed order (tokens depend on it)."""
    c = _Counter()
    out: list[Case] = [_make(c, "agent", "base", "base", both(), False)]
    for group, table in (
        ("description", DESCRIPTIONS),
        ("values", AGENT_VALUES),
        ("format", FORMATS),
    ):
        for label, m, iso in table:
            out.append(_make(c, "agent", group, label, m, iso or _agent_isolate(label)))
    for label, path, iso in AGENT_LOCATIONS:
        out.append(_make(c, "agent", "location", label, both(), iso, path))
    for label, path, m, iso in AGENT_LOCATION_VALUES:
        out.append(_make(c, "agent", "location", label, m, iso, path))
    out.append(_make(c, "command", "base", "base", both(), False))
    for label, m, iso in COMMAND_VALUES:
        out.append(_make(c, "command", "values", label, m, iso))
    for label, path, iso in COMMAND_LOCATIONS:
        out.append(_make(c, "command", "location", label, both(), iso, path))
    out.append(_make(c, "skill", "base", "base", both(), False))
    for label, m, iso in SKILL_VALUES:
        out.append(_make(c, "skill", "values", label, m, iso))
    for label, path, iso in SKILL_LOCATIONS:
        out.append(_make(c, "skill", "location", label, both(), iso, path))
    out.extend(_pairs(c))
    for kind, label, m, iso in EXTRA:  # added after the first recording: tokens go last
        out.append(_make(c, kind, "extra", label, m, iso))
    return out


EXTRA: list[tuple[str, str, Mut, bool]] = [
    ("agent", "fmt-opener-language-trailing", attr(opener="--- trailing"), False),
    ("agent", "fmt-opener-json", attr(opener="---json"), False),
    ("agent", "fmt-opener-yaml-glued", attr(opener="---yaml"), False),
    ("agent", "fmt-crlf-dup-key", both(addl("mode: primary"), attr(newline="\r\n")), False),
    ("agent", "fmt-crlf-yaml-error", both(addl("x: [unclosed"), attr(newline="\r\n")), False),
    (
        "agent",
        "fmt-closer-eof-no-newline",
        attr(body="", tail="", closer="---", after_closer=""),
        False,
    ),
    ("agent", "desc-sanitized-block-like", setk("description", "{t} a: b\n  continued"), False),
    (
        "agent",
        "claude-agent-typical",
        attr(
            lines=[
                "name: {t}",
                "description: {t} Use when reviewing",
                "tools: Read, Grep",
                "model: sonnet",
            ]
        ),
        True,
    ),
    ("command", "crlf-yaml-error", both(addl("x: [unclosed"), attr(newline="\r\n")), False),
    (
        "skill",
        "yaml-error-sanitized-still-failing",
        both(setk("description", "{t} Use when: x"), addl("x: [unclosed")),
        False,
    ),
    ("skill", "crlf-yaml-error", both(addl("x: [unclosed"), attr(newline="\r\n")), False),
    ("skill", "opener-language-trailing", attr(opener="--- trailing"), False),
]


# description values that are not strings once js-yaml has read them (they fail the schema)
_NON_STRING_DESCRIPTIONS = {
    "desc-number",
    "desc-float",
    "desc-bool",
    "desc-null-tilde",
    "desc-null-word",
    "desc-empty",
    "desc-list",
    "desc-flow-list",
    "desc-mapping",
    "desc-flow-mapping",
    "desc-date",
    "fmt-flow-map-front-matter",
    "desc-key-no-space",
}


def _agent_isolate(label: str) -> bool:
    return label in _NON_STRING_DESCRIPTIONS or label.startswith("fmt-size")


# two files with one name: which one wins depends on the order of a directory scan, and
# varies between runs (seen on a0334); the rows say so and `check` does not compare them
UNSTABLE = ("pair-same-name", "pair-name-key-shadows-file")


def unstable(case_id: str) -> bool:
    return any(f"-{label}" in case_id for label in UNSTABLE)


def kind_of(rel: str) -> str:
    parts = rel.split("/")
    if parts[-1] in ("SKILL.md", "skill.md") or "skills" in parts or "skill" in parts:
        return "skill"
    if "command" in parts or "commands" in parts:
        return "command"
    return "agent"


Pair = Callable[[str, str], tuple[str, Mut]]  # (token a, token b) -> (path, mutation)


def _pairs(c: _Counter) -> list[Case]:
    """Cases of two files: what one file does to another (always a run of their own)."""
    out: list[Case] = []

    def two(kind: str, label: str, fa: Pair, fb: Pair) -> None:
        ta, tb = c.token(kind), c.token(kind)
        files = []
        for t, (path, m) in ((ta, fa(ta, tb)), (tb, fb(ta, tb))):
            rel = path.format(t=t)
            k = kind_of(rel)
            files.append(File(rel, m(_BASES[k](t), t).data(), expected_name(k, rel)))
        cid = f"gen/{dialect_of(kind, files[0].rel)}/{ta}-{label}"
        out.append(Case(cid, kind, "generated", tuple(files), True, "pair"))

    ag, ags = ".opencode/agent/{t}.md", ".opencode/agents/{t}.md"
    cm, sk = ".opencode/command/{t}.md", ".opencode/skills/{t}/SKILL.md"
    two(
        "agent",
        "pair-invalid-breaks-valid",
        lambda a, b: (ag, both()),
        lambda a, b: (ag, setk("temperature", "hot")),
    )
    two(
        "agent",
        "pair-yaml-error-beside-valid",
        lambda a, b: (ag, both()),
        lambda a, b: (ag, addl("x: [unclosed")),
    )
    two(
        "agent",
        "pair-same-name-agent-and-agents",
        lambda a, b: (ag, both()),
        lambda a, b: (f".opencode/agents/{a}.md", setk("description", "{t} second")),
    )
    two(
        "agent",
        "pair-same-name-key",
        lambda a, b: (ag, prep(f"name: shared-{a}")),
        lambda a, b: (ags, prep(f"name: shared-{a}")),
    )
    two(
        "agent",
        "pair-name-key-shadows-file",
        lambda a, b: (ag, both()),
        lambda a, b: (ag, prep(f"name: {a}")),
    )
    two(
        "agent",
        "pair-builtin-names",
        lambda a, b: (".opencode/agent/build.md", setk("description", "{t} replaces build")),
        lambda a, b: (".opencode/agent/general.md", setk("description", "{t} replaces general")),
    )
    two(
        "command",
        "pair-invalid-breaks-valid",
        lambda a, b: (cm, both()),
        lambda a, b: (cm, setk("agent", "5")),
    )
    two(
        "command",
        "pair-same-name",
        lambda a, b: (cm, both()),
        lambda a, b: (f".opencode/commands/{a}.md", setk("description", "{t} second")),
    )
    two(
        "skill",
        "pair-same-name",
        lambda a, b: (sk, setk("name", f"shared-{a}")),
        lambda a, b: (".claude/skills/{t}/SKILL.md", setk("name", f"shared-{a}")),
    )
    two(
        "skill",
        "pair-invalid-agent-breaks-skills",
        lambda a, b: (sk, both()),
        lambda a, b: (ag, addl("steps: 0")),
    )
    two(
        "agent",
        "pair-user-and-project-same-name",
        lambda a, b: (ag, addl("hidden: true")),
        lambda a, b: (
            f"~/.config/opencode/agent/{a}.md",
            both(
                setk("description", "{t} from home"), setk("mode", "primary"), addl("color: accent")
            ),
        ),
    )
    two(
        "agent",
        "pair-agent-and-mode-same-name",
        lambda a, b: (ag, both()),
        lambda a, b: (f".opencode/mode/{a}.md", setk("description", "{t} mode file")),
    )
    return out


# ------------------------------------------------------------------------------ corpus

CORPUS_AGENTS = "wshobson-agents"  # Claude Code agents, laid out as OpenCode agents


def corpus() -> list[Case]:
    """The corpus files OpenCode reads, each at the path it reads them from.

    * every ``SKILL.md`` (OpenCode reads skills from ``.claude/skills``, ``.agents/skills`` and
      ``.opencode/skills``): Claude Code skills (``anthropic-skills``, ``wshobson-agents``
      plugins) under ``.claude/skills/<dir>/``, the Copilot collection's skills
      (``awesome-copilot``) under ``.agents/skills/<dir>/``, nested folders kept;
    * every second Claude Code agent of ``wshobson-agents`` (``plugins/*/agents/*.md``, sorted) as
      ``.opencode/agent/<plugin>--<name>.md``: OpenCode's own docs and its YAML fallback aim at
      files written for Claude Code, and users copy them over;
    * the Claude Code commands of ``wshobson-agents`` (``plugins/*/commands/*.md``) as
      ``.opencode/command/<plugin>--<name>.md`` (same ``$ARGUMENTS`` syntax).
    """
    out: list[Case] = []
    n_agents = 0
    if not CORPUS.is_dir():
        return out
    for p in sorted(CORPUS.rglob("*.md")):
        rel = p.relative_to(CORPUS).as_posix()
        parts = rel.split("/")
        kind: str | None = None
        lay = ""
        if parts[-1] == "SKILL.md":
            kind = "skill"
            i = parts.index("skills") if "skills" in parts else len(parts) - 2
            inner = "/".join(parts[i + 1 :])
            base = ".agents/skills" if parts[0] == "awesome-copilot" else ".claude/skills"
            if parts[0] == "wshobson-agents":
                inner = f"{parts[2]}--{inner}"
            lay = f"{base}/{inner}"
        elif parts[0] == CORPUS_AGENTS and len(parts) == 5 and parts[3] in ("agents", "commands"):
            if parts[3] == "agents":
                n_agents += 1
                if n_agents % 2 == 0:  # a deterministic half of the agents (runs are slow)
                    continue
            kind = "agent" if parts[3] == "agents" else "command"
            folder = ".opencode/agent" if kind == "agent" else ".opencode/command"
            lay = f"{folder}/{parts[2]}--{parts[4]}"
        if kind is None or not p.is_file():
            continue
        f = File(lay, p.read_bytes(), expected_name(kind, lay), rel)
        out.append(Case(f"corpus/{rel}", kind, "corpus", (f,), False, dialect_of(kind, lay)))
    return out


def all_cases(sources: tuple[str, ...]) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += generated()
    if "corpus" in sources:
        out += corpus()
    return out


_ROOTS = r"(?:\.opencode|~/\.config/opencode|~/\.opencode)"
_READ = {
    "agent": re.compile(
        rf"^{_ROOTS}/(?:(?:agent|agents)/(?:[^/]+/)*[^/]+\.md|(?:mode|modes)/[^/]+\.md)$"
    ),
    "command": re.compile(rf"^{_ROOTS}/(?:command|commands)/(?:[^/]+/)*[^/]+\.md$"),
    "skill": re.compile(
        rf"^(?:(?:~/)?(?:\.claude|\.agents)/skills|{_ROOTS}/(?:skill|skills))"
        r"/(?:[^/]+/)*SKILL\.md$"
    ),
}


def read_by_opencode(rel: str) -> bool:
    """Whether OpenCode reads a file at this path (project root = the directory it runs in),
    as the location cases show: the globs are case-sensitive, ``mode/`` is not recursive."""
    return bool(_READ[kind_of(rel)].match(rel))


def case_dialect(c: Case, f: File) -> str:
    if c.source == "corpus":
        return dialect_of(c.kind, f.rel)
    return c.id.split("/")[1]


def token_of(f: File) -> str | None:
    m = TOKEN.search(Path(f.rel).as_posix())
    return m.group(1) if m else None
