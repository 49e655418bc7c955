"""A loopback stand-in for the Anthropic Messages API (127.0.0.1 only, a free port).

It answers ``POST /v1/messages`` (SSE when the body has ``"stream": true``) and
``POST /v1/messages/count_tokens``, and keeps every request body. A ``Script`` decides the
answer: by default a one-word text reply; the first request of the main conversation can be
answered with ``tool_use`` blocks instead (``Agent`` calls to see what a subagent really gets,
``Skill`` calls to see how a skill or command expands).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JSON = dict[str, Any]


@dataclass
class Request:
    path: str
    body: JSON


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(b.get("text", "")) for b in content if isinstance(b, dict) and "text" in b
        )
    return ""


def is_main_first_turn(body: JSON, prompt: str) -> bool:
    """The main conversation's first request: the last message is the user's prompt alone."""
    # 2.1.332 appends the environment as a trailing "system" message
    messages = [m for m in body.get("messages") or [] if m.get("role") != "system"]
    if not messages or any(m.get("role") == "assistant" for m in messages):
        return False
    last = messages[-1]
    content = last.get("content")
    if isinstance(content, list):
        if any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content):
            return False
        texts = [b.get("text") for b in content if isinstance(b, dict) and b.get("type") == "text"]
        if prompt not in texts:
            return False
    elif content != prompt:
        return False
    names = {t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)}
    return "Agent" in names or "Skill" in names


@dataclass
class Script:
    """How to answer. The main conversation's first request gets the tool calls of
    ``first_turn``, or those ``plan`` derives from that request (``[{"name", "input"}]``);
    every other request a one-word text."""

    prompt: str = "hi"
    first_turn: list[JSON] = field(default_factory=list)
    plan: Callable[[JSON], list[JSON]] | None = None
    reply: str = "ok"
    _used: bool = False

    def answer(self, body: JSON) -> tuple[list[JSON], str]:
        if not self._used and is_main_first_turn(body, self.prompt):
            self._used = True
            calls = self.plan(body) if self.plan is not None else self.first_turn
            if calls:
                blocks = [
                    {
                        "type": "tool_use",
                        "id": f"toolu_{i:04d}",
                        "name": c["name"],
                        "input": c["input"],
                    }
                    for i, c in enumerate(calls)
                ]
                return blocks, "tool_use"
        return [{"type": "text", "text": self.reply}], "end_turn"


def _sse(model: str, blocks: list[JSON], stop: str) -> bytes:
    events: list[tuple[str, JSON]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_standin",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 10, "output_tokens": 1},
                },
            },
        )
    ]
    for i, b in enumerate(blocks):
        start: JSON
        delta: JSON
        if b["type"] == "text":
            start = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": b["text"]}
        else:
            start = {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(b["input"])}
        events.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": i, "content_block": start},
            )
        )
        events.append(
            ("content_block_delta", {"type": "content_block_delta", "index": i, "delta": delta})
        )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": 1},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events).encode()


class StandIn:
    """``with StandIn(script) as s:`` serves on ``s.url`` until the block ends."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def messages(self) -> list[JSON]:
        """Bodies of the ``/v1/messages`` requests, in arrival order."""
        with self._lock:
            return [r.body for r in self.requests if r.path.split("?")[0].endswith("/v1/messages")]

    def _record(self, path: str, body: JSON) -> None:
        with self._lock:
            self.requests.append(Request(path, body))

    def _answer(self, body: JSON) -> tuple[list[JSON], str]:
        with self._lock:
            return self.script.answer(body)

    def __enter__(self) -> StandIn:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, code: int, obj: JSON) -> None:
                data = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _not_found(self) -> None:
                self._json(
                    404, {"type": "error", "error": {"type": "not_found_error", "message": "no"}}
                )

            def do_GET(self) -> None:
                outer._record(self.path, {})
                self._not_found()

            def do_HEAD(self) -> None:
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                if not isinstance(body, dict):
                    body = {"_raw": body}
                outer._record(self.path, body)
                path = self.path.split("?")[0]
                if path.endswith("/count_tokens"):
                    self._json(200, {"input_tokens": 10})
                    return
                if not path.endswith("/v1/messages"):
                    self._not_found()
                    return
                model = str(body.get("model", "claude"))
                blocks, stop = outer._answer(body)
                if body.get("stream"):
                    data = _sse(model, blocks, stop)
                    self.send_response(200)
                    self.send_header("content-type", "text/event-stream")
                    self.send_header("cache-control", "no-cache")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self._json(
                    200,
                    {
                        "id": "msg_standin",
                        "type": "message",
                        "role": "assistant",
                        "model": model,
                        "content": blocks,
                        "stop_reason": stop,
                        "stop_sequence": None,
                        "usage": {"input_tokens": 10, "output_tokens": 1},
                    },
                )

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
