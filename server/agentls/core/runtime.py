"""Emulation of how Claude Code reads front matter (formats.md §0.2, §3.6).

* >= 2.1.0: strict YAML 1.2 parse; if it throws, the quoting retry; if that throws too, the
  metadata is empty and the agent is skipped.
* <= 2.0.76: no YAML; each line is cut at its first ':' (all values are strings).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal, NamedTuple

from agentls.core.text import Span
from agentls.core.versions import Version
from agentls.core.yamltree import (
    STR,
    Memo,
    ParseResult,
    Remap,
    YamlError,
    YEntry,
    YMap,
    YScalar,
    YSeq,
    parse,
)

# Claude Code's retry line pattern `^([a-zA-Z_-]+):\s+(.+)$` with JavaScript semantics:
# `.` stops at \n \r \u2028 \u2029 and `$` (no m flag) is the end of the line string.
_JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
RETRY_LINE = re.compile(r"([a-zA-Z_-]+):[" + _JS_WS + r"]+([^\n\r\u2028\u2029]+)\Z")
TRIGGER_CHARS = frozenset("{}[]*&#!|>%@`")
COLON_TRIGGER_SINCE = Version.parse("2.1.69")
YAML_SINCE = Version.parse("2.1.0")
# Version gates of the parse (issue 10; each one constant, to move when bisected exactly):
# the native build (Bun.YAML) keeps the last of repeated keys and applies `<<` merge keys
DUPLICATE_KEYS_SINCE = Version.parse("2.1.113")
MERGE_KEYS_SINCE = Version.parse("2.1.113")
# the retry also turns each tab that starts a line into two spaces (bisected: 2.1.162 rejects
# tab indentation, 2.1.163 loads it). Only the retry: a block with tabs loads through it.
TAB_INDENT_SINCE = Version.parse("2.1.163")
# a NUL anywhere in the block fails the parse ("Unexpected character"), the retry too
# (bisected: 2.1.228 loads, 2.1.229 fails)
NUL_FAILS_SINCE = Version.parse("2.1.229")
# the native builds from 2.1.113 bundle an older Bun.YAML, replaced in 2.1.181 (bisected on
# a0340, a0030, a0011, a0373: 2.1.179 has the quirks, 2.1.181 not): `old_bun_quirks`
NEW_BUN_YAML_SINCE = Version.parse("2.1.181")


def has_trigger(value: str, colon_space: bool) -> bool:
    return any(c in TRIGGER_CHARS for c in value) or (colon_space and ": " in value)


def _wrapped(value: str) -> bool:
    return (value.startswith('"') and value.endswith('"')) or (
        value.startswith("'") and value.endswith("'")
    )


class Rewrite(NamedTuple):
    """One line the retry rewrote: ``key: "<escaped value>"``."""

    key: str
    key_span: Span  # document offsets of the original key
    value_span: Span  # document offsets of the original value (to the end of the line)
    value: str  # original value text


class Retry(NamedTuple):
    text: str
    rewrites: list[Rewrite]
    remap: Remap
    detabbed: bool = False  # some line started with tabs, now spaces


def _flow_list(value: str) -> bool:
    """The retry leaves a value alone that is a whole flow list (`[a, b]`) it can parse."""
    if not (value.startswith("[") and value.endswith("]")):
        return False
    r = parse(value)
    return r.error is None and isinstance(r.root, YSeq)


def quote_retry(
    text: str, base: int, colon_space: bool, raw: str | None = None, tabs: bool = False
) -> Retry:
    """Claude Code's retry (§0.2 step 3) over ``text`` (located at ``base`` in the document).

    ``raw``: the same block before cleaning for the parser (same length); its lines decide
    which lines the retry's pattern matches (its `.` stops at U+2028 and U+2029).
    ``tabs``: then each tab at the start of a line becomes two spaces (from 2.1.199).
    """
    out: list[str] = []
    rewrites: list[Rewrite] = []
    # anchors: (new offset, old offset, kind) — kind 0: shift, 1: inside a rewritten value
    anchors_new: list[int] = [0]
    anchors: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)]  # new, old, old_end_of_value, kind
    new_pos = 0
    old_pos = 0
    detabbed = False
    raw_lines = raw.split("\n") if raw is not None and len(raw) == len(text) else None
    for i, line in enumerate(text.split("\n")):
        m = RETRY_LINE.match(line)
        if m and raw_lines is not None and not RETRY_LINE.match(raw_lines[i]):
            m = None
        if (
            m
            and not _wrapped(m.group(2))
            and has_trigger(m.group(2), colon_space)
            and not _flow_list(m.group(2))
        ):
            key, value = m.group(1), m.group(2)
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            new_line = f'{key}: "{escaped}"'
            v_old = old_pos + m.start(2)
            v_new = new_pos + len(key) + 2
            rewrites.append(
                Rewrite(
                    key,
                    Span(base + old_pos, base + old_pos + len(key)),
                    Span(base + v_old, base + old_pos + len(line)),
                    value,
                )
            )
            anchors_new.append(v_new)
            anchors.append((v_new, v_old, old_pos + len(line), 1))
            anchors_new.append(new_pos + len(new_line))
            anchors.append((new_pos + len(new_line), old_pos + len(line), 0, 0))
            out.append(new_line)
            new_pos += len(new_line) + 1
        elif tabs and line.startswith("\t"):
            n = len(line) - len(line.lstrip("\t"))
            detabbed = True
            anchors_new.append(new_pos)
            anchors.append((new_pos, old_pos, 0, 2))
            anchors_new.append(new_pos + 2 * n)
            anchors.append((new_pos + 2 * n, old_pos + n, 0, 0))
            out.append("  " * n + line[n:])
            new_pos += len(line) + n + 1
        else:
            out.append(line)
            new_pos += len(line) + 1
        old_pos += len(line) + 1

    def remap(i: int) -> int:
        k = bisect_right(anchors_new, i) - 1
        new, old, old_end, kind = anchors[k]
        if kind == 1:
            return base + min(old + max(0, i - new - 1), old_end)
        if kind == 2:  # inside tabs turned into spaces: two columns per tab
            return base + old + (i - new) // 2
        return base + old + (i - new)

    return Retry("\n".join(out), rewrites, remap, detabbed)


_TAB_KEY = re.compile(r"(\t[\t ]*)([^\s#\-?:'\"\[{][^:\n]*:(?:[ \t]|$))")
_QUESTION_VALUE = re.compile(r"[^\s#'\"][^:\n]*:[ \t]+(\?)(?:[ \t]|$)")
_INDENT_INDICATOR = re.compile(r"(?:^|[ \t])([|>])([+-]?)([1-9])([+-]?)[ \t]*(?:#.*)?$")


class Quirks(NamedTuple):
    """A block rewritten so that a YAML 1.2 parser reads it as 2.1.113-2.1.179's Bun.YAML."""

    text: str
    moved: dict[int, int]  # line start (new text) -> tabs moved from the start to the end
    error: YamlError | None = None

    def remap(self, outer: Remap) -> Remap:
        """Offsets in ``text`` to document offsets, through ``outer`` (offsets of the input)."""
        if not self.moved:
            return outer
        starts = sorted(self.moved)
        ends = {s: self.text.find("\n", s) % (len(self.text) + 1) for s in starts}

        def remap(i: int) -> int:
            k = bisect_right(starts, i) - 1
            if k >= 0:
                s = starts[k]
                n, end = self.moved[s], ends[s]
                if s <= i < end - n:
                    return outer(i + n)
                if end - n <= i < end:
                    return outer(s + (i - (end - n)))
            return outer(i)

        return remap


