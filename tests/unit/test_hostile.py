"""Hostile input: every case gets a clear finding and a bounded cost, never an exception."""

from __future__ import annotations

import itertools

import pytest

from agentls.core.complete import complete
from agentls.core.hover import hover
from tests.helpers import at, codes, doc, run

OK = "name: r\ndescription: d\n"


def bomb(keys: list[str]) -> str:
    lines = [f"{keys[0]}: &{keys[0]} [x, x, x, x, x, x, x, x, x]"]
    for prev, key in itertools.pairwise(keys):
        lines.append(f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


LOADS, DROPS, UNKNOWN = "loads", "drops", "unknown"


# Each case as Claude Code 2.1.332 (native build, Bun.YAML) treats it, observed by running the
# runtime against a loopback stand-in: an agent it loads is in the first request's agent
# listing, a dropped one is missing and its debug log says why. The quoting retry rescues a
# line whose key is letters, `_` and `-` only; a key with a digit (`k1`) is never rewritten, so
# those cases show the parser's own verdict. Where agentls's limits stop it before it can know
# that verdict, it says so (AGL020) and claims neither.
@pytest.mark.parametrize(
    ("front", "runtime"),
    [
        # "Excessive aliasing" in Bun.YAML; the retry cannot rewrite keys with digits
        (bomb([f"a{i}" for i in range(10)]), UNKNOWN),  # runtime: drops
        (bomb([f"a{chr(97 + i)}" for i in range(10)]), LOADS),  # the retry quotes every line
        ("a: " + "[" * 100_000 + "\n", LOADS),  # unterminated, repaired by the retry
        ("k1: " + "[" * 100_000 + "\n", UNKNOWN),  # runtime: drops (stack overflow)
        ("a: " + "[" * 200 + "\n", LOADS),
        ("k1: " + "[" * 200 + "\n", DROPS),  # a syntax error past agentls's depth limit
        ("a: " + "{b: " * 30_000 + "1" + "}" * 30_000 + "\n", LOADS),
        ("k1: " + "{b: " * 30_000 + "1" + "}" * 30_000 + "\n", UNKNOWN),  # runtime: drops
        ("k1: " + "[" * 1000 + "]" * 1000 + "\n", UNKNOWN),  # runtime: loads
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", LOADS),
        ("hooks:\n" + "  " * 3 + "- " * 50_000 + "x\n", UNKNOWN),  # runtime: drops
    ],
)
def test_limits(front: str, runtime: str) -> None:
    a = run(doc(OK + front))
    found = codes(a)
    assert a.runtime_loaded is (runtime == LOADS)
    assert ("AGL010" in found) is (runtime == DROPS)  # an error only where the runtime confirms
    assert ("AGL020" in found) is (runtime == UNKNOWN)


def test_multi_megabyte_front_matter_and_body() -> None:
    big = "description: |\n" + "  line of text\n" * 200_000  # ~3 MB
    assert "AGL020" in codes(run(doc("name: r\n" + big)))
    body = "word " * 1_000_000
    assert codes(run(doc(OK, body))) == ["AGL021"]  # over 1 MiB: Claude Code skips the file
    assert codes(run(doc(OK, body), "2.1.195")) == []


def test_control_characters() -> None:
    a = run(doc("name: r\ndescription: a\x0cb\x00c\n"), "2.1.228")
    assert at(a, "AGL102") == ["\x0c", "\x00"]
    assert a.runtime_loaded
    # from 2.1.229 a NUL fails Claude Code's parse (and the retry): the agent is skipped
    a = run(doc("name: r\ndescription: a\x0cb\x00c\n"))
    assert at(a, "AGL102") == ["\x0c", "\x00"]
    assert at(a, "AGL010") == ["\x00"]
    assert not a.runtime_loaded


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
