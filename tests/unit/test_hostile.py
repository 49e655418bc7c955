"""Hostile input: every case gets a clear finding and a bounded cost, never an exception."""

from __future__ import annotations

import pytest

from agentls.core.complete import complete
from agentls.core.hover import hover
from tests.helpers import at, codes, doc, run

OK = "name: r\ndescription: d\n"


def bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "front",
    [
        bomb(),
        "a: " + "[" * 100_000 + "\n",
        "hooks:\n" + "  " * 3 + "- " * 50_000 + "x\n",
        "a: " + "{b: " * 30_000 + "1" + "}" * 30_000 + "\n",
    ],
)
def test_limits(front: str) -> None:
    a = run(doc(OK + front))
    assert "AGL020" in codes(a) or "AGL010" in codes(a)


def test_multi_megabyte_front_matter_and_body() -> None:
    big = "description: |\n" + "  line of text\n" * 200_000  # ~3 MB
    assert "AGL020" in codes(run(doc("name: r\n" + big)))
    body = "word " * 1_000_000
    assert codes(run(doc(OK, body))) == []


def test_control_characters() -> None:
    a = run(doc("name: r\ndescription: a\x0cb\x00c\n"))
    assert at(a, "AGL102") == ["\x0c", "\x00"]
    assert a.runtime_loaded


def test_line_separators() -> None:
    a = run(doc('name: r\ndescription: "a\u2028b"\nmodel: gpt-4\n'))
    assert at(a, "AGL103") == ["\u2028"]
    assert at(a, "AGL306") == ["gpt-4"]


def test_lone_surrogates() -> None:
    a = run(doc("name: r\ndescription: bad \ud800 char\n", "body \udfff\n"))
    assert at(a, "AGL104") == ["\ud800", "\udfff"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---",
        "---\n",
        "---\n---",
        "---\r\n---\r\n",
        "\ufeff",
        "\r\r\r",
        "---\n:\n---\n",
        "---\n? [a, b]\n: c\n---\n",
        "---\n[a, b]: c\n---\n",
        "---\n&a a: *a\n---\n",
        "---\nname: *undefined\n---\n",
        "---\n%YAML 1.2\n---\n",
        "---\n!!binary x: y\n---\n",
        "---\n" + "\t" * 50 + "\n---\n",
        '---\n"unterminated\n---\n',
        "---\nname: [\n---\n",
    ],
)
def test_odd_documents_never_raise(text: str) -> None:
    a = run(text)
    for off in range(0, len(text) + 1):
        complete(a, off)
        hover(a, off)
