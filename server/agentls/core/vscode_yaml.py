"""VS Code's own front-matter parser, emulated (VS Code 1.139; tests/conformance/vscode/NOTES.md).

VS Code does not use a YAML library for prompt files, agents, instructions and skills: a small
scanner and recursive parser of its own (``src/vs/base/common/yaml.ts``) read the header. Every
scalar is a string (``123``, ``null``, ``~``, ``&a x`` are text; only the validator treats an
unquoted ``true``/``false`` as a boolean), nothing is resolved (anchors, aliases, tags, ``<<``),
and what it cannot read it mostly skips in silence: a line without a colon or text after a
closing quote ends the mapping there, and the keys after it are not read. Only the first ``: ``
of a line ends a key (``description: Use when: asked`` is one value). What it
does report (each an error marker) is a short list: ``Unexpected indentation (expected N, got
M)``, ``Duplicate key: "K"``, ``Missing value``, ``Missing sequence item value``, ``Expected
"]"``, ``Expected "}"``, ``Expected mapping key``, ``Unexpected token in flow sequence`` and
``Expected ":"``.

``parse`` returns agentls's node tree (``yamltree`` nodes with document offsets) and those
errors, so the catalogue engine checks the values VS Code reads, where VS Code reads them.
"""

from __future__ import annotations

import gc
import re
from functools import partial
from typing import NamedTuple

from agentls.core.text import Span
from agentls.core.yamltree import (
    BOOL,
    MAX_DEPTH,
    STR,
    Memo,
    Part,
    YEntry,
    YMap,
    YNode,
    YScalar,
    YSeq,
)

# token kinds
SCALAR, COLON, DASH, COMMA, MAP_OPEN, MAP_CLOSE, SEQ_OPEN, SEQ_CLOSE = range(8)
NEWLINE, INDENT, COMMENT, DOC_START, DOC_END, EOF = range(8, 14)
_STYLE = {"none": None, "single": "'", "double": '"', "literal": "|", "folded": ">"}
_ESCAPES = {
    "n": "\n", "t": "\t", "\\": "\\", '"': '"', "/": "/", "r": "\r", "0": "\0", "a": "\x07",
    "b": "\b", "e": "\x1b", "v": "\v", "f": "\f", " ": " ", "_": "\xa0",
}  # fmt: skip
_HEX = {"x": 2, "u": 4, "U": 8}
# runs of characters the scanner passes over, matched at once (a loop per character is slow)
_BLANKS = re.compile(r"[ \t]*")
_LINE = re.compile(r"( *)([^\r\n]*)(?:\r\n|\r|\n)?")
# a plain scalar's run: up to its last non-blank (group 1, if any), the blanks after it, and then
# a character that may end it (or the end of the text)
_PLAIN_RUN = re.compile(r"([^\r\n:#]*[^\r\n:# \t])?[ \t]*")
_PLAIN_RUN_FLOW = re.compile(r"([^\r\n:#,{}\[\]]*[^\r\n:#,{}\[\] \t])?[ \t]*")
_QUOTED_RUN = {"'": re.compile(r"[^'\r\n]+"), '"': re.compile(r'[^"\\\r\n]+')}
# a quoted scalar on one line without escapes (in single quotes a `''` is one: not matched)
_QUOTED_LINE = {"'": re.compile(r"'([^'\r\n]*)'(?!')"), '"': re.compile(r'"([^"\\\r\n]*)"')}
# a key (no `:` or `#` in it, not starting as a marker or a quote) and its `: `, then blanks
_KEY_COLON = re.compile(r"([^\s#'\"{}\[\],|>:%.-][^\r\n:#]*?)[ \t]*(:)(?=[ \t\r\n]|\Z)[ \t]*")
# `_simple`'s values: quoted without escapes (group 1: single, 2: double) or plain (group 3), to
# the end of the line or, as an item of a flow sequence, to its `,` or `]` (group 4)
_SIMPLE_VALUE = re.compile(r"'([^'\r\n]*)'|\"([^\"\\\r\n]*)\"|([^\s#'\"{}\[\],|>:-][^\r\n]*)")
_SIMPLE_ITEM = re.compile(
    r"[ \t]*(?:'([^'\r\n]*)'|\"([^\"\\\r\n]*)\"|([^\s#'\"{}\[\],|>:-][^\r\n:#,{}\[\]]*))"
    r"[ \t]*([,\]])"
)
_LINE_END = re.compile(r"[ \t]*(?:\r\n|\r|\n|\Z)")
_ENDS = ("", " ", "\t", "\n", "\r")  # what may follow `---`, `...`, a `-` item or a `: `
_BLANK_END = (NEWLINE, COMMENT, EOF)  # after an INDENT: a line with no content
_SPECIAL = "#{}[],-:'\"|>\r\n"  # any other character starts a plain scalar


