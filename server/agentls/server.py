"""AgentLanguageServer: the analysis cache, settings and handler wiring (pygls 2.x)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from agentls import __version__
from agentls.convert import Converter, diagnostic
from agentls.core.analysis import Analysis, analyze, finish
from agentls.core.config import Config, Finder, Layered, settings_for
from agentls.core.dialects import CLAUDE_FILES, detect
from agentls.core.findings import Finding
from agentls.core.settings import Settings
from agentls.core.suppress import suppress_workspace
from agentls.core.workspace import (
    MAX_BYTES,
    MAX_MCP_BYTES,
    MCP_CONFIG,
    Index,
    Matcher,
    collect,
    read_head,
)
from agentls.core.workspace_checks import Workspace, needs_listings
from agentls.core.workspace_checks import check as workspace_check
from agentls.core.yamltree import Memo
from agentls.rpc import CHUNK, AgentProtocol, StdinReader
from agentls.rpc import serve as rpc_serve
from agentls.uris import OpenUris, document_path, from_path

if TYPE_CHECKING:
    from agentls.core.cost import Cost, Listings, Project

log = logging.getLogger("agentls")

# Files read from disk for find-references and rename (not open in the editor): front matter is
# at the top, so a bounded read is enough.
MAX_READ = 1024 * 1024


class AgentLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "agentls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=AgentProtocol,
        )
        self.settings = Settings()  # the editor's, for the workspace index
        self.editor_settings: Any = None  # as the editor sent them: they win over a config's
        self.configs = Finder()  # agentls.toml, .agentls.toml, [tool.agentls]: per file
        self._merged: dict[str, tuple[Config, Settings]] = {}  # by config file
        self._config_shown: dict[str, Config] = {}  # the config files whose problems are shown
        self._config_of: dict[str, Config | None] = {}  # by file: the config last looked up
        self._cache: dict[str, tuple[int | None, Analysis]] = {}  # by the client's URI
        self._memos: dict[str, Memo] = {}  # by URI: the entries parsed for its last analysis
        self.uris = OpenUris()  # path -> the client's URI of each open document
        self._pending: dict[str, asyncio.Handle] = {}
        self.index = Index()  # agents, skills, commands and prompts of the workspace by name
        self._republish: asyncio.Handle | None = None
        self._republish_exclude: str | None = None  # the document that needs no republish
        self._rescan: asyncio.Task[None] | None = None
        self.index_epoch = 0  # +1 when what decides a file's dialect changes (patterns, configs)
        self._published: dict[str, tuple[int | None, tuple[Finding, ...]]] = {}
        self._listings: Listings | None = None  # skill and agent listings (issue 14)

    # --- analysis --------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        if enc is None:
            return "utf-16"
        return str(getattr(enc, "value", enc))

    @property
    def can_rename_files(self) -> bool:
        """Whether the client applies `RenameFile` operations in a workspace edit."""
        ws = self.client_capabilities.workspace
        edit = ws.workspace_edit if ws else None
        ops = (edit.resource_operations or []) if edit else []
        return bool(edit and edit.document_changes and types.ResourceOperationKind.Rename in ops)

    def converter(self, a: Analysis) -> Converter:
        return Converter(a.lines, self.encoding)

    # The client's URI string is an open document's identity (agentls.uris). pygls keys its
    # documents by the decoded URI: look them up through `document`, list them by `doc.uri`.
    def document(self, uri: str) -> TextDocument | None:
        """The open document the client calls ``uri``."""
        return self.workspace.text_documents.get(unquote(uri))  # type: ignore[no-any-return]

    def open_uris(self) -> list[str]:
        """The URIs of the open documents, as the client sent them."""
        return [doc.uri for doc in list(self.workspace.text_documents.values())]

    def opened(self, uri: str) -> None:
        """The client opened ``uri``: name its file by that URI from now on, and publish."""
        self.uris.opened(uri)
        self.schedule(uri)

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version (computed once per version)."""
        doc = self.document(uri)
        if doc is None:
            return None
        uri = doc.uri  # the client's spelling, as opened
        cached = self._cache.get(uri)
        if cached is not None and cached[0] == doc.version:
            return cached[1]
        path = document_path(uri)
        memo = self._memos.setdefault(uri, Memo())  # an edit re-parses the entries it changed
        settings = self.settings_for(path)
        a = analyze(path, doc.source, settings, memo=memo)
        self._cache[uri] = (doc.version, a)
        changed = self.index.update(path, doc.source, a.dialect) if path else False
        # the document's part of its project's listings (a skill's entry, an agent's line)
        listed = needs_listings(a, settings.budgets) and self.listings.put(a, settings)
        if (changed or listed) and self.index.ready:
            # a name changed, or a listing did: other files' checks may too
            self.republish_soon(exclude=uri)
        return a

    def _current_text(self, path: str) -> str | None:
        """A file's text: the editor's when it is open, else the disk's."""
        uri = self.uris.get(path)
        doc = self.document(uri) if uri is not None else None
        return doc.source if doc is not None else read_head(path, MAX_READ)

    @property
    def listings(self) -> Listings:
        """The workspace's listings (agentls.core.cost, imported at the first need)."""
        if self._listings is None:
            from agentls.core.cost import Listings

            self._listings = Listings(self._current_text)
        return self._listings

    def project_of(self, a: Analysis) -> Project | None:
        """The listings of the project of an open document (the index's files when the index
        is ready, else the document alone): what it costs in every request (issue 14)."""
        if a.path is None or a.dialect is None or a.dialect.dialect not in CLAUDE_FILES:
            return None
        settings = self.settings_for(a.path, fresh=False)
        if not self.index.ready or not needs_listings(a, settings.budgets):
            from agentls.core.cost import build

            return build([a], settings)  # an agent's cost is its own line
        project = self.workspace_for(settings).project
        return project(a) if project is not None else None

    def cost_of(self, a: Analysis) -> Cost | None:
        """What an open document adds to every request (hover, CodeLens)."""
        project = self.project_of(a)
        return project.cost(os.path.abspath(a.path)) if project is not None and a.path else None

    def workspace_for(self, settings: Settings) -> Workspace:
        """What the workspace checks read for a document with these settings."""

        def project(a: Analysis) -> Project | None:
            if a.path is None or not needs_listings(a, settings.budgets):
                return None  # an open document's part was taken at its analysis
            return self.listings.project(a.path, self.index, settings)

        return Workspace(self.index, project=project)

    def load(self, path: str) -> Analysis | None:
        """A file's analysis: the editor's text when it is open, else the file on disk."""
        uri = self.uris.get(path)
        if uri is not None and self.document(uri) is not None:
            return self.analysis(uri)
        text = read_head(path, MAX_READ)
        return analyze(path, text, self.settings_for(path)) if text is not None else None

    def agent_file(self, uri: str) -> tuple[Analysis, Converter] | None:
        """The analysis and position converter of an open file of a known dialect, else None."""
        a = self.analysis(uri)
        if a is None or a.dialect is None:
            return None
        return a, self.converter(a)

    def schedule(self, uri: str) -> None:
        """Publish diagnostics for ``uri`` on the next turn of the event loop.

        Edits already read are applied first, so a burst of queued keystrokes costs one analysis
        of the newest version, not one per version (500 queued edits of a 10 kB skill took
        1.5 s to reach the last version when every version was analysed)."""
        doc = self.document(uri)
        if doc is None:
            return
        uri = doc.uri
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_soon(self._publish_if_current, uri, doc.version)

    def flush(self) -> None:
        """Analyse and publish now the documents whose publish is pending, so that the index
        holds their newest text (for requests that read it: names and their positions)."""
        for uri, pending in list(self._pending.items()):
            pending.cancel()
            self._pending.pop(uri, None)
            guarded(self.publish)(uri)

    def _publish_if_current(self, uri: str, version: int | None) -> None:
        self._pending.pop(uri, None)
        doc = self.document(uri)
        if doc is not None and doc.version == version:
            guarded(self.publish)(uri)

    def publish(self, uri: str) -> None:
        """Publish the diagnostics of the open document ``uri`` under the client's URI."""
        a = self.analysis(uri)
        doc = self.document(uri)
        if a is None or doc is None:
            return
        uri = doc.uri
        conv = self.converter(a)
        version = self._cache[uri][0]
        if self.excluded(a.path, fresh=False):
            findings: tuple[Finding, ...] = ()  # an `exclude` glob of its config file
        else:
            settings = self.settings_for(a.path, fresh=False)
            found = finish(workspace_check(a, self.workspace_for(settings)), settings)
            findings = a.findings + finish(suppress_workspace(a, found), settings)
        if self._published.get(uri) == (version, findings):
            return  # a workspace change that changed nothing here: stay quiet
        self._published[uri] = (version, findings)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                version=version,
                diagnostics=[diagnostic(f, conv) for f in sorted(findings, key=Finding.sort_key)],
            )
        )

    def republish_soon(self, exclude: str | None = None) -> None:
        """Publish every open document again on the next loop turn (the workspace changed);
        ``exclude``: the changed document, already published against the new index."""
        if self._republish is not None:
            # changes in one turn: only a document every one of them excludes is up to date
            if self._republish_exclude != exclude:
                self._republish_exclude = None
            return
        self._republish_exclude = exclude
        loop = asyncio.get_running_loop()
        self._republish = loop.call_soon(self._republish_all)

    def _republish_all(self) -> None:
        self._republish = None
        exclude, self._republish_exclude = self._republish_exclude, None
        for uri in self.open_uris():
            if uri != exclude:
                guarded(self.publish)(uri)

    def reindex(self, path: str) -> bool:
        """Index a file as it is on disk (closed, or changed outside the editor)."""
        config = os.path.basename(path) == MCP_CONFIG
        text = read_head(path, MAX_MCP_BYTES if config else MAX_BYTES)
        patterns = None if config or text is None else self.settings_for(path).patterns
        match = None if patterns is None else detect(path, patterns=patterns)
        if self._listings is not None:  # its description may have changed: the listings too
            self._listings.forget(path)
        listed = match is not None and match.dialect in CLAUDE_FILES
        return self.index.update(path, text, match) or listed

    def forget(self, uri: str) -> None:
        """The client closed ``uri``: drop what was kept for it, clear its diagnostics."""
        self.uris.closed(uri)
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._cache.pop(uri, None)
        self._memos.pop(uri, None)
        self._published.pop(uri, None)
        path = document_path(uri)
        if path and self.reindex(path) and self.index.ready:  # unsaved edits are gone
            self.republish_soon(exclude=uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    # --- settings --------------------------------------------------------------------------
    def config(self, path: str | None, fresh: bool = True) -> Config | None:
        """The config file of ``path`` (looked for again and re-read when it changed on disk,
        unless ``fresh`` is false: then the one its last analysis used); its problems are
        published as diagnostics on it the first time it is seen."""
        if not path:
            return None
        if not fresh and path in self._config_of:
            return self._config_of[path]
        config = self._config_of[path] = self.configs.find(path)
        if config is not None and self._config_shown.get(config.path) is not config:
            before = self._config_shown.get(config.path)
            self._config_shown[config.path] = config
            if config.problems or (before is not None and before.problems):
                self._publish_config(config.path, config)
        return config

    def settings_for(self, path: str | None, fresh: bool = True) -> Settings:
        """A file's settings: its config file's, with the editor's on top where it sets them."""
        config = self.config(path, fresh)
        if config is None:
            return self.settings
        merged = self._merged.get(config.path)
        if merged is None or merged[0] is not config:
            merged = self._merged[config.path] = (
                config,
                settings_for(config, self.editor_settings),
            )
        return merged[1]

    def excluded(self, path: str | None, fresh: bool = True) -> bool:
        config = self.config(path, fresh)
        return config is not None and config.excludes(path or "")

    def _publish_config(self, path: str, config: Config | None) -> None:
        problems = config.problems if config else ()
        for p in problems:
            self.window_log_message(types.LogMessageParams(types.MessageType.Warning, str(p)))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=from_path(path),
                diagnostics=[
                    types.Diagnostic(
                        range=types.Range(
                            types.Position(max(p.line - 1, 0), 0),
                            types.Position(max(p.line, 1), 0),
                        ),
                        message=p.message,
                        severity=types.DiagnosticSeverity.Error,
                        source="agentls",
                    )
                    for p in problems
                ],
            )
        )

    def dialect_matcher(self) -> Matcher:
        """A file's dialect under its config's and the editor's patterns, for one scan of the
        workspace (a matcher of its own: scans run off the event loop)."""
        return Layered(self.editor_settings).dialect

    def config_changed(self, paths: list[str]) -> None:
        """Config files were created, changed or deleted: analyse every open document again,
        and index the workspace again (a config's patterns may have changed)."""
        for path in paths:
            if path in self._config_shown and not os.path.exists(path):
                del self._config_shown[path]
                self._publish_config(path, None)
        self._merged.clear()
        self._config_of.clear()
        self._cache.clear()
        for uri in self.open_uris():
            guarded(self.publish)(uri)
        self.index_epoch += 1
        if self.index.ready:
            self.rescan_soon()

    def apply_settings(self, raw: Any) -> None:
        settings, problems = Settings.parse(raw)
        for p in problems:
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Warning, f"agentls settings: {p}")
            )
        if problems:
            self.window_show_message(
                types.ShowMessageParams(
                    types.MessageType.Warning,
                    "agentls: some settings are invalid and use their defaults (see the log).",
                )
            )
        if settings != self.settings or raw != self.editor_settings:
            rescan = settings.patterns != self.settings.patterns and self.index.ready
            self.settings = settings
            self.editor_settings = raw
            self._merged.clear()
            self._cache.clear()
            for uri in self.open_uris():
                guarded(self.publish)(uri)
            if rescan:
                self.index_epoch += 1
                self.rescan_soon()

    def rescan_soon(self) -> None:
        """Index the workspace again in the background: the dialect patterns changed, so files
        on disk may be of another dialect, or of none (open documents are re-indexed as they
        are analysed); then publish every open document again."""
        self._rescan = asyncio.get_running_loop().create_task(self._rescan_index())

    async def _rescan_index(self) -> None:
        epoch, match = self.index_epoch, self.dialect_matcher()
        loop = asyncio.get_running_loop()
        try:
            scans = [
                await loop.run_in_executor(None, collect, root, match)  # off the loop
                for root in self.index.roots + self.index.extra_roots
            ]
        except Exception:
            log.exception("workspace rescan failed")
            return
        if epoch != self.index_epoch:
            return  # changed again meanwhile: that change rescans
        self.index.rebuild(scans, keep=self.uris.paths())
        self.republish_soon()

    # --- stdio and TCP: agentls.rpc reads, frames and checks messages -----------------------
    def _start_io_async(
        self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
    ) -> None:
        """pygls's stdio loop (pygls 2.x `LanguageServer._start_io_async`) with agentls.rpc's
        reader and framing, and the exit code of `exit` kept (pygls swallows its SystemExit)."""
        self._stop_event = threading.Event()
        reader = StdinReader(stdin or sys.stdin.buffer)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        code: int | str | None = None
        try:
            asyncio.run(rpc_serve(reader.read, self.rpc, self._stop_event))
        except BrokenPipeError:
            log.error("the connection to the client is lost: shutting down")
        except KeyboardInterrupt:
            pass
        except SystemExit as e:  # `exit`: 0 after `shutdown`, else 1
            code = e.code
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]
        if code:
            raise SystemExit(code)

    def start_tcp(self, host: str, port: int) -> None:
        """pygls's TCP server (`JsonRPCServer.start_tcp`) with agentls.rpc's framing."""
        self._stop_event = stop = threading.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.protocol.set_writer(writer)  # type: ignore[arg-type]
            await rpc_serve(lambda: reader.read(CHUNK), self.rpc, stop)
            self.shutdown()  # type: ignore[no-untyped-call]

        async def main() -> None:
            server = await asyncio.start_server(connection, host, port)
            self._server = server
            for sock in server.sockets:  # the port, also when the OS chose it (port 0)
                addr = sock.getsockname()
                print(f"agentls: listening on {addr[0]}:{addr[1]}", file=sys.stderr, flush=True)
            async with server:
                await server.serve_forever()

        with contextlib.suppress(asyncio.CancelledError):  # shutdown() closed the server
            asyncio.run(main())

    @property
    def rpc(self) -> AgentProtocol:
        protocol = self.protocol
        assert isinstance(protocol, AgentProtocol)
        return protocol

    # --- errors: log, never a pop-up for a user's file ---------------------------------------
    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError):
            log.info("answered with an error: %r", error)  # the client's mistake, not ours
            return
        log.error("internal error (%s): %r", getattr(source, "__name__", source), error)


def guarded(fn: Any) -> Any:
    """Run a handler; log its failure instead of surfacing it (design.md §5, esbonio)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JsonRpcException:
            raise  # an error meant for the client (e.g. an invalid new name in a rename)
        except Exception:
            if os.environ.get("AGENTLS_STRICT"):
                raise
            log.exception("%s failed", getattr(fn, "__name__", fn))
            return None

    return wrapper


def create_server() -> AgentLanguageServer:
    from agentls.handlers import (
        actions,
        codelens,
        completion,
        config,
        hover,
        index,
        links,
        navigation,
        structure,
        sync,
    )

    server = AgentLanguageServer()
    modules = (config, sync, completion, hover, actions, structure, index, links, navigation)
    for module in (*modules, codelens):
        module.register(server)
    return server


def serve(tcp: str | None = None) -> None:
    logging.basicConfig(
        level=os.environ.get("AGENTLS_LOG", "WARNING").upper(),
        stream=sys.stderr,
        format="agentls %(levelname)s %(message)s",
    )
    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
