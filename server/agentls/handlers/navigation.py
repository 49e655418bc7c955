"""Workspace symbols, go-to-definition, find-references and rename of agents and skills."""

from __future__ import annotations

import os

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from agentls.convert import Converter, units
from agentls.core.navigation import (
    Occurrence,
    Reference,
    invalid_name,
    occurrences,
    path_renames,
    reference_at,
    symbol_at,
)
from agentls.core.workspace import Entity
from agentls.server import AgentLanguageServer, guarded

KIND = {
    "agent": types.SymbolKind.Class,
    "skill": types.SymbolKind.Function,
    "command": types.SymbolKind.Method,
    "prompt": types.SymbolKind.Event,
}


def _location(server: AgentLanguageServer, e: Entity) -> types.Location:
    # the text before a `name:` value (key, spaces, a quote) is ASCII: only the name's own
    # length differs between encodings
    pos = types.Position(e.line, e.column)
    end = types.Position(e.line, e.column + units(e.name[: e.length], server.encoding))
    return types.Location(server.uris.uri(e.path), types.Range(pos, end))


def _failed(message: str) -> JsonRpcException:
    return JsonRpcException(code=types.LSPErrorCodes.RequestFailed, message=message)


def register(server: AgentLanguageServer) -> None:
    def symbol(uri: str, position: types.Position) -> tuple[Reference, Converter] | None:
        """The name under the cursor (a reference, or the file's own name) and the converter."""
        server.flush()
        found = server.agent_file(uri)
        if found is None:
            return None
        a, conv = found
        own = server.index.by_path.get(os.path.abspath(a.path)) if a.path else None
        ref = symbol_at(a, conv.offset(position), own)
        return (ref, conv) if ref is not None else None

    def find(ref: Reference) -> list[Occurrence]:
        return occurrences(ref.name, ref.kinds, server.index, server.load)

    def rng(o: Occurrence) -> types.Range:
        return server.converter(o.analysis).range(o.span)

    def uri(o: Occurrence) -> str:
        return server.uris.uri(o.analysis.path or "")

    @server.feature(types.WORKSPACE_SYMBOL)
    @guarded
    def on_workspace_symbol(params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        server.flush()
        return [
            types.SymbolInformation(
                name=e.name,
                kind=KIND[e.kind],
                location=_location(server, e),
                container_name=e.dialect,
            )
            for e in server.index.search(params.query)
        ]

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded
    def on_definition(params: types.DefinitionParams) -> list[types.Location] | None:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        ref = reference_at(a, conv.offset(params.position))
        if ref is None:
            return None
        return [_location(server, e) for e in server.index.named(ref.name, ref.kinds)] or None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded
    def on_references(params: types.ReferenceParams) -> list[types.Location] | None:
        found = symbol(params.text_document.uri, params.position)
        if found is None:
            return None
        ref = found[0]
        keep_decl = params.context.include_declaration
        return [types.Location(uri(o), rng(o)) for o in find(ref) if keep_decl or not o.declaration]

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded
    def on_prepare_rename(params: types.PrepareRenameParams) -> types.PrepareRenameResult | None:
        found = symbol(params.text_document.uri, params.position)
        if found is None or found[0].builtin:
            return None
        ref, conv = found
        return types.PrepareRenamePlaceholder(conv.range(ref.span), ref.name)

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    @guarded
    def on_rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        at = symbol(params.text_document.uri, params.position)
        if at is None or at[0].builtin:
            return None
        ref = at[0]
        new = params.new_name.strip()
        problem = invalid_name(new)
        if problem:
            raise _failed(problem)
        found = find(ref)
        moves = path_renames(server.index.named(ref.name, ref.kinds), ref.name, new)
        edits: dict[str, list[types.TextEdit]] = {}
        for o in found:
            edits.setdefault(uri(o), []).append(types.TextEdit(rng(o), new))
        if not moves:
            return types.WorkspaceEdit(changes=edits)
        if not server.can_rename_files:
            raise _failed(
                f"Renaming `{ref.name}` also renames {os.path.basename(moves[0][0])}, and this "
                "editor cannot rename files through the language server."
            )
        changes: list[types.TextDocumentEdit | types.RenameFile] = []
        for doc_uri, text_edits in edits.items():
            doc = server.document(doc_uri)
            ident = types.OptionalVersionedTextDocumentIdentifier(
                doc_uri, doc.version if doc is not None else None
            )
            changes.append(types.TextDocumentEdit(ident, list(text_edits)))
        for old, new_path in moves:  # after the text edits, which name the old paths
            changes.append(types.RenameFile(server.uris.uri(old), server.uris.uri(new_path)))
        return types.WorkspaceEdit(document_changes=changes)