class Token(NamedTuple):
    kind: int
    start: int
    end: int
    value: str = ""
    fmt: str = "none"  # none | single | double | literal | folded
    indent: int = 0


# a Token from all six fields, without NamedTuple's constructor (a Python call per token)
_token = partial(tuple.__new__, Token)


class VSCodeYamlError(NamedTuple):
    message: str
    start: int  # document offsets
    end: int
    code: str  # VS Code's: unexpected-indentation, duplicate-key, missing-value, ...


class VSCodeParse(NamedTuple):
    root: YNode | None
    errors: tuple[VSCodeYamlError, ...]
    too_deep: int | None = None  # past agentls's nesting limit at this offset: not read
    stopped: int | None = None  # where the parser gave up in silence (the rest is not read)


class _TooDeep(Exception):  # a signal, not an error
    def __init__(self, offset: int) -> None:
        self.offset = offset


def _eol(s: str, pos: int) -> int:
    """Where the line at ``pos`` ends: its line break, or the end of the text."""
    lf = s.find("\n", pos)
    if lf < 0:
        lf = len(s)
    cr = s.find("\r", pos, lf)
    return lf if cr < 0 else cr


def _past_break(s: str, pos: int) -> int:
    """Past the line break at ``pos`` (``\\r\\n``, ``\\r`` or ``\\n``), if there is one."""
    c = s[pos : pos + 1]
    if c == "\r":
        return pos + 2 if s[pos + 1 : pos + 2] == "\n" else pos + 1
    return pos + 1 if c == "\n" else pos


