"""Document symbols, folding ranges and colours."""

from __future__ import annotations

from lsprotocol import types

from agentls.convert import Converter
from agentls.core.colors import Rgb, colors, presentations
from agentls.core.outline import Symbol, folding, symbols
from agentls.core.text import Span
from agentls.server import AgentLanguageServer, guarded

KINDS = {
    "front-matter": types.SymbolKind.Namespace,
    "key": types.SymbolKind.Property,
    "heading": types.SymbolKind.String,
}


def _symbol(s: Symbol, conv: Converter) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=s.name or " ",
        kind=KINDS[s.kind],
        range=conv.range(s.span),
        selection_range=conv.range(s.selection),
        detail=s.detail or None,
        children=[_symbol(c, conv) for c in s.children] or None,
    )


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded
    def on_symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        return [_symbol(s, conv) for s in symbols(a)]

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded
    def on_folding(params: types.FoldingRangeParams) -> list[types.FoldingRange] | None:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, _ = found
        return [
            types.FoldingRange(start_line=f.start_line, end_line=f.end_line) for f in folding(a)
        ]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_COLOR)
    @guarded
    def on_colors(params: types.DocumentColorParams) -> list[types.ColorInformation]:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return []
        a, conv = found
        return [
            types.ColorInformation(conv.range(span), types.Color(rgb.red, rgb.green, rgb.blue, 1.0))
            for span, rgb in colors(a)
        ]

    @server.feature(types.TEXT_DOCUMENT_COLOR_PRESENTATION)
    @guarded
    def on_presentation(params: types.ColorPresentationParams) -> list[types.ColorPresentation]:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return []
        a, conv = found
        c = params.color
        # the client's range, clamped into the document (a stale or wrong range must not come
        # back as an edit outside the text)
        start, end = conv.offset(params.range.start), conv.offset(params.range.end)
        rng = conv.range(Span(min(start, end), max(start, end)))
        return [
            types.ColorPresentation(label=label, text_edit=types.TextEdit(rng, label))
            for label in presentations(a, Rgb(c.red, c.green, c.blue))
        ]
