"""End-to-end fixtures: the real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import weakref
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

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
    publishes(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )
    return await wait_diagnostics(client, uri, version)


async def change_doc(
    client: LanguageClient, uri: str, text: str, version: int
) -> list[types.Diagnostic]:
    publishes(client)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await wait_diagnostics(client, uri, version)


# A notification that must arrive and does not fails the test after this long (never a hang).
TIMEOUT = 30.0


class PublishLog:
    """Every `publishDiagnostics` a client receives, in order.

    `wait_for_notification` only sees the next notification after it is called: one that
    arrives in the same read as another, while the test is not waiting, is lost, and a test
    waiting for it hangs. The log keeps them all.
    """

    def __init__(self, client: LanguageClient) -> None:
        self.items: list[types.PublishDiagnosticsParams] = []
        self._changed = asyncio.Event()
        features = client.protocol.fm.features
        original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

        def record(params: types.PublishDiagnosticsParams) -> Any:
            self.items.append(params)
            self._changed.set()
            return original(params)

        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    async def wait(
        self,
        match: Callable[[types.PublishDiagnosticsParams], bool],
        start: int,
        timeout: float = TIMEOUT,
    ) -> types.PublishDiagnosticsParams:
        """The first publish from index ``start`` on that matches."""

        async def scan() -> types.PublishDiagnosticsParams:
            i = start
            while True:
                while i < len(self.items):
                    if match(self.items[i]):
                        return self.items[i]
                    i += 1
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(scan(), timeout)


_LOGS: weakref.WeakKeyDictionary[LanguageClient, PublishLog] = weakref.WeakKeyDictionary()


def publishes(client: LanguageClient) -> PublishLog:
    """The client's publish log, recording from the first call on."""
    log = _LOGS.get(client)
    if log is None:
        log = _LOGS[client] = PublishLog(client)
    return log


async def wait_diagnostics(
    client: LanguageClient, uri: str, version: int | None, since: int | None = None
) -> list[types.Diagnostic]:
    """The diagnostics of the first publish for ``uri`` (and ``version``) from log index
    ``since`` on (default: from now)."""
    log = publishes(client)
    params = await log.wait(
        lambda p: p.uri == uri and (version is None or p.version == version),
        len(log.items) if since is None else since,
    )
    return list(params.diagnostics)
