"""A minimal raw asyncio JSON-RPC client over stdio, for timing a language server.

Deliberately free of pygls, lsprotocol and pytest-lsp: the client only frames bytes
(``Content-Length``), decodes JSON and timestamps every message with ``time.perf_counter()`` as
soon as its last byte has been read, so the figures measure the server, not a client library.

The server runs in its own process group (``start_new_session=True``); :meth:`LspClient.close`
always kills that group, and :func:`kill_all` (also registered with :mod:`atexit`) kills every
group this module started and has not reaped yet.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 10.0
_LIVE_GROUPS: set[int] = set()


def kill_all() -> None:
    """SIGKILL every process group started here that is still registered."""
    for pgid in list(_LIVE_GROUPS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        _LIVE_GROUPS.discard(pgid)


atexit.register(kill_all)


class ServerError(RuntimeError):
    """The server died, answered with an error, or a wait timed out."""


def rss_kib(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` of a process, in KiB, from ``/proc/<pid>/status``."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


Listener = Callable[[float, str, Any], None]


class LspClient:
    """One server process and the JSON-RPC conversation with it.

    Use as ``async with LspClient(cmd) as c:``; ``c.t_spawn`` is the ``perf_counter()`` taken
    just before the process was created.

    ``c.listeners`` are called as ``listener(t_received, method, params)`` for every
    notification and request from the server (``$/progress``,
    ``window/workDoneProgress/create``...), before it is handled.
    """

    def __init__(
        self,
        cmd: Sequence[str],
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.cmd = list(cmd)
        self.cwd = cwd
        self.env = env
        self.timeout = timeout
        self.proc: asyncio.subprocess.Process | None = None
        self.t_spawn = 0.0
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[tuple[float, dict[str, Any]]]] = {}
        self._diag_waiters: dict[tuple[str, int | None], asyncio.Future[tuple[float, Any]]] = {}
        self._diag_seen: dict[tuple[str, int | None], tuple[float, Any]] = {}
        self._stderr: deque[str] = deque(maxlen=40)
        self._tasks: list[asyncio.Task[None]] = []
        self._dead: BaseException | None = None
        self.listeners: list[Listener] = []

    # --- lifecycle ---------------------------------------------------------------------------
    async def __aenter__(self) -> LspClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close(graceful=exc[0] is None)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> None:
        self.t_spawn = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            limit=64 * 1024 * 1024,
        )
        _LIVE_GROUPS.add(self.proc.pid)
        self._tasks = [
            asyncio.create_task(self._read_loop()),
            asyncio.create_task(self._drain_stderr()),
        ]

    async def close(self, graceful: bool = True) -> None:
        """Shut down politely if asked (2 s each step), then always kill the process group."""
        proc = self.proc
        if proc is None:
            return
        try:
            if graceful and proc.returncode is None and self._dead is None:
                with contextlib.suppress(Exception):
                    await self.request("shutdown", None, timeout=2.0)
                    await self.notify("exit", None)
                    await asyncio.wait_for(proc.wait(), 2.0)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            _LIVE_GROUPS.discard(proc.pid)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(proc.wait(), 5.0)
            for t in self._tasks:
                t.cancel()
            for t in self._tasks:
                with contextlib.suppress(BaseException):
                    await t
            if proc.stdin is not None:
                with contextlib.suppress(Exception):
                    proc.stdin.close()
            self._fail_all(ServerError("client closed"))

    def stderr_tail(self) -> str:
        return "\n".join(self._stderr)

    # --- sending -----------------------------------------------------------------------------
    async def _send(self, msg: dict[str, Any]) -> float:
        if self._dead is not None:
            raise ServerError(f"server is gone: {self._dead}\n{self.stderr_tail()}")
        assert self.proc is not None and self.proc.stdin is not None
        body = json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        t = time.perf_counter()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await asyncio.wait_for(self.proc.stdin.drain(), self.timeout)
        return t

    async def notify(self, method: str, params: Any) -> float:
        """Send a notification; returns the ``perf_counter()`` taken just before writing."""
        return await self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(
        self, method: str, params: Any, timeout: float | None = None
    ) -> tuple[float, float, Any]:
        """Send a request and await its response: ``(t_sent, t_received, result)``."""
        self._next_id += 1
        rid = self._next_id
        fut: asyncio.Future[tuple[float, dict[str, Any]]] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending[rid] = fut
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        try:
            t0 = await self._send(msg)
            t1, resp = await self._wait(fut, timeout, f"response to {method}")
        finally:
            self._pending.pop(rid, None)
        if "error" in resp:
            raise ServerError(f"{method}: {resp['error']}")
        return t0, t1, resp.get("result")

    # --- diagnostics -------------------------------------------------------------------------
    def expect_diagnostics(
        self, uri: str, version: int | None
    ) -> asyncio.Future[tuple[float, Any]]:
        """A future for the ``publishDiagnostics`` of ``uri`` at ``version``.

        Create it *before* sending the notification that triggers it; a publication that
        arrived earlier and was not claimed resolves it at once.
        """
        key = (uri, version)
        fut: asyncio.Future[tuple[float, Any]] = asyncio.get_running_loop().create_future()
        seen = self._diag_seen.pop(key, None)
        if seen is not None:
            fut.set_result(seen)
        else:
            self._diag_waiters[key] = fut
        return fut

    async def wait_diagnostics(
        self, fut: asyncio.Future[tuple[float, Any]], timeout: float | None = None
    ) -> tuple[float, Any]:
        """``(t_received, params)`` of the expected publication."""
        try:
            got: tuple[float, Any] = await self._wait(fut, timeout, "publishDiagnostics")
            return got
        finally:
            for key, f in list(self._diag_waiters.items()):
                if f is fut:
                    del self._diag_waiters[key]

    # --- LSP helpers -------------------------------------------------------------------------
    async def initialize(
        self,
        root_uri: str | None,
        initialization_options: Any = None,
        workspace_folders: Sequence[str] | None = None,
        work_done_progress: bool = False,
    ) -> tuple[float, float, Any]:
        """``workspace_folders`` (URIs) are sent, and announced, only when given."""
        caps = {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "synchronization": {"didSave": False, "dynamicRegistration": False},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "completion": {
                    "completionItem": {
                        "snippetSupport": True,
                        "documentationFormat": ["markdown", "plaintext"],
                    }
                },
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            },
            "workspace": {
                "configuration": False,
                "workspaceFolders": workspace_folders is not None,
            },
        }
        if work_done_progress:
            caps["window"] = {"workDoneProgress": True}
        params: dict[str, Any] = {
            "processId": os.getpid(),
            "rootUri": root_uri,
            "capabilities": caps,
            "clientInfo": {"name": "agentls-bench"},
        }
        if initialization_options is not None:
            params["initializationOptions"] = initialization_options
        if workspace_folders is not None:
            params["workspaceFolders"] = [
                {"uri": u, "name": u.rstrip("/").rsplit("/", 1)[-1]} for u in workspace_folders
            ]
        return await self.request("initialize", params)

    async def did_open(
        self, uri: str, text: str, version: int = 1, language_id: str = "markdown"
    ) -> float:
        return await self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": language_id,
                    "version": version,
                    "text": text,
                }
            },
        )

    async def did_change_full(self, uri: str, text: str, version: int) -> float:
        return await self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    async def did_close(self, uri: str) -> float:
        return await self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    # --- reading -----------------------------------------------------------------------------
    async def _wait(self, fut: asyncio.Future[Any], timeout: float | None, what: str) -> Any:
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout or self.timeout)
        except asyncio.TimeoutError:
            fut.cancel()
            rc = self.proc.returncode if self.proc else None
            raise ServerError(
                f"timed out after {timeout or self.timeout:g} s waiting for {what}"
                f" (server exit code {rc})\n{self.stderr_tail()}"
            ) from None

    def _fail_all(self, err: BaseException) -> None:
        self._dead = self._dead or err
        for fut in [*self._pending.values(), *self._diag_waiters.values()]:
            if not fut.done():
                fut.set_exception(ServerError(f"{err}\n{self.stderr_tail()}"))
                fut.exception()  # mark retrieved: nobody may await it any more

    async def _read_loop(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        out = self.proc.stdout
        try:
            while True:
                header = await out.readuntil(b"\r\n\r\n")
                length = -1
                for line in header.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length < 0:
                    raise ServerError(f"bad header: {header!r}")
                body = await out.readexactly(length)
                t = time.perf_counter()
                await self._dispatch(t, json.loads(body))
        except (asyncio.IncompleteReadError, ConnectionError) as e:
            self._fail_all(ServerError(f"server closed its stdout ({type(e).__name__})"))
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self._fail_all(e)

    async def _dispatch(self, t: float, msg: dict[str, Any]) -> None:
        method = msg.get("method")
        if method is None:  # a response
            fut = self._pending.get(msg.get("id", -1))
            if fut is not None and not fut.done():
                fut.set_result((t, msg))
            return
        for listener in self.listeners:
            listener(t, method, msg.get("params"))
        if "id" in msg:  # a request from the server: answer neutrally
            result: Any = None
            if method == "workspace/configuration":
                result = [None for _ in msg.get("params", {}).get("items", [])]
            await self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            return
        if method == "textDocument/publishDiagnostics":
            params = msg.get("params", {})
            key = (params.get("uri", ""), params.get("version"))
            waiter = self._diag_waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result((t, params))
            else:
                self._diag_seen[key] = (t, params)

    async def _drain_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while True:
            line = await self.proc.stderr.readline()
            if not line:
                return
            self._stderr.append(line.decode("utf-8", "replace").rstrip())
