"""The framing parser (agentls.rpc.Framer) and the JSON-RPC envelope checks, without a server."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentls.rpc import MAX_BODY, MAX_HEADER, FrameError, Framer, envelope_problem, params_problem


def body(n: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": n, "method": "m", "params": {"x": "é" * n}}).encode()


def frame(data: bytes, header: bytes | None = None) -> bytes:
    return (b"Content-Length: %d\r\n\r\n" % len(data) if header is None else header) + data


def run(stream: bytes, chunks: list[int] | None = None) -> list[bytes | FrameError]:
    """Feed ``stream`` in pieces of the given sizes (the rest at once); what comes out, with
    bodies that are not JSON rejected as the server does."""
    framer = Framer()
    out: list[bytes | FrameError] = []
    pos = 0
    for size in [*(chunks or []), len(stream)]:
        framer.feed(stream[pos : pos + size])
        pos += size
        for item in framer.frames():
            out.append(item)
            if isinstance(item, bytes):
                try:
                    json.loads(item)
                except ValueError:
                    framer.reject(item)
    return out


def bodies(out: list[bytes | FrameError]) -> list[bytes]:
    return [x for x in out if isinstance(x, bytes)]


def test_valid_frames_any_chunking() -> None:
    stream = frame(body(1)) + frame(
        body(2),
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: %d\r\n\r\n"
        % len(body(2)),
    )
    assert run(stream) == [body(1), body(2)]
    assert run(stream, [1] * len(stream)) == [body(1), body(2)]


@pytest.mark.parametrize(
    "header",
    [
        b"content-length: %d\r\n\r\n",  # header names are case-insensitive
        b"CONTENT-LENGTH:%d\r\n\r\n",
        b"Content-Length:  %d  \r\n\r\n",
        b"Content-Length: %d\n\n",  # bare line feeds
        b"X-Other: 1\r\nContent-Length: %d\r\nContent-Type: a\r\n\r\n",
    ],
)
def test_header_variants(header: bytes) -> None:
    b = body(3)
    assert run(frame(b, header % len(b)) + frame(body(4))) == [b, body(4)]


BROKEN = {
    "header line over MAX_HEADER": b"X-Junk: " + b"a" * (2 * MAX_HEADER) + b"\r\n",
    "header over 1 MiB without a line break": b"a" * (1 << 21),
    "not a header line": b"hello\r\n",
    "missing Content-Length": frame(body(9), b"Content-Type: x\r\n\r\n"),
    "non-numeric": frame(body(9), b"Content-Length: abc\r\n\r\n"),
    "negative": frame(body(9), b"Content-Length: -5\r\n\r\n"),
    "absurd": frame(body(9), b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1)),
    "two lengths": frame(body(9), b"Content-Length: 3\r\nContent-Length: 4\r\n\r\n"),
    "too short": frame(body(9), b"Content-Length: %d\r\n\r\n" % (len(body(9)) - 5)),
    "too long": frame(body(9), b"Content-Length: %d\r\n\r\n" % (len(body(9)) + 30)),
    "too long by a few bytes": frame(body(9), b"Content-Length: %d\r\n\r\n" % (len(body(9)) + 3)),
    "zero": frame(b"", b"Content-Length: 0\r\n\r\n"),
}


@pytest.mark.parametrize("name", list(BROKEN))
@pytest.mark.parametrize("chunk", [0, 1, 7])
def test_resynchronises(name: str, chunk: int) -> None:
    stream = BROKEN[name] + frame(body(1)) + frame(body(2))
    chunks = [chunk] * (len(stream) // chunk) if chunk and len(stream) < 100_000 else None
    out = run(stream, chunks)
    assert bodies(out)[-2:] == [body(1), body(2)], out
    assert body(9) not in bodies(out)  # a message whose frame is broken is never handled


@pytest.mark.parametrize("name", ["too long", "too long by a few bytes"])
def test_too_long_is_a_parse_error(name: str) -> None:
    out = run(BROKEN[name] + frame(body(1)))
    assert isinstance(out[0], FrameError) and out[0].body
    assert out[1:] == [body(1)]


def test_a_header_inside_a_json_string_is_not_a_header() -> None:
    b = json.dumps({"jsonrpc": "2.0", "method": "m", "params": "Content-Length: 5\r\n"}).encode()
    assert run(frame(b) + frame(body(1))) == [b, body(1)]


def test_resync_memory_is_bounded() -> None:
    framer = Framer()
    framer.feed(b"Content-Length: x\r\n")
    assert [type(x) for x in framer.frames()] == [FrameError]
    for _ in range(100):
        framer.feed(b"z" * 100_000)
        assert list(framer.frames()) == []
    assert len(framer._buf) < 100
    framer.feed(frame(body(1)))
    assert list(framer.frames()) == [body(1)]


@given(
    st.lists(
        st.one_of(
            st.integers(0, 5).map(lambda n: frame(body(n))),
            st.sampled_from(list(BROKEN.values())),
            st.binary(max_size=40),
        ),
        max_size=8,
    ),
    st.lists(st.integers(1, 50), max_size=20),
)
def test_never_stuck(parts: list[bytes], chunks: list[int]) -> None:
    """Whatever came before, two valid frames that follow are both delivered."""
    stream = b"".join(parts)
    tail = frame(body(7)) + frame(body(8))
    out = run(stream + b"\r\n" + tail, chunks)
    assert bodies(out)[-2:] == [body(7), body(8)]


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"jsonrpc": "2.0", "id": 1, "method": "m"}, True),
        ({"jsonrpc": "2.0", "method": "m", "params": []}, True),
        ({"jsonrpc": "2.0", "id": None, "result": None}, True),
        ({"jsonrpc": "2.0", "id": 1, "error": {"code": 1, "message": "m"}}, True),
        ({"jsonrpc": "1.0", "id": 1, "method": "m"}, False),
        ({"id": 1, "method": "m"}, False),
        ({"jsonrpc": "2.0", "id": None, "method": "m"}, False),
        ({"jsonrpc": "2.0", "id": 1.5, "method": "m"}, False),
        ({"jsonrpc": "2.0", "id": True, "method": "m"}, False),
        ({"jsonrpc": "2.0", "method": 5}, False),
        ({"jsonrpc": "2.0", "method": "m", "params": 5}, False),
        ({"jsonrpc": "2.0", "id": 1}, False),
        ({"jsonrpc": "2.0", "id": 1, "result": 1, "error": {"code": 1, "message": "m"}}, False),
        ({"jsonrpc": "2.0", "id": 1, "error": "boom"}, False),
        ([], False),
        (5, False),
    ],
)
def test_envelope(data: object, ok: bool) -> None:
    assert (envelope_problem(data) is None) == ok


def test_params_problem_names_the_field_as_sent() -> None:
    from lsprotocol import types
    from pygls.protocol import default_converter

    hover = types.METHOD_TO_TYPES[types.TEXT_DOCUMENT_HOVER][0]
    msg = {"jsonrpc": "2.0", "id": 1, "method": types.TEXT_DOCUMENT_HOVER}
    try:
        default_converter().structure({**msg, "params": {"position": {"line": 0}}}, hover)
    except Exception as e:
        assert "textDocument" in params_problem(e)
    else:
        raise AssertionError("structured")


def test_stdin_read_in_a_thread_where_not_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows (or a stdin the event loop cannot watch): a daemon thread reads, same chunks."""
    import asyncio
    import os
    import sys

    from agentls.rpc import StdinReader

    monkeypatch.setattr(sys, "platform", "win32")
    r, w = os.pipe()

    async def main() -> list[bytes]:
        with os.fdopen(r, "rb") as stdin:
            reader = StdinReader(stdin)
            os.write(w, b"Content-Length: 2\r\n\r\n{}")
            got = [await reader.read()]
            os.close(w)
            got.append(await reader.read())
            return got

    assert asyncio.run(main()) == [b"Content-Length: 2\r\n\r\n{}", b""]
