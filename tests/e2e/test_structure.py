"""Document symbols, folding ranges and colours over stdio."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.conftest import agent_uri, open_doc

DOC = (
    "---\nname: a\ndescription: d\ncolor: green\n---\n\n# Role\n\nText\n\n## Steps\n\n"
    "```md\n# not a heading\n```\n\n# Output\n\nMore\n"
)


async def test_symbols_folding_colors(client: LanguageClient) -> None:
    uri = agent_uri("structure.md")
    await open_doc(client, uri, DOC)
    doc_id = types.TextDocumentIdentifier(uri)
    syms = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc_id))
    assert syms is not None
    names = [s.name for s in syms if isinstance(s, types.DocumentSymbol)]
    assert names == ["front matter", "Role", "Output"]
    fm, role = syms[0], syms[1]
    assert isinstance(fm, types.DocumentSymbol) and isinstance(role, types.DocumentSymbol)
    assert [c.name for c in fm.children or []] == ["name", "description", "color"]
    assert [c.name for c in role.children or []] == ["Steps"]
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(doc_id))
    assert folds is not None
    assert sorted((f.start_line, f.end_line) for f in folds) == [
        (0, 4),
        (6, 14),
        (10, 14),
        (16, 18),
    ]
    colors = await client.text_document_document_color_async(types.DocumentColorParams(doc_id))
    assert colors is not None and len(colors) == 1
    assert (colors[0].range.start.line, colors[0].range.start.character) == (3, 7)
    picked = types.Color(red=0.9, green=0.1, blue=0.1, alpha=1.0)
    pres = await client.text_document_color_presentation_async(
        types.ColorPresentationParams(doc_id, picked, colors[0].range)
    )
    assert pres is not None and pres[0].label == "red"
    assert sorted(p.label for p in pres) == sorted(
        ["red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"]
    )
