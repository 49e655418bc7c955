"""What the model sees (issue 14), through the server: a project with more skill text than
Claude Code's listing budget gets AGL805 on exactly the skills listed without their description,
kept current as a skill is edited; hover and CodeLens give each file's cost in every request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import (
    ENV,
    SERVER,
    TIMEOUT,
    capabilities,
    change_doc,
    open_doc,
    publishes,
    wait_indexed,
)

N = 120  # skills of about 1,000 characters: 30,000 fit the budget of Claude Code 2.1.332


def skill(i: int, size: int = 1000) -> str:
    words = (f"Skill number {i} helps with task {i}. " * 60)[:size].rstrip()
    return f"---\nname: skill-{i:03d}\ndescription: {words}\n---\nDo the task.\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    for i in range(N):
        f = ws / ".claude" / "skills" / f"skill-{i:03d}" / "SKILL.md"
        f.parent.mkdir(parents=True)
        f.write_text(skill(i), "utf-8")
    agent = ws / ".claude" / "agents" / "helper.md"
    agent.parent.mkdir(parents=True)
    agent.write_text("---\nname: helper\ndescription: Helps.\n---\nbody\n", "utf-8")
    return ws


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[LanguageClient]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")],
        )
    )
    await wait_indexed(lsp_client)
    yield lsp_client
    await lsp_client.shutdown_session()


def path_of(ws: Path, i: int) -> Path:
    return ws / ".claude" / "skills" / f"skill-{i:03d}" / "SKILL.md"


async def test_skills_over_the_budget_and_their_cost(
    client: LanguageClient, workspace: Path
) -> None:
    first, late = path_of(workspace, 0), path_of(workspace, 100)
    diags = await asyncio.wait_for(open_doc(client, first.as_uri(), skill(0)), TIMEOUT)
    assert "AGL805" not in {d.code for d in diags}  # listed whole: early in the listing
    diags = await asyncio.wait_for(open_doc(client, late.as_uri(), skill(100)), TIMEOUT)
    (over,) = [d for d in diags if d.code == "AGL805"]
    assert "over Claude Code's 30,000 budget" in over.message
    assert "listed without its description" in over.message
    # the range is the description's value: the text the model does not see
    assert over.range.start == types.Position(2, len("description: "))
    assert over.range.end.line == 2

    # hover on the description: its cost in every request
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(first.as_uri()), types.Position(2, 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**Context cost:** ≈ 3" in hover.contents.value  # ~1,015 characters ÷ 3
    assert "characters) in every request" in hover.contents.value

    # CodeLens on the description key
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(late.as_uri()))
    )
    assert lenses is not None and len(lenses) == 1
    assert lenses[0].range.start == types.Position(2, 0)
    assert lenses[0].command is not None
    assert "listed without its description" in lenses[0].command.title

    # the first skill listed by name only; shortening an earlier one lets it keep its own
    freed = path_of(workspace, 22).as_uri()
    diags = await asyncio.wait_for(open_doc(client, freed, skill(22)), TIMEOUT)
    assert "AGL805" in {d.code for d in diags}
    log = publishes(client)
    since = len(log.items)
    short = "---\nname: skill-000\ndescription: Short.\n---\nDo the task.\n"
    await asyncio.wait_for(change_doc(client, first.as_uri(), short, 2), TIMEOUT)
    await log.wait(
        lambda p: p.uri == freed and not any(d.code == "AGL805" for d in p.diagnostics), since
    )
