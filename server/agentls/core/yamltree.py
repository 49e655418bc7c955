"""YAML with positions, YAML 1.2 core-schema scalars and bounded cost.

The tree is built in one pass over libyaml's parse events (the event parser is iterative, so
deep nesting cannot overflow the C stack the way ``compose`` does; python-stack-notes §6).
Limits on depth, expanded size and aliases are enforced while building, so nothing downstream
can blow up on hostile input. Offsets are code points; spans are document offsets
(``base`` + offset in the parsed text, then ``remap`` when the text was rewritten).
"""

from __future__ import annotations

import gc
import importlib
import math
import re
from collections.abc import Callable
from typing import Any, NamedTuple, Union

from agentls.core.pyyaml import yaml
from agentls.core.text import Span

MAX_DEPTH = 100
MAX_NODES = 100_000  # expanded (aliases count their whole subtree)
MAX_ALIASES = 100  # yaml@2's default maxAliasCount
LIBYAML_DEPTH = "exceeded maximum nesting depth"  # libyaml 0.2.6+ stops at 1,000 levels

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"

# YAML 1.2.2 core schema (formats.md §0.4), not PyYAML's 1.1 resolver.
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)

Scalar = Union[str, int, float, bool, None]  # noqa: UP007 (a runtime alias on 3.10)


# the core schema's null and boolean words (a lookup: no regex match per key)
_WORDS: dict[str, tuple[str, Scalar]] = {
    **{w: (NULL, None) for w in ("~", "null", "Null", "NULL", "")},
    **{w: (BOOL, w[0] in "tT") for w in ("true", "True", "TRUE", "false", "False", "FALSE")},
}


def resolve_plain(value: str) -> tuple[str, Scalar]:
    """(tag, typed value) of a plain scalar under the YAML 1.2 core schema."""
    if not value or value[0] in "~nNtTfF":
        return _WORDS.get(value) or (STR, value)
    c = value[0]
    if c in "-+0123456789.":
        if _INT_RE.fullmatch(value):
            if value.startswith("0o"):
                return INT, int(value[2:], 8)
            if value.startswith("0x"):
                return INT, int(value[2:], 16)
            return INT, int(value, 10)
        if _FLOAT_RE.fullmatch(value):
            low = value.lower()
            if low.endswith(".inf"):
                return FLOAT, -math.inf if low.startswith("-") else math.inf
            if low.endswith(".nan"):
                return FLOAT, math.nan
            return FLOAT, float(value)
    return STR, value


def _explicit(tag: str, value: str) -> Scalar:
    if tag in ("!!str", STR):
        return value
    if tag in ("!!int", INT, "!!float", FLOAT, "!!bool", BOOL, "!!null", NULL):
        return resolve_plain(value)[1]
    return value  # unknown tags: yaml@2 warns and keeps the string


class YNode:
    __slots__ = ("anchor", "span")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.anchor: str | None = None


class YScalar(YNode):
    __slots__ = ("raw", "style", "tag", "value")

    def __init__(self, span: Span, value: Scalar, raw: str, style: str | None, tag: str) -> None:
        self.span = span
        self.anchor = None
        self.value = value
        self.raw = raw
        self.style = style  # None = plain, "'", '"', "|", ">"
        self.tag = tag

    @property
    def is_null(self) -> bool:
        return self.value is None

    def __repr__(self) -> str:
        return f"YScalar({self.value!r})"


class YSeq(YNode):
    __slots__ = ("flow", "items")

    def __init__(self, span: Span, flow: bool) -> None:
        self.span = span
        self.anchor = None
        self.items: list[YNode] = []
        self.flow = flow

    def __repr__(self) -> str:
        return f"YSeq({self.items!r})"


def _key_text(k: YNode) -> str:
    if isinstance(k, YScalar):
        v = k.value
        if isinstance(v, str):
            return v
        return k.raw if v is None else str(v)
    return "<complex key>"


class YEntry:
    """One ``key: value`` pair of a mapping; ``key_text`` is the key as a string."""

    __slots__ = ("key", "key_text", "value")

    def __init__(self, key: YNode, value: YNode) -> None:
        self.key = key
        self.value = value
        self.key_text = _key_text(key)

    def __repr__(self) -> str:
        return f"YEntry({self.key_text!r}, {self.value!r})"


