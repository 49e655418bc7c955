"""Line index over a text, in code points, with LSP line terminators (\\n, \\r\\n, \\r)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from itertools import accumulate, repeat
from operator import add

_EOL = re.compile(r"\r\n|\r|\n")


class Span:
    """Half-open range of code-point offsets into a document (treated as immutable).

    A plain slotted class rather than a frozen dataclass: the YAML tree makes one per node, and
    frozen dataclasses are several times slower to construct.
    """

    __slots__ = ("end", "start")

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end if end >= start else start

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self.start == other.start and self.end == other.end

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end})"

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end


class LineIndex:
    """Maps offsets to (line, column) pairs, both in code points, lines split as LSP does.

    The index of line starts is built on first need: a text without a CR finds the position
    of an offset by counting line breaks before it (in C), so a long file with a few findings
    near its top is not indexed at all. Once those counts have scanned as much text as the
    index would, it is built.
    """

    __slots__ = ("_index", "_known", "_no_cr", "_scanned", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: list[int] | None = None
        self._no_cr: bool | None = None  # the text has no CR (computed on first need)
        self._scanned = 0  # code points counted by positions found without the index
        self._known: dict[int, int] = {}  # line -> start, of the lines found without it

    @property
    def _starts(self) -> list[int]:
        starts = self._index
        if starts is None:
            starts = self._index = _line_starts(self.text)
        return starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        if self._index is None:
            start = self._known.get(line)
            if start is not None:
                return start
        starts = self._starts
        return starts[max(0, min(line, len(starts) - 1))]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its terminator)."""
        if self._index is None:
            start = self._known.get(line)
            if start is not None:  # a text without CR: the line ends at the next \n
                eol = self.text.find("\n", start)
                return len(self.text) if eol < 0 else eol
        starts = self._starts
        line = max(0, min(line, len(starts) - 1))
        if line + 1 < len(starts):
            end = starts[line + 1]
            if self.text.startswith("\r\n", end - 2) and end - 2 >= starts[line]:
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.line_start(line) : self.line_end(line)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, code-point column) of ``offset``, clamped into the text."""
        text = self.text
        offset = max(0, min(offset, len(text)))
        starts = self._index
        if starts is None:
            if self._no_cr is None:
                self._no_cr = "\r" not in text
            if self._no_cr and self._scanned + offset <= len(text):
                self._scanned += offset
                line = text.count("\n", 0, offset)
                start = text.rfind("\n", 0, offset) + 1
                self._known[line] = start
                return line, offset - start  # no CR: nothing to clamp
            starts = self._starts
        line = bisect.bisect_right(starts, offset) - 1
        start = starts[line]
        if line + 1 < len(starts) and offset <= starts[line + 1] - 2:
            return line, offset - start  # before the line's terminator, whatever it is
        # an offset between \r and \n belongs to the end of that line (no position is inside
        # a line break: the column is the line's length, not one more)
        return line, min(offset, self.line_end(line)) - start

    def offset(self, line: int, column: int) -> int:
        """Offset of a (line, code-point column), clamped to the line's content."""
        starts = self._starts
        if line >= len(starts):
            return len(self.text)
        if line < 0:
            return 0
        start = starts[line]
        return min(start + max(0, column), self.line_end(line))


def _line_starts(text: str) -> list[int]:
    """The offset where each line starts."""
    if "\r" not in text or text.count("\r") == text.count("\r\n"):
        # only \n or \r\n line ends: split on \n in C (a \r stays in its line's length)
        ends: map[int] = map(add, map(len, text.split("\n")), repeat(1))
        starts = list(accumulate(ends, initial=0))
        starts.pop()
        return starts
    return [0, *(m.end() for m in _EOL.finditer(text))]


class Columns:
    """Columns of a LineIndex's lines in another unit (UTF-16 or UTF-8 code units).

    A long line gets a mark every BLOCK code points (the units before it, computed once), and a
    column is counted from the nearest mark: converting many positions on one huge line costs
    time linear in its length, not positions x length.
    """

    BLOCK = 4096

    __slots__ = ("_ascii", "_marks", "lines", "measure")

    def __init__(self, lines: LineIndex, measure: Callable[[str], int]) -> None:
        self.lines = lines
        self.measure = measure  # the length of a string in the target unit
        self._marks: dict[int, list[int]] = {}
        self._ascii: bool | None = None  # ASCII text: a unit per code point in any encoding

    def _line_marks(self, line: int) -> list[int]:
        marks = self._marks.get(line)
        if marks is None:
            start, end = self.lines.line_start(line), self.lines.line_end(line)
            text, block = self.lines.text, self.BLOCK
            marks = [0]
            for at in range(start + block, end + 1, block):
                marks.append(marks[-1] + self.measure(text[at - block : at]))
            self._marks[line] = marks
        return marks

    def units(self, line: int, column: int) -> int:
        """The length in units of the first ``column`` code points of ``line``."""
        start = self.lines.line_start(line)
        if self._ascii is None:
            self._ascii = self.lines.text.isascii()
        if self._ascii:
            return min(column, len(self.lines.text) - start)
        if column < self.BLOCK:
            return self.measure(self.lines.text[start : start + column])
        marks = self._line_marks(line)
        k = min(column // self.BLOCK, len(marks) - 1)  # the column may be past the content
        return marks[k] + self.measure(self.lines.text[start + k * self.BLOCK : start + column])

    def column(self, line: int, units: int) -> int:
        """The code-point column where ``units`` units of ``line`` end (at a character's
        start: a column inside a character moves past it), clamped to the line's content."""
        start = self.lines.line_start(line)
        end = self.lines.line_end(line)
        text = self.lines.text
        skip = seen = 0
        if end - start > self.BLOCK:
            marks = self._line_marks(line)
            k = bisect.bisect_right(marks, units) - 1  # the last mark at or before it
            skip, seen = k * self.BLOCK, marks[k]
        for i in range(start + skip, end):
            if seen >= units:
                return i - start
            seen += self.measure(text[i])
        return end - start


def utf16_len(s: str) -> int:
    """Length of ``s`` in UTF-16 code units (lone surrogates count as one)."""
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def utf8_len(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def js_len(s: str) -> int:
    """Length in UTF-16 code units (JavaScript's ``.length``)."""
    return len(s) if s.isascii() else len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def js_slice(s: str, n: int) -> str:
    """``s.slice(0, n)`` in UTF-16 code units; a split pair leaves its lone high surrogate."""
    if js_len(s) <= n:
        return s
    out: list[str] = []
    units = 0
    for c in s:
        w = 2 if ord(c) > 0xFFFF else 1
        if units + w > n:
            if units < n:  # half of a pair
                out.append(chr(0xD800 + ((ord(c) - 0x10000) >> 10)))
            break
        out.append(c)
        units += w
    return "".join(out)
