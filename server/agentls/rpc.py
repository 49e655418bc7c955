"""The LSP base protocol over a byte stream, made robust: framing, JSON-RPC 2.0, LSP lifecycle.

pygls 2.x reads a header line with ``readline`` (a line over the stream limit ends the server),
matches only ``Content-Length: N\\r\\n`` exactly, and after one broken frame never finds a header
again (the next header is glued to the end of the previous body). It answers nothing to malformed
JSON, invalid requests or invalid params, and applies no LSP lifecycle rule but ``exit``.

Here, :class:`Framer` splits the stream into bodies (sans I/O, so it is tested byte by byte) and
resynchronises on the next header after any error; :class:`AgentProtocol` answers what JSON-RPC
and LSP require (-32700, -32600, -32602, -32002) before handing valid messages to pygls; and
:func:`serve` runs the two over any source of chunks (a pipe on the event loop, a thread reading
a file, a TCP stream).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

import cattrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

log = logging.getLogger("agentls")

CHUNK = 64 * 1024  # bytes asked of the transport per read
MAX_HEADER = 16 * 1024  # bytes of one header block: a few short lines in practice
# Larger than any message an editor sends (VS Code stops syncing files over 50 MB to servers).
MAX_BODY = 128 * 1024 * 1024

# The first line of a header block. It cannot occur inside a JSON text: a raw line break is not
# allowed in a JSON string and `Content-Length` is not a JSON token. So where it appears, a new
# message starts, even in the middle of a body whose declared length is wrong.
_START = re.compile(rb"content-length[ \t]{0,8}:[ \t]{0,8}[0-9]{1,19}[ \t]{0,8}\r?\n", re.I)
_START_MAX = 64  # longer than any match of _START
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP header name


@dataclass(frozen=True)
class FrameError:
    """A framing error; ``body`` when a message body was cut off (it is answered with -32700)."""

    message: str
    body: bool = False


class Framer:
    """Splits the byte stream of the LSP base protocol into message bodies.

    Header names are case-insensitive, ``Content-Type`` is optional, lines may end in ``\\n``.
    After an error (a malformed or over-long header, a missing, non-numeric or absurd length, or
    a header found inside a body whose declared length is too long) it skips to the next line
    that starts a header block (see ``_START``) and carries on.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._resync = False
        self._length: int | None = None  # of the body being read, once its headers are in
        self._scanned = 0  # body bytes known not to start a header
        self._block = 0  # bytes of the header block read so far
        self._declared: int | None = None  # Content-Length of the header block being read

    def feed(self, data: bytes) -> None:
        self._buf += data

    def frames(self) -> Iterator[bytes | FrameError]:
        """The bodies and errors complete in what was fed so far."""
        while (item := self._next()) is not None:
            yield item

    def reject(self, body: bytes) -> None:
        """``body`` was not JSON: its declared length may have been wrong. Look for the next
        header from its last bytes on (a header cut in two by the wrong length is found)."""
        self._buf[:0] = body[-_START_MAX:]
        self._resync = True

    @property
    def pending(self) -> int:
        """Bytes received and not yet returned (a message cut off by the end of the stream)."""
        return len(self._buf) if not self._resync else 0

    def _fail(self, message: str) -> FrameError:
        del self._buf[:1]  # resynchronise after the start of the faulty line, not on it again
        self._resync = True
        self._block = 0
        self._declared = None
        return FrameError(message)

    def _next(self) -> bytes | FrameError | None:
        buf = self._buf
        while True:
            if self._resync:
                m = _START.search(buf)
                if m is None:  # keep a tail: it may be the start of a header cut by the read
                    del buf[: max(0, len(buf) - _START_MAX)]
                    return None
                if m.start():
                    log.info("skipped %d bytes to the next message header", m.start())
                del buf[: m.start()]
                self._resync = False
            if self._length is not None:
                return self._body(self._length)
            limit = MAX_HEADER - self._block
            nl = buf.find(b"\n", 0, limit)
            if nl < 0:
                if len(buf) >= limit:
                    return self._fail(f"header block longer than {MAX_HEADER} bytes")
                return None
            line = bytes(buf[:nl]).strip()
            if not line:  # the blank line that ends a header block
                if self._block == 0:
                    del buf[: nl + 1]  # a stray line break between messages
                    continue
                if self._declared is None:
                    return self._fail("a header block without Content-Length")
                del buf[: nl + 1]
                self._length, self._scanned = self._declared, 0
                self._block, self._declared = 0, None
                continue
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name):
                return self._fail(f"not a header line: {line[:60]!r}")
            if name.lower() == b"content-length":
                value = value.strip()
                if not value.isdigit():
                    return self._fail(f"Content-Length is not a number: {value[:60]!r}")
                length = int(value)
                if length > MAX_BODY:
                    return self._fail(f"Content-Length {length} is over {MAX_BODY}")
                if self._declared is not None and self._declared != length:
                    return self._fail("two different Content-Length headers")
                self._declared = length
            del buf[: nl + 1]
            self._block += nl + 1

    def _body(self, n: int) -> bytes | FrameError | None:
        buf = self._buf
        end = min(len(buf), n + _START_MAX)
        # a header ends in a raw line feed, which compact JSON never has: look for one first
        nl = buf.find(b"\n", max(0, self._scanned - _START_MAX), end)
        m = None if nl < 0 else _START.search(buf, max(0, nl - _START_MAX), end)
        if m is not None and m.start() < n:
            del buf[: m.start()]
            self._length = None
            return FrameError(
                f"Content-Length {n} runs into the next message, {m.start()} bytes in", body=True
            )
        self._scanned = end
        if len(buf) < n:
            return None
        body = bytes(buf[:n])
        del buf[:n]
        self._length = None
        return body


