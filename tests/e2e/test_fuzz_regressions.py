"""Regressions found by the stdio fuzzer (tests/fuzz): each test replays the smallest message
sequence that failed, over stdio against the real server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ENV, SERVER, agent_uri
from tests.fuzz.lsp import Lines, check_range
from tests.lsp_stdio import StdioClient

COLORED = "---\nname: a\ndescription: d\ncolor: green\n---\nBody\n"


@pytest.fixture(params=["utf-16", "utf-8", "utf-32"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[StdioClient, str]]:
    c = StdioClient(SERVER, ENV)
    result = c.initialize({"general": {"positionEncodings": [request.param]}})
    assert result["capabilities"]["positionEncoding"] == request.param
    yield c, request.param
    c.close()
    assert not [ln for ln in c.stderr if b"Traceback" in ln], b"".join(c.stderr).decode()


def open_doc(client: StdioClient, uri: str, text: str, version: int = 1) -> list[dict[str, Any]]:
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}},
    )
    msg = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
    )
    return list(msg["params"]["diagnostics"])


def test_color_presentation_range_stays_inside(server: tuple[StdioClient, str]) -> None:
    """colorPresentation echoed the client's range: past the end of the document, the edit it
    offered was outside the text (fuzz: a range from a stale client view)."""
    client, enc = server
    uri = agent_uri("fuzz-color.md")
    open_doc(client, uri, COLORED)
    for rng in (
        {"start": {"line": 3, "character": 7}, "end": {"line": 40, "character": 3}},
        {"start": {"line": 3, "character": 7}, "end": {"line": 3, "character": 99}},
        {"start": {"line": 9, "character": 0}, "end": {"line": 12, "character": 5}},
    ):
        params = {
            "textDocument": {"uri": uri},
            "range": rng,
            "color": {"red": 0.9, "green": 0.1, "blue": 0.1, "alpha": 1.0},
        }
        result = client.request("textDocument/colorPresentation", params)
        assert result, rng
        for p in result:
            assert check_range(Lines(COLORED), p["textEdit"]["range"], enc) is None, p
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def frame(msg: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def test_two_renames_in_one_read_republish_both_documents(tmp_path: Path) -> None:
    """A document's workspace findings were left stale when two open documents changed their
    names in one read: the second change's republish was dropped while the first's (which
    skips the first document) was pending. Here the agent keeps "no skill named foo" after
    the skill is renamed to foo, unlike `agentls check` on the same files."""
    (tmp_path / ".git").mkdir()
    agent = tmp_path / ".claude" / "agents" / "y.md"
    skill = tmp_path / ".claude" / "skills" / "x" / "SKILL.md"
    texts = {
        agent: "---\nname: y\ndescription: d\nskills:\n  - foo\n---\nBody\n",
        skill: "---\nname: x\ndescription: d\n---\nBody\n",
    }
    for path, text in texts.items():
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    c = StdioClient(SERVER, {**ENV, "HOME": str(home)})
    last: dict[str, tuple[int | None, list[str]]] = {}

    def until(pred: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        def record(m: dict[str, Any]) -> bool:
            if m.get("method") == "textDocument/publishDiagnostics":
                p = m["params"]
                last[p["uri"]] = (p.get("version"), [d["code"] for d in p["diagnostics"]])
            return pred(m)

        return c.wait(record)

    try:
        c.send(
            {
                "id": 1,
                "method": "initialize",
                "params": {
                    "processId": None,
                    "rootUri": tmp_path.as_uri(),
                    "capabilities": {"window": {"workDoneProgress": True}},
                },
            }
        )
        until(lambda m: m.get("id") == 1)
        c.notify("initialized", {})
        create = until(lambda m: m.get("method") == "window/workDoneProgress/create")
        c.send({"id": create["id"], "result": None})
        until(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
        a_uri, s_uri = agent.as_uri(), skill.as_uri()
        for path, uri in ((agent, a_uri), (skill, s_uri)):
            item = {"uri": uri, "languageId": "markdown", "version": 1, "text": texts[path]}
            c.notify("textDocument/didOpen", {"textDocument": item})
        until(lambda m: last.get(a_uri, (0,))[0] == 1 and last.get(s_uri, (0,))[0] == 1)
        assert "AGL801" in last[a_uri][1]  # no skill named foo yet
        renamed = {
            agent: texts[agent].replace("name: y", "name: y2"),
            skill: texts[skill].replace("name: x", "name: foo"),
        }
        data = b"".join(
            frame(
                {
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": path.as_uri(), "version": 2},
                        "contentChanges": [{"text": renamed[path]}],
                    },
                }
            )
            for path in (agent, skill)
        )
        assert c.proc.stdin is not None
        c.proc.stdin.write(data)  # one write: the server reads both changes at once
        c.proc.stdin.flush()
        for rid in (2, 3):  # two round trips: what the server scheduled has run
            c.send({"id": rid, "method": "workspace/symbol", "params": {"query": "q"}})
            until(lambda m, rid=rid: m.get("id") == rid)  # type: ignore[misc]
        assert last[s_uri][0] == 2
        assert last[a_uri][0] == 2
        assert "AGL801" not in last[a_uri][1], last[a_uri]  # the skill foo exists now
    finally:
        c.close()