def old_bun_quirks(text: str, base: int) -> Quirks:
    """How the Bun.YAML of the native builds before 2.1.181 differs from YAML 1.2 (observed on
    2.1.179, docs/errata.md), as a rewrite of the block for a YAML 1.2 parser:

    * a line that starts with a tab and holds a key is a top-level key when the line above ends
      in a plain value or a block (after a quoted or flow value or a comment it fails the parse,
      as in YAML 1.2): the tabs move to the end of the line;
    * ``key: ? text`` reads as ``key: text`` (``key: ?`` as an empty value);
    * a block scalar's indentation indicator (``>2``) is ignored: the indentation is detected;
    * an explicit key (``? k``) followed by a ``:`` line fails the parse ("Multiline implicit
      key").
    """
    lines = text.split("\n")
    out: list[str] = []
    moved: dict[int, int] = {}
    pos = 0
    prev = ""  # the last non-blank line seen (as rewritten)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if line.startswith("?") and line[1:2] in ("", " ", "\t"):
            nxt = next((x for x in lines[i + 1 :] if x.strip()), "")
            if nxt.startswith(":") and nxt[1:2] in ("", " ", "\t"):
                err = YamlError("Multiline implicit key", base + pos, "syntax")
                return Quirks(text, {}, err)
        m = _TAB_KEY.match(line)
        if m and _plain_end(prev):
            n = len(m.group(1))
            line = line[n:] + m.group(1)
            moved[pos] = n
        elif q := _QUESTION_VALUE.match(line):
            line = line[: q.start(1)] + " " + line[q.end(1) :]
        if ind := _INDENT_INDICATOR.search(line):
            header = ind.group(1) + ind.group(2) + ind.group(4)
            line = line[: ind.start(1)] + header + " " + line[ind.end(4) :]
        out.append(line)
        if stripped:
            prev = line
        pos += len(line) + 1
    return Quirks("\n".join(out), moved)