class Handler(Protocol):
    def handle_body(self, body: bytes) -> bool: ...

    def framing_error(self, error: FrameError) -> None: ...


async def serve(read: Callable[[], Awaitable[bytes]], handler: Handler, stop: Any) -> None:
    """Read chunks until the end of the stream (or ``stop.is_set()``), handling each message."""
    framer = Framer()
    while not stop.is_set():
        data = await read()
        if not data:
            if framer.pending:
                log.warning("the stream ended inside a message (%d bytes)", framer.pending)
            return
        framer.feed(data)
        for frame in framer.frames():
            if isinstance(frame, FrameError):
                handler.framing_error(frame)
            elif not handler.handle_body(frame):
                framer.reject(frame)


def _pollable(f: BinaryIO) -> bool:
    """Whether the event loop can wait on ``f``: a pipe, a socket or a terminal (epoll refuses
    a file and `/dev/null`, and only says so once the loop runs: the server would wait on
    nothing for ever)."""
    try:
        fd = f.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or (stat.S_ISCHR(mode) and os.isatty(fd))


class StdinReader:
    """Reads stdin in chunks on the event loop (an asyncio pipe transport), else in a thread.

    pygls hands each read to a pool thread, which must win the GIL back from the index scan
    thread: while the workspace is being indexed, edits queued up behind it (p99 over 100 ms in
    `bench/index_edit_bench.py`). Read on the loop, a message needs no thread hop. Where stdin is
    not a pipe or socket (a file, Windows), a daemon thread reads it: a pool thread blocked on
    stdin would keep the process from exiting (the pool is joined at exit).
    """

    def __init__(self, stdin: BinaryIO) -> None:
        self._stdin = stdin
        self._stream: asyncio.StreamReader | None = None
        self._chunks: asyncio.Queue[bytes] | None = None

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if sys.platform != "win32" and _pollable(self._stdin):
            stream = asyncio.StreamReader(limit=4 * CHUNK)
            try:
                await loop.connect_read_pipe(
                    lambda: asyncio.StreamReaderProtocol(stream), self._stdin
                )
                self._stream = stream
                return
            except (OSError, ValueError) as e:  # not a pipe, socket or character device
                log.info("stdin read through a thread (%r)", e)
        chunks: asyncio.Queue[bytes] = asyncio.Queue(maxsize=4)
        self._chunks = chunks

        def pump() -> None:
            data = b"-"
            while data:
                try:
                    data = self._read_blocking()
                except (OSError, ValueError) as e:
                    log.error("reading stdin failed: %r", e)
                    data = b""
                try:  # wait for room: no more than a few chunks ahead of the server
                    asyncio.run_coroutine_threadsafe(chunks.put(data), loop).result()
                except (RuntimeError, concurrent.futures.CancelledError):
                    return  # the loop is gone: the server is exiting

        threading.Thread(target=pump, name="agentls-stdin", daemon=True).start()

    def _read_blocking(self) -> bytes:
        read1 = getattr(self._stdin, "read1", None)
        if read1 is not None:
            return bytes(read1(CHUNK))
        return self._stdin.readline(CHUNK)

    async def read(self) -> bytes:
        if self._stream is None and self._chunks is None:
            await self._start()
        if self._stream is not None:
            return await self._stream.read(CHUNK)
        assert self._chunks is not None
        return await self._chunks.get()


