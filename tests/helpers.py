"""Shared test helpers: analyse a document and read findings back as (code, line, col) rows."""

from __future__ import annotations

from agentls.core.analysis import Analysis, analyze
from agentls.core.settings import Settings
from agentls.core.verdict import own_findings
from agentls.core.versions import Version

AGENT = ".claude/agents/demo.md"


def run(text: str, version: str | None = None, path: str = AGENT) -> Analysis:
    """The analysis as the file's own tool sees it (Claude Code for `.claude/`): the findings of
    the other runtimes that read the path (Copilot CLI reads `.claude/agents/`) are left out;
    tests/unit/test_runtimes.py covers those."""
    settings = Settings(claude_version=Version.parse(version)) if version else Settings()
    a = analyze(path, text, settings)
    a.findings = own_findings(a)
    return a


def doc(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}---\n{body}"


def rows(a: Analysis) -> list[tuple[str, int, int, int, int]]:
    """(code, line, col, end line, end col), 0-based code points."""
    out = []
    for f in a.findings:
        sl, sc = a.lines.position(f.span.start)
        el, ec = a.lines.position(f.span.end)
        out.append((f.code, sl, sc, el, ec))
    return out


def codes(a: Analysis) -> list[str]:
    return [f.code for f in a.findings]


def at(a: Analysis, code: str) -> list[str]:
    """The source text each finding of ``code`` points at."""
    return [a.text[f.span.start : f.span.end] for f in a.findings if f.code == code]
