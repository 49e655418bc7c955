"""Workspace index (scanned in the background with progress), workspace symbols, definitions."""

from __future__ import annotations

import asyncio
import uuid

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from agentls.core.navigation import reference_at
from agentls.core.workspace import Entity, collect
from agentls.server import AgentLanguageServer, guarded, log

KIND = {
    "agent": types.SymbolKind.Class,
    "skill": types.SymbolKind.Function,
    "command": types.SymbolKind.Method,
    "prompt": types.SymbolKind.Event,
}


def _location(e: Entity) -> types.Location:
    pos = types.Position(e.line, e.column)
    end = types.Position(e.line, e.column + e.length)
    return types.Location(from_fs_path(e.path) or e.path, types.Range(pos, end))


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.INITIALIZED)
    async def on_initialized(params: types.InitializedParams) -> None:
        folders = [to_fs_path(f.uri) for f in server.workspace.folders.values()]
        folders.append(server.workspace.root_path if not folders else None)
        roots: list[str] = list(dict.fromkeys(r for r in folders if r))
        if not roots:
            return
        token = str(uuid.uuid4())
        caps = server.client_capabilities.window
        progress = bool(caps and caps.work_done_progress)
        if progress:
            try:
                await server.work_done_progress.create_async(token)
                server.work_done_progress.begin(
                    token,
                    types.WorkDoneProgressBegin(
                        title="agentls: indexing agent files", percentage=0
                    ),
                )
            except Exception as e:  # the client may refuse; index anyway
                log.warning("work done progress: %r", e)
                progress = False
        loop = asyncio.get_running_loop()
        total = 0
        for root in roots:
            found = await loop.run_in_executor(None, collect, root)  # off the event loop
            total += server.index.merge(found)  # on it: no concurrent mutation
        if progress:
            server.work_done_progress.end(
                token,
                types.WorkDoneProgressEnd(message=f"{total} agents, skills, commands and prompts"),
            )

    @server.feature(types.WORKSPACE_SYMBOL)
    @guarded
    def on_workspace_symbol(params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        return [
            types.SymbolInformation(
                name=e.name, kind=KIND[e.kind], location=_location(e), container_name=e.dialect
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
        return [_location(e) for e in server.index.named(ref.name, ref.kinds)] or None
