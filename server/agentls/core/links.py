"""File references in the body: Markdown links, VS Code's `#file:` and Claude Code's `@path`.

Found outside fenced code blocks and inline code. Which syntax a dialect reads:
* Markdown links `[t](path)` (and reference definitions `[id]: path`): every dialect; VS Code
  resolves them as file references and warns on a missing file (formats.md §7.2).
* `#file:path`: the VS Code and GitHub dialects (§7.2).
* `@path`: Claude Code commands and skills include the file's contents (§5, body syntax).

No I/O here: :func:`candidates` gives the paths a target may mean; the caller checks them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import unquote

from agentls.core.analysis import Analysis
from agentls.core.dialects.body import prose_spans
from agentls.core.text import Span

VSCODE = frozenset(
    {"vscode-agent", "github-agent", "vscode-prompt", "vscode-instructions", "vscode-chatmode"}
)
INCLUDES = frozenset({"claude-command", "claude-skill"})
MAX_LINKS = 500  # per document: a bound on work and on file-system checks

# `](target)` ends an inline link or image; its text is not validated (a fast literal anchor)
_MD_LINK = re.compile(
    r"\]\([ \t]*(<[^<>\n]*>|[^\s()<>]+(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*\)"
)
# Each pattern starts with a literal so that the scan is fast; what must come before the match
# (a line start for a reference definition, a space for `@path`) is checked in `_scan`.
_MD_START = re.compile(r"\][(:]")  # where an inline link or a reference definition may be
_MD_DEF = re.compile(r"\]:[ \t]*(<[^<>\n]*>|[^\s\[]\S*)")
_DEF_LINE = re.compile(r" {0,3}\[[^\]\n]+")
_FILE_REF = re.compile(r"#file:([^\s`'\"()\[\]<>]+)")
_INCLUDE = re.compile(r"@([A-Za-z0-9_.~/][^\s`'\"()\[\]<>,;]*)")
# pattern, link kind, the characters that may come right before it, the dialects that read it,
# the literal it starts with
_PREFIXED = (
    (_FILE_REF, "file", "([*_", VSCODE, "#file:"),
    (_INCLUDE, "include", "(", INCLUDES, "@"),
)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HAS_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}$")
_TRAILING = ".,;:!?"


class Link(NamedTuple):
    span: Span  # the target as written (without `<>`, the `#file:` or `@` prefix)
    target: str  # decoded path, without a `#fragment` or `?query`
    kind: str  # "markdown" | "file" | "include"


def _target(raw: str) -> str | None:
    """The file path a link target names, or None for URLs, anchors and templates."""
    if not raw or raw.startswith(("#", "//")) or _SCHEME.match(raw):
        return None
    if any(c in raw for c in ("{", "}", "<", ">", "$", "*")):
        return None  # a template, a placeholder or a glob, not one file
    path = re.split(r"[#?]", raw, maxsplit=1)[0]
    return unquote(path) or None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


def links_in(a: Analysis) -> list[Link]:
    """File references in the body of ``a``, in document order (at most ``MAX_LINKS``)."""
    if a.dialect is None:
        return []
    dialect = a.dialect.dialect
    text = a.text
    start = a.block.body_start if a.block is not None else 0
    # each syntax has a literal (`](`, `]:`, `#file:`, `@`): a body without it has none of them
    # (`]` first: a one-character find is many times faster than a two-character one)
    markdown = (i := text.find("]", start)) >= 0 and _MD_START.search(text, i) is not None
    prefixed = tuple(p for p in _PREFIXED if dialect in p[3] and text.find(p[4], start) >= 0)
    if not markdown and not prefixed:
        return []
    out: list[Link] = []
    for lo, hi in prose_spans(text, start):
        code: list[tuple[int, int]] | None = None  # inline code, found only when needed
        for link in _scan(text, lo, hi, markdown, prefixed):
            if code is None:
                code = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text, lo, hi)]
            if not any(c0 <= link.span.start < c1 for c0, c1 in code):
                out.append(link)
                if len(out) >= MAX_LINKS:
                    return sorted(out, key=lambda k: k.span.start)
    return sorted(out, key=lambda k: k.span.start)


def _after(text: str, pos: int, allowed: str) -> bool:
    """Whether ``pos`` starts the text or follows a whitespace or ``allowed`` character."""
    return pos == 0 or text[pos - 1].isspace() or text[pos - 1] in allowed


def _scan(
    text: str,
    lo: int,
    hi: int,
    markdown: bool,
    prefixed: tuple[tuple[re.Pattern[str], str, str, frozenset[str], str], ...],
) -> Iterator[Link]:
    """Links in ``text[lo:hi]``: Markdown ones when ``markdown``, then the ``prefixed`` kinds."""
    for pattern in (_MD_LINK, _MD_DEF) if markdown else ():
        for m in pattern.finditer(text, lo, hi):
            if pattern is _MD_DEF:
                line = text.rfind("\n", 0, m.start()) + 1
                if not _DEF_LINE.fullmatch(text, line, m.start()):
                    continue  # `[id]: target` must start its line
            s, e = m.start(1), m.end(1)
            if text[s] == "<":
                s, e = s + 1, e - 1
            target = _target(text[s:e])
            if target is not None:
                yield Link(Span(s, e), target, "markdown")
    for pattern, kind, after, _, _ in prefixed:
        for m in pattern.finditer(text, lo, hi):
            if not _after(text, m.start(), after):
                continue  # `user@example.com` is not an include, `a#file:` not a reference
            s, e = _strip(text, m.start(1), m.end(1))
            target = _target(text[s:e])
            if target is not None and (kind == "file" or "/" in target or "." in target):
                yield Link(Span(s, e), target, kind)


def candidates(link: Link, path: str | None, roots: list[str]) -> list[str]:
    """The absolute paths ``link`` may name: relative to the file's folder, then to each root.

    Markdown links resolve against the file's folder (a leading `/` against the workspace
    root); `#file:` and `@path` are also tried against the workspace roots (Claude Code
    resolves `@path` from its working directory, the project root).
    """
    target = link.target
    if target.startswith("~"):
        return [os.path.expanduser(target)]
    if os.path.isabs(target) and not target.startswith("/"):
        return [target]  # a Windows drive path
    here = os.path.dirname(path) if path else None
    out: list[str] = []
    if target.startswith("/"):
        out.extend(os.path.join(r, target.lstrip("/")) for r in roots)
        out.append(target)
        return out
    if here is not None:
        out.append(os.path.normpath(os.path.join(here, target)))
    if link.kind != "markdown" or here is None:
        out.extend(os.path.normpath(os.path.join(r, target)) for r in roots)
    return out


def looks_like_file(link: Link) -> bool:
    """Whether a missing target is worth reporting: a path with a folder or a file extension
    (`[text](URL)` is a placeholder); for `@path` only with an extension (`@scope/package`
    or `@someone` are not files)."""
    if _HAS_EXTENSION.search(link.target):
        return True
    return link.kind != "include" and "/" in link.target
