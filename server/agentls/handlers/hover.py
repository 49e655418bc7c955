"""Hover: docs for keys, values, tools and models; the description as the agent gets it."""

from __future__ import annotations

from lsprotocol import types

from agentls.server import AgentLanguageServer, guarded


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        from agentls.core.hover import hover  # here: its imports cost ~2 ms of every start

        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        result = hover(a, conv.offset(params.position), lambda: server.cost_of(a))
        if result is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(types.MarkupKind.Markdown, result.markdown),
            range=conv.range(result.span),
        )
