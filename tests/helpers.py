"""Shared test helpers: analyse a document and read findings back as (code, line, col) rows."""

from __future__ import annotations

from agentls.core.analysis import Analysis, analyze
from agentls.core.settings import Settings
from agentls.core.versions import Version

AGENT = ".claude/agents/demo.md"


def run(text: str, version: str | None = None, path: str = AGENT) -> Analysis:
    settings = Settings(claude_version=Version.parse(version)) if version else Settings()
    return analyze(path, text, settings)


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
