"""The two example agents that started the product (shared/examples, copied byte for byte)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentls.core.analysis import analyze
from agentls.core.findings import Severity
from agentls.core.hover import hover
from agentls.core.settings import Settings
from agentls.core.verdict import own_findings, verdict

ROOT = Path(__file__).resolve().parents[2]
AGENTS = ROOT / "examples" / ".claude" / "agents"
SHARED = ROOT.parent / "shared" / "examples" / ".claude" / "agents"
NAMES = ["senior-backend-architect.md", "senior-backend-expert.md"]
TARGET_CLAUDE = Settings(targets=frozenset({"claude-code"}))


@pytest.mark.parametrize("name", NAMES)
def test_claude_loads_it_copilot_cli_drops_it(name: str) -> None:
    # the unquoted `: ` in `description`: Claude Code loads it through its quoting retry (a
    # portability warning), Copilot CLI, which reads `.claude/agents/` too, drops both examples
    # (tests/conformance/recordings/copilot-cli: examples/...)
    path = AGENTS / name
    a = analyze(str(path), path.read_text("utf-8"))
    claude = [f for f in own_findings(a) if f.severity == Severity.ERROR]
    assert not claude
    portability = [f for f in a.findings if f.code == "AGL100"]
    assert len(portability) == 1 and portability[0].severity == Severity.ERROR
    assert portability[0].data["by"] == {"claude-code": 2, "copilot-cli": 1}
    assert "Copilot CLI" in portability[0].message
    assert a.text[portability[0].span.start :].startswith("Use this agent when you need")
    line, _ = a.lines.position(portability[0].span.start)
    assert a.lines.line_text(line).startswith("description:")
    assert a.runtime_loaded and a.parse is not None and a.parse.mode == "retry"
    only_claude = analyze(str(path), path.read_text("utf-8"), TARGET_CLAUDE)
    assert not [f for f in only_claude.findings if f.severity == Severity.ERROR]
    assert [f.severity for f in only_claude.findings if f.code == "AGL100"] == [Severity.WARNING]
    verdicts = {r["runtime"]: r["verdict"] for r in verdict(a).runtimes}
    assert verdicts == {
        "claude-code": "loads",
        "copilot-cli": "skipped",
        "vscode": "loads",  # its parser reads the whole line as the value (g0105)
    }


def test_mojibake_only_in_the_expert() -> None:
    expert = AGENTS / "senior-backend-expert.md"
    a = analyze(str(expert), expert.read_text("utf-8"))
    moji = [f for f in a.findings if f.code == "AGL105"]
    assert [f.data["replacement"] for f in moji] == ["🔴", "🟠", "🟡"]
    architect = AGENTS / "senior-backend-architect.md"
    b = analyze(str(architect), architect.read_text("utf-8"))
    assert not [f for f in b.findings if f.code == "AGL105"]


def test_hover_shows_the_converted_description() -> None:
    path = AGENTS / "senior-backend-expert.md"
    text = path.read_text("utf-8")
    a = analyze(str(path), text)
    offset = text.index("Use this agent") + 10
    h = hover(a, offset)
    assert h is not None
    assert "What the agent receives" in h.markdown
    assert "\n<example>\nContext: User needs to design a REST API" in h.markdown
    assert "\\n" not in h.markdown.split("```text", 1)[1]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/examples is not present")
@pytest.mark.parametrize("name", NAMES)
def test_examples_are_byte_for_byte_copies(name: str) -> None:
    assert (AGENTS / name).read_bytes() == (SHARED / name).read_bytes()
