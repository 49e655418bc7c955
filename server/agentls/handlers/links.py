"""Document links: linked and included files, and the agents and skills named in front matter."""

from __future__ import annotations

import os

from lsprotocol import types

from agentls.core.links import candidates, links_in
from agentls.core.navigation import references_in
from agentls.server import AgentLanguageServer, guarded


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
    @guarded
    def on_document_link(params: types.DocumentLinkParams) -> list[types.DocumentLink] | None:
        server.flush()
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        path = os.path.abspath(a.path) if a.path else None
        out: list[types.DocumentLink] = []
        for ref in references_in(a):
            targets = server.index.named(ref.name, ref.kinds)
            if targets:
                t = targets[0]
                out.append(
                    types.DocumentLink(
                        conv.range(ref.span),
                        target=server.uris.uri(t.path),
                        tooltip=f"{t.kind} {t.name}: {os.path.basename(t.path)}",
                    )
                )
        for link in links_in(a):
            hit = next(
                (p for p in candidates(link, path, server.index.roots) if os.path.exists(p)), None
            )
            if hit is not None:
                out.append(types.DocumentLink(conv.range(link.span), target=server.uris.uri(hit)))
        return out
