"""Inside a fresh network namespace: bring loopback up, serve the stand-in, run a command.

``unshare -n python -m tests.conformance.opencode.netns LOG -- ARGV...`` (run by ``runtime``):
the OpenAI chat-completions stand-in listens on 127.0.0.1:PORT of the namespace only, every
request body is appended to LOG (one JSON per line), and the command's exit code is returned.
Nothing outside the namespace is reachable from it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = 18555
_LOCK = threading.Lock()


def _chunk(delta: dict[str, object], finish: str | None) -> bytes:
    ch = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "mock-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(ch).encode() + b"\n\n"


def handler(log: str) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _json(self, obj: object) -> None:
            body = json.dumps(obj).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._json({"data": [{"id": "mock-model", "object": "model"}]})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                req = json.loads(raw or b"{}")
            except ValueError:
                req = {}
            with _LOCK, open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"path": self.path, "body": req}) + "\n")
            if not req.get("stream"):
                self._json(
                    {
                        "id": "c1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": "mock-model",
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": "ok"},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                )
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_chunk({"role": "assistant", "content": "ok"}, None))
            self.wfile.write(_chunk({}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")

    return H


def main(argv: list[str]) -> int:
    log, sep, *cmd = argv
    assert sep == "--" and cmd
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    srv = ThreadingHTTPServer(("127.0.0.1", PORT), handler(log))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode
    finally:
        srv.shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