class _Scanner:
    """The tokens of a header. Each step takes the offset it starts at and returns the offset
    after what it read; runs of ordinary characters are matched by one regex each."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.depth = 0  # flow nesting: `,` `]` `}` are special only inside
        self.colon = False  # a `key:` colon was seen on this line (outside flow collections)
        self.documents = 0  # `---` lines seen: scanning stops at the second
        self.unclosed = False  # a quoted scalar ran to the end of the text
        self.out: list[Token] = []

    def scan(self) -> list[Token]:
        pos, n = 0, len(self.s)
        while pos < n and self.documents <= 1:
            pos = self.line(pos)
        self.out.append(_token((EOF, pos, pos, "", "none", 0)))
        return self.out

    def newline(self, pos: int) -> int:
        """Past the line break at ``pos`` as a NEWLINE token, if there is one."""
        c = self.s[pos : pos + 1]
        if c == "\n":
            end = pos + 1
        elif c == "\r":
            end = pos + 2 if self.s.startswith("\n", pos + 1) else pos + 1
        else:
            return pos
        self.out.append(_token((NEWLINE, pos, end, "", "none", 0)))
        return end

    def line(self, start: int) -> int:
        s = self.s
        self.colon = False
        pos = _BLANKS.match(s, start).end()  # type: ignore[union-attr]
        if pos > start:  # tabs count one
            self.out.append(_token((INDENT, start, pos, "", "none", pos - start)))
        c = s[pos : pos + 1]
        if c in ("", "\r", "\n"):
            return self.newline(pos)
        if (
            c in "-."
            and pos == start
            and s.startswith(("---", "..."), pos)
            and s[pos + 3 : pos + 4] in _ENDS
        ):
            if c == "-":
                self.out.append(_token((DOC_START, pos, pos + 3, "", "none", 0)))
                self.documents += 1
                return self.newline(self.content(pos + 3))
            self.out.append(_token((DOC_END, pos, pos + 3, "", "none", 0)))
            pos += 3
        elif c == "#":
            return self.newline(self.comment(pos))
        elif c == "%":  # a directive: skipped
            return self.newline(_eol(s, pos))
        if self.depth == 0:
            return self.newline(self.key_line(pos))
        return self.newline(self.content(pos))

    def key_line(self, pos: int) -> int:
        """The common line, ``key: plain value``, read by one regex match and a search for a
        comment; what it does not read is read by ``content`` (same tokens, fewer steps)."""
        s, out = self.s, self.out
        m = _KEY_COLON.match(s, pos)
        if m is None:
            return self.content(pos)
        out.append(_token((SCALAR, pos, m.end(1), m.group(1), "none", 0)))
        out.append(_token((COLON, m.start(2), m.end(2), "", "none", 0)))
        self.colon = True
        pos = m.end()
        if pos == len(s) or s[pos] in _SPECIAL:  # an empty value, a quote, a flow collection...
            return self.content(pos)
        eol = _eol(s, pos)
        value = s[pos:eol]
        if "#" in value and (" #" in value or "\t#" in value):  # a comment ends it
            return self.content(pos)
        value = value.rstrip(" \t")  # later `:` and `#` are text: the line's first `: ` was taken
        out.append(_token((SCALAR, pos, pos + len(value), value, "none", 0)))
        return eol

    def content(self, pos: int) -> int:
        """The tokens up to the end of the line (or further: quoted and block scalars)."""
        s, n, out = self.s, len(self.s), self.out
        while pos < n:  # (a quoted scalar ending in `\` ends past the text: kept there)
            pos = _BLANKS.match(s, pos).end()  # type: ignore[union-attr]
            if pos == n:
                return pos
            c = s[pos]
            if c not in _SPECIAL:  # the common case
                pos = self.plain(pos)
            elif c in "'\"":
                pos = self.quoted(c, pos)
            elif c == "," and self.depth > 0:
                out.append(_token((COMMA, pos, pos + 1, "", "none", 0)))
                pos += 1
            elif c in "\r\n":
                return pos
            elif c == "#":
                return self.comment(pos)
            elif c in "{[":
                self.depth += 1
                out.append(
                    _token((MAP_OPEN if c == "{" else SEQ_OPEN, pos, pos + 1, "", "none", 0))
                )
                pos += 1
            elif c in "}]" and self.depth > 0:
                self.depth -= 1
                out.append(
                    _token((MAP_CLOSE if c == "}" else SEQ_CLOSE, pos, pos + 1, "", "none", 0))
                )
                pos += 1
            elif c == "-" and s[pos + 1 : pos + 2] in _ENDS:
                out.append(_token((DASH, pos, pos + 1, "", "none", 0)))
                pos += 1
            elif c == ":" and self.value_colon(pos):
                out.append(_token((COLON, pos, pos + 1, "", "none", 0)))
                pos += 1
                self.colon = self.colon or self.depth == 0
            elif c == ":" and self.depth > 0 and self.after_json():
                out.append(_token((COLON, pos, pos + 1, "", "none", 0)))
                pos += 1
            elif c in "|>" and self.depth == 0 and self.block_header(pos):
                return self.block_scalar(c, pos)
            else:
                pos = self.plain(pos)
        return pos

    def value_colon(self, at: int) -> bool:
        """`: ` (or `:` at the end of the line) separates a key from its value; outside flow
        collections only the first one of a line does (VS Code 1.139: `description: Use when:
        asked` is one value, g0105)."""
        nxt = self.s[at + 1 : at + 2]
        if self.depth == 0:
            return not self.colon and nxt in _ENDS
        return nxt in _ENDS or nxt in (",", "}", "]")

    def after_json(self) -> bool:
        for t in reversed(self.out):
            if t.kind in (NEWLINE, INDENT, COMMENT):
                continue
            return (t.kind == SCALAR and t.fmt != "none") or t.kind in (MAP_CLOSE, SEQ_CLOSE)
        return False

    def comment(self, pos: int) -> int:
        end = _eol(self.s, pos)
        self.out.append(_token((COMMENT, pos, end, "", "none", 0)))
        return end

    def plain(self, start: int) -> int:
        s, n = self.s, len(self.s)
        flow = self.depth > 0
        run = (_PLAIN_RUN_FLOW if flow else _PLAIN_RUN).match
        pos = end = start
        while True:
            m = run(s, pos)  # ordinary characters (blanks end no scalar), then a stop or the end
            if m.start(1) >= 0:  # type: ignore[union-attr]
                end = m.end(1)  # type: ignore[union-attr]
            pos = m.end()  # type: ignore[union-attr]
            if pos >= n:
                break
            c = s[pos]
            if c in "\r\n" or (flow and c in ",}]{["):
                break
            if c == ":" and self.value_colon(pos):
                break
            if c == "#" and pos > start and s[pos - 1] in " \t":
                break
            pos = end = pos + 1
        self.out.append(_token((SCALAR, start, end, s[start:end], "none", 0)))
        return pos

    def quoted(self, q: str, start: int) -> int:
        s, n = self.s, len(self.s)
        fmt = "single" if q == "'" else "double"
        m = _QUOTED_LINE[q].match(s, start)
        if m is not None:  # the common case: on one line, no escape
            self.out.append(_token((SCALAR, start, m.end(), m.group(1), fmt, 0)))
            return m.end()
        pos = start + 1
        parts: list[str] = []
        trailing = 0  # literal blanks at the end of `parts`, trimmed by a line fold
        ordinary = _QUOTED_RUN[q].match
        while pos < n:
            m = ordinary(s, pos)
            if m is not None:  # no quote, escape or line break: taken as written
                run = m.group()
                kept = run.rstrip(" \t")
                trailing = len(run) - len(kept) + (0 if kept else trailing)
                parts.append(run)
                pos = m.end()
                continue
            c = s[pos]
            if c == q:
                if q == "'" and s[pos + 1 : pos + 2] == "'":
                    parts.append("'")
                    pos += 2
                    trailing = 0
                    continue
                pos += 1
                break
            if q == '"' and c == "\\":
                nxt = s[pos + 1 : pos + 2]
                if nxt in ("\r", "\n"):
                    pos = _BLANKS.match(s, _past_break(s, pos + 1)).end()  # type: ignore[union-attr]
                    trailing = 0
                    continue
                if nxt in _HEX:
                    size = _HEX[nxt]
                    digits = s[pos + 2 : pos + 2 + size]
                    try:
                        if len(digits) != size:
                            raise ValueError
                        parts.append(chr(int(digits, 16)))
                        pos += 2 + size
                    except ValueError:
                        parts.append("\\" + nxt)
                        pos += 2
                    trailing = 0
                    continue
                parts.append(_ESCAPES.get(nxt, "\\" + nxt))
                pos += 2  # past the end after a last `\`: the token ends there too
                trailing = 0
                continue
            if c in "\r\n":
                if trailing:
                    joined = "".join(parts)
                    parts = [joined[: len(joined) - trailing]]
                trailing = 0
                pos = _past_break(s, pos)
                empty = 0
                while pos < n:
                    pos = _BLANKS.match(s, pos).end()  # type: ignore[union-attr]
                    if s[pos : pos + 1] not in ("\r", "\n"):
                        break
                    empty += 1
                    pos = _past_break(s, pos)
                parts.append("\n" * empty if empty else " ")
                continue
            trailing = trailing + 1 if c in " \t" else 0
            parts.append(c)
            pos += 1
        else:
            self.unclosed = True
        self.out.append(_token((SCALAR, start, pos, "".join(parts), fmt, 0)))
        return pos

    def block_header(self, pos: int) -> bool:
        s, n = self.s, len(self.s)
        p = pos + 1
        while p < n and s[p] in "123456789+-":
            p += 1
        while p < n and s[p] in " \t":
            p += 1
        return p >= n or s[p] in "\n\r#"

    def block_scalar(self, style: str, start: int) -> int:
        text = self.s
        pos = start + 1
        explicit, chomp = 0, "clip"
        for _ in range(2):
            c = text[pos : pos + 1]
            if c and c in "123456789" and not explicit:
                explicit = int(c)
                pos += 1
            elif c == "-" and chomp == "clip":
                chomp = "strip"
                pos += 1
            elif c == "+" and chomp == "clip":
                chomp = "keep"
                pos += 1
        pos = _BLANKS.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("#", pos):
            pos = _eol(text, pos)
        pos = _past_break(text, pos)
        parent = self.parent_indent()
        want = parent + explicit if explicit else 0
        lines: list[str] = []
        trailing = 0
        while pos < len(text):
            line_start = pos
            m = _LINE.match(text, pos)  # indentation, content, line break
            assert m is not None
            n = m.end(1) - line_start
            content = m.group(2)
            if not content:
                if want > 0 and n >= want:
                    kept = text[line_start + want : m.end(1)]
                    lines.append(kept)
                    trailing = trailing + 1 if kept == "" else 0
                else:
                    lines.append("")
                    trailing += 1
                pos = m.end()
                continue
            if n == 0 and content[:3] in ("---", "...") and content[3:4] in ("", " ", "\t"):
                break
            if want == 0:
                if n <= parent:
                    break
                want = n
            if n < want:
                break
            lines.append(text[line_start + want : m.end(2)])
            trailing = 0
            pos = m.end()
        else:
            line_start = pos
        value = "\n".join(lines) if style == "|" else _fold(lines)
        if trailing:
            value = value.rstrip("\n")
        has_content = any(lines)
        if chomp == "clip" and has_content:
            value += "\n"
        elif chomp == "keep":
            value = value + "\n" * (trailing + 1) if has_content else "\n" * trailing
        fmt = "literal" if style == "|" else "folded"
        self.out.append(_token((SCALAR, start, line_start, value, fmt, 0)))
        return line_start

    def parent_indent(self) -> int:
        """The indentation a block scalar's content must exceed: its key's or dash's column."""
        for i in range(len(self.out) - 1, -1, -1):
            t = self.out[i]
            if t.kind in (NEWLINE, COMMENT, INDENT):
                continue
            if t.kind == COLON:
                for j in range(i - 1, -1, -1):
                    k = self.out[j]
                    if k.kind not in (NEWLINE, COMMENT, INDENT):
                        return self.column(k.start)
                return 0
            if t.kind == DASH:
                return self.column(t.start)
            return -1 if t.kind == DOC_START else 0
        return 0

    def column(self, offset: int) -> int:
        return _column(self.s, offset)


