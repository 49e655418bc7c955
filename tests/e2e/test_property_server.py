"""Random documents and random edit sequences over stdio: the server never fails and never
publishes a range outside the document (in the encoding it negotiated)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import ENV, SERVER, agent_uri
from tests.lsp_stdio import StdioClient
from tests.unit.test_property import FRAGMENTS, documents

edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.integers(0, 12),
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module", params=["utf-16", "utf-8"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[StdioClient, str]]:
    c = StdioClient(SERVER, ENV)
    result = c.initialize(
        {
            "general": {"positionEncodings": [request.param]},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
        }
    )
    assert result["capabilities"]["positionEncoding"] == request.param
    yield c, request.param
    c.close()
    assert not [ln for ln in c.stderr if b"Traceback" in ln], b"".join(c.stderr).decode()


def lsp_lines(text: str) -> list[str]:
    import re

    return re.split(r"\r\n|\r|\n", text)


def units(s: str, enc: str) -> int:
    return (
        len(s.encode("utf-8", "surrogatepass"))
        if enc == "utf-8"
        else len(s.encode("utf-16-le", "surrogatepass")) // 2
    )


def inside(rng: dict[str, Any], lines: list[str], enc: str) -> bool:
    for p in (rng["start"], rng["end"]):
        if not 0 <= p["line"] < len(lines):
            return False
        if not 0 <= p["character"] <= units(lines[p["line"]], enc):
            return False
    return (rng["start"]["line"], rng["start"]["character"]) <= (
        rng["end"]["line"],
        rng["end"]["character"],
    )


counter = iter(range(1_000_000))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=documents, steps=edits)
def test_random_edit_sequences(
    server: tuple[StdioClient, str], start: str, steps: list[tuple[float, int, str]]
) -> None:
    client, enc = server
    uri = agent_uri(f"prop-{next(counter)}.md")
    text = start
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    version = 1
    for frac, delete, insert in steps:
        version += 1
        pos = int(frac * len(text))
        text = text[:pos] + insert + text[pos + delete :]
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    msg = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
    )
    lines = lsp_lines(text)
    for d in msg["params"]["diagnostics"]:
        assert inside(d["range"], lines, enc), (d, text)
    for line in range(min(len(lines), 6)):
        pos = {"line": line, "character": units(lines[line], enc) // 2}
        params = {"textDocument": {"uri": uri}, "position": pos}
        h = client.request("textDocument/hover", params)
        if h and h.get("range"):
            assert inside(h["range"], lines, enc)
        comp = client.request("textDocument/completion", params)
        for item in (comp or {}).get("items", []):
            assert inside(item["textEdit"]["range"], lines, enc)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
