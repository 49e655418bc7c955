"""A FIFO in the workspace over stdio (issue 9, part 4): the background index skips it instead
of waiting forever on it, so the checks that wait for the whole workspace (AGL801) still run,
and a file event about a FIFO is no reason to block either."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
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
    open_doc,
    wait_indexed,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
TIMEOUT = 15.0  # an index that never finishes fails here instead of hanging the suite
LEAD = "---\nname: lead\ndescription: d\nskills:\n  - pdf\n  - missing\n---\n"
FIFOS = (".claude/agents/x.md", ".claude/skills/y/SKILL.md", ".mcp.json")


def unblock(path: Path) -> None:
    """Open the FIFO for writing and close it: a reader stuck on it (the bug) gets EOF, so
    the server can shut down even when the test failed."""
    with contextlib.suppress(OSError):  # ENXIO: no reader, nothing is stuck
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    ws = tmp_path / "ws"
    lead = ws / ".claude/agents/lead.md"
    lead.parent.mkdir(parents=True)
    lead.write_text(LEAD, "utf-8")
    skill = ws / ".claude/skills/pdf/SKILL.md"
    skill.parent.mkdir(parents=True)
    skill.write_text("---\nname: pdf\ndescription: Fill PDFs\n---\n", "utf-8")
    for rel in FIFOS:
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(ws / rel)
    yield ws
    for rel in FIFOS:
        unblock(ws / rel)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[LanguageClient]:
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")],
        )
    )
    try:
        await asyncio.wait_for(wait_indexed(lsp_client), TIMEOUT)
    finally:
        for rel in FIFOS:
            unblock(workspace / rel)
    yield lsp_client
    await lsp_client.shutdown_session()


def codes(diags: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diags)


async def test_fifo_in_the_workspace_does_not_stop_the_index(
    client: LanguageClient, workspace: Path
) -> None:
    lead = workspace / ".claude/agents/lead.md"
    diags = await asyncio.wait_for(open_doc(client, lead.as_uri(), LEAD), TIMEOUT)
    assert codes(diags) == ["AGL801"]  # `missing`; `pdf` was indexed next to the FIFOs
    # a file event about a FIFO (reindex reads it from disk) leaves the index as it was
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [
                types.FileEvent((workspace / rel).as_uri(), types.FileChangeType.Changed)
                for rel in FIFOS
            ]
        )
    )
    symbols = await asyncio.wait_for(
        client.workspace_symbol_async(types.WorkspaceSymbolParams(query="")), TIMEOUT
    )
    assert sorted(s.name for s in symbols or []) == ["lead", "pdf"]
    diags = await asyncio.wait_for(
        open_doc(client, (workspace / ".claude/agents/other.md").as_uri(), LEAD), TIMEOUT
    )
    assert "AGL801" in codes(diags)