def _plain_end(line: str) -> bool:
    """Whether a tab-started key after ``line`` is read as a key by the old Bun.YAML: not after
    a comment, a quoted scalar or a flow collection."""
    s = line.rstrip()
    if not s:
        return True
    if s.lstrip().startswith("#") or " #" in s or "\t#" in s:
        return False
    return s[-1] not in "\"']}:|>"


def split_lines_parse(text: str, base: int) -> YMap:
    """Claude Code <= 2.0.76: each line cut at its first ':'; quotes stripped; last key wins."""
    root = YMap(Span(base, base + len(text)), False)
    pos = 0
    for line in text.split("\n"):
        colon = line.find(":")
        if colon > 0:
            raw_key = line[:colon]
            key = raw_key.strip()
            rest = line[colon + 1 :]
            value = rest.strip()
            v_start = pos + colon + 1 + (len(rest) - len(rest.lstrip()))
            if value[:1] in ("'", '"'):
                value = value[1:]
                v_start += 1
            if value[-1:] in ("'", '"'):
                value = value[:-1]
            if key:
                k_start = pos + len(raw_key) - len(raw_key.lstrip())
                k = YScalar(Span(base + k_start, base + k_start + len(key)), key, key, None, STR)
                v = YScalar(
                    Span(base + v_start, base + v_start + len(value)), value, value, None, STR
                )
                existing = root.get(key)
                if existing is not None:
                    root.entries.remove(existing)
                root.entries.append(YEntry(k, v))
        pos += len(line) + 1
    return root


Mode = Literal["strict", "retry", "failed", "lines"]


class ClaudeParse(NamedTuple):
    """What Claude Code makes of a front-matter block."""

    mode: Mode
    strict: ParseResult  # the strict YAML 1.2 parse (portability class)
    root: YMap | None  # what the runtime loaded (None: failed or not a mapping)
    retry: Retry | None = None
    retry_result: ParseResult | None = None
    not_mapping: bool = False
    errors: tuple[YamlError, ...] = ()

    @property
    def loaded(self) -> bool:
        return self.mode != "failed"


