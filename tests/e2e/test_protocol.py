"""The base protocol, JSON-RPC 2.0 and the LSP lifecycle, measured from outside over stdio with
raw bytes (issue 9): a broken frame or message gets its error answer (or is skipped and logged)
and the server keeps serving; the lifecycle rules and exit codes of LSP 3.17 hold."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ENV, ROOT, SERVER
from tests.lsp_stdio import StdioClient, frame

WAIT = 20  # seconds to wait for an answer (a slow machine, never a timing assertion)


def message(msg_id: int | str | None, method: str, params: Any = None) -> bytes:
    data: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
    if msg_id is not None:
        data["id"] = msg_id
    return json.dumps(data).encode()


def probe(msg_id: str) -> bytes:
    """A valid request with a known answer (no symbols: the document is not open)."""
    params = {"textDocument": {"uri": "file:///nowhere/AGENTS.md"}}
    return message(msg_id, "textDocument/documentSymbol", params)


def answered(c: StdioClient, msg_id: str) -> None:
    msg = c.response(msg_id, WAIT)
    assert "error" not in msg and msg["result"] is None, msg


def error_of(c: StdioClient, msg_id: int | str | None) -> dict[str, Any]:
    msg = c.response(msg_id, WAIT)
    assert "error" in msg, msg
    return dict(msg["error"])


def clean_exit(c: StdioClient, expected: int) -> None:
    """Wait for the exit; then nothing in the server's log says it failed."""
    assert c.returncode(WAIT) == expected
    log = b"".join(c.stderr).decode("utf-8", "replace")
    assert "Traceback" not in log and "internal error" not in log, log


def start() -> StdioClient:
    return StdioClient(SERVER, ENV)


def initialize(c: StdioClient, encodings: list[str] | None = None) -> dict[str, Any]:
    caps = {"general": {"positionEncodings": encodings}} if encodings else {}
    result: dict[str, Any] = c.initialize(caps)
    return result


@pytest.fixture(scope="module")
def shared() -> Iterator[list[StdioClient]]:
    """One initialized server for the tests after which it must keep serving anyway."""
    servers: list[StdioClient] = []
    yield servers
    for c in servers:
        c.close()
        clean_exit(c, 0)


@pytest.fixture
def lsp(shared: list[StdioClient], request: pytest.FixtureRequest) -> Iterator[StdioClient]:
    """The shared server; a test that fails takes it down with it (no failure cascades)."""
    if not shared or shared[-1].proc.poll() is not None:
        c = start()
        initialize(c)
        shared.append(c)
    failed = request.session.testsfailed
    yield shared[-1]
    if request.session.testsfailed != failed:
        shared.pop().proc.kill()


# --- framing: every error is followed by a valid request, which must get its answer ------------
def test_header_names_are_case_insensitive_and_content_type_optional(lsp: StdioClient) -> None:
    b = probe("case")
    lsp.send_raw(frame(b, b"content-length: %d\r\n\r\n" % len(b)))
    answered(lsp, "case")
    b = probe("type-first")
    lsp.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
    lsp.send_raw(b"Content-Length: %d\n\n%s" % (len(b), b))
    answered(lsp, "type-first")


LOST = probe("lost")  # the message behind a broken header: skipped, never answered

FRAMING = {
    "header line over 1 MiB": b"X-Junk: " + b"a" * (2 << 20) + b"\r\n\r\n",
    "not a header line": b"hello\r\n",
    "garbage glued to the header": b"}garbage",
    "missing Content-Length": frame(LOST, b"Content-Type: application/vscode-jsonrpc\r\n\r\n"),
    "non-numeric Content-Length": frame(LOST, b"Content-Length: 12a\r\n\r\n"),
    "negative Content-Length": frame(LOST, b"Content-Length: -5\r\n\r\n"),
    "absurd Content-Length": frame(LOST, b"Content-Length: 99999999999999\r\n\r\n"),
}


@pytest.mark.parametrize("name", list(FRAMING))
def test_framing_error_is_skipped(lsp: StdioClient, name: str) -> None:
    lsp.send_raw(FRAMING[name] + frame(probe(name)))
    answered(lsp, name)


