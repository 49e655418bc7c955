"""Property tests in process: any text, any cursor: no exception, every span inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentls.core.analysis import analyze
from agentls.core.complete import complete
from agentls.core.hover import hover
from agentls.core.links import links_in
from agentls.core.navigation import references_in
from agentls.core.settings import Settings
from agentls.core.versions import Version
from agentls.core.workspace import Index
from agentls.core.workspace_checks import Workspace, check

WORKSPACE = Workspace(Index(["/nonexistent"]), exists=lambda p: False)
WORKSPACE.index.ready = True

FRAGMENTS = [
    "---",
    "---\n",
    "\n",
    "\r\n",
    "\r",
    "name: ",
    "description: ",
    "tools: ",
    "model: ",
    "color: ",
    "hooks:\n  PreToolUse:\n    - hooks:\n        - type: command\n",
    "mcpServers:\n",
    "  - ",
    "Read",
    "Grepp",
    ", ",
    "Bash(git:*)",
    "mcp__x__*",
    "[",
    "]",
    "{",
    "}",
    ": ",
    " #",
    "'",
    '"',
    "|",
    ">",
    "&a ",
    "*a",
    "!!str ",
    "\t",
    "  ",
    "- ",
    "yes",
    "017",
    "\\n",
    "🚀",
    "é",
    "ðŸ”´",
    "\u2028",
    "\x00",
    "\x0c",
    "\ud800",
    "\ufeff",
    "<example>",
    "Context: x",
    "skills:\n",
    "agent: ",
    "handoffs:\n  - agent: ",
    "Agent(a, b)",
    "[t](",
    "](./x.md)",
    "[id]: ",
    "#file:",
    "@docs/a.md",
    "`",
    "```\n",
]
documents = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(
    "".join
)
versions = st.sampled_from(["2.0.76", "2.1.50", "2.1.100", "2.1.278"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents, version=versions, data=st.data())
def test_any_document(text: str, version: str, data: st.DataObject) -> None:
    path = data.draw(
        st.sampled_from(
            [
                ".claude/agents/a.md",
                "plugins/p/agents/b.md",
                ".claude/commands/c.md",
                ".github/prompts/p.prompt.md",
                ".github/agents/g.agent.md",
            ]
        )
    )
    a = analyze(path, text, Settings(claude_version=Version.parse(version)))
    for f in check(a, WORKSPACE):
        assert 0 <= f.span.start <= f.span.end <= len(text), f
    for link in links_in(a):
        assert 0 <= link.span.start <= link.span.end <= len(text)
    for ref in references_in(a):
        assert 0 <= ref.span.start <= ref.span.end <= len(text)
    for f in a.findings:
        assert 0 <= f.span.start <= f.span.end <= len(text), f
        assert f.message
    for offset in data.draw(st.lists(st.integers(0, len(text)), max_size=5)):
        for c in complete(a, offset):
            assert 0 <= c.replace.start <= c.replace.end <= len(text)
        h = hover(a, offset)
        if h is not None:
            assert 0 <= h.span.start <= h.span.end <= len(text)
