"""Gemini CLI 0.61.0 agents and skills, as tests/conformance/gemini recorded them (case ids)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import analyze
from agentls.core.dialects import detect, gemini
from agentls.core.findings import Severity

AGENT = "/p/.gemini/agents/a.md"
SKILL = "/p/.gemini/skills/s/SKILL.md"
OK = "name: a\ndescription: d\n"


def errors(path: str, text: str) -> list[str]:
    return sorted(f.code for f in analyze(path, text).findings if f.severity == Severity.ERROR)


def test_which_files() -> None:
    assert detect("/p/.gemini/agents/x.agent.md").dialect == "gemini-agent"  # g0360
    assert detect("/p/.gemini/agents/_x.md") is None  # g0359: not read
    assert detect("/p/.gemini/agents/x.MD") is None  # g0357
    assert detect(SKILL).dialect == "gemini-skill"
    assert detect("/p/.gemini/skills/SKILL.md").dialect == "gemini-skill"  # k0168


def test_block_is_gemini_regex() -> None:
    assert gemini.block("\ufeff---\nname: a\n---\n") is None  # g0293: a BOM
    assert gemini.block("---   \nname: a\n---\n") is None  # g0298
    b = gemini.block("---\nname: a\n---- x\nbody\n")  # g0303: closes, the body is lost
    assert b is not None and b.body_start == len("---\nname: a\n---- x\nbody\n")
    assert errors(AGENT, f"\ufeff---\n{OK}---\nBody.\n") == ["AGL206"]
    assert errors(AGENT, f"---\n{OK}----\nBody.\n") == ["AGL304"]  # listed, fails invoked
    assert errors(AGENT, f"---\n{OK}---\n  \n") == ["AGL304"]  # g0366
    assert errors(AGENT, f"---\n{OK}---\nBody.\n") == []


@pytest.mark.parametrize(
    ("extra", "want"),
    [
        ("max_turns: 10.0\n", []),  # g0201: an integer for zod
        ("max_turns: 1e3\n", []),  # g0202
        ("max_turns: 1_000\n", []),  # g0208
        ("max_turns: 1.5\n", ["AGL300"]),  # g0200
        ("temperature: .inf\n", []),  # g0187
        ("temperature: .nan\n", ["AGL300"]),  # g0188
        ("tools: [read_file, 'mcp_srv_*', discovered_tool_x, '*']\n", []),  # g0118-g0130
        ("tools: [Read]\n", ["AGL401"]),  # g0131
        ("tools: [mcp__srv_x]\n", ["AGL401"]),  # g0124
        ("display_name: !!binary aGk=\n", ["AGL300"]),  # g0354
        ("model: !custom x\n", ["AGL019"]),  # g0100
        (
            "tools: [read_file]\nagent_card_url: http://x/card\n",
            ["AGL200"],
        ),  # g0235: local and remote keys
        ("mcp_servers:\n  s: {type: ws}\n", ["AGL300"]),  # g0247
        ("mcp_servers:\n  s: {command: x, timeout: 5, trust: true}\n", []),
    ],
)
def test_agent_values(extra: str, want: list[str]) -> None:
    assert errors(AGENT, f"---\n{OK}{extra}---\nBody.\n") == want


def test_agent_names_and_descriptions() -> None:
    assert errors(AGENT, "---\nname: generalist\ndescription: d\n---\nB\n") == ["AGL302"]
    assert errors(AGENT, "---\nname: a\ndescription: ''\n---\nB\n") == ["AGL311"]  # g0079
    assert errors(AGENT, "---\nname: a\ndescription: '   '\n---\nB\n") == []  # g0080
    assert errors(AGENT, "---\nname: a\ndescription: 2024-01-01\n---\nB\n") == ["AGL300"]
    assert errors(AGENT, "---\n<<: {model: m}\nname: a\ndescription: d\n---\nB\n") == []
    text = "---\nname: a\ndescription: |+\n  x\n---\nB\n"
    assert gemini.agent(text) == ("a", "x\n")  # js-yaml ends its input with a line break


def test_remote_agents() -> None:
    card = '{"description": "card"}'
    text = f"---\nkind: remote\nname: r\ndescription: d\nagent_card_json: '{card}'\n---\n"
    assert errors(AGENT, text) == []
    assert gemini.agent(text) == ("r", "User Description: d\nAgent Description: card")
    assert errors(
        AGENT, "---\nkind: remote\nname: r\ndescription: d\nagent_card_url: x\n---\n"
    ) == ["AGL312"]
    # a remote agent needs no description (zod: optional) and no body
    assert errors(AGENT, "---\nkind: remote\nname: r\nagent_card_url: http://x/c\n---\n") == []


@pytest.mark.parametrize(
    ("front", "reading"),
    [
        ("name: s\ndescription: d\n", ("s", "d")),
        ("name: 123\ndescription: 3000\n", ("123", "3000")),  # k0003, k0063
        ("name: s\ndescription: Use when: x\n", ("s", "Use when: x")),  # k0036
        ("name: s\ndescription: 'It's'\n", ("s", "'It's'")),  # k0056: quotes kept
        ("name: a/b\ndescription: d\n", ("a-b", "d")),  # k0012
        ("name: s\ndescription: [a, two]\n", ("s", "[a, two]")),  # k0073
        ("name: s\ndescription: x: y\n  more\n", ("s", "x: y more")),  # continuation
        ("metadata:\n  name: x\ndescription: d\n", ("x", "d")),  # k0017
        ("name: s\n", None),  # k0096
        ("Name: s\ndescription: d\n", None),  # k0023
    ],
)
def test_skill_reading(front: str, reading: tuple[str, str] | None) -> None:
    text = f"---\n{front}---\nBody.\n"
    assert gemini.skill(text) == reading
    assert errors(SKILL, text) == ([] if reading else ["AGL206"])


def test_skill_not_found() -> None:
    assert errors(SKILL, "---  \nname: s\ndescription: d\n---\n") == ["AGL206"]  # k0112
    assert errors(SKILL, "---\nname: s\ndescription: d\nx-other: [1\n---\n") == []  # fallback
