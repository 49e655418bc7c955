"""LineIndex without its index (positions counted in the text) agrees with the indexed one."""

from __future__ import annotations

import bisect
import random
import re

from agentls.core.text import Columns, LineIndex, utf16_len

_EOL = re.compile(r"\r\n|\r|\n")


def _reference(text: str, offset: int) -> tuple[int, int]:
    """The position as first written: a full index of line starts, then a clamp."""
    starts = [0, *(m.end() for m in _EOL.finditer(text))]
    offset = max(0, min(offset, len(text)))
    line = bisect.bisect_right(starts, offset) - 1
    if line + 1 < len(starts):
        end = starts[line + 1]
        end = end - 2 if text.startswith("\r\n", end - 2) and end - 2 >= starts[line] else end - 1
    else:
        end = len(text)
    return line, min(offset, end) - starts[line]


def test_positions_match_the_reference() -> None:
    rng = random.Random(13)
    pieces = ["a", "bc", "é", "\U0001f600", " ", "\n", "\n", "\r\n", "\r", "\n\n"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        lines = LineIndex(text)
        fresh = LineIndex(text)
        cols = Columns(LineIndex(text), utf16_len)
        for _ in range(rng.randrange(1, 25)):  # enough queries to build the index on the way
            offset = rng.randrange(-2, len(text) + 3)
            want = _reference(text, offset)
            assert lines.position(offset) == want, (text, offset)
            line, col = cols.lines.position(offset)
            assert (line, col) == want
            assert cols.units(line, col) == utf16_len(
                text[fresh.line_start(line) : fresh.line_start(line) + col]
            )
            assert lines.line_start(line) == fresh.line_start(line)
            assert lines.line_end(line) == fresh.line_end(line)
            assert lines.line_text(line) == fresh.line_text(line)
        assert lines.line_count == fresh.line_count


def test_a_text_without_cr_is_not_indexed_for_a_few_positions() -> None:
    text = "---\nname: x\n---\n" + "body line\n" * 1000
    lines = LineIndex(text)
    assert lines.position(text.index("x")) == (1, 6)
    assert lines.line_end(1) == text.index("\n---")
    assert lines._index is None
    for _ in range(20):
        lines.position(len(text) - 1)  # past the scanning budget: the index is built
    assert lines._index is not None
    assert lines.position(len(text) - 1) == (1002, 9)
