"""The floor: a bare pygls 2 server that publishes an empty diagnostic list on didOpen.

``python bench/bare_server.py`` serves on stdio. Its cold start is the cost of Python plus
pygls and lsprotocol on this machine, which no pygls server can beat.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare", "0.0.0", text_document_sync_kind=types.TextDocumentSyncKind.Full)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=params.text_document.uri, version=params.text_document.version, diagnostics=[]
        )
    )


if __name__ == "__main__":
    server.start_io()
