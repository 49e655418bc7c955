"""The server reads the project's config file (agentls.toml, [tool.agentls]) and reloads it when
it changes: through workspace/didChangeWatchedFiles, and by re-reading it on the next analysis
for a client that watches nothing. Its problems are diagnostics on the config file itself."""

from __future__ import annotations

import asyncio
import os
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
    accept_registrations,
    capabilities,
    change_doc,
    open_doc,
    publishes,
    wait_diagnostics,
    wait_indexed,
)

NO_DESCRIPTION = "---\nname: a\n---\nbody\n"  # AGL202: Claude Code skips the agent


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / ".claude" / "agents").mkdir(parents=True)
    (ws / "agentls.toml").write_text(
        'targets = ["claude-code"]\n\n[severity]\nAGL202 = "warning"\n', "utf-8"
    )
    return ws


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
        await wait_indexed(lsp_client)
        yield lsp_client
        await lsp_client.shutdown_session()

    return fixture


client = start("visual-studio-code")
nvim = start("neovim")


def rewrite(path: Path, text: str) -> None:
    """Write ``text``, with a modification time the server cannot take for the old one's."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    os.utime(path, ns=(old + 2_000_000_000, old + 2_000_000_000))


def severity_of(diags: list[types.Diagnostic], code: str) -> types.DiagnosticSeverity | None:
    return next((d.severity for d in diags if d.code == code), None)


def changed(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(path.as_uri(), kind)])
    )


async def test_config_is_read_and_reloaded_on_file_events(
    client: LanguageClient, workspace: Path
) -> None:
    # the server asks to watch the config files
    globs = [
        str(w["globPattern"])
        for r in client.registrations  # type: ignore[attr-defined]
        if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        for w in r.register_options["watchers"]  # type: ignore[index]
    ]
    assert any("agentls.toml" in g and "pyproject.toml" in g for g in globs), globs

    agent = workspace / ".claude" / "agents" / "a.md"
    uri = agent.as_uri()
    config = workspace / "agentls.toml"
    diags = await asyncio.wait_for(open_doc(client, uri, NO_DESCRIPTION), TIMEOUT)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Warning  # from the config

    # a bad value: the default comes back, and the config file says where the mistake is
    log = publishes(client)
    since = len(log.items)
    rewrite(config, 'targets = ["claude-code"]\n\n[severity]\nAGL202 = "loud"\n')
    changed(client, config, types.FileChangeType.Changed)
    diags = await wait_diagnostics(client, uri, 1, since=since)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Error
    on_config = await log.wait(lambda p: p.uri == config.as_uri(), since)
    (problem,) = on_config.diagnostics
    assert problem.range.start.line == 3 and "'loud'" in problem.message
    assert problem.severity == types.DiagnosticSeverity.Error

    # fixed: the code is off, and the config file's diagnostic is cleared
    since = len(log.items)
    rewrite(config, 'targets = ["claude-code"]\n\n[severity]\nAGL202 = "off"\n')
    changed(client, config, types.FileChangeType.Changed)
    diags = await wait_diagnostics(client, uri, 1, since=since)
    assert severity_of(diags, "AGL202") is None
    on_config = await log.wait(lambda p: p.uri == config.as_uri(), since)
    assert list(on_config.diagnostics) == []

    # the editor's setting wins where it is set
    since = len(log.items)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"agentls": {"severity": {"AGL202": "hint"}}})
    )
    diags = await wait_diagnostics(client, uri, 1, since=since)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Hint

    # a nearer config (in the agents folder) wins; excluded files get no diagnostics
    since = len(log.items)
    nearer = workspace / ".claude" / "agents" / ".agentls.toml"
    rewrite(nearer, 'exclude = ["a.md"]\n')
    changed(client, nearer, types.FileChangeType.Created)
    assert await wait_diagnostics(client, uri, 1, since=since) == []

    # deleted: the outer config counts again
    since = len(log.items)
    nearer.unlink()
    changed(client, nearer, types.FileChangeType.Deleted)
    diags = await wait_diagnostics(client, uri, 1, since=since)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Hint  # the editor's still


async def test_config_is_reread_on_analysis_without_file_events(
    nvim: LanguageClient, workspace: Path
) -> None:
    agent = workspace / ".claude" / "agents" / "a.md"
    uri = agent.as_uri()
    diags = await asyncio.wait_for(open_doc(nvim, uri, NO_DESCRIPTION), TIMEOUT)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Warning
    rewrite(workspace / "agentls.toml", '[severity]\nAGL202 = "information"\n')
    diags = await asyncio.wait_for(change_doc(nvim, uri, NO_DESCRIPTION + "\n", 2), TIMEOUT)
    assert severity_of(diags, "AGL202") == types.DiagnosticSeverity.Information


async def test_the_workspace_index_follows_a_configs_patterns(
    client: LanguageClient, workspace: Path
) -> None:
    """A file that only a config's `dialects.*.patterns` makes an agent is in the workspace
    index too (here: a second agent of the same name in its folder, AGL802), from the moment
    the config says so."""
    config = workspace / "agentls.toml"
    folder = workspace / "ai" / "agents"
    folder.mkdir(parents=True)
    (folder / "b.md").write_text("---\nname: a\ndescription: the other one\n---\nb\n", "utf-8")
    rewrite(config, '[dialects.claude-agent]\npatterns = ["ai/agents/a.md"]\n')
    changed(client, config, types.FileChangeType.Changed)
    uri = (folder / "a.md").as_uri()
    diags = await asyncio.wait_for(
        open_doc(client, uri, "---\nname: a\ndescription: d\n---\nbody\n"), TIMEOUT
    )
    assert diags == []  # an agent now; b.md is nothing yet

    log = publishes(client)
    since = len(log.items)
    rewrite(config, '[dialects.claude-agent]\npatterns = ["ai/agents/*.md"]\n')
    changed(client, config, types.FileChangeType.Changed)
    found = await log.wait(
        lambda p: p.uri == uri and any(d.code == "AGL802" for d in p.diagnostics), since
    )
    (dup,) = [d for d in found.diagnostics if d.code == "AGL802"]
    assert dup.range.start.line == 1 and "b.md" in dup.message

    # back to one file: the other agent is gone from the index
    since = len(log.items)
    rewrite(config, '[dialects.claude-agent]\npatterns = ["ai/agents/a.md"]\n')
    changed(client, config, types.FileChangeType.Changed)
    await log.wait(lambda p: p.uri == uri and list(p.diagnostics) == [], since)
