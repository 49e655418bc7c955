"""Completion of front-matter keys and values."""

from __future__ import annotations

from lsprotocol import types

from agentls.core.catalog import claude
from agentls.core.complete import Candidate, complete
from agentls.core.workspace_checks import own_servers
from agentls.server import AgentLanguageServer, guarded

KINDS = {
    "property": types.CompletionItemKind.Property,
    "enum": types.CompletionItemKind.EnumMember,
    "value": types.CompletionItemKind.Value,
    "tool": types.CompletionItemKind.Function,
    "event": types.CompletionItemKind.Event,
    "snippet": types.CompletionItemKind.Snippet,
    "color": types.CompletionItemKind.Color,
}


def _snippets(server: AgentLanguageServer) -> bool:
    td = server.client_capabilities.text_document
    item = td.completion.completion_item if td and td.completion else None
    return bool(item and item.snippet_support)


def register(server: AgentLanguageServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", ",", "["]),
    )
    @guarded
    def on_completion(params: types.CompletionParams) -> types.CompletionList | None:
        found = server.agent_file(params.text_document.uri)
        if found is None:
            return None
        a, conv = found
        snippets = _snippets(server)
        servers = (server.index.mcp_names() or frozenset()) | own_servers(a)
        items = [
            _item(c, conv.range(c.replace), snippets)
            for c in complete(a, conv.offset(params.position), servers)
        ]
        return types.CompletionList(is_incomplete=False, items=items)


def _item(c: Candidate, rng: types.Range, snippets: bool) -> types.CompletionItem:
    use_snippet = snippets and c.snippet is not None
    doc: str | types.MarkupContent = types.MarkupContent(types.MarkupKind.Markdown, c.doc)
    detail = c.detail
    if c.kind == "color":
        # VS Code draws a swatch when a Color item's documentation is a colour string
        entry = claude().colors.get(c.label)
        doc = str(entry.extra.get("hex", "")) if entry else c.doc
    return types.CompletionItem(
        label=c.label,
        kind=KINDS.get(c.kind, types.CompletionItemKind.Text),
        detail=detail,
        documentation=doc,
        sort_text=c.sort or None,
        filter_text=c.label,
        text_edit=types.TextEdit(rng, c.snippet if use_snippet and c.snippet else c.insert),
        insert_text_format=(
            types.InsertTextFormat.Snippet if use_snippet else types.InsertTextFormat.PlainText
        ),
        deprecated=c.deprecated or None,
    )
