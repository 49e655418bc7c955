"""Every dialect: a valid file is clean; each runtime-relevant defect is found at its range, as
the file's own tool sees it (the other runtimes that read a path: tests/unit/test_runtimes.py)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import Analysis, analyze
from agentls.core.findings import Severity
from agentls.core.verdict import own_findings

VALID = {
    ".claude/skills/pdf/SKILL.md": (
        "---\nname: pdf\ndescription: Fill PDF forms\nallowed-tools: Read, Bash(python:*)\n"
        "user-invocable: yes\ncontext: fork\nmodel: sonnet\n---\nRun !`python fill.py $0`\n"
    ),
    ".claude/commands/review.md": (
        '---\ndescription: Review\nallowed-tools: Bash(git diff:*)\nargument-hint: "[pr]"\n'
        "---\n!`git diff $ARGUMENTS`\n"
    ),
    ".claude/rules/py.md": '---\npaths: "src/**/*.py"\n---\nUse type hints.\n',
    ".claude/output-styles/terse.md": (
        "---\nname: Terse\ndescription: Short answers\nkeep-coding-instructions: true\n---\nx\n"
    ),
    "skills/pdf-tool/SKILL.md": (
        "---\nname: pdf-tool\ndescription: Fill PDF forms\nlicense: MIT\n---\nBody\n"
    ),
    ".github/agents/planner.agent.md": (
        "---\nname: Planner\ndescription: Plans work\ntools: ['search', 'read/readFile', 'agent']"
        "\nagents: ['*']\nmodel: Claude Sonnet 4.5 (copilot)\n---\nPlan.\n"
    ),
    ".github/agents/gh.md": (
        "---\nname: gh\ndescription: Cloud agent\ntarget: github-copilot\n"
        "tools: ['read', 'Edit', 'github/*']\n---\nDo it.\n"
    ),
    ".github/prompts/fix.prompt.md": (
        "---\ndescription: Fix\nagent: agent\ntools: ['edit']\n---\nFix ${file}\n"
    ),
    ".github/instructions/py.instructions.md": (
        "---\napplyTo: '**/*.py'\ndescription: Python rules\n---\nUse black.\n"
    ),
    ".cursor/rules/ts.mdc": (
        '---\ndescription: TS rules\nglobs: "**/*.ts"\nalwaysApply: false\n---\nx\n'
    ),
    ".opencode/agent/review.md": (
        "---\ndescription: Reviews\nmode: subagent\nmodel: anthropic/claude-sonnet-4\n"
        "temperature: 0.1\npermission:\n  edit: deny\n---\nx\n"
    ),
    ".gemini/agents/helper.md": (
        "---\nname: helper\ndescription: Helps\nkind: local\ntools: [read_file]\nmax_turns: 10\n"
        "---\nx\n"
    ),
    "/root/.codex/prompts/fix.md": "---\ndescription: Fix\nargument-hint: FILE\n---\nFix $1\n",
}


def found(a: Analysis) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity.label, a.text[f.span.start : f.span.end]) for f in own_findings(a)]


@pytest.mark.parametrize("path", sorted(VALID))
def test_valid_file_is_clean(path: str) -> None:
    a = analyze(path, VALID[path])
    assert a.dialect is not None
    # Codex 0.169.0 reads no custom prompt at all (tests/conformance/codex)
    unread = [("AGL711", "warning", "")] if "/.codex/prompts/" in path else []
    assert found(a) == unread


EXPECTED_DIALECT = {
    ".claude/skills/pdf/SKILL.md": "claude-skill",
    ".claude/commands/review.md": "claude-command",
    ".claude/rules/py.md": "claude-rule",
    ".claude/output-styles/terse.md": "claude-output-style",
    "skills/pdf-tool/SKILL.md": "agentskills",
    ".github/agents/planner.agent.md": "vscode-agent",
    ".github/agents/gh.md": "github-agent",
    ".github/prompts/fix.prompt.md": "vscode-prompt",
    ".github/instructions/py.instructions.md": "vscode-instructions",
    ".cursor/rules/ts.mdc": "cursor-rule",
    ".opencode/agent/review.md": "opencode-agent",
    ".gemini/agents/helper.md": "gemini-agent",
    "/root/.codex/prompts/fix.md": "codex-prompt",
}


@pytest.mark.parametrize("path", sorted(EXPECTED_DIALECT))
def test_the_tool_that_reads_the_file_judges_it(path: str) -> None:
    a = analyze(path, VALID[path])
    assert a.dialect is not None and a.dialect.dialect == EXPECTED_DIALECT[path]


DEFECTS = [
    # (path, document, [(code, severity, text at the range)])
    (
        ".claude/skills/pdf/SKILL.md",
        "---\nname: pdf\ndescription: Use when: asked\nallowed-tools: Reed\ncontext: forked\n"
        "effort: extreme\nuser-invocable: maybe\n---\n",
        [
            ("AGL100", "warning", "Use when: asked"),
            ("AGL401", "warning", "Reed"),
            ("AGL301", "warning", "forked"),
            ("AGL301", "warning", "extreme"),
            ("AGL300", "warning", "maybe"),
        ],
    ),
    (
        ".claude/skills/pdf/SKILL.md",
        '---\nname: pdf\ndescription: "A" and "B"\n---\n',
        [("AGL015", "error", '"A" and "B"')],
    ),
    (
        ".claude/commands/review.md",
        "---\ndescription: Review\nargument-hint: [pr]\nallowed_tools: Bash\n---\nx\n",
        [
            ("AGL706", "warning", "[pr]"),
            ("AGL200", "warning", "allowed_tools"),
        ],
    ),
    (
        ".claude/rules/py.md",
        "---\napplyTo: '**/*.py'\n---\nx\n",
        [("AGL200", "warning", "applyTo")],
    ),
    (
        "skills/pdf-tool/SKILL.md",
        "---\nname: pdf\ndescription: Fill <forms>\ntools: [Read]\n---\n",
        [  # skills-ref 0.1.1: `<`, `>` accepted (k0084); any unknown key rejected (k0183)
            ("AGL700", "error", "pdf"),
            ("AGL200", "error", "tools"),
            ("AGL704", "error", "[Read]"),
        ],
    ),
    (
        ".github/skills/pdf-tool/SKILL.md",
        "---\nname: pdf\ndescription: Fill forms\ncategory: docs\n---\n",
        [("AGL700", "warning", "pdf"), ("AGL200", "warning", "category")],
    ),
    (
        "skills/pdf-tool/SKILL.md",
        "---\ndescription: Fill forms\n---\n",
        [("AGL206", "error", "---")],
    ),
    (
        ".github/agents/planner.agent.md",
        "---\ndescription: Plans\ntools: ['codebase', 'serch']\nagents: ['x']\ninfer: false\n"
        "metadata:\n  team: a\nhandoffs:\n  - label: Go\n---\n",
        [
            ("AGL301", "information", "codebase"),  # renamed: information, as VS Code
            ("AGL301", "hint", "serch"),  # unknown: a hint, as VS Code
            ("AGL707", "warning", "agents"),
            ("AGL207", "error", "false"),  # VS Code: `The 'infer' attribute is deprecated…`
            ("AGL708", "hint", "metadata"),
            ("AGL300", "error", "label: Go"),
        ],
    ),
    (
        ".github/agents/gh.md",
        "---\nname: gh\ntarget: github-copilot\nhandoffs: []\n---\n" + "x" * 30_005,
        [
            ("AGL206", "error", "---"),
            ("AGL200", "warning", "handoffs"),
            ("AGL702", "warning", "x" * 5),
        ],
    ),
    (
        ".github/agents/gh.md",
        "---\ndescription: Use when: asked\ntarget: github-copilot\n---\n",
        [("AGL019", "error", "Use when: asked")],
    ),
    (
        ".github/agents/planner.agent.md",
        "---\ndescription: Use when: asked\n---\n",
        [],  # VS Code 1.139.1 reads the whole line as the value (g0105)
    ),
    (
        ".github/chatmodes/old.chatmode.md",
        "---\ndescription: Old\n---\nx\n",
        [("AGL703", "warning", "---")],  # VS Code warns (g0339)
    ),
    (
        ".github/prompts/fix.prompt.md",
        "---\nmode: agent\nagent: plan\nmodel: 3\n---\n",
        [("AGL207", "warning", "mode")],  # VS Code reads every scalar as text (g0145)
    ),
    (
        ".github/instructions/py.instructions.md",
        "---\napplyTo: ['**/*.py']\nexcludeAgent: reviewer\n---\n",
        [("AGL300", "error", "['**/*.py']"), ("AGL301", "warning", "reviewer")],
    ),
    (
        ".cursor/rules/ts.mdc",
        '---\ndescription: TS\nglobs: **/*.ts, src/**\nalwaysApply: "true"\n---\n',
        [("AGL705", "warning", "**/*.ts, src/**"), ("AGL300", "warning", '"true"')],
    ),
    (
        ".opencode/agent/review.md",
        "---\ndescription: Reviews\nmode: helper\ntemprature: 0.2\nsteps: 0\n---\n",
        [  # OpenCode 1.18.33: a bad `mode` or `steps` breaks every command (a0081, a0126)
            ("AGL301", "error", "helper"),
            ("AGL200", "warning", "temprature"),
            ("AGL310", "error", "0"),
        ],
    ),
    (
        ".gemini/agents/helper.md",
        "---\nname: Helper One\ndescription: Helps\nmaxTurns: 5\ntemperature: 3\n---\nHelp.\n",
        [  # Gemini CLI 0.61.0: a name with capitals or a space, an unknown key: dropped; any
            # temperature loads (g0184)
            ("AGL312", "error", "Helper One"),
            ("AGL200", "error", "maxTurns"),
        ],
    ),
]


@pytest.mark.parametrize(("path", "text", "want"), DEFECTS)
def test_defects_at_exact_ranges(path: str, text: str, want: list[tuple[str, str, str]]) -> None:
    a = analyze(path, text)
    assert sorted(found(a)) == sorted(want)


def test_unknown_key_names_the_dialect_it_belongs_to() -> None:
    a = analyze(".claude/rules/py.md", "---\napplyTo: '**/*.py'\n---\n")
    msg = a.findings[0].message
    assert "VS Code instructions" in msg and "`paths`" in msg


def test_opencode_unknown_keys_are_sent_to_the_provider() -> None:
    a = analyze(".opencode/agent/r.md", "---\ndescription: d\nfoo: 1\n---\n")
    assert "provider" in a.findings[0].message


def test_no_error_claims_for_low_confidence_dialects() -> None:
    a = analyze(".cursor/rules/x.mdc", "---\ndescription: [unclosed\nfoo: bar\n---\n")
    assert a.findings and all(f.severity >= Severity.WARNING for f in a.findings)


def _labels(path: str, text: str, offset: int) -> list[str]:
    from agentls.core.complete import complete

    return [c.label for c in complete(analyze(path, text), offset)]


def test_body_completion() -> None:
    t = "---\ndescription: x\n---\nRun ${CLAUDE_\n"
    got = _labels(".claude/commands/x.md", t, len(t) - 1)
    assert "CLAUDE_SESSION_ID" in got and "CLAUDE_PLUGIN_ROOT" not in got
    assert "CLAUDE_PLUGIN_ROOT" in _labels("plugins/p/commands/x.md", t, len(t) - 1)
    t = "---\ndescription: x\n---\nUse #tool:sea\n"
    assert "search/codebase" in _labels(".github/prompts/x.prompt.md", t, len(t) - 1)
    t = "---\ndescription: x\n---\nIn ${fi\n"
    assert "file" in _labels(".github/prompts/x.prompt.md", t, len(t) - 1)
    assert _labels(".github/agents/x.agent.md", t, len(t) - 1) == []


def test_skill_and_command_effort_forms_the_runtime_accepts() -> None:
    """The skill loader of Claude Code 2.1.332 reads `effort` as agents do (its `Skill NAME has
    invalid effort` check): any case, `med`, any integer or text starting with one."""
    for path in (".claude/skills/pdf/SKILL.md", ".claude/commands/review.md"):
        # (OpenCode, which reads the skill too, drops a skill without `name`)
        name = "name: pdf\n" if "skills" in path else ""
        for value in ("HIGH", "3", "Med", '"2"', "1.5"):
            a = analyze(path, f"---\n{name}description: d\neffort: {value}\n---\nx\n")
            assert [f.code for f in a.findings] == [], (path, value)
        a = analyze(path, f"---\n{name}description: d\neffort: extreme\n---\nx\n")
        assert [f.code for f in a.findings] == ["AGL301"], path
