"""End-to-end fixtures: the real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "agentls", "serve"]
# HOME is an empty folder: the server indexes ~/.claude/{agents,skills,commands}, and a test
# must not depend on the developer's own agents.
HOME = tempfile.mkdtemp(prefix="agentls-home-")
ENV = {**os.environ, "AGENTLS_STRICT": "1", "PYTHONPATH": str(ROOT / "server"), "HOME": HOME}


def agent_uri(name: str = "demo.md") -> str:
    """A URI under .claude/agents/ (the file need not exist)."""
    return (ROOT / "tests" / "fixtures" / ".claude" / "agents" / name).as_uri()


def capabilities(profile: str, encodings: list[str] | None = None) -> types.ClientCapabilities:
    caps = client_capabilities(profile)
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings]
        )
    return caps


PROFILES = ["visual-studio-code", "neovim"]


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER, server_env=ENV), params=PROFILES
)
async def client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[LanguageClient]:
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities(request.param), root_uri=ROOT.as_uri())
    )
    await wait_indexed(lsp_client)  # no workspace-driven republish races the test
    yield lsp_client
    await lsp_client.shutdown_session()


def accept_registrations(client: LanguageClient) -> list[types.Registration]:
    """Answer `client/registerCapability` as an editor does; returns the list it fills."""
    registrations: list[types.Registration] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    return registrations


async def wait_indexed(client: LanguageClient) -> None:
    """Wait for the end of the server's workspace-index progress.

    pytest-lsp records every `$/progress` in `progress_reports`: `wait_for_notification` alone
    misses an end that arrives in the same read as the begin, and the fixture hangs.
    """
    while not any(
        isinstance(v, types.WorkDoneProgressEnd)
        for values in client.progress_reports.values()
        for v in values
    ):
        await client.wait_for_notification(types.PROGRESS)


async def open_doc(
    client: LanguageClient, uri: str, text: str, version: int = 1
) -> list[types.Diagnostic]:
    """didOpen, then wait for that version's diagnostics."""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )
    return await wait_diagnostics(client, uri, version)


async def change_doc(
    client: LanguageClient, uri: str, text: str, version: int
) -> list[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await wait_diagnostics(client, uri, version)


async def wait_diagnostics(
    client: LanguageClient, uri: str, version: int | None
) -> list[types.Diagnostic]:
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and (version is None or params.version == version):
            return list(params.diagnostics)
