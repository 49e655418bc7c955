"""A raw stdio LSP client for the fuzzer: sends any bytes, reads every frame the server writes,
and keeps the exact message log (both directions) for reproducers."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from typing import Any

Message = dict[str, Any]


class ServerGone(Exception):
    """The server closed its stdout (exited) or wrote something that is not an LSP frame."""


class Client:
    def __init__(self, command: list[str], env: dict[str, str], cwd: str) -> None:
        self.t0 = time.monotonic()
        self.log: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.inbox: queue.Queue[tuple[float, Message | None]] = queue.Queue()
        self.arrived = 0.0  # when the message ``get`` returned last was read
        self.stderr: list[bytes] = []
        self.bad_output: str | None = None  # what the server wrote that is not a frame
        self.sent = 0
        self.received = 0
        self._id = 0
        self._corked: list[bytes] | None = None
        self._corks = 0
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        threading.Thread(target=self._drain, daemon=True).start()

    # --- log ------------------------------------------------------------------------------
    def _record(self, direction: str, data: bytes | Message | str) -> None:
        entry: dict[str, Any] = {"t": round(time.monotonic() - self.t0, 4), "dir": direction}
        if isinstance(data, bytes):
            try:
                entry["text"] = data.decode("utf-8")
            except UnicodeDecodeError:
                entry["b64"] = base64.b64encode(data).decode("ascii")
        elif isinstance(data, str):
            entry["note"] = data
        else:
            entry["msg"] = data
        with self._lock:
            self.log.append(entry)

    def note(self, text: str) -> None:
        """A marker in the log (what the fuzzer checked or waited for)."""
        self._record("note", text)

    # --- reading --------------------------------------------------------------------------
    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length: int | None = None
                while True:
                    line = out.readline()
                    if not line:
                        return
                    if line == b"\r\n":
                        break
                    name, sep, value = line.partition(b":")
                    if not sep or not line.endswith(b"\r\n"):
                        self.bad_output = f"not a header line: {line[:200]!r}"
                        return
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    self.bad_output = "a frame without Content-Length"
                    return
                body = out.read(length)
                try:
                    msg = json.loads(body)
                except ValueError:
                    self.bad_output = f"a body that is not JSON: {body[:200]!r}"
                    return
                self._record("s2c", msg)
                self.received += 1
                now = time.monotonic()
                for m in msg if isinstance(msg, list) else [msg]:  # a batch of error replies
                    self.inbox.put((now, m if isinstance(m, dict) else {"invalid": m}))
        except (OSError, ValueError) as e:
            self.bad_output = f"unreadable output: {e!r}"
        finally:
            self.inbox.put((time.monotonic(), None))  # end of stream

    def _drain(self) -> None:
        err = self.proc.stderr
        assert err is not None
        for line in err:
            self.stderr.append(line)

    def get(self, timeout: float) -> Message | None:
        """The next message from the server, None on timeout; ServerGone at end of stream."""
        try:
            self.arrived, msg = self.inbox.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if msg is None:
            self.inbox.put((self.arrived, None))  # stays at end of stream
            raise ServerGone(self.bad_output or "the server closed its output")
        return msg

    # --- writing --------------------------------------------------------------------------
    def cork(self) -> None:
        """Hold frames back until the matching :meth:`uncork`, to write them at once (one read
        for the server: a fast typist, a slow server). Nests."""
        self._corks += 1
        if self._corked is None:
            self._corked = []

    def uncork(self) -> None:
        self._corks -= 1
        if self._corks > 0:
            return
        data, self._corked = b"".join(self._corked or []), None
        if data:
            self._write(data)

    def send_raw(self, data: bytes) -> None:
        self._record("c2s", data)
        self.sent += 1
        if self._corked is not None:
            self._corked.append(data)
        else:
            self._write(data)

    def _write(self, data: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(data)
            stdin.flush()
        except (BrokenPipeError, ValueError, OSError) as e:
            raise ServerGone(f"cannot write to the server: {e!r}") from e

    @staticmethod
    def frame(msg: Any) -> bytes:
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    def send(self, msg: Message) -> None:
        self.send_raw(self.frame({"jsonrpc": "2.0", **msg}))

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def next_id(self) -> int:
        self._id += 1
        return self._id

    def request(self, method: str, params: Any) -> int:
        rid = self.next_id()
        self.send({"id": rid, "method": method, "params": params})
        return rid

    def reply(self, msg: Message) -> None:
        """Answer a server-to-client request as an editor does (accept, return nothing)."""
        method = msg.get("method")
        if method == "workspace/configuration":
            items = (msg.get("params") or {}).get("items") or []
            result: Any = [None] * len(items)
        elif method == "workspace/applyEdit":
            result = {"applied": False}
        else:
            result = None
        self.send({"id": msg["id"], "result": result})

    # --- end --------------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_exit(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()
        self._reader.join(timeout=5)

    def dump(self, path: str, header: dict[str, Any]) -> None:
        """The reproducer: a header line (seed, settings, failures), then the message log."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(header, ensure_ascii=False) + "\n")
            with self._lock:
                entries = list(self.log)
            for entry in entries:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            tail = b"".join(self.stderr[-200:]).decode("utf-8", "replace")
            fh.write(json.dumps({"dir": "stderr", "text": tail}, ensure_ascii=False) + "\n")