def _column(text: str, offset: int) -> int:
    newline = text.rfind("\n", 0, offset)
    line_start = max(newline, text.rfind("\r", newline + 1, offset)) + 1
    return offset - line_start


def _fold(lines: list[str]) -> str:
    out = ""
    last_more = in_empty = seen = False
    for i, line in enumerate(lines):
        more = line[:1] in (" ", "\t")
        if line == "":
            out += "\n"
            in_empty = True
            continue
        if i == 0:
            out = line
        elif in_empty:
            out += ("\n" + line) if (last_more or more) and seen else line
            in_empty = False
        elif more or last_more:
            out += "\n" + line
        else:
            out += " " + line
        last_more, seen = more, True
    return out


class _Parser:
    def __init__(self, tokens: list[Token], text: str, base: int) -> None:
        self.t = tokens + tokens[-1:] * 2  # two more EOFs: `peek` needs no bounds check
        self.s = text
        self.base = base
        self.pos = 0
        self.errors: list[VSCodeYamlError] = []
        self.depth = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(self.base + self.cur().start)

    # -- helpers
    def cur(self) -> Token:
        return self.t[self.pos]

    def peek(self, n: int = 0) -> Token:  # n <= 2
        return self.t[self.pos + n]

    def advance(self) -> Token:
        tok = self.t[self.pos]
        if tok.kind != EOF:
            self.pos += 1
        return tok

    def error(self, message: str, tok: Token, code: str) -> None:
        self.errors.append(
            VSCodeYamlError(message, self.base + tok.start, self.base + tok.end, code)
        )

    def skip_blank(self) -> None:
        """Past blank lines and comments (up to the indentation of a line with content)."""
        t, pos = self.t, self.pos
        while True:
            k = t[pos].kind
            if k in (NEWLINE, COMMENT) or (k == INDENT and t[pos + 1].kind in _BLANK_END):
                pos += 1
            else:
                break
        self.pos = pos

    def indent(self) -> int:
        return self.t[self.pos].indent  # 0 for any token but INDENT

    def past_indent(self) -> Token:
        tok = self.t[self.pos]
        return self.t[self.pos + 1] if tok.kind == INDENT else tok

    def mapping_ahead(self) -> bool:
        t, i = self.t, self.pos
        if t[i].kind == INDENT:
            i += 1
        return t[i].kind == SCALAR and t[i + 1].kind == COLON

    def column(self, offset: int) -> int:
        return _column(self.s, offset)

    # -- nodes
    def scalar(self, value: str, start: int, end: int, fmt: str) -> YScalar:
        span = Span(self.base + start, self.base + end)
        if fmt != "none":
            return YScalar(span, value, self.raw(start, end, fmt), _STYLE[fmt], STR)
        if value == "true" or value == "false":
            return YScalar(span, value == "true", self.s[start:end], None, BOOL)
        return YScalar(span, value, self.s[start:end], None, STR)

    def raw(self, start: int, end: int, fmt: str) -> str:
        raw = self.s[start:end]
        if fmt in ("single", "double"):  # the source between the quotes, as yamltree's
            q = raw[0]
            raw = raw[1:-1] if len(raw) > 1 and raw.endswith(q) else raw[1:]
        return raw

    def empty(self, offset: int) -> YScalar:
        return YScalar(Span(self.base + offset, self.base + offset), "", "", None, STR)

    def token_scalar(self, tok: Token) -> YScalar:
        return self.scalar(tok.value, tok.start, tok.end, tok.fmt)

    # -- grammar
    def document(self) -> YNode | None:
        self.skip_blank()
        if self.cur().kind == DOC_START:
            self.advance()
            self.skip_blank()
        if self.cur().kind in (EOF, DOC_END):
            return None
        return self.value(-1)

    def value(self, parent: int) -> YNode | None:
        self.skip_blank()
        tok = self.cur()
        first = self.peek(1) if tok.kind == INDENT else tok
        if first.kind in (MAP_OPEN, SEQ_OPEN):
            if tok.kind == INDENT:
                self.advance()
            return self.flow_map() if first.kind == MAP_OPEN else self.flow_seq()
        indent = self.indent()
        if self.past_indent().kind == DASH:
            return self.block_seq(indent)
        if self.mapping_ahead():
            return self.block_map(indent)
        if tok.kind in (SCALAR, INDENT):
            if tok.kind == INDENT:
                self.advance()
            tok = self.cur()
            if tok.kind != SCALAR:  # an indented `:` or `]`...: an empty text, read in place
                return self.plain(Token(SCALAR, tok.start, tok.end), parent)
            self.advance()
            return self.token_scalar(tok) if tok.fmt != "none" else self.plain(tok, parent)
        return None

    def plain(self, first: Token, parent: int) -> YScalar:
        t = self.t
        parts, end = [first.value], first.end
        while True:
            saved = self.pos
            empty = 0
            found = False
            while t[self.pos].kind == NEWLINE:
                self.pos += 1
                after = t[self.pos]
                if after.kind == NEWLINE:
                    empty += 1
                    continue
                if after.kind == INDENT:
                    nxt = t[self.pos + 1]
                    if nxt.kind in (NEWLINE, EOF):
                        empty += 1
                        self.pos += 1
                        continue
                    found = nxt.kind != COMMENT and after.indent > parent
                    break
                found = after.kind not in (EOF, DOC_START, DOC_END) and parent < 0
                break
            if not found:
                self.pos = saved
                break
            if t[self.pos].kind == INDENT:
                self.pos += 1
            tok = t[self.pos]
            if tok.kind == DASH:  # a deeper `- x` is text of the value
                self.pos += 1
                text, end = "-", tok.end
                if t[self.pos].kind == SCALAR:
                    rest = t[self.pos]
                    self.pos += 1
                    text, end = "- " + rest.value, rest.end
                parts.append(("\n" * empty if empty else " ") + text)
                continue
            if tok.kind != SCALAR or t[self.pos + 1].kind == COLON:  # not text, or the next key
                self.pos = saved
                break
            self.pos += 1
            parts.append(("\n" * empty if empty else " ") + tok.value)
            end = tok.end
        return self.scalar("".join(parts), first.start, end, "none")

    def block_map(self, base: int, inline_first: bool = False) -> YMap:
        self.enter()
        try:
            return self._block_map(base, inline_first)
        finally:
            self.depth -= 1

    def _block_map(self, base: int, inline_first: bool = False) -> YMap:
        start = self.past_indent().start
        node = YMap(Span(self.base + start, self.base + start), False)
        seen: dict[str, YEntry] = {}
        if inline_first:
            e = self.entry(base)
            if e is not None:
                _add(node, seen, self.errors, e)
        t = self.t
        while t[self.pos].kind != EOF:
            self.skip_blank()
            tok = t[self.pos]
            if tok.kind == EOF:
                break
            indent = tok.indent  # 0 unless an INDENT
            if indent < base:
                break
            if indent > base:
                self.error(
                    f"Unexpected indentation (expected {base}, got {indent})",
                    tok,
                    "unexpected-indentation",
                )
            if not self.mapping_ahead():
                break
            e = self.entry(base)
            if e is None:
                break
            _add(node, seen, self.errors, e)
        if node.entries:
            node.span = Span(node.span.start, node.entries[-1].value.span.end)
        return node

    def entry(self, base: int) -> YEntry | None:
        t = self.t
        if t[self.pos].kind == INDENT:
            self.pos += 1
        key_tok = t[self.pos]
        if key_tok.kind == SCALAR:
            self.pos += 1
        colon = t[self.pos]
        if colon.kind != COLON:
            self.error('Expected ":"', colon, "expected-colon")
            return None
        self.pos += 1
        start, end, fmt = key_tok.start, key_tok.end, key_tok.fmt
        span = Span(self.base + start, self.base + end)
        key = YScalar(span, key_tok.value, self.raw(start, end, fmt), _STYLE[fmt], STR)
        return YEntry(key, self.entry_value(base, colon))

    def entry_value(self, base: int, colon: Token) -> YNode:
        nxt = self.t[self.pos]
        if nxt.kind == SCALAR:
            self.pos += 1
            return self.token_scalar(nxt) if nxt.fmt != "none" else self.plain(nxt, base)
        if nxt.kind == MAP_OPEN:
            return self.flow_map()
        if nxt.kind == SEQ_OPEN:
            return self.flow_seq()
        self.skip_blank()
        if self.cur().kind == EOF:
            self.error("Missing value", colon, "missing-value")
            return self.empty(colon.end)
        indent = self.indent()
        if indent == base and self.past_indent().kind == DASH:
            return self.value(base) or self.empty(colon.end)
        if indent <= base:
            self.error("Missing value", colon, "missing-value")
            return self.empty(colon.end)
        return self.value(base) or self.empty(colon.end)

    def block_seq(self, base: int) -> YSeq:
        self.enter()
        try:
            return self._block_seq(base)
        finally:
            self.depth -= 1

    def _block_seq(self, base: int) -> YSeq:
        start = self.past_indent().start
        node = YSeq(Span(self.base + start, self.base + start), False)
        first = True
        while self.cur().kind != EOF:
            self.skip_blank()
            if self.cur().kind == EOF:
                break
            if first and self.cur().kind == DASH:
                indent = self.column(self.cur().start)
            else:
                indent = self.indent()
            first = False
            if indent < base:
                break
            if indent > base:
                self.error(
                    f"Unexpected indentation (expected {base}, got {indent})",
                    self.cur(),
                    "unexpected-indentation",
                )
            if self.past_indent().kind != DASH:
                break
            if self.cur().kind == INDENT:
                self.advance()
            dash = self.advance()
            item = self.item(base, dash)
            node.items.append(item)
            node.span = Span(node.span.start, item.span.end)
        return node

    def item(self, base: int, dash: Token) -> YNode:
        nxt = self.cur()
        if nxt.kind == COMMENT:
            self.advance()
        if nxt.kind == MAP_OPEN:
            return self.flow_map()
        if nxt.kind == SEQ_OPEN:
            return self.flow_seq()
        if nxt.kind == DASH:
            return self.block_seq(self.column(nxt.start))
        if nxt.kind == SCALAR:
            if self.peek(1).kind == COLON:
                return self.block_map(self.column(nxt.start), inline_first=True)
            self.advance()
            return self.token_scalar(nxt) if nxt.fmt != "none" else self.plain(nxt, base)
        self.skip_blank()
        if self.cur().kind == EOF or self.indent() <= base:
            self.error("Missing sequence item value", dash, "missing-value")
            return self.empty(dash.end)
        return self.value(base) or self.empty(dash.end)

    def skip_flow_blank(self) -> None:
        t, pos = self.t, self.pos
        while t[pos].kind in (NEWLINE, INDENT, COMMENT):
            pos += 1
        self.pos = pos

    def flow_map(self) -> YMap:
        self.enter()
        try:
            return self._flow_map()
        finally:
            self.depth -= 1

    def _flow_map(self) -> YMap:
        open_tok = self.advance()
        node = YMap(Span(self.base + open_tok.start, self.base + open_tok.end), True)
        self.skip_flow_blank()
        while self.cur().kind not in (MAP_CLOSE, EOF):
            if self.cur().kind != SCALAR:
                self.error("Expected mapping key", self.cur(), "expected-key")
                break
            key = self.flow_scalar()
            self.skip_flow_blank()
            if self.cur().kind == COLON:
                self.advance()
                self.skip_flow_blank()
                value = self.flow_value()
            else:
                value = self.empty(key.span.end - self.base)
            node.entries.append(
                YEntry(YScalar(key.span, _text(key), key.raw, key.style, STR), value)
            )
            self.skip_flow_blank()
            if self.cur().kind == COMMA:
                self.advance()
                self.skip_flow_blank()
        end = self.cur()
        if end.kind == MAP_CLOSE:
            self.advance()
            node.span = Span(node.span.start, self.base + end.end)
        else:
            self.error('Expected "}"', end, "expected-flow-map-end")
            node.span = Span(node.span.start, self.base + end.start)
        return node

    def flow_seq(self) -> YSeq:
        self.enter()
        try:
            return self._flow_seq()
        finally:
            self.depth -= 1

    def _flow_seq(self) -> YSeq:
        open_tok = self.advance()
        node = YSeq(Span(self.base + open_tok.start, self.base + open_tok.end), True)
        t = self.t
        self.skip_flow_blank()
        while True:
            tok = t[self.pos]
            if tok.kind == SEQ_CLOSE or tok.kind == EOF:
                break
            item: YNode
            if tok.kind == SCALAR:
                item = self.flow_scalar()
            elif tok.kind == MAP_OPEN:
                item = self.flow_map()
            elif tok.kind == SEQ_OPEN:
                item = self.flow_seq()
            else:
                self.error("Unexpected token in flow sequence", tok, "unexpected-token")
                self.pos += 1
                continue
            node.items.append(item)
            self.skip_flow_blank()
            if t[self.pos].kind == COMMA:
                self.pos += 1
                self.skip_flow_blank()
        end = self.cur()
        if end.kind == SEQ_CLOSE:
            self.advance()
            node.span = Span(node.span.start, self.base + end.end)
        else:
            self.error('Expected "]"', end, "expected-flow-seq-end")
            node.span = Span(node.span.start, self.base + end.start)
        return node

    def flow_scalar(self) -> YScalar:
        t = self.t
        tok = self.advance()
        if tok.fmt != "none":
            return self.scalar(tok.value, tok.start, tok.end, tok.fmt)
        parts, end = [tok.value], tok.end
        while True:  # plain text continued on the next lines
            p, newline = self.pos, False
            while t[p].kind in (NEWLINE, INDENT, COMMENT):
                newline = newline or t[p].kind == NEWLINE
                p += 1
            nxt = t[p]
            if not newline or nxt.kind != SCALAR or nxt.fmt != "none":
                break
            self.pos = p + 1
            parts.append(nxt.value)
            end = nxt.end
        return self.scalar(" ".join(parts), tok.start, end, "none")

    def flow_value(self) -> YNode:
        k = self.cur().kind
        if k == MAP_OPEN:
            return self.flow_map()
        if k == SEQ_OPEN:
            return self.flow_seq()
        if k == SCALAR:
            return self.flow_scalar()
        return self.empty(self.cur().start)


