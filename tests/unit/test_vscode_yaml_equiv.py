"""Differential fuzzing: core/vscode_yaml.py gives the same tokens, trees, spans, errors and stops
as its previous version (tests/unit/vscode_yaml_before.py) on seeded random mutations of corpus
front matter and of tricky headers. ``AGENTLS_VSCODE_FUZZ=N`` runs N cases (default 4,000; the
rewrite was checked with 200,000). The reference is the parser as the conformance recordings
confirmed it; a deliberate change of behaviour (a new VS Code) changes both, or retires this test:
the recordings stay the ground truth."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from agentls.core import vscode_yaml
from agentls.core.yamltree import MAX_DEPTH, YMap, YNode, YScalar, YSeq
from tests.unit import vscode_yaml_before as before

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
CASES = int(os.environ.get("AGENTLS_VSCODE_FUZZ", "4000"))

SEEDS = [
    "name: a\ndescription: Use when: asked\nmodel: sonnet\n",
    "a: 123\nb: ~\nc: &x y\nd: true\ne: 'true'\nf: |\n  x\n  y\n",
    "a: 1\n  b: 2\n",
    "a:\nb: 1\n",
    "a: [x, y\n",
    "a: [x, , y]\n",
    "a:\n  - x\n  -\n",
    "tools: [\"a\", 'b', {c: d}, [e]]\nx: {a: 1, b: [2, 3], 'c': \"d\"}\n",
    "a: \"x\\ty\\u00e9\\x41\\U0001F600\\q\\\n  z\"\nb: 'it''s'\n",
    "a: \"one\n\n  two  \n three\"\nb: 'x  \n\n\n y'\n",
    "a: >-\n  folded\n  text\n\n   more\n  back\nb: |+\n  keep\n\n\nc: |2\n   x\n",
    "a: |\n  x\n---\nb: 1\n",
    "- a\n- b: c\n  d: e\n- - f\n  - g\n-\n",
    "a: b\n  c\n\n  d\n  - e\n  # note\n  f: g\n",
    "# c\n%YAML 1.2\n---\na: b # c\n...\nc: d\n---\ne: f\n",
    "a: b\r\nc:\r\n  - d\r\n  - 'e'\r\n",
    "a: b\rc: d\r",
    "a:b\nc :d\n? e\n: f\n&x g: *x\n!t h: !!str i\n",
    'a: "x" y\nb: c\n',
    "a: {b: c\n  d: e}\nf: [g\n  h, i]\n",
    'a: {b, c: , d:e, "f":g}\n',
    'a: ["x":y, {}: z, []]\n',
    "\ta: b\n \t c: d\n",
    "a: 'unclosed\n  more\n",
    'a: "\\',
    "a: |\n",
    ">\n  x\n",
    "- |\n  x\n- >2-\n   y\n",
    "key: value: more: #x\n  next: y\n",
    "a: -x\nb: - y\nc: -\n",
    "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
    "a:\n" + "".join(" " * i + "- x:\n" for i in range(1, MAX_DEPTH + 3)),
    "",
    "\n\n",
    "   ",
]

# lines near the edge of the parser's fast paths, each alone between ordinary lines
LINES = [
    "a: b\t# c", "b: c # d", "c: C#, F# and x#y \t", "d:\te", "e : 'f'  ", "f: \"g\" # h",
    "a: true", "b: false ", "c: 'true'", "d: True", "e: x", "name: again", "a: 'x'y", "b: 'it''s'",
    'c: "q\\""', "d: ''", 'e: ""', "a: [x, 'y' , \"z\"]", "b: []", "c: [ ]",
    "d: [true, false,x y ]", "e: [a,]", "f: [a #c]", "g: [a]b", "h: ['a', 'b''c']", 'x: ["a\\""]',
    "y: [a: b]", "z: [a, , b]",
    "w: [-a, - b, |c]", "v: [a:b, c#d, 'e':f]", "u: [a] # c", "t: [a]  ", "s:", "r: ", "q: |",
    "p: a: b", "o: - a", "n:a", "m: %x", "l: &a *b !c ?d @e", "k\t: v", "j: [\"a\"\t]",
]  # fmt: skip
SEEDS += [f"name: n\n{line}\r\ndescription: d\n" for line in LINES]
SEEDS += [f"{line}\n" for line in LINES]

ALPHABET = " \t\r\n:#-'\"\\{}[],|>+-123&*!%?.~_xyzé\u2028\x0b\x0c\x85\xa0"
SNIPPETS = [
    ": ", ":", " #", "#", "- ", "-", "---", "...", "\n", "\r\n", "\r", "  ", "\t", "'", '"',
    "''", "\\", '\\"', "\\\n", "\\x4", "\\u00e9", "{", "}", "[", "]", ", ", "|", "|-", ">+",
    "|2", "&a ", "*a", "!!str ", "? ", "key: ", "  - ", "true", "false", "a: b\n",
]  # fmt: skip


def _corpus_headers() -> list[str]:
    if not CORPUS.is_dir():
        return []
    out = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".md", ".mdc") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        header = text[3 : end + 1] if end >= 0 else text[3:]
        out.append(header.lstrip("\r\n")[:4000])
    return out


def _mutate(rng: random.Random, text: str, pool: list[str]) -> str:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        at = rng.randint(0, len(text))
        if op == 0:  # insert a character
            text = text[:at] + rng.choice(ALPHABET) + text[at:]
        elif op == 1:  # insert a snippet
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif op == 2:  # delete a few characters
            text = text[:at] + text[at + rng.randint(1, 4) :]
        elif op == 3:  # replace a character
            text = text[:at] + rng.choice(ALPHABET) + text[at + 1 :]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = rng.randrange(len(lines))
            if op == 4:  # indent or dedent a line
                lines[i] = rng.choice(["  ", " ", "\t", "    "]) + lines[i]
            elif op == 5:
                lines[i] = lines[i].lstrip(" ")
            elif op == 6:  # delete, repeat or move a line
                del lines[i]
            elif op == 7:
                lines.insert(rng.randrange(len(lines) + 1), lines[i])
            else:  # a line of another header
                other = rng.choice(pool).splitlines(keepends=True) or [""]
                lines.insert(i, rng.choice(other))
            text = "".join(lines)
    if rng.random() < 0.05:  # cut short
        text = text[: rng.randint(0, len(text))]
    return text


def _random_text(rng: random.Random) -> str:
    return "".join(
        rng.choice(SNIPPETS) if rng.random() < 0.4 else rng.choice(ALPHABET)
        for _ in range(rng.randint(0, 40))
    )


def _cases(n: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    pool = SEEDS + _corpus_headers()
    out = list(pool)
    while len(out) < n:
        if rng.random() < 0.1:
            out.append(_random_text(rng))
        else:
            out.append(_mutate(rng, rng.choice(pool), pool))
    return out


def _dump(node: YNode | None) -> Any:
    if node is None:
        return None
    span = (node.span.start, node.span.end, node.anchor)
    if isinstance(node, YScalar):
        v = node.value
        return ("scalar", span, type(v).__name__, v, node.raw, node.style, node.tag)
    if isinstance(node, YSeq):
        return ("seq", span, node.flow, [_dump(i) for i in node.items])
    assert isinstance(node, YMap)
    index = {id(e): i for i, e in enumerate(node.entries)}
    entries = [(e.key_text, _dump(e.key), _dump(e.value)) for e in node.entries]
    dups = [(index[id(a)], index[id(b)]) for a, b in node.duplicates]
    return ("map", span, node.flow, entries, dups)


def _outcome(module: Any, text: str, base: int) -> Any:
    tokens = [tuple(t) for t in module._Scanner(text).scan()]
    r, unclosed = module._parse(text, base)
    errors = [tuple(e) for e in r.errors]
    return tokens, _dump(r.root), errors, r.too_deep, r.stopped, unclosed


def test_the_same_results_as_before() -> None:
    rng = random.Random(5)
    for i, text in enumerate(_cases(CASES)):
        base = 0 if i % 3 else rng.randint(1, 500)
        expected = _outcome(before, text, base)
        assert _outcome(vscode_yaml, text, base) == expected, repr(text)


@pytest.mark.parametrize("text", SEEDS)
def test_the_public_parse_as_before(text: str) -> None:
    new, old = vscode_yaml.parse(text, 7), before.parse(text, 7)
    assert (_dump(new.root), new.errors, new.too_deep, new.stopped) == (
        _dump(old.root),
        old.errors,
        old.too_deep,
        old.stopped,
    )
