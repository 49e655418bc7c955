"""A loopback stand-in for the Gemini API (127.0.0.1 only, a free port).

It answers ``POST /v1beta/models/<model>:streamGenerateContent`` (SSE when ``alt=sse``),
``:generateContent`` (the model router's JSON question gets a JSON answer) and
``:countTokens``, and keeps every request (path and body).
"""

from __future__ import annotations

import json
import re
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


_LISTED = re.compile(r"<subagent>\n    <name>(.*?)</name>")


def _tool_names(body: JSON) -> set[str]:
    return {
        str(f.get("name"))
        for t in body.get("tools") or []
        if isinstance(t, dict)
        for f in t.get("functionDeclarations") or []
        if isinstance(f, dict)
    }


def system_text(body: JSON) -> str:
    si = body.get("systemInstruction") or {}
    parts = si.get("parts") if isinstance(si, dict) else None
    return "".join(str(p.get("text", "")) for p in parts or [] if isinstance(p, dict))


def _has_function_response(body: JSON) -> bool:
    return any(
        isinstance(p, dict) and "functionResponse" in p
        for c in body.get("contents") or []
        if isinstance(c, dict)
        for p in c.get("parts") or []
    )


def _parts(body: JSON, probe: frozenset[str] | None) -> list[JSON]:
    """What to answer: the router's JSON; with ``probe`` (names to leave out: the built-ins),
    the main session's first turn calls ``invoke_agent`` for every other listed agent (the
    prompt is the agent's name, so its request maps back) and a subagent finishes at once with
    ``complete_task``; otherwise one word of text."""
    if _wants_json(body):
        text = json.dumps(
            {
                "reasoning": "stand-in",
                "model_choice": "flash",
                "complexity_reasoning": "stand-in",
                "complexity_score": 1,
            }
        )
        return [{"text": text}]
    tools = _tool_names(body)
    if probe is not None and "complete_task" in tools and "invoke_agent" not in tools:
        return [{"functionCall": {"name": "complete_task", "args": {"result": "ok"}}}]
    text = system_text(body)
    if (
        probe is not None
        and "invoke_agent" in tools
        and "<available_subagents>" in text
        and not _has_function_response(body)
    ):
        names = [n for n in _LISTED.findall(text) if n not in probe]
        calls = [
            {"functionCall": {"name": "invoke_agent", "args": {"agent_name": n, "prompt": n}}}
            for n in names
        ]
        if calls:
            return calls
    return [{"text": "ok"}]


def _answer(body: JSON, probe: frozenset[str] | None = None) -> JSON:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": _parts(body, probe)},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
        "modelVersion": "stand-in",
    }


class StandIn:
    """``with StandIn() as s: ... s.port ... s.requests``"""

    def __init__(self, probe: frozenset[str] | None = None) -> None:
        self.requests: list[Request] = []
        self.probe = probe  # agent names to invoke from the main session's first turn
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
                    chunk = json.dumps(_answer(body, outer.probe))
                    if "alt=sse" in self.path:
                        self._send(200, f"data: {chunk}\r\n\r\n".encode(), "text/event-stream")
                    else:
                        self._send(200, f"[{chunk}]".encode(), "application/json")
                elif path.endswith(":generateContent"):
                    self._send(
                        200, json.dumps(_answer(body, outer.probe)).encode(), "application/json"
                    )
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