PARSE_ERRORS = {
    "Content-Length too short": frame(LOST, b"Content-Length: %d\r\n\r\n" % (len(LOST) - 5)),
    "Content-Length too long": frame(LOST, b"Content-Length: %d\r\n\r\n" % (len(LOST) + 40)),
    "Content-Length 0": b"Content-Length: 0\r\n\r\n",
    "malformed JSON": frame(b'{"jsonrpc": "2.0", "id": "x", "method": '),
    "not UTF-8": frame(b'{"jsonrpc": "2.0", "method": "\xff"}'),
    "NaN": frame(b'{"jsonrpc": "2.0", "method": "m", "params": [NaN]}'),
}


@pytest.mark.parametrize("name", list(PARSE_ERRORS))
def test_parse_error(lsp: StdioClient, name: str) -> None:
    lsp.send_raw(PARSE_ERRORS[name] + frame(probe(name)))
    assert error_of(lsp, None)["code"] == -32700
    answered(lsp, name)


# --- JSON-RPC 2.0: invalid requests ---------------------------------------------------------
INVALID = {
    "empty batch": (b"[]", None),
    "a number": (b"5", None),
    "a string": (b'"initialize"', None),
    "jsonrpc 1.0": (b'{"jsonrpc": "1.0", "id": "v1", "method": "shutdown"}', "v1"),
    "no jsonrpc": (b'{"id": "v0", "method": "shutdown"}', "v0"),
    "id null": (b'{"jsonrpc": "2.0", "id": null, "method": "shutdown"}', None),
    "id a float": (b'{"jsonrpc": "2.0", "id": 1.5, "method": "shutdown"}', None),
    "method a number": (b'{"jsonrpc": "2.0", "id": "m5", "method": 5}', "m5"),
    "params a number": (b'{"jsonrpc": "2.0", "id": "p5", "method": "shutdown", "params": 5}', "p5"),
    "no method": (b'{"jsonrpc": "2.0", "id": "nm"}', None),
    "a notification with an id": (message("ni", "initialized", {}), "ni"),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_request(lsp: StdioClient, name: str) -> None:
    body, msg_id = INVALID[name]
    lsp.send_raw(frame(body) + frame(probe(name)))
    assert error_of(lsp, msg_id)["code"] == -32600
    answered(lsp, name)


def test_batch_gets_one_error_per_request(lsp: StdioClient) -> None:
    batch = [1, json.loads(message("b1", "shutdown")), json.loads(message(None, "initialized", {}))]
    lsp.send_raw(frame(json.dumps(batch).encode()) + frame(probe("batch")))
    reply = lsp.wait(lambda m: "batch" in m, WAIT)["batch"]
    assert [(r["id"], r["error"]["code"]) for r in reply] == [(None, -32600), ("b1", -32600)]
    answered(lsp, "batch")  # the shutdown in the batch was not run


def test_unknown_method(lsp: StdioClient) -> None:
    lsp.send_raw(frame(message("u", "agentls/nothing", {})))
    assert error_of(lsp, "u")["code"] == -32601


INVALID_PARAMS = {
    "negative line": ({"line": -1, "character": 0}, "line"),
    "character 2^53": ({"line": 0, "character": 2**53}, "character"),
    "a string position": ("0:0", "position"),
    "no textDocument": (None, "textDocument"),
}


@pytest.mark.parametrize("name", list(INVALID_PARAMS))
def test_invalid_params(lsp: StdioClient, name: str) -> None:
    position, named = INVALID_PARAMS[name]
    params: dict[str, Any] = {"textDocument": {"uri": "file:///nowhere/AGENTS.md"}}
    params["position"] = position if position is not None else {"line": 0, "character": 0}
    if position is None:
        del params["textDocument"]
    lsp.send_raw(frame(message(name, "textDocument/hover", params)))
    error = error_of(lsp, name)
    assert error["code"] == -32602 and named in error["message"], error


def test_invalid_notification_is_dropped(lsp: StdioClient) -> None:
    lsp.send_raw(frame(message(None, "textDocument/didOpen", {"version": 1})))
    lsp.send_raw(frame(probe("after-notification")))
    answered(lsp, "after-notification")


# --- the lifecycle --------------------------------------------------------------------------
def test_request_before_initialize() -> None:
    c = start()
    c.send_raw(frame(probe("early")))
    assert error_of(c, "early")["code"] == -32002
    initialize(c)
    c.send_raw(frame(probe("late")))
    answered(c, "late")
    c.close()
    clean_exit(c, 0)


def test_notification_before_initialize_is_dropped() -> None:
    c = start()
    uri = (ROOT / "tests" / "fixtures" / ".claude" / "agents" / "early.md").as_uri()
    item = {"uri": uri, "languageId": "markdown", "version": 1, "text": "---\nname: x\n---\n"}
    c.notify("textDocument/didOpen", {"textDocument": item})
    initialize(c)
    assert c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}) is None
    c.close()
    clean_exit(c, 0)


