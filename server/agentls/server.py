"""AgentLanguageServer: the analysis cache, settings and handler wiring (pygls 2.x)."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from agentls import __version__
from agentls.convert import Converter, diagnostic
from agentls.core.analysis import Analysis, analyze
from agentls.core.settings import Settings
from agentls.core.workspace import Index

log = logging.getLogger("agentls")

# Documents larger than this are analysed on the next turn of the event loop, so that a burst
# of queued edits is coalesced into one analysis of the newest version.
COALESCE_CHARS = 100_000


def uri_path(uri: str) -> str | None:
    """A filesystem-like path for dialect detection, also for non-file URIs."""
    path = to_fs_path(uri)
    if path:
        return path
    parsed = urlparse(uri)
    return unquote(parsed.path) or None


class AgentLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "agentls", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.settings = Settings()
        self._cache: dict[str, tuple[int | None, Analysis]] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self.index = Index()  # agents, skills, commands and prompts of the workspace by name

    # --- analysis --------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        if enc is None:
            return "utf-16"
        return str(getattr(enc, "value", enc))

    def converter(self, a: Analysis) -> Converter:
        return Converter(a.lines, self.encoding)

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version (computed once per version)."""
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return None
        cached = self._cache.get(uri)
        if cached is not None and cached[0] == doc.version:
            return cached[1]
        path = uri_path(uri)
        a = analyze(path, doc.source, self.settings)
        self._cache[uri] = (doc.version, a)
        if path:
            self.index.update(path, doc.source, a.dialect)
        return a

    def agent_file(self, uri: str) -> tuple[Analysis, Converter] | None:
        """The analysis and position converter of an open file of a known dialect, else None."""
        a = self.analysis(uri)
        if a is None or a.dialect is None:
            return None
        return a, self.converter(a)

    def schedule(self, uri: str) -> None:
        """Publish diagnostics for ``uri``: now, or once queued edits are in for large ones."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return
        if len(doc.source) < COALESCE_CHARS:
            self.publish(uri)
            return
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(0, self._publish_if_current, uri, doc.version)

    def _publish_if_current(self, uri: str, version: int | None) -> None:
        self._pending.pop(uri, None)
        doc = self.workspace.text_documents.get(uri)
        if doc is not None and doc.version == version:
            guarded(self.publish)(uri)

    def publish(self, uri: str) -> None:
        a = self.analysis(uri)
        if a is None:
            return
        conv = self.converter(a)
        version = self._cache[uri][0]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[diagnostic(f, conv) for f in a.findings]
            )
        )

    def forget(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._cache.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    # --- settings --------------------------------------------------------------------------
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
        if settings != self.settings:
            self.settings = settings
            self._cache.clear()
            for uri in list(self.workspace.text_documents):
                guarded(self.publish)(uri)

    # --- errors: log, never a pop-up for a user's file ---------------------------------------
    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("internal error (%s): %r", getattr(source, "__name__", source), error)


def guarded(fn: Any) -> Any:
    """Run a handler; log its failure instead of surfacing it (design.md §5, esbonio)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception:
            if os.environ.get("AGENTLS_STRICT"):
                raise
            log.exception("%s failed", getattr(fn, "__name__", fn))
            return None

    return wrapper


def create_server() -> AgentLanguageServer:
    from agentls.handlers import actions, completion, config, hover, navigation, structure, sync

    server = AgentLanguageServer()
    for module in (config, sync, completion, hover, actions, structure, navigation):
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
