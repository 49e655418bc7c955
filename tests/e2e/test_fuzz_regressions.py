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


class Project:
    """A project folder on disk and the server indexing it (progress answered as an editor
    does); ``last`` keeps each document's last published version and codes."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        (root / ".git").mkdir()
        self.paths = {}
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.paths[rel] = path
        home = root / "home"
        home.mkdir()
        self.c = StdioClient(SERVER, {**ENV, "HOME": str(home)})
        self.last: dict[str, tuple[int | None, list[str]]] = {}
        self.c.send(
            {
                "id": "init",
                "method": "initialize",
                "params": {
                    "processId": None,
                    "rootUri": root.as_uri(),
                    "capabilities": {"window": {"workDoneProgress": True}},
                },
            }
        )
        self.until(lambda m: m.get("id") == "init")
        self.c.notify("initialized", {})
        create = self.until(lambda m: m.get("method") == "window/workDoneProgress/create")
        self.c.send({"id": create["id"], "result": None})
        self.until(
            lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end"
        )

    def until(self, pred: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        def record(m: dict[str, Any]) -> bool:
            if m.get("method") == "textDocument/publishDiagnostics":
                p = m["params"]
                self.last[p["uri"]] = (p.get("version"), [d["code"] for d in p["diagnostics"]])
            return pred(m)

        return self.c.wait(record)

    def uri(self, rel: str) -> str:
        return self.paths[rel].as_uri()

    def open(self, rel: str) -> None:
        uri = self.uri(rel)
        text = self.paths[rel].read_text(encoding="utf-8")
        item = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
        self.c.notify("textDocument/didOpen", {"textDocument": item})
        self.until(lambda m: self.last.get(uri, (0,))[0] == 1)

    def round_trips(self) -> None:
        """Two requests answered one after the other: what the server scheduled has run."""
        for rid in ("rt1", "rt2"):
            self.c.send({"id": rid, "method": "workspace/symbol", "params": {"query": "q"}})
            self.until(lambda m, rid=rid: m.get("id") == rid)  # type: ignore[misc]


AGENT = ".claude/agents/y.md", "---\nname: y\ndescription: d\nskills:\n  - foo\n---\nBody\n"


def test_two_renames_in_one_read_republish_both_documents(tmp_path: Path) -> None:
    """A document's workspace findings were left stale when two open documents changed their
    names in one read: the second change's republish was dropped while the first's (which
    skips the first document) was pending. Here the agent keeps "no skill named foo" after
    the skill is renamed to foo, unlike `agentls check` on the same files."""
    skill = ".claude/skills/x/SKILL.md", "---\nname: x\ndescription: d\n---\nBody\n"
    p = Project(tmp_path, dict([AGENT, skill]))
    try:
        p.open(AGENT[0])
        p.open(skill[0])
        assert "AGL801" in p.last[p.uri(AGENT[0])][1]  # no skill named foo yet
        renamed = {
            AGENT[0]: AGENT[1].replace("name: y", "name: y2"),
            skill[0]: skill[1].replace("name: x", "name: foo"),
        }
        data = b"".join(
            frame(
                {
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": p.uri(rel), "version": 2},
                        "contentChanges": [{"text": text}],
                    },
                }
            )
            for rel, text in renamed.items()
        )
        assert p.c.proc.stdin is not None
        p.c.proc.stdin.write(data)  # one write: the server reads both changes at once
        p.c.proc.stdin.flush()
        p.round_trips()
        assert p.last[p.uri(skill[0])][0] == 2
        version, codes = p.last[p.uri(AGENT[0])]
        assert version == 2
        assert "AGL801" not in codes, codes  # the skill foo exists now
    finally:
        p.c.close()


def test_new_dialect_patterns_reindex_the_workspace(tmp_path: Path) -> None:
    """The index kept the dialects of the first scan: after `dialects.<id>.patterns` made
    docs/foo.md a skill, an agent using the skill still had "no skill named foo" (the CLI
    with `--pattern claude-skill=docs/*.md` has none)."""
    p = Project(tmp_path, dict([AGENT, ("docs/foo.md", "---\nname: foo\ndescription: d\n---\n")]))
    try:
        uri = p.uri(AGENT[0])
        p.open(AGENT[0])
        assert "AGL801" in p.last[uri][1]
        settings = {"agentls": {"dialects": {"claude-skill": {"patterns": ["docs/*.md"]}}}}
        p.c.notify("workspace/didChangeConfiguration", {"settings": settings})
        # the rescan runs in the background: its republish must come (else a timeout)
        p.until(lambda m: m.get("method") is not None and "AGL801" not in p.last[uri][1])
        p.c.notify("workspace/didChangeConfiguration", {"settings": {"agentls": {}}})
        p.until(lambda m: m.get("method") is not None and "AGL801" in p.last[uri][1])
    finally:
        p.c.close()