def test_second_initialize() -> None:
    c = start()
    initialize(c)
    error = c.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})["error"]
    assert error["code"] == -32600 and "already initialized" in error["message"]
    c.close()
    clean_exit(c, 0)


def test_after_shutdown_only_exit() -> None:
    c = start()
    initialize(c)
    assert c.request("shutdown", None) is None
    c.send_raw(frame(probe("after")))
    assert error_of(c, "after")["code"] == -32600
    assert c.call("shutdown", None)["error"]["code"] == -32600
    c.notify("exit", None)
    clean_exit(c, 0)


@pytest.mark.parametrize("initialized", [True, False])
def test_exit_without_shutdown_exits_1(initialized: bool) -> None:
    c = start()
    if initialized:
        initialize(c)
    c.notify("exit", None)
    clean_exit(c, 1)


def test_eof_ends_the_server() -> None:
    c = start()
    initialize(c)
    assert c.proc.stdin is not None
    c.proc.stdin.close()
    assert c.returncode(WAIT) == 0


# --- documentSymbol: headings end where their line ends ---------------------------------------
SKILL = ROOT / "tests" / "fixtures" / ".claude" / "skills" / "crlf" / "SKILL.md"


def units(s: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_heading_symbols_exclude_the_line_break(encoding: str, eol: str) -> None:
    lines = ["---", "name: crlf", "description: Demo 😀", "---", "# Skill 😀", "", "## Step", ""]
    text = eol.join(lines)
    c = start()
    assert initialize(c, [encoding])["capabilities"]["positionEncoding"] == encoding
    uri = SKILL.as_uri()
    item = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    c.notify("textDocument/didOpen", {"textDocument": item})
    symbols = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    headings = {s["name"]: s for s in _walk(symbols) if s["name"] in ("Skill 😀", "Step")}
    assert set(headings) == {"Skill 😀", "Step"}, [s["name"] for s in _walk(symbols)]
    for s in _walk(symbols):
        assert not re.search(r"[\r\n]", s["name"])
        for rng in (s["range"], s["selectionRange"]):
            for end in (rng["start"], rng["end"]):
                assert end["character"] <= units(lines[end["line"]], encoding), (s, end)
    sel = headings["Skill 😀"]["selectionRange"]
    assert (sel["start"]["line"], sel["start"]["character"]) == (4, 2)
    assert sel["end"] == {"line": 4, "character": units("# Skill 😀", encoding)}
    step = headings["Step"]["range"]
    assert step["end"] == {"line": 6, "character": units("## Step", encoding)}
    c.close()
    clean_exit(c, 0)


def _walk(symbols: list[dict[str, Any]] | None) -> Iterator[dict[str, Any]]:
    for s in symbols or []:
        yield s
        yield from _walk(s.get("children"))


# --- the other transports share the framing: stdin a file (read in a thread), TCP -----------
SESSION = b"".join(
    [
        frame(message(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})),
        frame(message(None, "initialized", {})),
        FRAMING["non-numeric Content-Length"],
        PARSE_ERRORS["Content-Length too short"],
        frame(probe("probe")),
        frame(message(2, "shutdown")),
        frame(message(None, "exit")),
    ]
)