class YMap(YNode):
    __slots__ = ("duplicates", "entries", "flow")

    def __init__(self, span: Span, flow: bool) -> None:
        self.span = span
        self.anchor = None
        self.entries: list[YEntry] = []
        self.duplicates: list[tuple[YEntry, YEntry]] = []  # (first, repeated)
        self.flow = flow

    def get(self, key: str) -> YEntry | None:
        """The entry for ``key``; with duplicates, the last one (what PyYAML-like loaders keep)."""
        found = None
        for e in self.entries:
            if e.key_text == key:
                found = e
        return found

    def key_names(self) -> list[str]:
        return [e.key_text for e in self.entries]

    def __repr__(self) -> str:
        return f"YMap({[(e.key_text, e.value) for e in self.entries]!r})"


class YamlError(NamedTuple):
    message: str
    offset: int  # document offset (already remapped)
    kind: str = "syntax"  # syntax | duplicate | limit | empty


class ParseResult(NamedTuple):
    root: YNode | None
    error: YamlError | None = None
    duplicates: list[tuple[YEntry, YEntry]] = []  # noqa: RUF012 (never mutated)
    limit: YamlError | None = None  # exceeded an agentls limit; the tree is None
    counts: tuple[int, int] = (0, 0)  # values (aliases expanded) and aliases, when parsed

    @property
    def ok(self) -> bool:
        """True when a strict YAML 1.2 parser (yaml@2) accepts the text."""
        return self.error is None and not self.duplicates and self.limit is None


_CParser: Any
try:  # libyaml's event parser (bundled in PyYAML's wheels); the pure-Python one otherwise
    _CParser = importlib.import_module("yaml._yaml").CParser
except (ImportError, AttributeError):  # pragma: no cover
    _CParser = None


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _parser(text: str) -> Any:
    return _CParser(text) if _CParser is not None else _PyParser(text)


def _hashable(node: YNode) -> Any:
    if isinstance(node, YScalar):
        v = node.value
        return (type(v).__name__, v) if not isinstance(v, float) or v == v else ("nan", node.raw)
    return ("node", id(node))


Remap = Callable[[int], int]


class _Frame:
    """An open collection while its events arrive."""

    __slots__ = ("is_map", "keys", "node", "pending", "size")

    def __init__(self, node: YNode, is_map: bool) -> None:
        self.node = node
        self.is_map = is_map
        self.pending: YNode | None = None  # a map key waiting for its value
        self.size = 1
        self.keys: dict[Any, YEntry] | None = {} if is_map else None


_LAST: tuple[str, int, ParseResult] | None = None  # the last shared parse (``parse``)


def parse(
    text: str,
    base: int = 0,
    remap: Remap | None = None,
    memo: Memo | None = None,
    shared: bool = False,
) -> ParseResult:
    """Parse one YAML document into a positioned tree. Never raises on bad input.

    ``memo``: the top-level entries parsed for the document's last analysis (see ``Memo``).
    ``shared``: the caller only reads the tree, so the last shared parse of the same text is
    returned again (the readers of one file parse the same front matter: Claude Code's strict
    parse and Copilot CLI's, say).
    The garbage collector is paused while the tree is built: tens of thousands of small
    objects with no cycles would otherwise trigger collections that cost more than the build.
    """
    global _LAST
    last = _LAST
    if shared and remap is None and last is not None and last[1] == base and last[0] == text:
        return last[2]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = None
        if memo is not None and remap is None:
            result = _joined(memo.parts("yaml", text, base, _part))
        if result is None:
            result = _parse(text, base, remap)
    finally:
        if gc_was_enabled:
            gc.enable()
    if shared and remap is None:
        _LAST = (text, base, result)
    return result


def _part(text: str, base: int) -> Part | None:
    """One top-level entry parsed alone; None unless it parses cleanly as one entry."""
    r = _parse(text, base, None)
    root = r.root
    if r.error or r.limit or not isinstance(root, YMap) or root.flow or len(root.entries) != 1:
        return None
    return Part(base, root.span, root.entries[0], tuple(r.duplicates), r.counts)


