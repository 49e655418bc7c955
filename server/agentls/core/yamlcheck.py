"""Explain a front-matter parse key by key (formats.md §3.6.1, §13).

The block is cut into top-level entries (a key line at column 0 and what follows it). Each entry
is parsed alone, strictly and then with Claude Code's retry, so that every broken key is found
(not only the first) and a tree can be recovered for checking the other keys even when the
runtime gives up on the whole block.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal, NamedTuple

from agentls.core.runtime import (
    RETRY_LINE,
    TAB_INDENT_SINCE,
    ClaudeParse,
    _wrapped,
    quote_retry,
)
from agentls.core.text import Span
from agentls.core.versions import Version
from agentls.core.yamltree import STR, ParseResult, YEntry, YMap, YScalar, parse, to_data

_KEY_LINE = re.compile(r"""(?:[A-Za-z_$@][\w.$@/-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?=[ \t\r]|$)""")

Kind = Literal[
    "needs-retry",  # strict YAML fails, Claude's retry repairs it (portability)
    "retry-alters",  # valid YAML, but the retry (run because of another line) changes the value
    "crlf-gap",  # the retry would repair it, but not with CRLF line endings
    "colon-old",  # only the 2.1.69 colon-space trigger repairs it
    "broken",  # fails even after the retry
]


class Problem(NamedTuple):
    kind: Kind
    span: Span
    key: str
    cause: str  # tab | inner-quotes | dash | continuation | syntax | ...
    detail: str  # YAML's message, or the altered value


class Explained:
    __slots__ = ("problems", "recovered", "root")

    def __init__(self, root: YMap | None) -> None:
        self.problems: list[Problem] = []
        self.root = root  # tree to check: the runtime's, or recovered entry by entry
        self.recovered = False


class _Chunk:
    """A top-level entry: its key line and the lines that follow it."""

    __slots__ = ("end", "first_line_end", "key", "start")

    def __init__(self, start: int, end: int, key: str, first_line_end: int) -> None:
        self.start = start  # offsets into the block text
        self.end = end
        self.key = key
        self.first_line_end = first_line_end


def _chunks(text: str) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    pos = 0
    for line in text.split("\n"):
        m = _KEY_LINE.match(line)
        if m:
            key = line[: m.end()].rstrip(" \t:").strip("\"'")
            chunks.append(_Chunk(pos, pos + len(line), key, pos + len(line)))
        elif chunks:
            chunks[-1].end = pos + len(line)
        pos += len(line) + 1
    return chunks


def _cause(text: str, chunk: _Chunk) -> str:
    body = text[chunk.start : chunk.end]
    lines = body.split("\n")
    if any(ln[: len(ln) - len(ln.lstrip(" \t"))].count("\t") for ln in lines[1:]) or "\t" in (
        lines[0].split(":", 1)[1][:1] if ":" in lines[0] else ""
    ):
        return "tab"
    m = RETRY_LINE.match(lines[0])
    value = m.group(2) if m else lines[0].split(":", 1)[-1].strip()
    if value[:1] in ("'", '"') and (_wrapped(value) or not value.rstrip().endswith(value[0])):
        return "inner-quotes"
    if value.startswith("- ") or value == "-":
        return "dash"
    if any(ln and not ln[0].isspace() for ln in lines[1:]):
        return "continuation"
    return "syntax"


def _entries(result: ParseResult) -> list[YEntry] | None:
    if result.ok and isinstance(result.root, YMap):
        return result.root.entries
    return None


def explain(
    parse_: ClaudeParse,
    text: str,
    base: int,
    version: Version,
    known_keys: Collection[str],
    *,
    retry: bool = True,
    raw: str | None = None,
) -> Explained:
    """Problems per top-level entry, and the tree the checks should read.

    ``retry``: the tool repairs lines as Claude Code does (§0.2 step 3, with the tab and U+2028
    handling of ``version``; ``raw`` is the block before cleaning); other tools do not, and
    every entry that fails alone is reported as broken.
    """
    out = Explained(parse_.root)
    if parse_.mode == "lines":
        return out
    if parse_.mode == "strict":
        return out
    colon = version >= Version(2, 1, 69)
    tabs = retry and version >= TAB_INDENT_SINCE
    if raw is None or len(raw) != len(text):
        raw = None
    retried = {r.key_span.start for r in parse_.retry.rewrites} if parse_.retry else set()
    recovered: list[YEntry] = []
    chunks = _chunks(text)
    after_prose = False
    for ch in chunks:
        if after_prose and ch.key not in known_keys:
            continue  # `Context: ...`-style lines of an unindented multi-line value above
        sub = text[ch.start : ch.end]
        sub_raw = raw[ch.start : ch.end] if raw is not None else None
        sbase = base + ch.start
        strict = parse(sub, sbase)
        entries = _entries(strict)
        key_span = Span(sbase, sbase + len(ch.key))
        if entries is not None:
            after_prose = False
            recovered.extend(entries)
            if parse_.mode == "failed" and sbase in retried:
                rr = parse(quote_retry(sub, sbase, colon, sub_raw, tabs).text, sbase)
                if not rr.ok:  # valid alone, broken by the retry another line needs
                    detail = rr.error.message if rr.error else "invalid YAML"
                    span = _value_span(sub, sbase, ch)
                    out.problems.append(Problem("broken", span, ch.key, "retry-breaks", detail))
                continue
            if parse_.mode == "retry" and sbase in retried:
                rr = parse(quote_retry(sub, sbase, colon, sub_raw, tabs).text, sbase)
                before, after = to_data(strict.root), to_data(rr.root)
                if rr.ok and isinstance(after, dict) and before != after:
                    e = entries[0]
                    out.problems.append(
                        Problem(
                            "retry-alters",
                            e.value.span,
                            ch.key,
                            "retry",
                            str(next(iter(after.values()), "")),
                        )
                    )
            continue
        value_span = _value_span(sub, sbase, ch)
        if strict.error is not None and strict.error.message.startswith("found undefined alias"):
            # refers to an anchor in another entry: only the whole block can judge it
            recovered.append(_raw_entry(sub, sbase, ch, key_span, value_span))
            continue
        rres = None
        if retry:
            rewritten = quote_retry(sub, sbase, colon, sub_raw, tabs)
            if rewritten.rewrites or rewritten.detabbed:
                rres = parse(rewritten.text, sbase, rewritten.remap)
        if rres is not None and (ents := _entries(rres)) is not None:
            after_prose = False
            recovered.extend(ents)
            out.problems.append(
                Problem(
                    "needs-retry",
                    value_span,
                    ch.key,
                    "tab" if _cause(text, ch) == "tab" else "retry",
                    strict.error.message if strict.error else "",
                )
            )
            continue
        lf = sub.replace("\r\n", "\n")
        kind: Kind = "broken"
        if retry and lf != sub and _retry_ok(lf, sbase, colon):
            kind = "crlf-gap"
        elif retry and not colon and _retry_ok(lf, sbase, True):
            kind = "colon-old"
        err = rres.error if rres is not None and rres.error else strict.error
        detail = err.message if err else "invalid YAML"
        cause = _cause(text, ch) if kind == "broken" else kind
        span = value_span
        first_line = base + ch.start <= (err.offset if err else -1) <= base + ch.first_line_end
        if (
            kind == "broken"
            and err is not None
            and cause in ("syntax", "continuation")
            and not (first_line)
        ):
            span = _line_span_at(text, base, err.offset, value_span)
        out.problems.append(Problem(kind, span, ch.key, cause, detail))
        recovered.append(_raw_entry(sub, sbase, ch, key_span, value_span))
        after_prose = kind == "broken" and cause == "continuation"
    if parse_.mode == "failed":
        start = base
        root = YMap(Span(start, base + len(text)), False)
        root.entries = recovered
        seen: dict[str, YEntry] = {}
        for e in recovered:
            k = e.key_text
            if k in seen:
                root.duplicates.append((seen[k], e))
            else:
                seen[k] = e
        out.root, out.recovered = root, True
    return out


def _retry_ok(sub: str, base: int, colon: bool) -> bool:
    r = quote_retry(sub, base, colon)
    return bool(r.rewrites) and _entries(parse(r.text, base, r.remap)) is not None


def _value_span(sub: str, sbase: int, ch: _Chunk) -> Span:
    first = sub[: ch.first_line_end - ch.start]
    colon = first.find(":", len(ch.key))
    if colon < 0:
        return Span(sbase, sbase + len(first.rstrip()))
    rest = first[colon + 1 :]
    start = colon + 1 + (len(rest) - len(rest.lstrip()))
    end = len(first.rstrip())
    if end <= start:
        return Span(sbase, sbase + len(ch.key))
    return Span(sbase + start, sbase + end)


def _line_span_at(text: str, base: int, offset: int, fallback: Span) -> Span:
    rel = offset - base
    if not 0 <= rel <= len(text):
        return fallback
    ls = text.rfind("\n", 0, rel) + 1
    le = text.find("\n", rel)
    le = len(text) if le < 0 else le
    line = text[ls:le].rstrip("\r")
    s = ls + (len(line) - len(line.lstrip()))
    e = ls + len(line.rstrip())
    if e <= s:
        return fallback
    return Span(base + s, base + e)


def _raw_entry(sub: str, sbase: int, ch: _Chunk, key_span: Span, value_span: Span) -> YEntry:
    """Best-effort entry for a line no parser accepts: the key and the rest of its line."""
    key = YScalar(key_span, ch.key, ch.key, None, STR)
    raw = sub[value_span.start - sbase : value_span.end - sbase]
    if value_span == key_span:
        raw = ""
    val = YScalar(value_span, raw, raw, "raw", STR)
    return YEntry(key, val)