def parse_claude(
    text: str, base: int, version: Version, raw: str | None = None, memo: Memo | None = None
) -> ClaudeParse:
    """``text``: the block cleaned for the parser; ``raw``: as written (same length);
    ``memo``: the document's parsed entries, to reuse (``yamltree.Memo``)."""
    strict = parse(text, base, memo=memo, shared=True)
    if version < YAML_SINCE:
        return ClaudeParse("lines", strict, split_lines_parse(text, base))
    if version >= NUL_FAILS_SINCE and raw is not None and "\0" in raw:
        nul = YamlError("a NUL character: Unexpected character", base + raw.index("\0"), "nul")
        return ClaudeParse("failed", strict, None, errors=(nul,))
    lenient = version >= DUPLICATE_KEYS_SINCE
    old_bun = DUPLICATE_KEYS_SINCE <= version < NEW_BUN_YAML_SINCE
    first = strict
    if old_bun:
        quirks = old_bun_quirks(text, base)
        if quirks.error is not None:
            return ClaudeParse("failed", strict, None, errors=(quirks.error,))
        if quirks.text != text:
            first = parse(quirks.text, base, quirks.remap(lambda i: base + i))
    if _accepted(first, lenient):
        return _loaded("strict", strict, first, version)
    # Past agentls's limits the runtime's own parse may succeed or throw (Bun.YAML: "Excessive
    # aliasing", a stack overflow past ~4,000 levels). Either way, a retry that repairs every
    # offending line loads the file; when it does not, only the limit is known (AGL020).
    retry = quote_retry(
        text,
        base,
        colon_space=version >= COLON_TRIGGER_SINCE,
        raw=raw,
        tabs=version >= TAB_INDENT_SINCE,
    )
    if not retry.rewrites and not retry.detabbed:
        return ClaudeParse("failed", strict, None, retry, None, errors=_errors(strict))
    result = _parse_retried(retry, base, old_bun)
    if _accepted(result, lenient):
        return _loaded("retry", strict, result, version)._replace(retry=retry, retry_result=result)
    if strict.limit is not None and result.limit is None:
        return ClaudeParse("failed", strict, None, retry, result, errors=(strict.limit,))
    return ClaudeParse("failed", strict, None, retry, result, errors=_errors(result))


def _parse_retried(retry: Retry, base: int, old_bun: bool) -> ParseResult:
    """The retried block, read by the old Bun.YAML where it applies (its quirks add no error
    here: the retry touches no `? k` line, so one was already reported before it)."""
    if not old_bun:
        return parse(retry.text, base, retry.remap)
    quirks = old_bun_quirks(retry.text, base)
    return parse(quirks.text, base, quirks.remap(retry.remap))


def _errors(r: ParseResult) -> tuple[YamlError, ...]:
    errs = [e for e in (r.error, r.limit) if e is not None]
    errs += [
        YamlError("Map keys must be unique", dup.key.span.start, "duplicate")
        for _, dup in r.duplicates
    ]
    return tuple(errs)


def _accepted(r: ParseResult, duplicates_ok: bool) -> bool:
    """Whether the runtime's parser accepts what agentls parsed (repeated keys: by version)."""
    return r.error is None and r.limit is None and (duplicates_ok or not r.duplicates)


def merge_keys(root: YMap) -> YMap:
    """``<<: *base`` (or a list of them) as the native build applies it: the merged mapping's
    keys join the mapping, keys written in it win, and ``<<`` itself is gone."""
    merges = [e for e in root.entries if _is_merge(e)]
    if not merges:
        return root
    own = [e for e in root.entries if not _is_merge(e)]
    names = {e.key_text for e in own}
    extra: list[YEntry] = []
    for m in merges:
        sources = m.value.items if isinstance(m.value, YSeq) else [m.value]
        for src in sources:
            assert isinstance(src, YMap)
            for e in src.entries:
                if e.key_text not in names:
                    names.add(e.key_text)
                    extra.append(e)
    merged = YMap(root.span, root.flow)
    merged.anchor = root.anchor
    merged.entries = own + extra
    merged.duplicates = root.duplicates
    return merged


def _is_merge(e: YEntry) -> bool:
    """A plain ``<<`` key whose value is a mapping or a list of mappings (else a plain key)."""
    if e.key_text != "<<" or not (isinstance(e.key, YScalar) and e.key.style is None):
        return False
    sources = e.value.items if isinstance(e.value, YSeq) else [e.value]
    return bool(sources) and all(isinstance(m, YMap) for m in sources)


def _loaded(mode: Mode, strict: ParseResult, result: ParseResult, version: Version) -> ClaudeParse:
    root = result.root
    if isinstance(root, YMap):
        if version >= MERGE_KEYS_SINCE:
            root = merge_keys(root)
        return ClaudeParse(mode, strict, root)
    # a non-mapping result counts as empty metadata (§0.2 step 2)
    is_empty = root is None or (isinstance(root, YScalar) and root.is_null)
    return ClaudeParse(mode, strict, None, not_mapping=not is_empty)
