"""CodeLens: what an agent, skill or command adds to every request, on its description (issue 14).

A client without CodeLens sees the same in the description's hover."""

from __future__ import annotations

from lsprotocol import types

from agentls.server import AgentLanguageServer, guarded


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    @guarded
    def on_code_lens(params: types.CodeLensParams) -> list[types.CodeLens] | None:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        cost = server.cost_of(a)
        e = a.root.get("description") if a.root is not None else None
        if cost is None or e is None:
            return None
        return [
            types.CodeLens(
                range=conv.range(e.key.span),
                command=types.Command(title=cost.lens(), command=""),
            )
        ]
