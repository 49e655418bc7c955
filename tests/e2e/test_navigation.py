"""Workspace index over stdio: workspace symbols and go-to-definition for agent/skill names."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import ENV, SERVER, capabilities, open_doc


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    files = {
        ".claude/agents/reviewer.md": "---\nname: code-reviewer\ndescription: d\n---\n",
        ".claude/agents/lead.md": (
            "---\nname: lead\ndescription: d\ntools: Read, Agent(code-reviewer)\n"
            "skills:\n  - pdf\n---\n"
        ),
        ".claude/skills/pdf/SKILL.md": "---\ndescription: Fill PDFs\n---\n",
        "node_modules/x/.claude/agents/ignored.md": "---\nname: ignored\ndescription: d\n---\n",
    }
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[LanguageClient]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")],
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()


async def symbols(client: LanguageClient, query: str) -> list[str]:
    for _ in range(50):  # the index is built in the background right after `initialized`
        res = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=query))
        if res:
            return sorted(s.name for s in res)
        await asyncio.sleep(0.1)
    return []


async def test_workspace_symbols_and_definition(client: LanguageClient, workspace: Path) -> None:
    assert await symbols(client, "") == ["code-reviewer", "lead", "pdf"]  # not node_modules
    lead = workspace / ".claude/agents/lead.md"
    await open_doc(client, lead.as_uri(), lead.read_text("utf-8"))
    for pos, target in (
        ((3, 20), ".claude/agents/reviewer.md"),
        ((5, 5), ".claude/skills/pdf/SKILL.md"),
    ):
        res = await client.text_document_definition_async(
            types.DefinitionParams(
                types.TextDocumentIdentifier(lead.as_uri()), types.Position(*pos)
            )
        )
        assert isinstance(res, list) and len(res) == 1, pos
        loc = res[0]
        assert isinstance(loc, types.Location)
        assert loc.uri == (workspace / target).as_uri()
    res = await client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(lead.as_uri()), types.Position(1, 7))
    )
    assert res is None