def _joined(parts: list[Part] | None) -> ParseResult | None:
    """The entries' parses as one document's, as ``_parse`` builds it (None: past a limit)."""
    if parts is None:
        return None
    root = YMap(Span(parts[0].span.start, parts[-1].span.end), False)
    keys: dict[Any, YEntry] = {}
    dups: list[tuple[YEntry, YEntry]] = []
    total, aliases = 1, 0
    for part in parts:
        dups.extend(part.duplicates)  # the entry's own, found before it joins the mapping
        entry = part.entry
        key = entry.key
        h = key.value if key.__class__ is YScalar and key.value.__class__ is str else _hashable(key)
        first = keys.get(h)
        if first is not None:
            dups.append((first, entry))
            root.duplicates.append((first, entry))
        else:
            keys[h] = entry
        root.entries.append(entry)
        total += part.counts[0] - 1
        aliases += part.counts[1]
    if total > MAX_NODES or aliases > MAX_ALIASES:
        return None  # the whole parse reports the limit where it is reached
    return ParseResult(root, None, dups, None, (total, aliases))


def _parse(text: str, base: int, remap: Remap | None) -> ParseResult:
    def pos(index: int) -> int:
        return remap(index) if remap is not None else base + index

    stack: list[_Frame] = []
    anchors: dict[str, tuple[YNode, int]] = {}
    root: YNode | None = None
    total = 0
    aliases = 0
    docs = 0
    dups: list[tuple[YEntry, YEntry]] = []
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def attach(node: YNode, size: int) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        frame.size += size
        if not frame.is_map:
            frame.node.items.append(node)  # type: ignore[attr-defined]
            return
        key = frame.pending
        if key is None:
            frame.pending = node
            return
        frame.pending = None
        entry = YEntry(key, node)
        keys = frame.keys
        assert keys is not None
        h = key.value if key.__class__ is YScalar and key.value.__class__ is str else _hashable(key)
        first = keys.get(h)
        if first is not None:
            dups.append((first, entry))
            frame.node.duplicates.append((first, entry))  # type: ignore[attr-defined]
        else:
            keys[h] = entry
        frame.node.entries.append(entry)  # type: ignore[attr-defined]

    parser = _parser(text)
    get_event = parser.get_event
    stream_end = yaml.StreamEndEvent
    try:
        while True:
            ev = get_event()
            if ev is None:
                break
            cls = ev.__class__
            if cls is stream_end:
                break
            if cls is scalar_event:
                total += 1
                raw = ev.value
                if ev.tag and ev.tag != "!":
                    value: Scalar = _explicit(ev.tag, raw)
                    tag = ev.tag
                elif not ev.style and ev.implicit[0]:
                    tag, value = resolve_plain(raw)
                else:
                    tag, value = STR, raw
                if remap is None:
                    span = Span(base + ev.start_mark.index, base + ev.end_mark.index)
                else:
                    span = Span(remap(ev.start_mark.index), remap(ev.end_mark.index))
                node: YNode = YScalar(span, value, raw, ev.style or None, tag)
                if ev.anchor:
                    node.anchor = ev.anchor
                    anchors[ev.anchor] = (node, 1)
                attach(node, 1)
            elif cls is map_start or cls is seq_start:
                total += 1
                flow = bool(ev.flow_style)
                span = Span(pos(ev.start_mark.index), pos(ev.end_mark.index))
                is_map = cls is map_start
                container: YNode = YMap(span, flow) if is_map else YSeq(span, flow)
                if ev.anchor:
                    container.anchor = ev.anchor
                stack.append(_Frame(container, is_map))
                if len(stack) > MAX_DEPTH:
                    at = pos(ev.start_mark.index)
                    error = _syntax_error_after(get_event, total)
                    if error is not None:  # invalid for every parser, however deep it goes
                        return ParseResult(None, YamlError(error[0], pos(error[1])))
                    limit = YamlError(f"nesting deeper than {MAX_DEPTH} levels", at, "limit")
                    return ParseResult(None, limit=limit)
            elif cls is map_end or cls is seq_end:
                frame = stack.pop()
                container = frame.node
                container.span = Span(container.span.start, pos(ev.end_mark.index))
                if container.anchor:
                    anchors[container.anchor] = (container, frame.size)
                attach(container, frame.size)
            elif cls is alias_event:
                aliases += 1
                if aliases > MAX_ALIASES:
                    return ParseResult(
                        None,
                        limit=YamlError(
                            f"more than {MAX_ALIASES} aliases", pos(ev.start_mark.index), "limit"
                        ),
                    )
                target = anchors.get(ev.anchor)
                if target is None:
                    return ParseResult(
                        None,
                        YamlError(f"found undefined alias '{ev.anchor}'", pos(ev.start_mark.index)),
                    )
                node, size = target
                total += size
                attach(node, size)
            elif cls is yaml.DocumentStartEvent:
                docs += 1
                if docs > 1:
                    return ParseResult(
                        None,
                        YamlError(
                            "the front matter contains more than one YAML document",
                            pos(ev.start_mark.index),
                        ),
                    )
            if total > MAX_NODES:
                return ParseResult(
                    None,
                    limit=YamlError(
                        f"more than {MAX_NODES} values once aliases are expanded",
                        pos(ev.start_mark.index),
                        "limit",
                    ),
                )
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        idx = pos(min(mark.index if mark is not None else 0, len(text)))
        if e.problem == LIBYAML_DEPTH:  # libyaml's own limit (0.2.6+): not a YAML error
            return ParseResult(
                None, limit=YamlError("nesting deeper than 1,000 levels", idx, "limit")
            )
        return ParseResult(None, YamlError(_message(e), idx))
    except yaml.YAMLError as e:  # ReaderError and friends: no mark
        return ParseResult(
            None, YamlError(str(e).splitlines()[0] if str(e) else "invalid YAML", pos(0))
        )
    except (UnicodeError, ValueError, RecursionError, MemoryError) as e:
        return ParseResult(None, YamlError(f"cannot parse: {type(e).__name__}", pos(0)))
    finally:
        parser.dispose()
    return ParseResult(root, None, dups, None, (total, aliases))


