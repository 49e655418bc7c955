from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.conftest import agent_uri, open_doc

DOC = "---\nname: demo\ndescription: Reviews code\ncolor: magenta\ntools: Read, Grepp\n---\nBody\n"


async def test_smoke(client: LanguageClient) -> None:
    uri = agent_uri()
    diags = await open_doc(client, uri, DOC)
    got = sorted((d.range.start.line, d.range.start.character, d.range.end.character, d.code)
                 for d in diags)
    assert got == [(3, 7, 14, "AGL301"), (4, 13, 18, "AGL401")]
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(4, 8)))
    assert hover is not None and "Read" in hover.contents.value
    comp = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri), types.Position(3, 7)))
    assert comp is not None
    labels = [i.label for i in comp.items]
    assert "cyan" in labels and len(labels) == 8
