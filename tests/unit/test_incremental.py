"""Incremental re-parsing (yamltree.Memo): random edits of large front matters give the same
trees and findings with the memo of the previous version as from scratch."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentls.core import vscode_yaml, yamltree
from agentls.core.analysis import Analysis, analyze
from agentls.core.yamltree import Memo, YMap, YNode, YScalar, YSeq

HEAD = """---
name: release-auditor
# the checklist
description: Use this agent to run the release checklist.
model: sonnet
tools: Read, Grep, Glob, Bash
color: blue
hooks:
  PreToolUse:
"""
GROUP = """    - matcher: "{tool}"
      hooks:
        - type: command
          command: "$CLAUDE_PROJECT_DIR/.claude/hooks/pre-{i:03d}.sh --tool {tool}"
          timeout: {t}
"""
TAIL = """  PostToolUse:
    - matcher: Read
      hooks:
        - type: command
          command: 'echo "post" >> .claude/logs/trace.log'
argument-hint: x
---

You audit releases.
"""


def document(groups: int) -> str:
    tools = ["Bash", "Edit|Write", "mcp__github__.*"]
    body = "".join(GROUP.format(tool=tools[i % 3], i=i, t=10 + i) for i in range(groups))
    return HEAD + body + TAIL


PATHS = [
    "/ws/.claude/agents/auditor.md",  # Claude Code, Copilot CLI, VS Code
    "/ws/.github/skills/audit/SKILL.md",  # Copilot CLI, VS Code, skills-ref (strictyaml)
    "/ws/.github/agents/auditor.agent.md",
]
FRAGMENTS = [
    "x", " ", "\n", "\r\n", "\r", "\t", ":", ": ", "- ", "#", " # c", "'", '"', "''", "\\",
    "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "|\n", ">-\n", "---\n", "...\n", "? ",
    "key: v\n", "name: other\n", "hooks:\n", "  x: 1\n", "description: ", "\n  more\n",
    "\u2028", "\x07", "\ufeff", "é", "model: sonnet\n", "tools:\n  - Read\n",
]  # fmt: skip


def dump(n: YNode | None) -> Any:
    """A tree as plain data (spans, values, styles, duplicates), to compare two parses."""
    if n is None:
        return None
    if isinstance(n, YScalar):
        return ("S", n.span, n.value, n.raw, n.style, n.tag, n.anchor)
    if isinstance(n, YSeq):
        return ("Q", n.span, n.flow, n.anchor, [dump(i) for i in n.items])
    assert isinstance(n, YMap)
    entries = [(e.key_text, dump(e.key), dump(e.value)) for e in n.entries]
    dups = [(a.key.span, b.key.span) for a, b in n.duplicates]
    return ("M", n.span, n.flow, n.anchor, entries, dups)


def same(a: Analysis, b: Analysis) -> None:
    assert a.findings == b.findings
    assert a.suppressed == b.suppressed
    assert dump(a.root) == dump(b.root)
    assert [(v.runtime, v.findings, dump(v.root)) for v in a.readers] == [
        (v.runtime, v.findings, dump(v.root)) for v in b.readers
    ]


@pytest.fixture(autouse=True)
def _chunk_small_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltree, "CHUNKED_MIN", 0)


edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 6), st.lists(st.sampled_from(FRAGMENTS), max_size=3)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), groups=st.integers(1, 6), edits=edits)
def test_random_edits_give_the_analysis_from_scratch(
    path: str, groups: int, edits: list[tuple[float, int, list[str]]]
) -> None:
    text = document(groups)
    memo = Memo()
    analyze(path, text, memo=memo)
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + "".join(insert) + text[at + cut :]
        same(analyze(path, text, memo=memo), analyze(path, text))


TRICKY = [  # values that run on past their entry, aliases across entries, repeated keys
    "a: 'one\nb: two'\nc: 3\n",
    'a: "one\nb: two"\nc: 3\n',
    "a: [1,\nb: 2]\nc: 3\n",
    "a: &x {k: 1}\nb: *x\nc: *x\n",
    "a: 1\nb: |\n  x\na: 2\nb:\n  - 1\n",
    "a: 1\n# c\n\tb: 2\nc: 3\n",
    "a: 1\r\nb: 2\rc: 3\n",
    "a: 1\nb\nc: 3\n",
    "a: 1\n---\nb: 2\n",
    "a:\nb: 2\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts(text: str) -> None:
    for memo in (Memo(), None):
        a, b = yamltree.parse(text, 3, memo=memo), yamltree.parse(text, 3)
        assert (dump(a.root), a.error, a.limit) == (dump(b.root), b.error, b.limit)
        v, w = vscode_yaml.parse(text, 3, memo), vscode_yaml.parse(text, 3)
        assert (dump(v.root), v.errors, v.stopped) == (dump(w.root), w.errors, w.stopped)


@settings(max_examples=300, deadline=None)
@given(groups=st.integers(1, 4), edits=edits)
@example(groups=1, edits=[(0.3, 0, ["'"]), (0.9, 0, ["'"])])
def test_parsers_with_a_memo_parse_as_without(
    groups: int, edits: list[tuple[float, int, list[str]]]
) -> None:
    text = document(groups)[4:]
    memo = Memo()
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + "".join(insert) + text[at + cut :]
        for base in (0, 7):
            a, b = yamltree.parse(text, base, memo=memo), yamltree.parse(text, base)
            assert (dump(a.root), a.error, a.limit, a.counts) == (
                dump(b.root),
                b.error,
                b.limit,
                b.counts,
            )
            assert [(x.key.span, y.key.span) for x, y in a.duplicates] == [
                (x.key.span, y.key.span) for x, y in b.duplicates
            ]
            v, w = vscode_yaml.parse(text, base, memo), vscode_yaml.parse(text, base)
            assert (dump(v.root), v.errors, v.too_deep, v.stopped) == (
                dump(w.root),
                w.errors,
                w.too_deep,
                w.stopped,
            )
        memo.done()


def test_an_edit_in_one_entry_reuses_the_others() -> None:
    path = PATHS[0]
    text = document(300)
    memo = Memo()
    first = analyze(path, text, memo=memo)
    at = text.index("release checklist")
    edited = text[:at] + "the " + text[at:]  # longer: the entries after it move
    second = analyze(path, edited, memo=memo)
    hooks = [a.root.get("hooks") for a in (first, second) if a.root is not None]
    assert len(hooks) == 2 and hooks[0] is hooks[1]  # the same nodes, moved
    same(second, analyze(path, edited))
