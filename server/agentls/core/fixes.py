"""Fixes for findings: a registry keyed by code (design.md §2), read by code actions and the CLI.

A fix is a list of text edits on code-point spans. ``safe`` fixes keep what the tool reads (or
only repair text that was clearly garbled) and are applied by ``agentls check --fix`` and the
editor's "fix all"; the others are offered one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.findings import Finding
from agentls.core.text import Span


class Edit(NamedTuple):
    span: Span
    text: str


class Fix(NamedTuple):
    title: str
    edits: tuple[Edit, ...]
    safe: bool
    finding: Finding


Fixer = Callable[[Analysis, Finding], list[Fix]]
FIXERS: dict[str, Fixer] = {}


def fixer(*codes: str) -> Callable[[Fixer], Fixer]:
    def register(fn: Fixer) -> Fixer:
        for code in codes:
            FIXERS[code] = fn
        return fn

    return register


def quote(value: str) -> str:
    """Double-quote a value exactly as Claude Code's retry does, so it reads the same text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@fixer("AGL100", "AGL011", "AGL012")
def _quote_value(a: Analysis, f: Finding) -> list[Fix]:
    value = a.text[f.span.start : f.span.end]
    if not value or "\n" in value or value.startswith(("'", '"', "|", ">")):
        return []
    fixes = [
        Fix(
            f"Quote the value of `{f.data.get('key', 'this key')}`",
            (Edit(f.span, quote(value)),),
            True,
            f,
        )
    ]
    if f.code == "AGL011":
        fixes.append(_to_lf(a, f))
    return fixes


def _to_lf(a: Analysis, f: Finding) -> Fix:
    edits = []
    pos = a.text.find("\r\n")
    while pos >= 0:
        edits.append(Edit(Span(pos, pos + 2), "\n"))
        pos = a.text.find("\r\n", pos + 2)
    return Fix("Convert the file to LF line endings", tuple(edits), False, f)


@fixer("AGL105")
def _mojibake(a: Analysis, f: Finding) -> list[Fix]:
    good = f.data.get("replacement")
    if not good:
        return []
    return [Fix(f"Replace with `{good}`", (Edit(f.span, str(good)),), True, f)]


@fixer("AGL705", "AGL706")
def _quoted(a: Analysis, f: Finding) -> list[Fix]:
    repl = f.data.get("replacement")
    if not repl:
        return []
    return [
        Fix(f"Quote `{a.text[f.span.start : f.span.end]}`", (Edit(f.span, str(repl)),), True, f)
    ]


@fixer("AGL200", "AGL207", "AGL301", "AGL303", "AGL306", "AGL401", "AGL501", "AGL605")
def _suggestion(a: Analysis, f: Finding) -> list[Fix]:
    repl = f.data.get("suggestion")
    if not repl:
        return []
    old = a.text[f.span.start : f.span.end]
    if old == repl:
        return []
    # a change of case only, or a deprecated key's documented successor, keeps the intent
    safe = (f.code == "AGL401" and old.lower() == str(repl).lower()) or f.code == "AGL207"
    what = "key" if f.code in ("AGL200", "AGL207") else "value"
    return [Fix(f"Change the {what} to `{repl}`", (Edit(f.span, str(repl)),), safe, f)]


@fixer("AGL013")
def _drop_duplicate(a: Analysis, f: Finding) -> list[Fix]:
    """Remove the repeated key's line (and its indented continuation lines)."""
    lines = a.lines
    line, _ = lines.position(f.span.start)
    start = lines.line_start(line)
    end_line = line + 1
    while end_line < lines.line_count and lines.line_text(end_line)[:1] in (" ", "\t"):
        end_line += 1
    end = lines.line_start(end_line) if end_line < lines.line_count else len(a.text)
    return [Fix("Remove this repeated key", (Edit(Span(start, end), ""),), False, f)]


def fixes_for(a: Analysis, findings: Iterable[Finding] | None = None) -> list[Fix]:
    out: list[Fix] = []
    for f in a.findings if findings is None else findings:
        fn = FIXERS.get(f.code)
        if fn is not None:
            out.extend(fn(a, f))
    return out


def select(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes whose edits do not overlap those of an earlier fix (first come, first kept)."""
    taken: list[Span] = []
    out: list[Fix] = []
    for fix in fixes:
        if any(
            (e.span.start < t.end and t.start < e.span.end) or e.span == t
            for e in fix.edits
            for t in taken
        ):
            continue
        taken.extend(e.span for e in fix.edits)
        out.append(fix)
    return out


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping fixes; returns (new text, number of fixes applied)."""
    chosen = select(fixes)
    edits = sorted(
        (e for fix in chosen for e in fix.edits), key=lambda e: e.span.start, reverse=True
    )
    for e in edits:
        text = text[: e.span.start] + e.text + text[e.span.end :]
    return text, len(chosen)
