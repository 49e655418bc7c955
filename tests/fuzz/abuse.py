"""Protocol abuse (issue 9 §3): frames a broken or hostile client may write. After each one the
server must still be up and answer; a frame that is a well-formed request gets a response."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass


@dataclass
class Abuse:
    name: str
    data: bytes
    expect: int | str | None = None  # the id of a request that must be answered


def _body(msg: object) -> bytes:
    return json.dumps(msg).encode("utf-8")


def _framed(body: bytes, header: bytes | None = None) -> bytes:
    if header is None:
        header = b"Content-Length: %d\r\n" % len(body)
    return header + b"\r\n" + body


def _hover(rid: int | str, uri: str, position: object, **extra: object) -> dict[str, object]:
    params: dict[str, object] = {"textDocument": {"uri": uri}, "position": position}
    return {"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": params, **extra}


def abuse(rng: random.Random, rid: int, uri: str) -> Abuse:
    """One random abuse frame; ``rid`` is a fresh request id, ``uri`` an open document."""
    ok = _body(_hover(rid, uri, {"line": 0, "character": 0}))
    kinds = [
        "long-header",
        "lowercase-length",
        "short-length",
        "long-length",
        "missing-length",
        "non-numeric-length",
        "negative-length",
        "malformed-json",
        "not-utf8",
        "empty-batch",
        "batch",
        "jsonrpc-1.0",
        "no-jsonrpc",
        "negative-line",
        "huge-character",
        "string-position",
        "no-text-document",
        "null-params",
        "unknown-request",
        "unknown-notification",
        "string-id",
        "change-unopened",
        "close-unopened",
        "extra-headers",
        "lf-only-headers",
    ]
    kind = rng.choice(kinds)
    if kind == "long-header":
        pad = b"X-Padding: " + b"a" * ((1 << 20) + rng.randint(1, 5000)) + b"\r\n"
        return Abuse(kind, pad + _framed(ok))
    if kind == "lowercase-length":
        return Abuse(kind, _framed(ok, b"content-length: %d\r\n" % len(ok)), rid)
    if kind == "short-length":
        return Abuse(kind, _framed(ok, b"Content-Length: %d\r\n" % (len(ok) - rng.randint(1, 9))))
    if kind == "long-length":
        return Abuse(kind, _framed(ok, b"Content-Length: %d\r\n" % (len(ok) + rng.randint(1, 9))))
    if kind == "missing-length":
        header = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
        return Abuse(kind, _framed(ok, header))
    if kind == "non-numeric-length":
        return Abuse(
            kind, _framed(ok, b"Content-Length: " + rng.choice([b"abc", b"", b"1e3"]) + b"\r\n")
        )
    if kind == "negative-length":
        return Abuse(kind, _framed(ok, b"Content-Length: -%d\r\n" % len(ok)))
    if kind == "malformed-json":
        bad = rng.choice([ok[: len(ok) // 2], b"{", b"nul", b'{"jsonrpc": "2.0", "id": }', b"\x00"])
        return Abuse(kind, _framed(bad))
    if kind == "not-utf8":
        return Abuse(kind, _framed(b'{"jsonrpc": "2.0", "method": "\xff\xfe"}'))
    if kind == "empty-batch":
        return Abuse(kind, _framed(b"[]"))
    if kind == "batch":
        return Abuse(kind, _framed(b"[" + ok + b"]"))
    if kind == "jsonrpc-1.0":
        return Abuse(
            kind,
            _framed(_body({**_hover(rid, uri, {"line": 0, "character": 0}), "jsonrpc": "1.0"})),
            rid,
        )
    if kind == "no-jsonrpc":
        msg = _hover(rid, uri, {"line": 0, "character": 0})
        del msg["jsonrpc"]
        return Abuse(kind, _framed(_body(msg)), rid)
    if kind == "negative-line":
        return Abuse(kind, _framed(_body(_hover(rid, uri, {"line": -1, "character": 0}))), rid)
    if kind == "huge-character":
        pos: object = {"line": 0, "character": rng.choice([2**53, 2**31, 2**64, 1e300])}
        return Abuse(kind, _framed(_body(_hover(rid, uri, pos))), rid)
    if kind == "string-position":
        pos = rng.choice(["0:0", {"line": "0", "character": 0}, [0, 0], None, {"line": 0}])
        return Abuse(kind, _framed(_body(_hover(rid, uri, pos))), rid)
    if kind == "no-text-document":
        params = {"position": {"line": 0, "character": 0}}
        msg = {"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": params}
        return Abuse(kind, _framed(_body(msg)), rid)
    if kind == "null-params":
        method = rng.choice(
            ["textDocument/hover", "textDocument/documentSymbol", "workspace/symbol"]
        )
        msg = {"jsonrpc": "2.0", "id": rid, "method": method, "params": rng.choice([None, [], 3])}
        return Abuse(kind, _framed(_body(msg)), rid)
    if kind == "unknown-request":
        msg = {
            "jsonrpc": "2.0",
            "id": rid,
            "method": rng.choice(["foo/bar", "$/x", ""]),
            "params": {},
        }
        return Abuse(kind, _framed(_body(msg)), rid)
    if kind == "unknown-notification":
        msg = {"jsonrpc": "2.0", "method": rng.choice(["foo/bar", "$/x"]), "params": {}}
        return Abuse(kind, _framed(_body(msg)))
    if kind == "string-id":
        sid = f"req-{rid}"
        return Abuse(kind, _framed(_body(_hover(sid, uri, {"line": 0, "character": 0}))), sid)
    if kind == "change-unopened":
        msg = {
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri + ".unopened.md", "version": 2},
                "contentChanges": [{"text": "x"}],
            },
        }
        return Abuse(kind, _framed(_body(msg)))
    if kind == "close-unopened":
        msg = {
            "jsonrpc": "2.0",
            "method": "textDocument/didClose",
            "params": {"textDocument": {"uri": uri + ".unopened.md"}},
        }
        return Abuse(kind, _framed(_body(msg)))
    if kind == "extra-headers":
        header = (
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
            b"Content-Length: %d\r\nX-Other: 1\r\n" % len(ok)
        )
        return Abuse(kind, _framed(ok, header), rid)
    # lf-only-headers
    return Abuse(kind, b"Content-Length: %d\n\n" % len(ok) + ok)
