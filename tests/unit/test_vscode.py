"""VS Code 1.139.1's reading of prompt files, agents, instructions, chat modes, skills and
Claude agents: its own header parser and its validator's errors (tests/conformance/vscode,
case ids from NOTES.md in the comments)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import analyze
from agentls.core.vscode_yaml import parse
from agentls.core.yamltree import YMap, YScalar

AGENT = "/p/.github/agents/a.agent.md"
SKILL = "/p/.github/skills/pdf/SKILL.md"


def vscode(text: str, path: str = AGENT) -> list[tuple[str, str, str]]:
    """(code, severity, source text) of agentls's findings for VS Code."""
    a = analyze(path, text)
    view = next(v for v in a.readers if v.runtime == "vscode")
    return [(f.code, f.severity.label, text[f.span.start : f.span.end]) for f in view.findings]


def errs(text: str, path: str = AGENT) -> list[tuple[str, str]]:
    return [(code, src) for code, sev, src in vscode(text, path) if sev == "error"]


def test_the_parser_reads_every_scalar_as_text() -> None:
    r = parse("a: 123\nb: ~\nc: &x y\nd: true\ne: 'true'\nf: |\n  x\n  y\n")
    assert isinstance(r.root, YMap) and not r.errors
    values = {e.key_text: e.value for e in r.root.entries}
    assert {k: v.value for k, v in values.items() if isinstance(v, YScalar)} == {
        "a": "123",
        "b": "~",
        "c": "&x y",
        "d": True,  # only an unquoted `true`/`false` is a boolean for the validator
        "e": "true",
        "f": "x\ny\n",
    }


@pytest.mark.parametrize(
    ("header", "message", "at"),
    [
        ("a: 1\n  b: 2\n", "Unexpected indentation (expected 0, got 2)", "  "),  # g0063
        ("a: 1\na: 2\n", 'Duplicate key: "a"', "a"),  # g0059 (the second key)
        ("a:\nb: 1\n", "Missing value", ":"),  # g0068
        ("a: [x, y\n", 'Expected "]"', ""),  # g0069: at the end of the header
        ("a: [x, , y]\n", "Unexpected token in flow sequence", ","),  # g0072
        ("a:\n  - x\n  -\n", "Missing sequence item value", "-"),  # g0074
    ],
)
def test_the_errors_vscode_reports(header: str, message: str, at: str) -> None:
    r = parse(header)
    assert [(e.message, header[e.start : e.end]) for e in r.errors] == [(message, at)]


@pytest.mark.parametrize(
    "header",
    [
        "description: a: b\nname: x\n",  # g0021: `: ` in a plain value
        "name: x\njust text\ndescription: d\n",  # g0066: a line without a colon
        'description: "a" b\n',  # g0034
        "x: &a y\ny: *a\n<<: z\n? k\n",  # g0075-g0078, g0058
    ],
)
def test_what_vscode_reads_silently(header: str) -> None:
    assert parse(header).errors == ()


def test_only_the_first_colon_of_a_line_ends_a_key() -> None:
    # VS Code 1.139.1 reads `Use when: asked` as one value and goes on (g0105: `zz-probe` read)
    r = parse("description: Use when: asked\nname: x\n")
    assert isinstance(r.root, YMap) and r.root.key_names() == ["description", "name"]
    assert getattr(r.root.entries[0].value, "value", None) == "Use when: asked"
    assert vscode("---\ndescription: Use when: asked\nname: x\n---\n") == []


def test_a_silent_stop_is_a_warning_on_the_value_it_cuts() -> None:
    found = vscode('---\ndescription: "Reviews" code\nname: x\n---\n')
    assert found == [("AGL019", "warning", '"Reviews" code')]  # read: `Reviews`, no `name`
    found = vscode("---\nname: x\njust text\ndescription: d\n---\n")
    assert found == [("AGL019", "warning", "just text")]


def test_yaml_errors_at_the_key_value_or_item() -> None:
    text = "---\nname: a\ndescription:\ntools: [read, edit\n---\n"
    assert errs(text) == [("AGL019", "description"), ("AGL019", "[read, edit")]
    assert errs("---\nname: a\n  stray: 1\n---\n") == [("AGL019", "  ")]  # g0063
    assert errs("---\n- a\n- b\n---\n") == [("AGL016", "- a\n- b\n")]  # g0015