def _text(node: YScalar) -> str:
    v = node.value
    return v if isinstance(v, str) else ("true" if v else "false")


def parse(text: str, base: int = 0, memo: Memo | None = None) -> VSCodeParse:
    """VS Code's reading of a header's text (``base``: its document offset); ``memo``: the
    top-level entries parsed for the document's last analysis (``yamltree.Memo``)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as yamltree.parse: many small objects, no cycles
    try:
        if memo is not None:
            parts = memo.parts("vscode", text, base, _part)
            if parts is not None:
                return _joined(parts)
        return _parse(text, base)[0]
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse(text: str, base: int) -> tuple[VSCodeParse, bool]:
    """The parse, and whether a quoted scalar was left open at the end of the text."""
    simple = _simple(text, base)
    if simple is not None:
        return simple, False
    scanner = _Scanner(text)
    p = _Parser(scanner.scan(), text, base)
    try:
        root = p.document()
    except _TooDeep as deep:
        return VSCodeParse(None, (), deep.offset), scanner.unclosed
    rest = next((t for t in p.t[p.pos :] if t.kind not in (NEWLINE, INDENT, COMMENT, EOF)), None)
    stopped = None if rest is None else base + rest.start
    return VSCodeParse(root, tuple(p.errors), stopped=stopped), scanner.unclosed


def _part(text: str, base: int) -> Part | None:
    """One top-level entry parsed alone; None unless it parses cleanly as one entry."""
    r, unclosed = _parse(text, base)
    root = r.root
    if r.errors or r.too_deep is not None or r.stopped is not None or unclosed:
        return None
    if not isinstance(root, YMap) or root.flow or len(root.entries) != 1:
        return None
    return Part(base, root.span, root.entries[0])


def _simple(text: str, base: int) -> VSCodeParse | None:
    """The common header read at once: only ``key: value`` lines, each value plain (with no
    comment), quoted without escapes, or a flow sequence of such items, on its line. None for any
    other header (the scanner and parser read it)."""
    root = YMap(Span(base, base), False)
    seen: dict[str, YEntry] = {}
    errors: list[VSCodeYamlError] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _KEY_COLON.match(text, pos)
        if m is None:
            return None
        key_text = m.group(1)
        key = YScalar(Span(base + pos, base + m.end(1)), key_text, key_text, None, STR)
        value: YNode | None
        if text.startswith("[", m.end()):
            value, pos = _simple_seq(text, m.end(), base)
        else:
            m = _SIMPLE_VALUE.match(text, m.end())
            value, pos = (None, 0) if m is None else (_simple_scalar(m, base), m.end())
        end = _LINE_END.match(text, pos)
        if value is None or end is None:
            return None
        _add(root, seen, errors, YEntry(key, value))
        pos = end.end()
    if not root.entries:
        return None
    root.span = Span(base, root.entries[-1].value.span.end)
    return VSCodeParse(root, tuple(errors))


def _simple_seq(text: str, pos: int, base: int) -> tuple[YSeq | None, int]:
    """For ``_simple``: a flow sequence on one line, its items as in ``_simple_scalar``."""
    seq = YSeq(Span(base + pos, base + pos + 1), True)
    pos = _BLANKS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        seq.span = Span(seq.span.start, base + pos + 1)
        return seq, pos + 1
    while True:
        m = _SIMPLE_ITEM.match(text, pos)
        if m is None:
            return None, pos
        seq.items.append(_simple_scalar(m, base))  # type: ignore[arg-type]
        pos = m.end()
        if m.group(4) == "]":
            seq.span = Span(seq.span.start, base + pos)
            return seq, pos


def _simple_scalar(m: re.Match[str], base: int) -> YScalar | None:
    """For ``_simple``: a scalar of _SIMPLE_VALUE or _SIMPLE_ITEM (groups 1 and 2: quoted in
    single or double quotes, 3: plain); None when a comment ends it."""
    plain = m.group(3)
    if plain is None:
        group = 1 if m.start(1) >= 0 else 2
        quoted = m.group(group)
        span = Span(base + m.start(group) - 1, base + m.end(group) + 1)
        return YScalar(span, quoted, quoted, "'" if group == 1 else '"', STR)
    if "#" in plain and (" #" in plain or "\t#" in plain):
        return None
    plain = plain.rstrip(" \t")
    start = base + m.start(3)
    span = Span(start, start + len(plain))
    if plain == "true" or plain == "false":
        return YScalar(span, plain == "true", plain, None, BOOL)
    return YScalar(span, plain, plain, None, STR)


def _add(node: YMap, seen: dict[str, YEntry], errors: list[VSCodeYamlError], e: YEntry) -> None:
    """An entry of a block mapping, after VS Code's error if its key was seen before."""
    if e.key_text in seen:
        span = e.key.span
        msg = f'Duplicate key: "{e.key_text}"'
        errors.append(VSCodeYamlError(msg, span.start, span.end, "duplicate-key"))
        node.duplicates.append((seen[e.key_text], e))
    seen[e.key_text] = e
    node.entries.append(e)


def _joined(parts: list[Part]) -> VSCodeParse:
    """The entries' parses as the whole header's (``_Parser._block_map`` at the top level)."""
    root = YMap(Span(parts[0].span.start, parts[-1].span.end), False)
    seen: dict[str, YEntry] = {}
    errors: list[VSCodeYamlError] = []
    for part in parts:
        _add(root, seen, errors, part.entry)
    return VSCodeParse(root, tuple(errors))
