"""A loopback stand-in for the Gemini API (127.0.0.1 only, a free port).

It answers ``POST /v1beta/models/<model>:streamGenerateContent`` (SSE when ``alt=sse``),
``:generateContent`` (the model router's JSON question gets a JSON answer) and
``:countTokens``, and keeps every request (path and body).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JSON = dict[str, Any]


@dataclass
class Request:
    path: str
    body: JSON


def _wants_json(body: JSON) -> bool:
    cfg = body.get("generationConfig") or {}
    return bool(
        cfg.get("responseMimeType") == "application/json"
        or cfg.get("responseSchema")
        or cfg.get("responseJsonSchema")
    )


def _answer(body: JSON) -> JSON:
    if _wants_json(body):
        text = json.dumps(
            {
                "reasoning": "stand-in",
                "model_choice": "flash",
                "complexity_reasoning": "stand-in",
                "complexity_score": 1,
            }
        )
    else:
        text = "ok"
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
        "modelVersion": "stand-in",
    }


class StandIn:
    """``with StandIn() as s: ... s.port ... s.requests``"""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, code: int, payload: bytes, ctype: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                with outer._lock:
                    outer.requests.append(Request(self.path, {}))
                self._send(
                    404, b'{"error": {"code": 404, "message": "not found"}}', "application/json"
                )

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                if not isinstance(body, dict):
                    body = {"_value": body}
                with outer._lock:
                    outer.requests.append(Request(self.path, body))
                path = self.path.split("?", 1)[0]
                if path.endswith(":countTokens"):
                    self._send(200, b'{"totalTokens": 1}', "application/json")
                elif path.endswith(":streamGenerateContent"):
                    chunk = json.dumps(_answer(body))
                    if "alt=sse" in self.path:
                        self._send(200, f"data: {chunk}\r\n\r\n".encode(), "text/event-stream")
                    else:
                        self._send(200, f"[{chunk}]".encode(), "application/json")
                elif path.endswith(":generateContent"):
                    self._send(200, json.dumps(_answer(body)).encode(), "application/json")
                else:
                    self._send(
                        404, b'{"error": {"code": 404, "message": "not found"}}', "application/json"
                    )

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