def _syntax_error_after(get_event: Callable[[], Any], seen: int) -> tuple[str, int] | None:
    """Read the rest of the events (no tree) for a syntax error after the depth limit.

    Too deep for agentls is not necessarily too deep for the runtime (Bun.YAML nests about
    4,000 levels), but a syntax error anywhere is one for every parser. Bounded by MAX_NODES.
    """
    try:
        while seen <= MAX_NODES:
            ev = get_event()
            if ev is None or ev.__class__ is yaml.StreamEndEvent:
                return None
            seen += 1
    except yaml.MarkedYAMLError as e:
        if e.problem == LIBYAML_DEPTH:
            return None
        mark = e.problem_mark or e.context_mark
        return _message(e), mark.index if mark is not None else 0
    except (yaml.YAMLError, UnicodeError, ValueError, RecursionError, MemoryError):
        return None
    return None


def _message(e: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (e.context, e.problem) if p]
    msg = ", ".join(parts) if parts else "invalid YAML"
    return msg[0].upper() + msg[1:] if msg else msg


def to_data(node: YNode | None) -> Any:
    """Plain Python data for a tree (shared alias nodes stay shared; size is bounded)."""
    if node is None:
        return None
    memo: dict[int, Any] = {}

    def build(n: YNode) -> Any:
        key = id(n)
        if key in memo:
            return memo[key]
        if isinstance(n, YScalar):
            return n.value
        out: Any
        if isinstance(n, YSeq):
            out = []
            memo[key] = out
            out.extend(build(i) for i in n.items)
            return out
        assert isinstance(n, YMap)
        out = {}
        memo[key] = out
        for e in n.entries:
            k = build(e.key)
            try:
                hash(k)
            except TypeError:
                k = str(k)
            out[k] = build(e.value)
        return out

    return build(node)


def walk(node: YNode) -> list[YNode]:
    """Every node under ``node`` once (aliases shared), without recursion."""
    out: list[YNode] = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        out.append(n)
        if isinstance(n, YSeq):
            stack.extend(n.items)
        elif isinstance(n, YMap):
            stack.extend(e.value for e in n.entries)
    return out


def kind_name(node: YNode) -> str:
    """What a node is, in words for messages: list, mapping, boolean, number, value."""
    if isinstance(node, YSeq):
        return "list"
    if isinstance(node, YMap):
        return "mapping"
    if isinstance(node, YScalar):
        return {bool: "boolean", int: "number", float: "number"}.get(type(node.value), "value")
    return "value"


def trim_end(text: str, span: Span) -> Span:
    """Drop trailing whitespace and line breaks from a span (block scalars end on the next line)."""
    end = span.end
    if end <= span.start or text[end - 1] not in " \t\r\n":
        return span  # nothing to drop (most spans): the same span
    while end > span.start and text[end - 1] in " \t\r\n":
        end -= 1
    return Span(span.start, end)


