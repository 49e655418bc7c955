"""The server over stdio with pytest-lsp's client: diagnostics, completion, hover, settings."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import (
    ENV,
    ROOT,
    SERVER,
    agent_uri,
    capabilities,
    change_doc,
    open_doc,
    publishes,
    wait_diagnostics,
)

DOC = "---\nname: demo\ndescription: Reviews code\ncolor: magenta\ntools: Read, Grepp\n---\nBody\n"


def spans(diags: list[types.Diagnostic]) -> list[tuple[int, int, int, object]]:
    return sorted(
        (d.range.start.line, d.range.start.character, d.range.end.character, d.code) for d in diags
    )


async def test_diagnostics_on_open_and_change(client: LanguageClient) -> None:
    uri = agent_uri("change.md")
    diags = await open_doc(client, uri, DOC)
    assert spans(diags) == [(3, 7, 14, "AGL301"), (4, 13, 18, "AGL401")]
    assert all(d.source == "agentls" for d in diags)
    diags = await change_doc(client, uri, DOC.replace("magenta", "cyan"), 2)
    assert spans(diags) == [(4, 13, 18, "AGL401")]
    diags = await change_doc(client, uri, DOC.replace("name: demo\n", ""), 3)
    assert next(d.code for d in diags if d.severity == types.DiagnosticSeverity.Warning) == (
        "AGL201"
    )


async def test_burst_of_edits_publishes_only_current_versions(client: LanguageClient) -> None:
    uri = agent_uri("burst.md")
    await open_doc(client, uri, DOC)
    log = publishes(client)
    start = len(log.items)
    for v in range(2, 12):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=v),
                [types.TextDocumentContentChangeWholeDocument(text=DOC + "x" * v)],
            )
        )
    await log.wait(lambda p: p.uri == uri and p.version == 11, start)
    published = [p.version for p in log.items[start:] if p.uri == uri]
    assert published == sorted(published) and published[-1] == 11


async def test_large_document_is_debounced_but_current(client: LanguageClient) -> None:
    uri = agent_uri("large.md")
    body = "word " * 40_000
    await open_doc(client, uri, DOC + body)
    for v in range(2, 6):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=v),
                [
                    types.TextDocumentContentChangeWholeDocument(
                        text=DOC.replace("Grepp", "Grep") + body + str(v)
                    )
                ],
            )
        )
    diags = await wait_diagnostics(client, uri, 5)
    assert spans(diags) == [(3, 7, 14, "AGL301")]


async def test_close_clears_diagnostics(client: LanguageClient) -> None:
    uri = agent_uri("close.md")
    assert await open_doc(client, uri, DOC)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    assert await wait_diagnostics(client, uri, None) == []


async def test_other_markdown_gets_no_diagnostics(client: LanguageClient) -> None:
    uri = (ROOT / "docs" / "notes.md").as_uri()
    assert await open_doc(client, uri, "---\nname: : :\n---\n") == []
    comp = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(1, 0))
    )
    assert comp is None or not comp.items


async def completion(
    client: LanguageClient, uri: str, line: int, ch: int
) -> list[types.CompletionItem]:
    res = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, ch))
    )
    assert res is not None
    return list(res.items if isinstance(res, types.CompletionList) else res)


async def test_completion(client: LanguageClient) -> None:
    uri = agent_uri("complete.md")
    text = (
        "---\nname: demo\ndescription: d\ncolor: \ntools: Read, Gr\nmod\nhooks:\n  Pre\n"
        "disallowedTools:\n  - \n---\n"
    )
    await open_doc(client, uri, text)
    colors = await completion(client, uri, 3, 7)
    assert [i.label for i in colors] == [
        "red",
        "blue",
        "green",
        "yellow",
        "purple",
        "orange",
        "pink",
        "cyan",
    ]
    assert colors[0].kind == types.CompletionItemKind.Color
    tools = await completion(client, uri, 4, 15)
    labels = [i.label for i in tools]
    assert "Grep" in labels and "Read" not in labels
    edit = tools[labels.index("Grep")].text_edit
    assert isinstance(edit, types.TextEdit)
    assert (edit.range.start.character, edit.range.end.character) == (13, 15)
    keys = await completion(client, uri, 5, 3)
    key_labels = [i.label for i in keys]
    assert "model" in key_labels and "name" not in key_labels and "color" not in key_labels
    model = keys[key_labels.index("model")]
    assert model.kind == types.CompletionItemKind.Property
    assert model.documentation is not None
    events = await completion(client, uri, 7, 5)
    assert "PreToolUse" in [i.label for i in events]
    listed = await completion(client, uri, 9, 4)
    assert "Bash" in [i.label for i in listed]


async def test_snippets_only_for_clients_that_support_them(client: LanguageClient) -> None:
    uri = agent_uri("snippet.md")
    await open_doc(client, uri, "---\nname: a\ndescription: d\n\n---\n")
    items = await completion(client, uri, 3, 0)
    color = next(i for i in items if i.label == "color")
    caps = client.capabilities.text_document
    item_caps = caps.completion.completion_item if caps and caps.completion else None
    assert isinstance(color.text_edit, types.TextEdit)
    if item_caps and item_caps.snippet_support:
        assert color.insert_text_format == types.InsertTextFormat.Snippet
        assert color.text_edit.new_text.startswith("color: ${1|red,blue")
    else:
        assert color.insert_text_format == types.InsertTextFormat.PlainText
        assert color.text_edit.new_text == "color: "


async def hover_text(client: LanguageClient, uri: str, line: int, ch: int) -> str | None:
    h = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, ch))
    )
    if h is None:
        return None
    assert isinstance(h.contents, types.MarkupContent)
    return h.contents.value


async def test_hover(client: LanguageClient) -> None:
    uri = agent_uri("hover.md")
    text = (
        "---\nname: demo\ndescription: Use when: asked\\nsecond line\nmodel: opus\n"
        "tools: Read, Agent\n---\n"
    )
    await open_doc(client, uri, text)
    assert "**model**" in (await hover_text(client, uri, 3, 1) or "")
    assert "Opus" in (await hover_text(client, uri, 3, 8) or "")
    agent = await hover_text(client, uri, 4, 15) or ""
    assert "**Agent**" in agent and "Background subagents" in agent
    desc = await hover_text(client, uri, 2, 20) or ""
    assert "```text\nUse when: asked\nsecond line\n```" in desc
    assert await hover_text(client, uri, 6, 0) is None


async def test_example_agent_hover_shows_converted_description(client: LanguageClient) -> None:
    path = ROOT / "examples" / ".claude" / "agents" / "senior-backend-expert.md"
    text = path.read_text("utf-8")
    diags = await open_doc(client, path.as_uri(), text)
    assert sorted({str(d.code) for d in diags}) == ["AGL100", "AGL105"]
    desc = await hover_text(client, path.as_uri(), 2, 30) or ""
    assert "\n<example>\nContext: User needs to design a REST API" in desc


async def test_did_change_configuration(client: LanguageClient) -> None:
    uri = agent_uri("config.md")
    await open_doc(client, uri, DOC)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"agentls": {"severity": {"AGL301": "error", "AGL401": "off"}}}
        )
    )
    diags = await wait_diagnostics(client, uri, 1)
    assert [(d.code, d.severity) for d in diags] == [("AGL301", types.DiagnosticSeverity.Error)]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def old_claude(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("neovim"),
            initialization_options={"claudeCode": {"version": "2.1.50"}},
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_initialization_options_select_the_version(old_claude: LanguageClient) -> None:
    uri = agent_uri("old.md")
    diags = await open_doc(old_claude, uri, "---\nname: a\ndescription: Use when: asked\n---\n")
    assert [(d.code, d.severity) for d in diags] == [("AGL012", types.DiagnosticSeverity.Error)]


EMOJI = '---\n{name: "🚀", description: d, model: gpt-4}\n---\n'


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER, server_env=ENV),
    params=[("utf-16", 36, 41), ("utf-8", 38, 43), ("utf-32", 35, 40)],
)
async def encoded(request: pytest.FixtureRequest, lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    enc = request.param[0]
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities("visual-studio-code", [enc]))
    )
    assert result.capabilities.position_encoding == enc
    lsp_client.expected = request.param  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_positions_after_an_emoji(encoded: LanguageClient) -> None:
    enc, start, end = encoded.expected  # type: ignore[attr-defined]
    uri = agent_uri(f"emoji-{enc}.md")
    diags = await open_doc(encoded, uri, EMOJI)
    model = next(d for d in diags if d.code == "AGL306")
    assert (model.range.start.character, model.range.end.character) == (start, end)
    h = await encoded.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, start + 1))
    )
    assert h is not None and h.range is not None
    assert (h.range.start.character, h.range.end.character) == (start, end)


async def test_server_survives_a_rule_bug_without_popups(client: LanguageClient) -> None:
    """Garbage of every kind: the server answers and never shows an error message."""
    uri = agent_uri("garbage.md")
    texts = ["", "---", "---\n\x00\x01\ud800\n---\n", "---\n" + "[" * 50_000, "\ufeff---\n"]
    for v, t in enumerate(texts, start=1):
        if v == 1:
            await open_doc(client, uri, t)
        else:
            await change_doc(client, uri, t, v)
        await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 1))
        )
    await asyncio.sleep(0)
    assert not [m for m in client.messages if m.type == types.MessageType.Error]
