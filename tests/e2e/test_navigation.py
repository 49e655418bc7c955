"""Workspace index over stdio: symbols, definition, references, rename, document links, the
checks that need other files (AGL800-AGL804), and the index kept current from file events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import (
    ENV,
    SERVER,
    accept_registrations,
    capabilities,
    change_doc,
    open_doc,
    wait_diagnostics,
    wait_indexed,
)

FILES = {
    ".claude/agents/reviewer.md": "---\nname: code-reviewer\ndescription: d\n---\n",
    ".claude/agents/lead.md": (
        "---\nname: lead\ndescription: d\ntools: Read, Agent(code-reviewer), mcp__github, "
        "mcp__gitlab__x\nskills:\n  - pdf\n  - pdf-forms\n---\n"
        "Read [the guide](../../docs/guide.md) and [this](../../docs/gone.md).\n"
    ),
    "packages/app/.claude/agents/lead.md": "---\nname: lead\ndescription: d\n---\n",
    ".claude/skills/pdf/SKILL.md": "---\ndescription: Fill PDFs\n---\n",
    ".github/prompts/review.prompt.md": (
        "---\nagent: code-reviewer\n---\nCheck #file:docs/guide.md and #file:docs/none.md\n"
    ),
    ".mcp.json": '{"mcpServers": {"github": {"command": "gh-mcp"}}}',
    "docs/guide.md": "# Guide\n",
    "node_modules/x/.claude/agents/ignored.md": "---\nname: ignored\ndescription: d\n---\n",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        p = tmp_path / "ws" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return tmp_path / "ws"


def start(profile: str) -> object:
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
    async def fixture(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[LanguageClient]:
        lsp_client.registrations = accept_registrations(lsp_client)  # type: ignore[attr-defined]
        await lsp_client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities(profile),
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")],
            )
        )
        await wait_indexed(lsp_client)  # both profiles announce work-done progress
        yield lsp_client
        await lsp_client.shutdown_session()

    return fixture


client = start("visual-studio-code")
nvim = start("neovim")


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(path.as_uri())


def codes(diags: list[types.Diagnostic]) -> dict[str, list[tuple[int, int, int]]]:
    out: dict[str, list[tuple[int, int, int]]] = {}
    for d in diags:
        r = d.range
        out.setdefault(str(d.code), []).append((r.start.line, r.start.character, r.end.character))
    return out


async def test_workspace_symbols_and_definition(client: LanguageClient, workspace: Path) -> None:
    res = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
    names = sorted(s.name for s in res or [])
    assert names == ["code-reviewer", "lead", "lead", "pdf", "review"]  # not node_modules
    lead = workspace / ".claude/agents/lead.md"
    await open_doc(client, lead.as_uri(), lead.read_text("utf-8"))
    for pos, target in (
        ((3, 20), ".claude/agents/reviewer.md"),
        ((5, 5), ".claude/skills/pdf/SKILL.md"),
    ):
        res = await client.text_document_definition_async(
            types.DefinitionParams(doc(lead), types.Position(*pos))
        )
        assert isinstance(res, list) and len(res) == 1, pos
        assert isinstance(res[0], types.Location) and res[0].uri == (workspace / target).as_uri()
    res = await client.text_document_definition_async(
        types.DefinitionParams(doc(lead), types.Position(1, 7))
    )
    assert res is None


async def test_workspace_checks(client: LanguageClient, workspace: Path) -> None:
    lead = workspace / ".claude/agents/lead.md"
    found = codes(await open_doc(client, lead.as_uri(), lead.read_text("utf-8")))
    assert found["AGL800"] == [(8, 49, 67)]  # ../../docs/gone.md; the guide exists
    assert found["AGL801"] == [(6, 4, 13)]  # pdf-forms; pdf exists
    assert found["AGL804"] == [(3, 53, 59)]  # gitlab; github is in .mcp.json
    assert found["AGL803"] == [(1, 6, 10)]  # `lead` in another project agents folder
    prompt = workspace / ".github/prompts/review.prompt.md"
    found = codes(await open_doc(client, prompt.as_uri(), prompt.read_text("utf-8")))
    assert found == {"AGL800": [(3, 36, 48)]}  # docs/none.md; `agent:` resolves
    # a duplicate name in the same folder is a warning on both files, live as one is typed
    dup = workspace / ".claude/agents/dup.md"
    dup.write_text("---\nname: x\ndescription: d\n---\n", "utf-8")
    await open_doc(client, dup.as_uri(), dup.read_text("utf-8"))
    diags = await change_doc(
        client, dup.as_uri(), "---\nname: code-reviewer\ndescription: d\n---\n", 2
    )
    (d,) = [d for d in diags if d.code == "AGL802"]
    assert d.severity == types.DiagnosticSeverity.Warning and "reviewer.md" in d.message


async def test_references_and_rename(client: LanguageClient, workspace: Path) -> None:
    reviewer = workspace / ".claude/agents/reviewer.md"
    await open_doc(client, reviewer.as_uri(), reviewer.read_text("utf-8"))
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=doc(reviewer),
            position=types.Position(1, 8),
        )
    )
    got = sorted(
        (
            Path(r.uri[7:]).relative_to(workspace).as_posix(),
            r.range.start.line,
            r.range.start.character,
        )
        for r in refs or []
    )
    assert got == [
        (".claude/agents/lead.md", 3, 19),
        (".claude/agents/reviewer.md", 1, 6),
        (".github/prompts/review.prompt.md", 1, 7),
    ]
    prep = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(doc(reviewer), types.Position(1, 8))
    )
    assert isinstance(prep, types.PrepareRenamePlaceholder) and prep.placeholder == "code-reviewer"
    edit = await client.text_document_rename_async(
        types.RenameParams(doc(reviewer), types.Position(1, 8), "reviewer")
    )
    assert edit is not None and edit.changes is not None
    renamed = {Path(u[7:]).name: [e.new_text for e in es] for u, es in edit.changes.items()}
    assert renamed == {
        "reviewer.md": ["reviewer"],
        "lead.md": ["reviewer"],
        "review.prompt.md": ["reviewer"],
    }
    with pytest.raises(Exception, match="cannot be used as a name"):
        await client.text_document_rename_async(
            types.RenameParams(doc(reviewer), types.Position(1, 8), "bad name")
        )


async def test_rename_skill_renames_its_folder(client: LanguageClient, workspace: Path) -> None:
    lead = workspace / ".claude/agents/lead.md"
    await open_doc(client, lead.as_uri(), lead.read_text("utf-8"))
    edit = await client.text_document_rename_async(
        types.RenameParams(doc(lead), types.Position(5, 5), "pdf-tools")
    )
    assert edit is not None and edit.document_changes is not None
    ops = edit.document_changes
    assert isinstance(ops[-1], types.RenameFile)  # after the text edits
    assert ops[-1].old_uri == (workspace / ".claude/skills/pdf").as_uri()
    assert ops[-1].new_uri == (workspace / ".claude/skills/pdf-tools").as_uri()
    (text_edit,) = [o for o in ops if isinstance(o, types.TextDocumentEdit)]
    assert text_edit.text_document.uri == lead.as_uri() and text_edit.text_document.version == 1


async def test_rename_needing_a_file_rename_fails_clearly_without_support(
    nvim: LanguageClient, workspace: Path
) -> None:
    lead = workspace / ".claude/agents/lead.md"
    await open_doc(nvim, lead.as_uri(), lead.read_text("utf-8"))
    with pytest.raises(Exception, match="cannot rename files"):
        await nvim.text_document_rename_async(
            types.RenameParams(doc(lead), types.Position(5, 5), "pdf-tools")
        )


async def test_document_links(client: LanguageClient, workspace: Path) -> None:
    lead = workspace / ".claude/agents/lead.md"
    await open_doc(client, lead.as_uri(), lead.read_text("utf-8"))
    links = await client.text_document_document_link_async(types.DocumentLinkParams(doc(lead)))
    got = sorted(
        (
            k.range.start.line,
            k.range.start.character,
            Path((k.target or "")[7:]).relative_to(workspace).as_posix(),
        )
        for k in links or []
    )
    assert got == [
        (3, 19, ".claude/agents/reviewer.md"),
        (5, 4, ".claude/skills/pdf/SKILL.md"),
        (8, 17, "docs/guide.md"),
    ]


async def test_index_follows_file_events(client: LanguageClient, workspace: Path) -> None:
    (reg,) = client.registrations  # type: ignore[attr-defined]
    assert reg.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    lead = workspace / ".claude/agents/lead.md"
    diags = await open_doc(client, lead.as_uri(), lead.read_text("utf-8"))
    assert "AGL801" in codes(diags)
    skill = workspace / ".claude/skills/pdf-forms/SKILL.md"
    skill.parent.mkdir()
    skill.write_text("---\ndescription: Forms\n---\n", "utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(skill.as_uri(), types.FileChangeType.Created)]
        )
    )
    assert "AGL801" not in codes(await wait_diagnostics(client, lead.as_uri(), 1))
    skill.unlink()
    skill.parent.rmdir()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(skill.parent.as_uri(), types.FileChangeType.Deleted)]
        )
    )
    assert "AGL801" in codes(await wait_diagnostics(client, lead.as_uri(), 1))


async def test_mcp_servers_are_completed(client: LanguageClient, workspace: Path) -> None:
    new = workspace / ".claude/agents/new.md"
    text = "---\nname: new\ndescription: d\ntools: Read, mcp\n---\n"
    await open_doc(client, new.as_uri(), text)
    res = await client.text_document_completion_async(
        types.CompletionParams(doc(new), types.Position(3, len("tools: Read, mcp")))
    )
    assert res is not None
    items = res.items if isinstance(res, types.CompletionList) else res
    assert [i.label for i in items if i.label.startswith("mcp__")] == ["mcp__github"]


async def test_symbol_ranges_are_in_the_client_encoding(
    client: LanguageClient, workspace: Path
) -> None:
    rocket = workspace / ".claude/agents/rocket.md"
    await open_doc(client, rocket.as_uri(), "---\nname: rocket-🚀\ndescription: d\n---\n")
    res = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="rocket"))
    (sym,) = res or []
    assert isinstance(sym, types.SymbolInformation)
    r = sym.location.range
    assert (r.start.line, r.start.character, r.end.character) == (1, 6, 6 + 7 + 2)  # UTF-16