# --- incremental parsing: one top-level entry at a time ---------------------------------------
CHUNKED_MIN = 16 * 1024  # below this, one parse costs less than the bookkeeping
_COLUMN0 = re.compile(r"^[^ \t\r\n#]", re.M)
_TOP_KEY = re.compile(r"[A-Za-z_][\w.-]*[ \t]*:(?=[ \t\r\n]|\Z)")


class Part:
    """One top-level ``key: value`` entry parsed alone, at document offset ``base``."""

    __slots__ = ("base", "counts", "duplicates", "entry", "span")

    def __init__(
        self,
        base: int,
        span: Span,
        entry: YEntry,
        duplicates: tuple[tuple[YEntry, YEntry], ...] = (),
        counts: tuple[int, int] = (0, 0),
    ) -> None:
        self.base = base
        self.span = span  # of the mapping the entry alone parses to
        self.entry = entry
        self.duplicates = duplicates  # repeated keys inside the value
        self.counts = counts  # as ParseResult.counts

    def move(self, base: int) -> None:
        """Move every span to offset ``base``, in place: the text before the entry changed
        length, and the analysis that parsed it is replaced by the one that moves it."""
        d = base - self.base
        seen: set[int] | None = set() if self.counts[1] else None  # aliases share nodes
        stack: list[YNode] = [self.entry.key, self.entry.value]
        while stack:
            n = stack.pop()
            if seen is not None:
                if id(n) in seen:
                    continue
                seen.add(id(n))
            n.span = Span(n.span.start + d, n.span.end + d)
            if isinstance(n, YMap):
                for e in n.entries:
                    stack += (e.key, e.value)
            elif isinstance(n, YSeq):
                stack += n.items
        self.span = Span(self.span.start + d, self.span.end + d)
        self.base = base


def top_entries(text: str) -> list[int] | None:
    """Where each top-level entry starts (the first one at 0, with any comments before it), when
    every line at column 0 other than a comment is a plain ``key:``; else None."""
    starts = [0]
    for m in _COLUMN0.finditer(text):
        if not _TOP_KEY.match(text, m.start()):
            return None
        if m.start():
            starts.append(m.start())
    return starts if len(starts) > 1 else None


class Memo:
    """The top-level entries parsed for a document's last analysis, by parser and text.

    A parser given a memo (``parse``, ``vscode_yaml.parse``) parses each entry alone, reuses
    the parse of an entry whose text did not change (moved when the text before it changed
    length), and joins them as the whole document's parse; an edit in one entry of a large
    front matter re-parses that entry only. It falls back to parsing the whole text whenever
    an entry does not parse cleanly on its own (an error, a stop, a value that runs on past the
    entry), so the result is always the whole parse's (tests/unit/test_incremental.py).
    """

    __slots__ = ("kept", "split", "used")

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], Part] = {}  # the last analysis's entries
        self.used: dict[tuple[str, str], Part] = {}  # this analysis's
        self.split: tuple[str, list[int] | None] = ("", None)  # the last text's top_entries

    def parts(
        self, parser: str, text: str, base: int, parse_one: Callable[[str, int], Part | None]
    ) -> list[Part] | None:
        """Every top-level entry of ``text`` parsed alone by ``parse_one``; None: parse whole."""
        if len(text) < CHUNKED_MIN:
            return None
        if self.split[0] != text:  # every reader parses the same text: split it once
            self.split = (text, top_entries(text))
        starts = self.split[1]
        if starts is None:
            return None
        out: list[Part] = []
        for i, start in enumerate(starts):
            chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
            key = (parser, chunk)
            part = self.used.get(key)
            if part is None:
                part = self.kept.get(key)
                if part is not None and part.base != base + start:
                    part.move(base + start)
            elif part.base != base + start:
                part = None  # the same text twice in one document: parsed again
            if part is None:
                part = parse_one(chunk, base + start)
                if part is None:
                    return None
            self.used.setdefault(key, part)
            out.append(part)
        return out

    def done(self) -> None:
        """An analysis ended: keep the entries it parsed, forget the others."""
        self.kept, self.used = self.used, {}
        self.split = ("", None)
