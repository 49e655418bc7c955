"""URIs <-> paths (agentls.uris): decoded once, encoded as VS Code does, open documents named by
the client's own URI."""

from __future__ import annotations

import pytest

from agentls.uris import OpenUris, document_path, from_path, to_path

CASES = [
    ("file:///home/u/my%20proj/.claude/agents/a.md", "/home/u/my proj/.claude/agents/a.md"),
    ("file:///home/u/caf%C3%A9/a.md", "/home/u/café/a.md"),
    ("file:///home/u/a%23b/a.md", "/home/u/a#b/a.md"),
    ("file:///home/u/c%2B%2B/a.md", "/home/u/c++/a.md"),
    ("file:///home/u/50%25/a.md", "/home/u/50%/a.md"),
    ("file:///c%3A/Users/u/a.md", "/c:/Users/u/a.md"),  # a drive, kept on POSIX
    ("file://server/share/a%20b.md", "//server/share/a b.md"),
    ("file:///home/u/%FF.md", "/home/u/\udcff.md"),  # not UTF-8: the same bytes on disk
]


@pytest.mark.parametrize(("uri", "path"), CASES)
def test_round_trip(uri: str, path: str) -> None:
    assert to_path(uri) == path
    assert from_path(path) == uri


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:///home/u/café/a.md", "/home/u/café/a.md"),  # UTF-8 sent as it is
        ("file:///home/u/c++/a.md", "/home/u/c++/a.md"),  # `+` is no space in a path
        ("file:///C:/Users/u/a.md", "/c:/Users/u/a.md"),  # the drive letter in lower case
        ("file://localhost/home/u/a.md", "/home/u/a.md"),
        ("file:///home/u//x/./a.md", "/home/u/x/a.md"),
    ],
)
def test_other_spellings(uri: str, path: str) -> None:
    assert to_path(uri) == path


def test_other_schemes() -> None:
    assert to_path("untitled:Untitled-1") is None
    assert document_path("untitled:Untitled-1") == "Untitled-1"
    assert document_path("vscode-vfs://github/o/r/.claude/agents/a%20b.md") == (
        "/o/r/.claude/agents/a b.md"
    )


def test_open_documents_keep_the_clients_uri() -> None:
    uris = OpenUris()
    raw = "file:///home/u/café/.claude/agents/a.md"
    uris.opened(raw)
    assert uris.uri("/home/u/café/.claude/agents/a.md") == raw
    assert uris.uri("/home/u/café/.claude/agents/b.md") == (
        "file:///home/u/caf%C3%A9/.claude/agents/b.md"
    )
    assert uris.paths() == {"/home/u/café/.claude/agents/a.md"}
    encoded = "file:///home/u/caf%C3%A9/.claude/agents/a.md"
    uris.opened(encoded)  # the same file opened again under another spelling
    uris.closed(raw)  # closing the first keeps the second
    assert uris.get("/home/u/café/.claude/agents/a.md") == encoded
    uris.closed(encoded)
    assert uris.get("/home/u/café/.claude/agents/a.md") is None and uris.paths() == set()
