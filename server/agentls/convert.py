"""Span <-> LSP Range in the negotiated position encoding; Finding -> Diagnostic."""

from __future__ import annotations

import functools

from lsprotocol import types

from agentls.core.findings import Finding
from agentls.core.text import Columns, LineIndex, Span

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32


def units(s: str, encoding: str) -> int:
    """The length of ``s`` in the client's position units."""
    if encoding == UTF32:
        return len(s)
    if s.isascii():
        return len(s)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate is one unit


class Converter:
    """Converts between code-point offsets and client positions for one text."""

    __slots__ = ("_columns", "encoding", "lines")

    def __init__(self, lines: LineIndex, encoding: str = UTF16) -> None:
        self.lines = lines
        self.encoding = encoding
        self._columns = Columns(lines, functools.partial(units, encoding=encoding))

    def position(self, offset: int) -> types.Position:
        line, col = self.lines.position(offset)
        if self.encoding == UTF32:
            return types.Position(line, col)
        return types.Position(line, self._columns.units(line, col))

    def range(self, span: Span) -> types.Range:
        return types.Range(self.position(span.start), self.position(span.end))

    def offset(self, pos: types.Position) -> int:
        """Code-point offset of a client position; past-end columns clamp to the line end."""
        lines = self.lines
        if pos.line >= lines.line_count:
            return len(lines.text)
        start = lines.line_start(pos.line)
        if self.encoding == UTF32:
            return min(start + pos.character, lines.line_end(pos.line))
        return start + self._columns.column(pos.line, pos.character)


_SEVERITY = {
    1: types.DiagnosticSeverity.Error,
    2: types.DiagnosticSeverity.Warning,
    3: types.DiagnosticSeverity.Information,
    4: types.DiagnosticSeverity.Hint,
}


def diagnostic(f: Finding, conv: Converter) -> types.Diagnostic:
    return types.Diagnostic(
        range=conv.range(f.span),
        message=f.message,
        severity=_SEVERITY[int(f.severity)],
        code=f.code,
        source="agentls",
        data=f.data or None,
    )
