"""Text hygiene: mojibake, control characters, line separators, lone surrogates."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from agentls.core.text import Span

# Findings per kind and file: a binary or garbled file must not produce a million of them
# (the first ones show the problem; the file's size does not change the report's).
MAX_REPORTS = 100
MAX_MOJIBAKE = 1000  # each has its own quick fix, and "fix all" applies them together


@functools.cache
def _cp1252_high() -> dict[str, int]:
    """Windows-1252's characters for bytes 0x80-0xBF (UTF-8 continuation bytes) -> byte.

    The five bytes it leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) come back as the C1 controls
    of the same value in most editors.
    """
    table: dict[str, int] = {}
    for b in range(0x80, 0xC0):
        try:
            table[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            table[chr(b)] = b
    return table


_LEAD = re.compile("[\u00c2-\u00f4]")


@functools.cache
def _mojibake_re() -> re.Pattern[str]:
    cont = "".join(re.escape(c) for c in _cp1252_high())
    return re.compile(
        rf"(?:[\u00c2-\u00df][{cont}]|[\u00e0-\u00ef][{cont}]{{2}}|[\u00f0-\u00f4][{cont}]{{3}})+"
    )


@functools.cache
def _start_utf8() -> re.Pattern[bytes]:
    """A lead character (U+00C2-U+00F4: C3 82-B4) and a continuation one, in UTF-8."""
    conts = sorted(c.encode("utf-8") for c in _cp1252_high())
    return re.compile(b"\xc3[\x82-\xb4](?:" + b"|".join(re.escape(c) for c in conts) + b")")


# Characters a YAML parser refuses (PyYAML/libyaml printable set), other than tab/LF/CR.
_YAML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_YAML_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_LINE_SEPS = re.compile(r"[\u2028\u2029\x85]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _repair(run: str) -> str | None:
    try:
        table = _cp1252_high()
        data = bytes(table.get(c, ord(c)) for c in run)
        fixed = data.decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return None
    return fixed if any(ord(c) > 0x7F for c in fixed) else None


def mojibake(
    text: str, start: int = 0, end: int | None = None, limit: int = MAX_MOJIBAKE
) -> Iterator[tuple[Span, str, str]]:
    """(span, garbled, repaired) for the first ``limit`` runs of UTF-8 read as Windows-1252."""
    if text.isascii():
        return
    end = len(text) if end is None else end
    # a run starts with a lead character and a continuation one: searched for in UTF-8, from
    # the first byte C3 (a byte find and a byte search: many times faster than the regex's scan)
    data = text[start:end].encode("utf-8", "surrogatepass")
    at = data.find(b"\xc3")
    if at < 0 or not _start_utf8().search(data, at):
        return
    lead = _LEAD.search(text, start, end)
    if lead is None:
        return
    found = 0
    for m in _mojibake_re().finditer(text, lead.start(), end):
        fixed = _repair(m.group())
        if fixed is not None:
            yield Span(m.start(), m.end()), m.group(), fixed
            found += 1
            if found == limit:
                return


def bad_yaml_chars(
    text: str, start: int, end: int, limit: int = MAX_REPORTS
) -> Iterator[tuple[int, str]]:
    """The first ``limit`` characters a YAML parser refuses, lone surrogates excepted."""
    for m in itertools.islice(_YAML_CTRL.finditer(text, start, end), limit):
        yield m.start(), m.group()


def line_separators(
    text: str, start: int, end: int, limit: int = MAX_REPORTS
) -> Iterator[tuple[int, str]]:
    for m in itertools.islice(_LINE_SEPS.finditer(text, start, end), limit):
        yield m.start(), m.group()


def surrogates(text: str, limit: int = MAX_REPORTS) -> Iterator[int]:
    try:  # UTF-8 encodes every character but a lone surrogate (faster than the regex's scan)
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return
    for m in itertools.islice(_SURROGATE.finditer(text), limit):
        yield m.start()


def clean_for_yaml(text: str) -> str:
    """Same length, without characters that make libyaml fail or split lines differently."""
    text = _YAML_BAD.sub(" ", text)
    return text if text.isascii() else _LINE_SEPS.sub(" ", text)
