"""A loopback stand-in for the OpenAI chat-completions API (127.0.0.1 only, a free port).

Copilot CLI in offline mode (``COPILOT_OFFLINE=true`` with ``COPILOT_PROVIDER_BASE_URL``) asks
``GET /v1/models`` and sends ``POST /v1/chat/completions`` (streamed as SSE when the body has
``"stream": true``). Every request body is kept; every completion is a one-word text reply.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JSON = dict[str, Any]

MODELS = ("gpt-4.1",)


@dataclass
class Request:
    method: str
    path: str
    body: JSON | None


@dataclass
class StandIn:
    """Start with ``with StandIn() as s:``; ``s.url`` is the base URL (ending in ``/v1``)."""

    reply: str = "ok"
    requests: list[Request] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def completions(self) -> list[JSON]:
        with self._lock:
            return [
                r.body
                for r in self.requests
                if r.body is not None and r.path.rstrip("/").endswith("/chat/completions")
            ]

    def _record(self, req: Request) -> None:
        with self._lock:
            self.requests.append(req)

    def __enter__(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, code: int, payload: JSON) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                standin._record(Request("GET", self.path, None))
                if self.path.rstrip("/").endswith("/models"):
                    self._send(
                        200,
                        {
                            "object": "list",
                            "data": [
                                {"id": m, "object": "model", "created": 0, "owned_by": "standin"}
                                for m in MODELS
                            ],
                        },
                    )
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: JSON | None = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                standin._record(Request("POST", self.path, body))
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                model = str((body or {}).get("model") or MODELS[0])
                created = int(time.time())
                if (body or {}).get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Cache-Control", "no-cache")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunks: list[JSON] = [
                        {"role": "assistant", "content": standin.reply},
                    ]
                    for i, delta in enumerate(chunks):
                        ev = {
                            "id": "chatcmpl-standin",
                            "object": "chat.completion.chunk",
                            "created": created,
                            "model": model,
                            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                        }
                        self.wfile.write(f"data: {json.dumps(ev)}\n\n".encode())
                        del i
                    end = {
                        "id": "chatcmpl-standin",
                        "object": "chat.completion.chunk",
                        "created": created,
                        "model": model,
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                    self.wfile.write(f"data: {json.dumps(end)}\n\n".encode())
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._send(
                    200,
                    {
                        "id": "chatcmpl-standin",
                        "object": "chat.completion",
                        "created": created,
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": standin.reply},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
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
