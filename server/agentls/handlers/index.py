"""The workspace index: scanned in the background with progress, kept current from file events."""

from __future__ import annotations

import asyncio
import os
import uuid

from lsprotocol import types

from agentls.core import catalog
from agentls.core.config import CONFIG_NAMES
from agentls.core.workspace import MCP_CONFIG, collect, user_dirs
from agentls.server import AgentLanguageServer, guarded, log
from agentls.uris import to_path

# Agent files and MCP configurations change; any path may be created or deleted (a skill folder
# renamed or removed reports only the folder).
WATCHERS = [
    types.FileSystemWatcher(
        glob_pattern="**/{*.md,*.mdc,.mcp.json}",
        kind=types.WatchKind.Create | types.WatchKind.Change | types.WatchKind.Delete,
    ),
    types.FileSystemWatcher(
        glob_pattern="**/*", kind=types.WatchKind.Create | types.WatchKind.Delete
    ),
    types.FileSystemWatcher(  # the config files (agentls.core.config)
        glob_pattern="**/{" + ",".join(CONFIG_NAMES) + "}",
        kind=types.WatchKind.Create | types.WatchKind.Change | types.WatchKind.Delete,
    ),
]


def register(server: AgentLanguageServer) -> None:
    async def watch() -> None:
        caps = server.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if not (watched and watched.dynamic_registration):
            return  # the index then follows edits in the editor only
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=WATCHERS)
        reg = types.Registration(
            str(uuid.uuid4()), types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
        )
        try:
            await server.client_register_capability_async(types.RegistrationParams([reg]))
        except Exception as e:  # the client may refuse
            log.warning("file watching not registered: %r", e)

    async def scan(roots: list[str]) -> int:
        # the documents opened with `initialized` (read with it) get their diagnostics first:
        # the scan thread would share the GIL with their analysis
        server.flush()
        loop = asyncio.get_running_loop()
        total = 0
        epoch, match = server.index_epoch, server.dialect_matcher()
        for root in roots + server.index.extra_roots:
            found = await loop.run_in_executor(None, collect, root, match)  # off the loop
            total += server.index.merge(found, keep=server.uris.paths())  # on it
        server.index.ready = True
        server.republish_soon()  # the checks that wait for the whole workspace can run now
        if server.index_epoch != epoch:
            server.rescan_soon()  # the dialect patterns changed during the scan
        return total

    @server.feature(types.INITIALIZED)
    async def on_initialized(params: types.InitializedParams) -> None:
        broken = catalog.missing()
        if broken:  # a broken installation: say so, rather than check nothing in silence
            server.window_show_message(
                types.ShowMessageParams(
                    types.MessageType.Error,
                    f"agentls cannot check agent files: its installation lacks "
                    f"{', '.join(broken)}. Reinstall it.",
                )
            )
        folders = [to_path(f.uri) for f in server.workspace.folders.values()]
        root = server.workspace.root_uri
        folders.append(to_path(root) if root and not folders else None)
        roots: list[str] = list(dict.fromkeys(os.path.abspath(r) for r in folders if r))
        if not roots:
            return
        server.index.roots = roots
        server.index.extra_roots = [d for d in user_dirs() if os.path.isdir(d)]
        await watch()
        token = str(uuid.uuid4())
        caps = server.client_capabilities.window
        progress = bool(caps and caps.work_done_progress)
        if progress:
            try:
                await server.work_done_progress.create_async(token)
                server.work_done_progress.begin(
                    token,
                    types.WorkDoneProgressBegin(
                        title="agentls: indexing agent files", percentage=0
                    ),
                )
            except Exception as e:  # the client may refuse; index anyway
                log.warning("work done progress: %r", e)
                progress = False
        total = await scan(roots)
        if progress:
            server.work_done_progress.end(
                token,
                types.WorkDoneProgressEnd(message=f"{total} agents, skills, commands and prompts"),
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    def on_watched(params: types.DidChangeWatchedFilesParams) -> None:
        changed = False
        configs = []
        for ev in params.changes:
            path = to_path(ev.uri)
            if not path:
                continue
            path = os.path.abspath(path)
            if os.path.basename(path) in CONFIG_NAMES:
                configs.append(path)
                continue
            if server.uris.get(path) is not None:
                continue  # the editor's buffer, not the disk, is the truth for open files
            if server.index.ignored(path):
                continue  # outside the indexed folders, or under node_modules, .git...
            if ev.type == types.FileChangeType.Deleted:
                changed |= server.index.remove_under(path)
            elif path.endswith((".md", ".mdc", MCP_CONFIG)):
                changed |= server.reindex(path)
            elif os.path.isdir(path) and not os.path.islink(path):
                found = collect(path, server.dialect_matcher())  # a moved or copied folder
                changed |= server.index.merge(found) > 0 or bool(found.mcp)
        if configs:
            server.config_changed(configs)
        elif changed and server.index.ready:
            server.republish_soon()
