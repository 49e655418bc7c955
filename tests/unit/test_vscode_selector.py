"""The VS Code extension never takes over Markdown for files that are not agent files.

Its manifest contributes no language, grammar, file association or Markdown extension point,
and its client selects documents by path (editors/vscode/src/selector.ts), never by the
`markdown` language id: ordinary Markdown matches none of its patterns, so the extension's
server never sees it. The other direction: each kind of agent file the server detects matches
a pattern (else the extension would miss it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agentls.core.analysis import analyze
from agentls.core.dialects import detect
from agentls.core.settings import Settings

VSCODE = Path(__file__).resolve().parents[2] / "editors/vscode"
MANIFEST = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
SELECTOR_TS = (VSCODE / "src/selector.ts").read_text(encoding="utf-8")
HOME = "/home/u"
PROJ = "/home/u/proj"


def patterns() -> list[str]:
    body = re.search(r"PATTERNS: string\[\] = \[(.*?)\];", SELECTOR_TS, re.DOTALL)
    assert body, "selector.ts has no PATTERNS array"
    return re.findall(r"'([^']+)'", body[1])


def glob_regex(glob: str) -> re.Pattern[str]:
    """VS Code's glob syntax: `**` any number of folders, `*` and `?` within one name, `{a,b}`."""
    out, i = "", 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif glob.startswith("**", i):
            out, i = out + ".*", i + 2
        elif glob[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif glob[i] == "?":
            out, i = out + "[^/]", i + 1
        elif glob[i] == "{":
            end = glob.index("}", i)
            out += "(?:" + "|".join(re.escape(a) for a in glob[i + 1 : end].split(",")) + ")"
            i = end + 1
        else:
            out, i = out + re.escape(glob[i]), i + 1
    return re.compile(out)


REGEXES = [glob_regex(p) for p in patterns()]


def selected(path: str) -> bool:
    return any(r.fullmatch(path) for r in REGEXES)


def test_glob_emulation() -> None:
    assert glob_regex("**/SKILL.md").fullmatch("/a/b/SKILL.md")
    assert glob_regex("**/SKILL.md").fullmatch("SKILL.md")
    assert not glob_regex("**/.github/agents/*.md").fullmatch("/p/.github/agents/x/y.md")
    assert glob_regex("**/.claude/**/*.md").fullmatch("/p/.claude/agents/a.md")
    assert glob_regex("**/.claude/**/*.md").fullmatch("/p/.claude/a.md")


def test_the_manifest_claims_no_language() -> None:
    contributes = MANIFEST.get("contributes", {})
    for point in ("languages", "grammars", "snippets", "configurationDefaults"):
        assert point not in contributes, f"package.json contributes {point}"
    assert not [k for k in contributes if k.startswith("markdown.")]
    assert set(contributes) <= {"commands", "configuration"}, sorted(contributes)


def test_the_client_selects_by_path_never_by_language() -> None:
    assert "documentSelector: documentSelector(" in (VSCODE / "src/client.ts").read_text()
    assert "language:" not in SELECTOR_TS
    assert "({ scheme: 'file', pattern })" in SELECTOR_TS
    assert patterns() and all(not p.startswith("*.") and p != "**/*.md" for p in patterns())


ORDINARY = [
    f"{PROJ}/README.md",
    f"{PROJ}/readme.md",
    f"{PROJ}/CHANGELOG.md",
    f"{PROJ}/CONTRIBUTING.md",
    f"{PROJ}/docs/guide.md",
    f"{PROJ}/docs/agents/overview.md",
    f"{PROJ}/docs/skills/writing.md",
    f"{PROJ}/.github/README.md",
    f"{PROJ}/.github/ISSUE_TEMPLATE/bug.md",
    f"{PROJ}/.github/pull_request_template.md",
    f"{PROJ}/node_modules/pkg/README.md",
    f"{PROJ}/notes/agent.md",
    f"{PROJ}/src/prompt.md",
    f"{PROJ}/AGENTS.md",
    f"{PROJ}/CLAUDE.md",
    f"{HOME}/Documents/todo.md",
]


@pytest.mark.parametrize("path", ORDINARY)
def test_ordinary_markdown_is_not_selected(path: str) -> None:
    assert detect(path, plugin_root=None) is None  # the server agrees: not an agent file
    assert not selected(path), f"the extension would take {path}"


# one path per kind of file the server reads (scope in the comment)
AGENT_FILES = [
    f"{PROJ}/.claude/agents/reviewer.md",
    f"{PROJ}/.claude/commands/deploy.md",
    f"{PROJ}/.claude/rules/style.md",
    f"{PROJ}/.claude/output-styles/terse.md",
    f"{PROJ}/.claude/skills/pdf/SKILL.md",
    f"{HOME}/.claude/agents/reviewer.md",  # user
    f"{PROJ}/.github/agents/reviewer.md",
    f"{PROJ}/.github/agents/reviewer.agent.md",
    f"{PROJ}/.github/chatmodes/plan.chatmode.md",
    f"{PROJ}/.github/prompts/fix.prompt.md",
    f"{PROJ}/.github/instructions/py.instructions.md",
    f"{PROJ}/.github/skills/pdf/SKILL.md",
    f"{HOME}/.copilot/agents/reviewer.md",  # user
    f"{PROJ}/.cursor/rules/style.mdc",
    f"{PROJ}/.opencode/agent/review.md",
    f"{PROJ}/.opencode/command/deploy.md",
    f"{HOME}/.config/opencode/agent/review.md",  # user
    f"{HOME}/.config/opencode/commands/deploy.md",  # user
    f"{PROJ}/.gemini/agents/review.md",
    f"{PROJ}/.gemini/skills/pdf/SKILL.md",
    f"{PROJ}/.codex/prompts/fix.md",
    f"{PROJ}/.agents/skills/pdf/SKILL.md",
    f"{PROJ}/plugins/kit/agents/review.md",
    f"{PROJ}/plugins/kit/commands/deploy.md",
    f"{PROJ}/skills/pdf/SKILL.md",
]


@pytest.mark.parametrize("path", AGENT_FILES)
def test_agent_files_are_selected(path: str) -> None:
    assert detect(path, plugin_root=None) is not None, "not an agent file for the server"
    assert selected(path), f"the extension would not send {path} to the server"


def test_the_server_is_silent_on_markdown_it_receives_but_does_not_read() -> None:
    """`**/.claude/**/*.md` also selects notes kept under `.claude/`: the server says nothing."""
    path = f"{PROJ}/.claude/README.md"
    assert selected(path)
    text = "---\nname: Not_An_Agent\nmodel: gpt-4\n---\nNotes.\n"
    assert not analyze(path, text, Settings()).findings
