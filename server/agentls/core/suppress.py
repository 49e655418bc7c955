"""Suppressions: a comment that silences one finding, with a reason (docs/rules.md, AGL900).

In the front matter, a YAML comment on a line of its own::

    # agentls: ignore AGL200 -- read by our own tooling
    x-team: platform

applies to the next line that is not itself a suppression (so several can stack);
``# agentls: ignore-file AGL200, AGL401 -- reason`` anywhere in the front matter applies to the
whole file. Blank lines between a suppression and its line are skipped. In the body, an HTML
comment (outside fenced code)::

    <!-- agentls-ignore-next-line AGL105 -- quoted from the vendor's page -->
    <!-- agentls-ignore-file AGL603 -- reason -->

A trailing comment (``key: value  # agentls: ignore ...``) is not read: when Claude Code's
quoting retry runs it can make the comment part of the value, so the suppression would change
what the runtime reads. A suppression only hides the finding from ``check`` and the editor's
diagnostics; the runtime does the same, the hover still says it, and ``agentls check
--no-suppressions`` shows everything. A finding matches when its code is listed and it starts
on the target line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from agentls.core.codes import CODES
from agentls.core.findings import Finding
from agentls.core.text import LineIndex, Span

if TYPE_CHECKING:
    from agentls.core.analysis import Analysis

UNUSED = "AGL900"
NO_REASON = "AGL901"
# findings of the workspace checks (core/workspace_checks.py): a suppression of one of these is
# judged only where those checks ran (``suppress_workspace``)
WORKSPACE_CODES = frozenset(c for c in CODES if c.startswith("AGL8"))

_YAML = re.compile(r"[ \t]*#[ \t]*agentls:[ \t]*(ignore-file|ignore)(?![\w-])(.*)")
_HTML = re.compile(r"<!--[ \t]*agentls-ignore-(next-line|file)(?![\w-])(.*?)-->")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


class Suppression(NamedTuple):
    span: Span  # the directive (the comment), where its own findings go
    codes: tuple[str, ...]
    reason: str
    line: int | None  # the 0-based line it applies to; None: the whole file
    form: str  # "yaml" or "html"


def _parse_rest(rest: str) -> tuple[tuple[str, ...], str, bool]:
    """``" AGL200, AGL401 -- reason"`` -> (codes, reason, well formed)."""
    head, dashes, reason = rest.partition("--")
    tokens = [t for t in re.split(r"[\s,]+", head) if t]
    codes = tuple(t.upper() for t in tokens)
    ok = bool(codes) and all(_CODE.fullmatch(t) for t in tokens)
    return codes, reason.strip() if dashes else "", ok


def parse(a: Analysis) -> tuple[tuple[Suppression, ...], list[Finding]]:
    """The suppressions written in the file, and findings for directives that cannot work."""
    text = a.text
    if "agentls" not in text:
        return (), []
    lines = a.lines
    found: list[Suppression] = []
    bad: list[Finding] = []
    pending: list[tuple[Span, tuple[str, ...], str, str]] = []  # waiting for their line

    def directive(line: int, m: re.Match[str], form: str) -> None:
        start = lines.line_start(line) + m.start()
        span = Span(start, start + len(m.group(0).rstrip()))
        codes, reason, ok = _parse_rest(m.group(2))
        if not ok:
            bad.append(
                Finding(
                    UNUSED,
                    CODES[UNUSED].severity,
                    span,
                    "This suppression names no finding code (`AGL200`, several separated by "
                    "commas): it suppresses nothing. Write the codes, then `-- reason`.",
                )
            )
            return
        if m.group(1).endswith("file"):
            found.append(Suppression(span, codes, reason, None, form))
        else:
            pending.append((span, codes, reason, form))

    def target(line: int) -> None:
        for span, codes, reason, form in pending:
            found.append(Suppression(span, codes, reason, line, form))
        pending.clear()

    block = a.block
    body_from = 0
    if block is not None:
        first, _ = lines.position(block.content.start)
        last, _ = lines.position(block.content.end)
        body_from = block.body_start
        for line in range(first, min(last + 1, lines.line_count)):
            if lines.line_start(line) >= block.content.end:
                break
            m = _YAML.match(lines.line_text(line))
            if m is not None and not in_value(a, lines.line_start(line)):
                directive(line, m, "yaml")
            elif pending and lines.line_text(line).strip():
                target(line)
        if pending:  # the closing `---` line
            target(last)
    fence: str | None = None
    first_body = lines.position(body_from)[0] if body_from else 0
    for line in range(first_body, lines.line_count):
        if lines.line_start(line) < body_from:
            continue
        s = lines.line_text(line)
        fence, is_fence = _fence(s, fence)
        if is_fence:
            if pending:
                target(line)
            continue
        if fence is not None:
            continue
        matches = list(_HTML.finditer(s))
        if matches:
            for m in matches:
                directive(line, m, "html")
        elif pending and s.strip():
            target(line)
    for span, _codes, _reason, _form in pending:  # at the end of the file: nothing follows
        bad.append(
            Finding(
                UNUSED,
                CODES[UNUSED].severity,
                span,
                "Nothing follows this suppression: move it to the line before the finding, "
                "or remove it.",
            )
        )
    return tuple(found), bad


def in_value(a: Analysis, offset: int) -> bool:
    """Whether ``offset`` is inside a value's text (a block or quoted scalar's line that looks
    like a comment is part of the value the runtime reads, not a comment)."""
    from agentls.core.yamltree import YScalar, trim_end, walk

    if a.root is None:
        return False
    return any(
        isinstance(n, YScalar) and n.span.start < offset < trim_end(a.text, n.span).end
        for n in walk(a.root)
    )


def _fence(s: str, fence: str | None) -> tuple[str | None, bool]:
    """(the open fence after line ``s``, whether ``s`` opens or closes one)."""
    f = _FENCE.match(s)
    if f is None:
        return fence, False
    mark = f.group(1)
    if fence is None:
        return mark, True
    if mark[0] == fence[0] and len(mark) >= len(fence) and not s.strip()[len(mark) :]:
        return None, True
    return fence, False


def in_code(a: Analysis, line: int) -> bool:
    """Whether body line ``line`` is a fence or inside fenced code (a directive is not read)."""
    lines = a.lines
    start = lines.position(a.block.body_start)[0] if a.block is not None else 0
    fence: str | None = None
    for n in range(start, line + 1):
        fence, is_fence = _fence(lines.line_text(n), fence)
        if n == line:
            return is_fence or fence is not None
    return False


def apply(
    sups: Iterable[Suppression],
    findings: Iterable[Finding],
    lines: LineIndex,
    used: set[tuple[int, str]],
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """(kept, suppressed); ``used`` collects the (suppression index, code) pairs that matched."""
    sups = tuple(sups)
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for f in findings:
        line = None
        hit = None
        for i, s in enumerate(sups):
            if f.code not in s.codes:
                continue
            if s.line is not None:
                if line is None:
                    line = lines.position(f.span.start)[0]
                if line != s.line:
                    continue
            hit = (i, s)
            used.add((i, f.code))
        if hit is None:
            kept.append(f)
        else:
            s = hit[1]
            hidden.append(f._replace(data={**f.data, "suppressed": s.reason or True}))
    return tuple(kept), tuple(hidden)


def judge(
    sups: tuple[Suppression, ...], used: set[tuple[int, str]], workspace: bool
) -> list[Finding]:
    """Findings for suppressions that match nothing (codes of the workspace checks only when
    ``workspace``: those checks ran) and for suppressions without a reason."""
    out: list[Finding] = []
    for i, s in enumerate(sups):
        stale = [c for c in s.codes if (i, c) not in used and (c in WORKSPACE_CODES) == workspace]
        if stale:
            unknown = [c for c in stale if c not in CODES]
            known = [c for c in stale if c in CODES]
            parts = []
            if known:
                where = "in this file" if s.line is None else "on the line it applies to"
                parts.append(f"no {', '.join(known)} finding {where}")
            if unknown:
                verb = "is not an agentls code" if len(unknown) == 1 else "are not agentls codes"
                parts.append(f"{', '.join(unknown)} {verb}")
            why = "; ".join(parts)
            out.append(
                Finding(
                    UNUSED,
                    CODES[UNUSED].severity,
                    s.span,
                    f"Unused suppression: {why}. Remove "
                    + ("it" if len(stale) == len(s.codes) else ", ".join(stale))
                    + ".",
                    {"stale": stale, "remove": len(stale) == len(s.codes)},
                )
            )
        if not s.reason and not workspace:
            out.append(
                Finding(
                    NO_REASON,
                    CODES[NO_REASON].severity,
                    s.span,
                    "This suppression gives no reason: add one after `--` "
                    f"(`{' '.join(s.codes)} -- why the finding does not apply`).",
                )
            )
    return out


def suppress_file(a: Analysis) -> list[Finding]:
    """Apply the file's suppressions to ``a.findings`` (in place); return the new findings
    about the suppressions themselves (not yet through the severity settings)."""
    sups, bad = parse(a)
    a.suppressions = sups
    if not sups:
        return bad
    used: set[tuple[int, str]] = set()
    a.findings, a.suppressed = apply(sups, a.findings, a.lines, used)
    a.suppression_used = frozenset(used)
    return bad + judge(sups, used, workspace=False)


def suppress_workspace(a: Analysis, found: tuple[Finding, ...]) -> list[Finding]:
    """The workspace checks' findings for ``a`` with its suppressions applied, and the unused
    suppressions of workspace codes."""
    if not a.suppressions:
        return list(found)
    used = set(a.suppression_used)
    kept, _hidden = apply(a.suppressions, found, a.lines, used)
    return [*kept, *judge(a.suppressions, used, workspace=True)]


def directive_text(form: str, codes: Iterable[str], file: bool) -> str:
    joined = ", ".join(codes)
    if form == "yaml":
        return f"# agentls: {'ignore-file' if file else 'ignore'} {joined}"
    return f"<!-- agentls-ignore-{'file' if file else 'next-line'} {joined} -->"