@pytest.mark.parametrize(
    ("front", "code", "at"),
    [
        ("description: ''\n", "AGL304", "''"),  # g0038
        ("description: '   '\n", "AGL304", "'   '"),  # g0039
        ("description: [a, b]\n", "AGL300", "[a, b]"),  # g0046
        ("name: [a]\n", "AGL300", "[a]"),  # g0121
        ("infer: false\n", "AGL207", "false"),  # g0159: any value
        ("infer: all\n", "AGL207", "all"),  # g0160
        ("target: other\n", "AGL301", "other"),  # g0163
        ("target: ''\n", "AGL304", "''"),  # g0164
        ("user-invocable: yes\n", "AGL300", "yes"),  # g0153
        ("user-invocable: 'true'\n", "AGL300", "'true'"),  # g0154
        ("user-invocable: True\n", "AGL300", "True"),  # g0155
        ("tools:\n  a: b\n", "AGL300", "a: b"),  # g0131
        ("model: []\n", "AGL300", "[]"),  # g0144
        ("model: ['']\n", "AGL304", "''"),  # g0147
        ("agents: x\n", "AGL300", "x"),  # g0172
        ("github: x\n", "AGL300", "x"),  # g0191
    ],
)
def test_vscode_value_errors(front: str, code: str, at: str) -> None:
    assert errs(f"---\n{front}---\n") == [(code, at)]


@pytest.mark.parametrize(
    "front",
    [
        "description: 123\n",  # g0042: text
        "description: true\n",  # g0044
        "description: ~\n",  # g0040
        "tools: read, edit\n",  # a comma-separated string
        "tools: 5\n",  # g0129: a tool named `5`
        "model: GPT-9\n",  # g0145
        "reasoning-effort: whatever\n",  # g0193
        "user-invocable: false\n",
        "argument-hint: ''\n",  # g0150: a warning
    ],
)
def test_what_vscode_accepts(front: str) -> None:
    assert errs(f"---\n{front}---\n") == []


def test_skills_as_vscode_reads_them() -> None:
    assert errs("---\nname: PDF\ndescription: d\n---\n", SKILL) == [("AGL312", "PDF")]  # g0398
    assert errs("---\nname: pdf\nuser-invocable: false\n---\n", SKILL) == [
        ("AGL206", "false")  # g0404: a description is required then
    ]
    warned = [(c, s) for c, v, s in vscode("---\n---\n", SKILL) if v == "warning"]
    assert warned == [("AGL206", "---"), ("AGL206", "---")]  # g0378: name, description
    assert vscode("\n---\nname: pdf\n---\n", SKILL) == []  # g0375: no header, no check


def test_claude_agents_as_vscode_reads_them() -> None:
    path = "/p/.claude/agents/a.md"
    text = "---\nname: a\ndescription: d\nmodel: gpt-9\ncolor: red\nfoo: 1\n---\n"
    assert vscode(text, path) == [("AGL301", "warning", "gpt-9")]  # g0501; no key hints, g0484
    assert errs("---\nname: a\ndescription:\n---\n", path) == [("AGL019", "description")]


def test_a_nul_character_stops_vscode() -> None:
    found = vscode("---\nname: a\x00\ndescription: [\n---\n")  # g0082: nothing is read
    assert {(c, v, s) for c, v, s in found} == {("AGL102", "warning", "\x00")}


def test_cr_only_lines() -> None:
    # g0091: a file whose lines end in a lone CR has a header for VS Code, read to the end
    found = vscode("---\rname: a\rdescription: d\rzz-probe: 1\r---\rBody\r")
    assert found == [("AGL200", "hint", "zz-probe")]


def test_github_target_keys() -> None:
    # g0166: with `target: github-copilot` VS Code checks GitHub's key set (hints)
    text = "---\ndescription: d\ntarget: github-copilot\nargument-hint: x\nhandoffs: []\n---\n"
    assert [(c, v, s) for c, v, s in vscode(text) if c == "AGL200"] == [
        ("AGL200", "hint", "argument-hint"),
        ("AGL200", "hint", "handoffs"),
    ]
