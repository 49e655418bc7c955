"""A minimal synchronous LSP client over stdio, for property tests that need plain functions."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Callable
from typing import Any


class StdioClient:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        # messages from the server; a batch reply (an array) arrives as {"batch": [...]}
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.stderr: list[bytes] = []
        self._id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(out.read(length))
            self.inbox.put(msg if isinstance(msg, dict) else {"batch": msg})

    def _drain(self) -> None:
        err = self.proc.stderr
        assert err is not None
        for line in err:
            self.stderr.append(line)

    def send(self, msg: dict[str, Any]) -> None:
        self.send_raw(frame(json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8")))

    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (for framing tests: see :func:`frame`)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 20) -> Any:
        msg = self.call(method, params, timeout)
        if "error" in msg:
            raise RuntimeError(f"{method} failed: {msg['error']}")
        return msg.get("result")

    def call(self, method: str, params: Any, timeout: float = 20) -> dict[str, Any]:
        """Send a request; its whole response (with ``result`` or ``error``)."""
        self._id += 1
        rid = self._id
        self.send({"id": rid, "method": method, "params": params})
        return self.response(rid, timeout)

    def response(self, rid: int | str | None, timeout: float = 20) -> dict[str, Any]:
        """The next response with id ``rid`` (None: an error response with id null)."""
        return self.wait(lambda m: "method" not in m and m.get("id", 0) == rid, timeout)

    def wait(self, pred: Callable[[dict[str, Any]], bool], timeout: float = 20) -> dict[str, Any]:
        while True:
            msg = self.inbox.get(timeout=timeout)
            if msg.get("method") == "window/showMessage" and msg["params"]["type"] == 1:
                raise AssertionError(f"server error pop-up: {msg['params']['message']}")
            if pred(msg):
                return msg

    def initialize(self, capabilities: dict[str, Any]) -> Any:
        result = self.request(
            "initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": capabilities}
        )
        self.notify("initialized", {})
        return result

    def returncode(self, timeout: float = 20) -> int:
        """Wait for the server to exit (and its stderr to be read); its exit status."""
        code = self.proc.wait(timeout=timeout)
        self._drainer.join(timeout)
        return code

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def frame(body: bytes, header: bytes | None = None) -> bytes:
    """``body`` framed as the LSP base protocol says (or after the given header block)."""
    if header is None:
        header = b"Content-Length: %d\r\n\r\n" % len(body)
    return header + body
