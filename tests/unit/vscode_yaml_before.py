"""A copy of core/vscode_yaml.py as it was before the faster scanner and parser (commit 1ac90bc),
kept only for tests/unit/test_vscode_yaml_equiv.py: the new one must give the same results.

VS Code's own front-matter parser, emulated (VS Code 1.139; tests/conformance/vscode/NOTES.md).

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
_SPACES = re.compile(r" *")
_TO_EOL = re.compile(r"[^\r\n]*")
_LINE = re.compile(r"( *)([^\r\n]*)(?:\r\n|\r|\n)?")
_PLAIN_STOP = re.compile(r"[\r\n:#]")
_PLAIN_STOP_FLOW = re.compile(r"[\r\n:#,{}\[\]]")
_QUOTED_RUN = {"'": re.compile(r"[^'\r\n]+"), '"': re.compile(r'[^"\\\r\n]+')}


class Token(NamedTuple):
    kind: int
    start: int
    end: int
    value: str = ""
    fmt: str = "none"  # none | single | double | literal | folded
    indent: int = 0


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


def _is_break(c: str) -> bool:
    return c in ("\n", "\r")


def _ends_marker(c: str) -> bool:
    return c in ("", " ", "\t", "\n", "\r")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0
        self.depth = 0  # flow nesting: `,` `]` `}` are special only inside
        self.colon = False  # a `key:` colon was seen on this line (outside flow collections)
        self.documents = 0  # `---` lines seen: scanning stops at the second
        self.unclosed = False  # a quoted scalar ran to the end of the text
        self.out: list[Token] = []

    def ch(self, at: int = 0) -> str:
        p = self.pos + at
        return self.s[p] if 0 <= p < len(self.s) else ""

    def newline(self) -> bool:
        if self.ch() == "\r" and self.ch(1) == "\n":
            self.pos += 2
            return True
        if _is_break(self.ch()):
            self.pos += 1
            return True
        return False

    def emit_newline(self) -> None:
        start = self.pos
        if self.newline():
            self.out.append(Token(NEWLINE, start, self.pos))

    def blanks(self) -> None:
        self.pos = _BLANKS.match(self.s, self.pos).end()  # type: ignore[union-attr]

    def to_eol(self) -> None:
        """Past every character up to the line break (or the end)."""
        self.pos = _TO_EOL.match(self.s, self.pos).end()  # type: ignore[union-attr]

    def scan(self) -> list[Token]:
        while self.pos < len(self.s) and self.documents <= 1:
            self.line()
        self.out.append(Token(EOF, self.pos, self.pos))
        return self.out

    def line(self) -> None:
        self.colon = False
        if _is_break(self.ch()):
            self.emit_newline()
            return
        start = self.pos
        self.blanks()
        indent = self.pos - start  # tabs count one
        if indent:
            self.out.append(Token(INDENT, start, self.pos, indent=indent))
        if not self.ch() or _is_break(self.ch()):
            self.emit_newline()
            return
        head = self.s[self.pos : self.pos + 3]
        if indent == 0 and head in ("---", "...") and _ends_marker(self.ch(3)):
            kind = DOC_START if head == "---" else DOC_END
            self.out.append(Token(kind, self.pos, self.pos + 3))
            self.pos += 3
            if kind == DOC_START:
                self.content()
                self.emit_newline()
                self.documents += 1
                return
        elif self.ch() == "#":
            self.comment()
            self.emit_newline()
            return
        elif self.ch() == "%":  # a directive: skipped
            self.to_eol()
            self.emit_newline()
            return
        self.content()
        self.emit_newline()

    def content(self) -> None:
        while self.ch() and not _is_break(self.ch()):
            self.blanks()
            c = self.ch()
            if not c or _is_break(c):
                break
            p = self.pos
            if c == "#":
                self.comment()
                break
            if c in "{[":
                self.depth += 1
                self.out.append(Token(MAP_OPEN if c == "{" else SEQ_OPEN, p, p + 1))
                self.pos += 1
            elif c in "}]" and self.depth > 0:
                self.depth -= 1
                self.out.append(Token(MAP_CLOSE if c == "}" else SEQ_CLOSE, p, p + 1))
                self.pos += 1
            elif c == "," and self.depth > 0:
                self.out.append(Token(COMMA, p, p + 1))
                self.pos += 1
            elif c == "-" and _ends_marker(self.ch(1)):
                self.out.append(Token(DASH, p, p + 1))
                self.pos += 1
            elif c == ":" and self.value_colon():
                self.out.append(Token(COLON, p, p + 1))
                self.pos += 1
                self.colon = self.colon or self.depth == 0
            elif c == ":" and self.depth > 0 and self.after_json():
                self.out.append(Token(COLON, p, p + 1))
                self.pos += 1
            elif c in "'\"":
                self.quoted(c)
            elif c in "|>" and self.depth == 0 and self.block_header():
                self.block_scalar(c)
                break
            else:
                self.plain()

    def value_colon(self) -> bool:
        """`: ` (or `:` at the end of the line) separates a key from its value; outside flow
        collections only the first one of a line does (VS Code 1.139: `description: Use when:
        asked` is one value, g0105)."""
        if self.colon and self.depth == 0:
            return False
        nxt = self.ch(1)
        return _ends_marker(nxt) or (self.depth > 0 and nxt in (",", "}", "]"))

    def after_json(self) -> bool:
        for t in reversed(self.out):
            if t.kind in (NEWLINE, INDENT, COMMENT):
                continue
            return (t.kind == SCALAR and t.fmt != "none") or t.kind in (MAP_CLOSE, SEQ_CLOSE)
        return False

    def comment(self) -> None:
        start = self.pos
        self.to_eol()
        self.out.append(Token(COMMENT, start, self.pos))

    def plain(self) -> None:
        s = self.s
        start = end = self.pos
        stop = _PLAIN_STOP_FLOW if self.depth > 0 else _PLAIN_STOP
        while True:
            m = stop.search(s, self.pos)
            at = len(s) if m is None else m.start()
            run = s[self.pos : at].rstrip(" \t")  # ordinary characters: blanks end no scalar
            if run:
                end = self.pos + len(run)
            self.pos = at
            if m is None:
                break
            c = s[at]
            if _is_break(c) or (self.depth > 0 and c in ",}]{["):
                break
            if c == ":" and self.value_colon():
                break
            if c == "#" and at > start and s[at - 1] in " \t":
                break
            self.pos = end = at + 1
        self.out.append(Token(SCALAR, start, end, s[start:end]))

    def quoted(self, q: str) -> None:
        start = self.pos
        self.pos += 1
        parts: list[str] = []
        trailing = 0  # literal blanks at the end of `parts`, trimmed by a line fold
        ordinary = _QUOTED_RUN[q]
        while self.ch():
            m = ordinary.match(self.s, self.pos)
            if m is not None:  # no quote, escape or line break: taken as written
                run = m.group()
                kept = run.rstrip(" \t")
                trailing = len(run) - len(kept) + (0 if kept else trailing)
                parts.append(run)
                self.pos = m.end()
                continue
            c = self.ch()
            if c == q:
                if q == "'" and self.ch(1) == "'":
                    parts.append("'")
                    self.pos += 2
                    trailing = 0
                    continue
                self.pos += 1
                break
            if q == '"' and c == "\\":
                nxt = self.ch(1)
                if _is_break(nxt):
                    self.pos += 1
                    self.newline()
                    self.blanks()
                    trailing = 0
                    continue
                if nxt in _HEX:
                    n = _HEX[nxt]
                    digits = self.s[self.pos + 2 : self.pos + 2 + n]
                    try:
                        if len(digits) != n:
                            raise ValueError
                        parts.append(chr(int(digits, 16)))
                        self.pos += 2 + n
                    except ValueError:
                        parts.append("\\" + nxt)
                        self.pos += 2
                    trailing = 0
                    continue
                parts.append(_ESCAPES.get(nxt, "\\" + nxt))
                self.pos += 2
                trailing = 0
                continue
            if _is_break(c):
                if trailing:
                    joined = "".join(parts)
                    parts = [joined[: len(joined) - trailing]]
                trailing = 0
                self.newline()
                empty = 0
                while self.ch():
                    self.blanks()
                    if _is_break(self.ch()):
                        empty += 1
                        self.newline()
                    else:
                        break
                parts.append("\n" * empty if empty else " ")
                continue
            trailing = trailing + 1 if c in " \t" else 0
            parts.append(c)
            self.pos += 1
        else:
            self.unclosed = True
        fmt = "single" if q == "'" else "double"
        self.out.append(Token(SCALAR, start, self.pos, "".join(parts), fmt))

    def block_header(self) -> bool:
        p = self.pos + 1
        while p < len(self.s) and (self.s[p] in "123456789+-"):
            p += 1
        while p < len(self.s) and self.s[p] in " \t":
            p += 1
        return p >= len(self.s) or self.s[p] in "\n\r#"

    def block_scalar(self, style: str) -> None:
        start = self.pos
        self.pos += 1
        explicit, chomp = 0, "clip"
        for _ in range(2):
            c = self.ch()
            if c and c in "123456789" and not explicit:
                explicit = int(c)
                self.pos += 1
            elif c == "-" and chomp == "clip":
                chomp = "strip"
                self.pos += 1
            elif c == "+" and chomp == "clip":
                chomp = "keep"
                self.pos += 1
        self.blanks()
        if self.ch() == "#":
            self.to_eol()
        self.newline()
        parent = self.parent_indent()
        want = parent + explicit if explicit else 0
        lines: list[str] = []
        trailing = 0
        text, pos = self.s, self.pos
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
        self.pos = line_start
        value = "\n".join(lines) if style == "|" else _fold(lines)
        if trailing:
            value = value.rstrip("\n")
        has_content = any(lines)
        if chomp == "clip" and has_content:
            value += "\n"
        elif chomp == "keep":
            value = value + "\n" * (trailing + 1) if has_content else "\n" * trailing
        fmt = "literal" if style == "|" else "folded"
        self.out.append(Token(SCALAR, start, self.pos, value, fmt))

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
        line_start = max(self.s.rfind("\n", 0, offset), self.s.rfind("\r", 0, offset)) + 1
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
        self.t = tokens
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

    def peek(self, n: int = 0) -> Token:
        return self.t[min(self.pos + n, len(self.t) - 1)]

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
        while True:
            k = self.cur().kind
            if k in (NEWLINE, COMMENT) or (
                k == INDENT and self.peek(1).kind in (NEWLINE, COMMENT, EOF)
            ):
                self.advance()
            else:
                return

    def indent(self) -> int:
        return self.cur().indent if self.cur().kind == INDENT else 0

    def past_indent(self) -> Token:
        return self.peek(1) if self.cur().kind == INDENT else self.cur()

    def mapping_ahead(self) -> bool:
        n = 1 if self.peek().kind == INDENT else 0
        return self.peek(n).kind == SCALAR and self.peek(n + 1).kind == COLON

    def column(self, offset: int) -> int:
        line_start = max(self.s.rfind("\n", 0, offset), self.s.rfind("\r", 0, offset)) + 1
        return offset - line_start

    # -- nodes
    def scalar(self, value: str, start: int, end: int, fmt: str) -> YScalar:
        span = Span(self.base + start, self.base + end)
        raw = self.s[start:end]
        if fmt in ("single", "double"):  # the source between the quotes, as yamltree's
            q = raw[0]
            raw = raw[1:-1] if len(raw) > 1 and raw.endswith(q) else raw[1:]
        if fmt == "none" and value in ("true", "false"):
            return YScalar(span, value == "true", raw, None, BOOL)
        return YScalar(span, value, raw, _STYLE[fmt], STR)

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
        value, end = first.value, first.end
        while True:
            saved = self.pos
            empty = 0
            found = False
            while self.pos < len(self.t):
                t = self.cur()
                if t.kind != NEWLINE:
                    break
                self.advance()
                after = self.cur()
                if after.kind == NEWLINE:
                    empty += 1
                    continue
                if after.kind == INDENT:
                    nxt = self.peek(1)
                    if nxt.kind in (NEWLINE, EOF):
                        empty += 1
                        self.advance()
                        continue
                    found = nxt.kind != COMMENT and after.indent > parent
                    break
                found = after.kind not in (EOF, DOC_START, DOC_END) and parent < 0
                break
            if not found:
                self.pos = saved
                break
            if self.cur().kind == INDENT:
                self.advance()
            if self.cur().kind != SCALAR:
                if self.cur().kind == DASH:  # a deeper `- x` is text of the value
                    dash = self.advance()
                    text = "-"
                    end = dash.end
                    if self.cur().kind == SCALAR:
                        rest = self.advance()
                        text, end = "- " + rest.value, rest.end
                    value += ("\n" * empty if empty else " ") + text
                    continue
                self.pos = saved
                break
            if self.peek(1).kind == COLON:  # the next key
                self.pos = saved
                break
            cont = self.advance()
            value += ("\n" * empty if empty else " ") + cont.value
            end = cont.end
        return self.scalar(value, first.start, end, "none")

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

        def add(e: YEntry, key_tok: YScalar) -> None:
            if e.key_text in seen:
                msg = f'Duplicate key: "{e.key_text}"'
                self.errors.append(
                    VSCodeYamlError(msg, key_tok.span.start, key_tok.span.end, "duplicate-key")
                )
                node.duplicates.append((seen[e.key_text], e))
            seen[e.key_text] = e
            node.entries.append(e)

        if inline_first:
            e = self.entry(base)
            if e is not None:
                add(e, e.key)  # type: ignore[arg-type]
        while self.cur().kind != EOF:
            self.skip_blank()
            if self.cur().kind == EOF:
                break
            indent = self.indent()
            if indent < base:
                break
            if indent > base:
                self.error(
                    f"Unexpected indentation (expected {base}, got {indent})",
                    self.cur(),
                    "unexpected-indentation",
                )
            if not self.mapping_ahead():
                break
            e = self.entry(base)
            if e is None:
                break
            add(e, e.key)  # type: ignore[arg-type]
        if node.entries:
            node.span = Span(node.span.start, node.entries[-1].value.span.end)
        return node

    def entry(self, base: int) -> YEntry | None:
        if self.cur().kind == INDENT:
            self.advance()
        key_tok = self.cur()
        if key_tok.kind == SCALAR:
            self.advance()
        colon = self.cur()
        if colon.kind != COLON:
            self.error('Expected ":"', colon, "expected-colon")
            return None
        self.advance()
        scalar = self.scalar(key_tok.value, key_tok.start, key_tok.end, key_tok.fmt)
        key = YScalar(scalar.span, key_tok.value, scalar.raw, scalar.style, STR)
        return YEntry(key, self.entry_value(base, colon))

    def entry_value(self, base: int, colon: Token) -> YNode:
        nxt = self.cur()
        if nxt.kind == MAP_OPEN:
            return self.flow_map()
        if nxt.kind == SEQ_OPEN:
            return self.flow_seq()
        if nxt.kind == SCALAR:
            self.advance()
            return self.token_scalar(nxt) if nxt.fmt != "none" else self.plain(nxt, base)
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
        while self.cur().kind in (NEWLINE, INDENT, COMMENT):
            self.advance()

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
        self.skip_flow_blank()
        while self.cur().kind not in (SEQ_CLOSE, EOF):
            k = self.cur().kind
            item: YNode
            if k == MAP_OPEN:
                item = self.flow_map()
            elif k == SEQ_OPEN:
                item = self.flow_seq()
            elif k == SCALAR:
                item = self.flow_scalar()
            else:
                self.error("Unexpected token in flow sequence", self.cur(), "unexpected-token")
                self.advance()
                continue
            node.items.append(item)
            self.skip_flow_blank()
            if self.cur().kind == COMMA:
                self.advance()
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
        tok = self.advance()
        if tok.fmt != "none":
            return self.token_scalar(tok)
        value, end = tok.value, tok.end
        while True:
            p, newline = self.pos, False
            while p < len(self.t) and self.t[p].kind in (NEWLINE, INDENT, COMMENT):
                newline = newline or self.t[p].kind == NEWLINE
                p += 1
            if not newline or p >= len(self.t):
                break
            nxt = self.t[p]
            if nxt.kind != SCALAR or nxt.fmt != "none":
                break
            self.pos = p + 1
            value += " " + nxt.value
            end = nxt.end
        return self.scalar(value, tok.start, end, "none")

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


def _joined(parts: list[Part]) -> VSCodeParse:
    """The entries' parses as the whole header's (``_Parser._block_map`` at the top level)."""
    root = YMap(Span(parts[0].span.start, parts[-1].span.end), False)
    seen: dict[str, YEntry] = {}
    errors = []
    for part in parts:
        e = part.entry
        if e.key_text in seen:
            msg = f'Duplicate key: "{e.key_text}"'
            errors.append(VSCodeYamlError(msg, e.key.span.start, e.key.span.end, "duplicate-key"))
            root.duplicates.append((seen[e.key_text], e))
        seen[e.key_text] = e
        root.entries.append(e)
    return VSCodeParse(root, tuple(errors))