# --- JSON-RPC 2.0 and the LSP lifecycle ------------------------------------------------------
PARSE_ERROR = int(types.ErrorCodes.ParseError)
INVALID_REQUEST = int(types.ErrorCodes.InvalidRequest)
INVALID_PARAMS = int(types.ErrorCodes.InvalidParams)
NOT_INITIALIZED = int(types.ErrorCodes.ServerNotInitialized)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _usable_id(data: dict[str, Any]) -> int | str | None:
    v = data.get("id")
    return v if isinstance(v, int | str) and not isinstance(v, bool) else None


def _is_response(data: Any) -> bool:
    return isinstance(data, dict) and "method" not in data and ("result" in data or "error" in data)


def _request_id(data: Any) -> int | str | None:
    """The id to answer an invalid message with: a request's own id if usable, else null."""
    return _usable_id(data) if isinstance(data, dict) and "method" in data else None


def envelope_problem(data: Any) -> str | None:
    """Why ``data`` is not a valid JSON-RPC 2.0 request, notification or response, or None."""
    if not isinstance(data, dict):
        return "a message must be a JSON object"
    if data.get("jsonrpc") != "2.0":
        return 'the "jsonrpc" member must be "2.0"'
    if "method" in data:
        if not isinstance(data["method"], str):
            return 'the "method" member must be a string'
        if "id" in data and _usable_id(data) is None:
            return 'a request "id" must be an integer or a string'
        if not isinstance(data.get("params"), dict | list | None):
            return 'the "params" member must be an object or an array'
        return None
    if ("result" in data) == ("error" in data):
        return 'a message needs a "method", or one of "result" and "error"'
    if not ("id" in data and (data["id"] is None or _usable_id(data) is not None)):
        return 'a response "id" must be an integer, a string or null'
    error = data.get("error")
    if "error" in data and not (
        isinstance(error, dict)
        and isinstance(error.get("code"), int)
        and isinstance(error.get("message"), str)
    ):
        return 'a response "error" must have an integer "code" and a string "message"'
    return None


def params_problem(exc: Exception) -> str:
    """A readable account of a cattrs structuring failure: what is wrong, where."""

    def describe(e: BaseException, t: Any) -> str:
        if isinstance(e, KeyError):
            return "required field missing"
        if type(e) is ValueError and str(e):  # lsprotocol's range checks say what they check
            return str(e)
        return cattrs.v.format_exception(e, t)

    if isinstance(exc, cattrs.BaseValidationError):
        errors = cattrs.transform_error(exc, format_exception=describe)[:5]
        # cattrs names the Python attributes (text_document); say what the client sent
        return "; ".join(_PATH.sub(_camel, e) for e in errors)
    return str(exc) or type(exc).__name__


_PATH = re.compile(r"(?<= @ )\$\S*$")


def _camel(m: re.Match[str]) -> str:
    return re.sub(r"_([a-z])", lambda c: c.group(1).upper(), m.group(0)).replace("_", "")


def error_response(msg_id: int | str | None, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}