def responses(data: bytes) -> dict[Any, dict[str, Any]]:
    """The responses in a server's output, by id."""
    out: dict[Any, dict[str, Any]] = {}
    for m in re.finditer(rb"Content-Length: (\d+)\r\n(?:[^\r\n]+\r\n)*\r\n", data):
        msg = json.loads(data[m.end() : m.end() + int(m.group(1))])
        if "method" not in msg:
            out[msg["id"]] = msg
    return out


def test_stdin_a_file(tmp_path: Path) -> None:
    session = tmp_path / "session.bin"
    session.write_bytes(SESSION)
    with session.open("rb") as stdin:
        done = subprocess.run(SERVER, stdin=stdin, capture_output=True, env=ENV, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    got = responses(done.stdout)
    assert got["probe"]["result"] is None and got[None]["error"]["code"] == -32700
    assert got[2]["result"] is None


def test_stdin_dev_null() -> None:
    """A character device the event loop cannot wait on (`< /dev/null`, a cron job, a
    misconfigured client): the server reads the end of input and exits instead of hanging."""
    done = subprocess.run(
        SERVER, stdin=subprocess.DEVNULL, capture_output=True, env=ENV, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_tcp() -> None:
    proc = subprocess.Popen([*SERVER, "--tcp", "127.0.0.1:0"], env=ENV, stderr=subprocess.PIPE)
    deadline = threading.Timer(WAIT * 3, proc.kill)  # a server that never says ends the wait
    deadline.start()
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline().decode()  # the server says where it listens
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        assert found, line
        port = int(found.group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as conn:
            conn.sendall(SESSION)
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        got = responses(data)
        assert got["probe"]["result"] is None and got[None]["error"]["code"] == -32700
        assert got[2]["result"] is None
        assert proc.wait(WAIT) == 0
    finally:
        deadline.cancel()
        proc.kill()
        proc.wait()


def test_queued_edits_cost_one_analysis() -> None:
    """Edits read together are coalesced: the newest version is analysed and published, not
    every version in turn (500 queued keystrokes took seconds to reach the last one)."""
    c = start()
    initialize(c)
    uri = (ROOT / "tests" / "fixtures" / ".claude" / "agents" / "queued.md").as_uri()
    text = "---\nname: queued\ndescription: d\ntools: Grepp\n---\n"
    doc = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    frames = [frame(message(None, "textDocument/didOpen", {"textDocument": doc}))]
    for v in range(2, 102):
        change = {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text}]}
        frames.append(frame(message(None, "textDocument/didChange", change)))
    c.send_raw(b"".join(frames))  # one write: the server reads them (nearly) all at once
    versions: list[int] = []

    def newest(m: dict[str, Any]) -> bool:
        if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != uri:
            return False
        versions.append(m["params"]["version"])
        return bool(m["params"]["version"] == 101)

    c.wait(newest, WAIT)
    assert versions == sorted(versions) and len(versions) <= 10, versions
    c.close()
    clean_exit(c, 0)


def test_requests_after_queued_edits_see_the_newest_text() -> None:
    """A request read together with the edits before it answers from the newest text: the
    coalesced analysis is done before workspace symbols (names and their ranges) are read."""
    c = start()
    initialize(c)
    uri = (ROOT / "tests" / "fixtures" / ".claude" / "agents" / "renamed.md").as_uri()
    text = "---\nname: {}\ndescription: d\n---\n"
    doc = {"uri": uri, "languageId": "markdown", "version": 1, "text": text.format("a-long-name")}
    edit = [{"text": text.format("short")}]
    change = {"textDocument": {"uri": uri, "version": 2}, "contentChanges": edit}
    c.send_raw(
        frame(message(None, "textDocument/didOpen", {"textDocument": doc}))
        + frame(message(None, "textDocument/didChange", change))
        + frame(message("symbols", "workspace/symbol", {"query": ""}))
    )
    found = [s for s in c.response("symbols", WAIT)["result"] if s["location"]["uri"] == uri]
    assert [(s["name"], s["location"]["range"]) for s in found] == [
        ("short", {"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": 11}})
    ]
    c.close()
    clean_exit(c, 0)
