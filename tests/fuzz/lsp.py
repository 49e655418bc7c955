"""The fuzzer's own model of LSP positions: lines split on \\n, \\r\\n and \\r only (LSP 3.17
§ Text Documents; U+2028, NEL and form feed are not line breaks), columns counted in the
negotiated encoding. Written independently of the server's `LineIndex` and `Converter`."""

from __future__ import annotations

import bisect
import re
from typing import Any

EOL = re.compile(r"\r\n|\r|\n")
ENCODINGS = ("utf-8", "utf-16", "utf-32")


def width(ch: str, enc: str) -> int:
    """The length of one code point in ``enc`` units."""
    o = ord(ch)
    if enc == "utf-32":
        return 1
    if enc == "utf-16":
        return 2 if o > 0xFFFF else 1
    return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4


def units(s: str, enc: str) -> int:
    if enc == "utf-32" or s.isascii():
        return len(s)
    return sum(width(ch, enc) for ch in s)


class Lines:
    """Line starts of one text (code-point offsets), LSP terminators only."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in EOL.finditer(text))]

    @property
    def count(self) -> int:
        return len(self.starts)

    def content_end(self, line: int) -> int:
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        if self.text.startswith("\r\n", end - 2) and end - 2 >= self.starts[line]:
            return end - 2
        return end - 1

    def line(self, line: int) -> str:
        return self.text[self.starts[line] : self.content_end(line)]

    def snap(self, offset: int) -> int:
        """``offset`` moved off the middle of a \\r\\n (no LSP position lies there)."""
        offset = max(0, min(offset, len(self.text)))
        if 0 < offset < len(self.text) and self.text[offset - 1 : offset + 1] == "\r\n":
            return offset - 1
        return offset

    def position(self, offset: int, enc: str) -> dict[str, int]:
        offset = self.snap(offset)
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return {"line": line, "character": units(self.text[start:offset], enc)}

    def offset(self, pos: dict[str, Any], enc: str) -> int | None:
        """Code-point offset of an LSP position; None when it is outside the text or inside a
        character (the middle of a UTF-8 sequence or of a surrogate pair)."""
        line, char = pos.get("line"), pos.get("character")
        if not isinstance(line, int) or not isinstance(char, int) or isinstance(line, bool):
            return None
        if not 0 <= line < self.count or char < 0:
            return None
        text = self.line(line)
        seen = 0
        for i, ch in enumerate(text):
            if seen == char:
                return self.starts[line] + i
            if seen > char:
                return None
            seen += width(ch, enc)
        return self.starts[line] + len(text) if seen == char else None


def is_range(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("start"), dict)
        and isinstance(obj.get("end"), dict)
        and "line" in obj["start"]
    )


def check_range(lines: Lines, rng: dict[str, Any], enc: str) -> str | None:
    """Why ``rng`` is not a range of the text in ``enc``, or None when it is."""
    a = lines.offset(rng["start"], enc)
    b = lines.offset(rng["end"], enc)
    if a is None or b is None:
        bad = rng["start"] if a is None else rng["end"]
        line = bad.get("line")
        if isinstance(line, int) and 0 <= line < lines.count:
            n = units(lines.line(line), enc)
            return f"position {bad} is outside line {line} ({n} {enc} units) or inside a character"
        return f"position {bad} is past the last line ({lines.count} lines)"
    if a > b:
        return f"range {rng} ends before it starts"
    return None


def to_utf16(lines: Lines, pos: dict[str, Any], enc: str) -> dict[str, int]:
    """A position in ``enc`` as the UTF-16 position of the same place (the CLI's JSON)."""
    offset = lines.offset(pos, enc)
    assert offset is not None, pos
    return lines.position(offset, "utf-16")