class AgentProtocol(LanguageServerProtocol):
    """pygls's LSP protocol, answering every malformed message as JSON-RPC 2.0 and LSP 3.17 say.

    - not JSON: -32700 (id null); an empty batch, a non-object, a wrong ``jsonrpc``: -32600;
      batches (no LSP message uses them): -32600 per request, notifications dropped;
    - params that do not fit the method's type: -32602 for a request, a notification is dropped;
    - before ``initialize``: -32002 for a request, a notification is dropped (``exit`` is not);
      a second ``initialize``: -32600; after ``shutdown``: -32600 for anything but ``exit``.
    """

    def __init__(self, server: Any, converter: cattrs.Converter) -> None:
        super().__init__(server, converter)
        self.initialize_received = False

    # --- entry points for serve() ---------------------------------------------------------
    def framing_error(self, error: FrameError) -> None:
        log.warning("framing error: %s; skipped to the next message", error.message)
        if error.body:
            self._send_data(error_response(None, PARSE_ERROR, f"Parse error: {error.message}"))

    def handle_body(self, body: bytes) -> bool:
        """Handle one message body; False when it is not JSON."""
        try:
            data = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as e:
            log.warning("parse error: %s", e)
            self._send_data(error_response(None, PARSE_ERROR, f"Parse error: {e}"))
            return False
        if isinstance(data, list):
            self._batch(data)
        else:
            reply = self.handle_data(data)
            if reply is not None:
                self._send_data(reply)
        return True

    def _batch(self, items: list[Any]) -> None:
        if not items:
            self._send_data(error_response(None, INVALID_REQUEST, "Invalid Request: empty batch"))
            return
        replies = []
        for item in items:
            problem = envelope_problem(item)
            if _is_response(item) or (problem is None and "id" not in item):
                log.warning("dropped a notification or response sent in a batch")
                continue
            msg_id = _request_id(item)
            problem = problem or "batches are not supported by LSP"
            replies.append(error_response(msg_id, INVALID_REQUEST, f"Invalid Request: {problem}"))
        if replies:
            self._send_data(replies)

    def handle_data(self, data: Any) -> dict[str, Any] | None:
        """Check, structure and dispatch one decoded message; the error reply if any."""
        problem = envelope_problem(data)
        if problem is not None:
            if _is_response(data):
                self._fail_response(data, problem)  # a response is never answered
                return None
            log.warning("invalid request: %s", problem)
            return error_response(_request_id(data), INVALID_REQUEST, f"Invalid Request: {problem}")
        if "method" not in data:
            try:
                message = self.structure_message(data)
            except Exception as e:  # pygls logged it
                self._fail_response(data, f"invalid response: {e}")
                return None
            self.handle_message(message)
            return None
        method: str = data["method"]
        msg_id = _usable_id(data)
        is_request = "id" in data
        fallback = JsonRPCRequestMessage if is_request else JsonRPCNotification
        try:
            message = self._converter.structure(data, self.get_message_type(method) or fallback)
        except Exception as e:
            text = params_problem(e)
            if not is_request:
                log.warning("dropped %s notification: invalid params: %s", method, text)
                return None
            log.warning("%s request: invalid params: %s", method, text)
            return error_response(msg_id, INVALID_PARAMS, f"Invalid params: {text}")
        if is_request and getattr(message, "id", None) is None:
            return error_response(msg_id, INVALID_REQUEST, f"{method} is a notification")
        self.handle_message(message)
        return None

    def _fail_response(self, data: dict[str, Any], problem: str) -> None:
        log.warning("dropped an invalid response: %s", problem)
        msg_id = _usable_id(data)
        future = self._request_futures.pop(msg_id, None) if msg_id is not None else None
        if msg_id is not None:
            self._result_types.pop(msg_id, None)
        if future is not None and not future.done():
            future.set_exception(JsonRpcInvalidRequest(f"Invalid response: {problem}"))

    def _run_generator(self, future: Any, *, gen: Any, result_future: Any) -> None:
        """pygls resumes a builtin handler (a generator) with the result of the user handler it
        yielded to; when that was cancelled (an async `initialized` handler still running at
        `exit`), `future.result()` raises CancelledError out of the callback. Cancel instead."""
        if future is not None and future.cancelled():
            gen.close()
            result_future.cancel()
            return
        super()._run_generator(future, gen=gen, result_future=result_future)

    # --- the lifecycle, for structured messages (also on pygls's own read loops) ------------
    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        if method is None or method == types.EXIT:  # a response, or exit: always handled
            super().handle_message(message)
            return
        msg_id = getattr(message, "id", None)
        refusal: tuple[int, str] | None = None
        if self._shutdown:
            refusal = (INVALID_REQUEST, f"Invalid Request: {method} after shutdown")
        elif not self.initialize_received:
            if method == types.INITIALIZE and msg_id is not None:
                self.initialize_received = True
            else:
                refusal = (NOT_INITIALIZED, f"Server not initialized: {method} before initialize")
        elif method == types.INITIALIZE:
            refusal = (INVALID_REQUEST, "Invalid Request: the server is already initialized")
        if refusal is None:
            super().handle_message(message)
        elif msg_id is None:
            log.warning("dropped %s notification: %s", method, refusal[1])
        else:
            log.warning("%s", refusal[1])
            self._send_data(error_response(msg_id, *refusal))
