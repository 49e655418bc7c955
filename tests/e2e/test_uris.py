"""Documents under folders whose names need percent-encoding (a space, `é`, `#`, `+`) and
Windows drive URIs, over stdio: every feature answers for the URI the client sent, publishes
under exactly that string (never under a re-encoded or decoded one), refers to open documents
by it, and to files found on disk by a properly encoded URI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import (
    ENV,
    SERVER,
    accept_registrations,
    capabilities,
    open_doc,
    wait_diagnostics,
    wait_indexed,
)

TIMEOUT = 15.0  # a publish under another URI never arrives: fail instead of hanging

FILES = {
    ".claude/agents/lead.md": (
        "---\nname: lead\ndescription: d\ntools: Read, Agent(code-reviewer), grep\nskills:\n"
        "  - pdf\n  - pdf-forms\n---\n"
        "Read [the guide](../../docs/guide.md) and [this](../../docs/gone.md).\n"
    ),
    ".claude/agents/reviewer.md": "---\nname: code-reviewer\ndescription: d\n---\n",
    ".claude/skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Fill PDFs\n---\n",
    ".github/chatmodes/plan.chatmode.md": "---\ndescription: Plan first\n---\nPlan.\n",
    "docs/guide.md": "# Guide\n",
}

# the workspace folder's name, and whether the client percent-encodes it (VS Code does:
# `my%20proj`, `caf%C3%A9`, `a%23b`, `c%2B%2B`; some clients send UTF-8 and `+` as they are)
FOLDERS = {
    "space": ("my proj", True),
    "accent": ("café", True),
    "accent-raw": ("café", False),
    "hash": ("a#b", True),
    "plus": ("c++ lib", True),
    "plus-raw": ("c++", False),
}


def encoded(path: Path) -> str:
    """A properly encoded file URI, as VS Code writes it (`URI.file(path).toString()`)."""
    return "file://" + quote(path.as_posix(), safe="/")


class Ws(NamedTuple):
    root: Path
    encode: bool

    def uri(self, path: Path) -> str:
        """The URI this client sends for ``path``."""
        return encoded(path) if self.encode else "file://" + path.as_posix()


@pytest.fixture(params=list(FOLDERS))
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Ws:
    name, encode = FOLDERS[request.param]
    root = tmp_path / name
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return Ws(root, encode)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def client(lsp_client: LanguageClient, ws: Ws) -> AsyncIterator[LanguageClient]:
    accept_registrations(lsp_client)
    folder = ws.uri(ws.root)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("visual-studio-code"),
            root_uri=folder,
            workspace_folders=[types.WorkspaceFolder(folder, ws.root.name)],
        )
    )
    await wait_indexed(lsp_client)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def bare(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[LanguageClient]:
    """A VS Code client on an empty workspace (the Windows URIs name no file on this disk)."""
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("visual-studio-code"), root_uri=tmp_path.as_uri()
        )
    )
    await wait_indexed(lsp_client)
    yield lsp_client
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, uri: str, text: str) -> set[str]:
    """didOpen; the codes published for that very URI (fails if they never come)."""
    return {str(d.code) for d in await asyncio.wait_for(open_doc(client, uri, text), TIMEOUT)}


async def published(client: LanguageClient, uri: str, version: int | None) -> set[str]:
    diags = await asyncio.wait_for(wait_diagnostics(client, uri, version), TIMEOUT)
    return {str(d.code) for d in diags}


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri)


def at(line: int, character: int) -> types.Position:
    return types.Position(line, character)


async def fix_all(client: LanguageClient, uri: str) -> types.WorkspaceEdit:
    res = await client.text_document_code_action_async(
        types.CodeActionParams(
            doc(uri),
            types.Range(at(0, 0), at(20, 0)),
            types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind("source.fixAll")]),
        )
    )
    (action,) = [a for a in res or [] if isinstance(a, types.CodeAction)]
    assert action.edit is not None
    return action.edit


async def symbol_uris(client: LanguageClient, query: str) -> dict[str, str]:
    res = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=query))
    return {s.name: s.location.uri for s in res or [] if isinstance(s, types.SymbolInformation)}


async def test_every_feature_uses_the_clients_uri(client: LanguageClient, ws: Ws) -> None:
    lead, reviewer = ws.root / ".claude/agents/lead.md", ws.root / ".claude/agents/reviewer.md"
    skill = ws.root / ".claude/skills/pdf/SKILL.md"
    lead_uri, reviewer_uri = ws.uri(lead), ws.uri(reviewer)
    found = await opened(client, lead_uri, lead.read_text("utf-8"))
    assert {"AGL800", "AGL801"} <= found  # docs/gone.md and pdf-forms: the index found the rest

    hover = await client.text_document_hover_async(types.HoverParams(doc(lead_uri), at(3, 2)))
    assert hover is not None
    res = await client.text_document_completion_async(
        types.CompletionParams(doc(lead_uri), at(3, len("tools: Read, Agent(code-reviewer), g")))
    )
    items = res.items if isinstance(res, types.CompletionList) else res or []
    assert "Grep" in {i.label for i in items}
    outline = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(doc(lead_uri))
    )
    assert outline
    edit = await fix_all(client, lead_uri)
    assert list(edit.changes or {}) == [lead_uri]

    async def link_targets() -> list[str | None]:
        links = await client.text_document_document_link_async(
            types.DocumentLinkParams(doc(lead_uri))
        )
        return sorted((k.target for k in links or []), key=str)

    async def definition() -> list[str]:
        res = await client.text_document_definition_async(
            types.DefinitionParams(doc(lead_uri), at(3, 20))
        )
        found = res if isinstance(res, list) else []
        return [loc.uri for loc in found if isinstance(loc, types.Location)]

    guide = encoded(ws.root / "docs/guide.md")
    # files not open in the editor: properly encoded URIs
    assert await link_targets() == sorted([encoded(reviewer), encoded(skill), guide])
    assert await definition() == [encoded(reviewer)]
    assert (await symbol_uris(client, "pdf"))["pdf"] == encoded(skill)
    # once open: the client's URI, wherever a file is named
    assert "AGL801" not in await opened(client, reviewer_uri, reviewer.read_text("utf-8"))
    assert await link_targets() == sorted([reviewer_uri, encoded(skill), guide])
    assert await definition() == [reviewer_uri]
    symbols = await symbol_uris(client, "")
    assert (symbols["lead"], symbols["code-reviewer"]) == (lead_uri, reviewer_uri)

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=doc(reviewer_uri),
            position=at(1, 8),
        )
    )
    assert sorted(r.uri for r in refs or []) == sorted([lead_uri, reviewer_uri])
    rename = await client.text_document_rename_async(
        types.RenameParams(doc(reviewer_uri), at(1, 8), "critic")
    )
    assert rename is not None and sorted(rename.changes or {}) == sorted([lead_uri, reviewer_uri])
    # a skill's rename also renames its folder: text edits and file operations
    rename = await client.text_document_rename_async(
        types.RenameParams(doc(lead_uri), at(5, 5), "pdf-tools")
    )
    assert rename is not None
    ops = rename.document_changes or []
    edited = {
        o.text_document.uri: o.text_document.version
        for o in ops
        if isinstance(o, types.TextDocumentEdit)
    }
    assert edited == {lead_uri: 1, encoded(skill): None}
    (move,) = [o for o in ops if isinstance(o, types.RenameFile)]
    assert (move.old_uri, move.new_uri) == (
        encoded(skill.parent),
        encoded(skill.parent.with_name("pdf-tools")),
    )

    # a quick fix that renames the open file itself names it by the client's URI
    chat = ws.root / ".github/chatmodes/plan.chatmode.md"
    chat_uri = ws.uri(chat)
    await opened(client, chat_uri, chat.read_text("utf-8"))
    quick = await client.text_document_code_action_async(
        types.CodeActionParams(
            doc(chat_uri),
            types.Range(at(0, 0), at(3, 0)),
            types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
        )
    )
    (act,) = [a for a in quick or [] if isinstance(a, types.CodeAction) and "Rename" in a.title]
    assert act.edit is not None
    (op,) = act.edit.document_changes or []
    assert isinstance(op, types.RenameFile) and op.old_uri == chat_uri
    assert op.new_uri == encoded(ws.root / ".github/agents/plan.agent.md")

    client.text_document_did_close(types.DidCloseTextDocumentParams(doc(lead_uri)))
    assert await published(client, lead_uri, None) == set()
    assert set(client.diagnostics) == {lead_uri, reviewer_uri, chat_uri}  # nothing elsewhere


async def test_index_and_file_events(client: LanguageClient, ws: Ws) -> None:
    scanned = await symbol_uris(client, "")  # the scan found the files under the folder
    assert sorted(scanned) == ["code-reviewer", "lead", "pdf", "plan"]
    lead = ws.root / ".claude/agents/lead.md"
    lead_uri = ws.uri(lead)
    assert "AGL801" in await opened(client, lead_uri, lead.read_text("utf-8"))

    def event(path: Path, kind: types.FileChangeType, uri: str | None = None) -> None:
        change = types.FileEvent(uri or ws.uri(path), kind)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([change]))

    forms = ws.root / ".claude/skills/pdf-forms/SKILL.md"
    forms.parent.mkdir()
    forms.write_text("---\ndescription: Forms\n---\n", "utf-8")
    event(forms, types.FileChangeType.Created)
    assert "AGL801" not in await published(client, lead_uri, 1)
    forms.unlink()
    forms.parent.rmdir()
    event(forms.parent, types.FileChangeType.Deleted)
    assert "AGL801" in await published(client, lead_uri, 1)

    # the editor's unsaved text is the truth for an open file, however an event spells its URI
    reviewer = ws.root / ".claude/agents/reviewer.md"
    await opened(client, ws.uri(reviewer), "---\nname: critic\ndescription: d\n---\n")
    for uri in {ws.uri(reviewer), encoded(reviewer)}:
        event(reviewer, types.FileChangeType.Changed, uri)
    assert sorted(await symbol_uris(client, "")) == ["critic", "lead", "pdf", "plan"]
    assert set(client.diagnostics) == {lead_uri, ws.uri(reviewer)}


# Windows drive URIs, as VS Code sends them and unencoded with an upper-case drive letter
WINDOWS = [
    "file:///c%3A/Users/u/my%20proj/.claude/agents/win.md",
    "file:///C:/Users/u/caf%C3%A9/.claude/agents/win.md",
]


@pytest.mark.parametrize("uri", WINDOWS)
async def test_windows_drive_uris(bare: LanguageClient, uri: str) -> None:
    text = "---\nname: win-agent\ndescription: d\ntools: grep\n---\n"
    assert "AGL401" in await opened(bare, uri, text)  # a Claude agent, by its path: `Grep`
    hover = await bare.text_document_hover_async(types.HoverParams(doc(uri), at(3, 2)))
    assert hover is not None
    res = await bare.text_document_completion_async(
        types.CompletionParams(doc(uri), at(3, len("tools: g")))
    )
    items = res.items if isinstance(res, types.CompletionList) else res or []
    assert "Grep" in {i.label for i in items}
    assert await bare.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    assert list((await fix_all(bare, uri)).changes or {}) == [uri]
    refs = await bare.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=doc(uri),
            position=at(1, 8),
        )
    )
    assert [r.uri for r in refs or []] == [uri]
    rename = await bare.text_document_rename_async(
        types.RenameParams(doc(uri), at(1, 8), "windows-agent")
    )
    assert rename is not None and list(rename.changes or {}) == [uri]
    assert await symbol_uris(bare, "win") == {"win-agent": uri}
    bare.text_document_did_close(types.DidCloseTextDocumentParams(doc(uri)))
    assert await published(bare, uri, None) == set()
    assert set(bare.diagnostics) == {uri}
