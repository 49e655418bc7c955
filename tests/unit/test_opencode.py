"""How agentls reads a file as OpenCode 1.18.33 does (core/dialects/opencode.py): gray-matter's
block, js-yaml 3's values, OpenCode's fallback, and the verdicts that follow
(tests/conformance/opencode/NOTES.md; case ids from there)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect, opencode
from agentls.core.findings import Severity
from agentls.core.yamltree import FLOAT, INT, STR

AGENT = "/p/.opencode/agent/x.md"
SKILL = "/p/.opencode/skills/x/SKILL.md"
BASE = "description: d\nmode: subagent\n"


def findings(text: str, path: str = AGENT) -> list[tuple[str, str]]:
    a = analyze(path, text)
    return [(f.code, f.severity.label) for f in a.findings]


def opencode_view(a: Analysis) -> list[tuple[str, str, str]]:
    for v in a.readers:
        if v.runtime == "opencode":
            return [(f.code, f.severity.label, f.message) for f in v.findings]
    raise AssertionError("OpenCode does not read the file")


@pytest.mark.parametrize(
    ("raw", "tag", "value"),
    [
        ("010", INT, 8),  # a0108: octal
        ("017", INT, 15),  # a0224
        ("1_0", INT, 10),  # a0109
        ("0x1", INT, 1),  # a0107
        ("1:30", INT, 90),  # a0225: sexagesimal
        ("1e2", INT, 100),  # a0129: an integral JavaScript number
        ("5.0", INT, 5),  # a0130
        (".5", FLOAT, 0.5),  # a0110
        ("+0.5", FLOAT, 0.5),  # a0106
        ("0o17", STR, "0o17"),  # YAML 1.2 only
        ("09", STR, "09"),
        ("yes", STR, "yes"),  # a0042
    ],
)
def test_js_yaml_scalars(raw: str, tag: str, value: object) -> None:
    assert opencode.resolve_js(raw) == (tag, value)


def test_numbers_as_javascript_holds_them() -> None:
    assert findings(f"---\n{BASE}steps: 1e2\ntemperature: 1_0\n---\nx\n") == []
    assert ("AGL310", "error") in findings(f"---\n{BASE}steps: 100000000000000000000\n---\nx\n")
    assert ("AGL300", "error") in findings("---\ndescription: 1:30\n---\nx\n")  # a0225


def test_block_starts_at_the_first_character_after_one_bom() -> None:
    assert findings(f"\ufeff---\n{BASE}---\nx\n") == []  # a0246
    for text in (f"\n---\n{BASE}---\nx\n", f"----\n{BASE}---\nx\n"):  # a0249, a0254
        got = findings(text)
        assert ("AGL001", "warning") in got, text
        assert not any(s == "error" for _, s in got)
    # a skill then has no name: dropped
    assert ("AGL001", "error") in findings("\n---\nname: x\ndescription: d\n---\nx\n", SKILL)


def test_the_first_newline_dashes_close_the_block() -> None:
    block, lang = opencode.find_block(f"---\n{BASE}--- trailing\nbody\n")  # a0258
    assert block is not None and lang == ""
    assert block.close_span is not None
    assert findings(f"---\n{BASE}--- trailing\nbody\n") == []
    # text after the opening `---` names a language: OpenCode cannot parse it (a0346)
    got = analyze(AGENT, f"--- trailing\n{BASE}---\nx\n")
    assert [(f.code, f.severity) for f in got.findings] == [("AGL019", Severity.WARNING)]
    assert "ignores the whole front matter" in got.findings[0].message


def test_an_unrepairable_yaml_error_ignores_the_front_matter() -> None:
    # a0071: a repeated key; the fallback does not change the text
    got = analyze(AGENT, "---\ndescription: d\ntools: Read\ntools: Read\n---\nx\n")
    assert [(f.code, f.severity) for f in got.findings] == [("AGL013", Severity.WARNING)]
    assert "whole file" in got.findings[0].message  # `tools: Read` is not checked (a0218)


def test_a_changed_but_failing_fallback_drops_the_file() -> None:
    # a0233: the fallback rewrites `x: a: b`, but `[x] y` still fails
    got = findings("---\ndescription: a: b\nmode: [x] y\n---\nx\n")
    assert ("AGL019", "error") in got
    # a0350: in a CRLF file every YAML error drops the file
    crlf = findings("---\r\ndescription: d\r\nx: [a\r\n---\r\nx\r\n")
    assert ("AGL019", "error") in crlf


def test_the_fallback_repairs_colon_values() -> None:
    a = analyze(AGENT, "---\ndescription: Use when: asked\nmode: subagent\n---\nx\n")
    assert [(f.code, f.severity) for f in a.findings] == [("AGL100", Severity.WARNING)]
    desc = a.root.get("description")
    assert desc is not None and getattr(desc.value, "value", None) == "Use when: asked"


def test_js_yaml_reads_on_after_a_quoted_value() -> None:
    a = analyze(AGENT, '---\ndescription: "d" and: more\nmode: subagent\n---\nx\n')  # a0013
    assert a.root is not None and a.root.key_names()[:2] == ["description", "and"]
    # a0030: `key: ? text` is a null value: a non-string description breaks the project
    assert ("AGL300", "error") in findings("---\ndescription: ? q\nmode: subagent\n---\nx\n")


def test_line_separators_are_text_and_tabs_are_skipped() -> None:
    a = analyze(AGENT, "---\ndescription: a\u2028b\n---\nx\n")  # a0057
    desc = a.root.get("description") if a.root else None
    assert desc is not None and getattr(desc.value, "value", None) == "a\u2028b"
    a = analyze(AGENT, f"---\n{BASE}temperature: 0.2\n\tx-extra: 1\n---\nx\n")  # a0272
    assert a.root is not None and "x-extra" in a.root.key_names()


@pytest.mark.parametrize(
    "permission",
    [
        "permission:\n  bash: maybe\n",  # a0189
        "permission:\n  bash: true\n",  # a0191
        "permission:\n  webfetch:\n    '*': deny\n",  # a0194
        "permission:\n  bash:\n    'git *': Allow\n",
    ],
)
def test_permission_values_opencode_rejects(permission: str) -> None:
    assert ("AGL301", "error") in findings(f"---\n{BASE}{permission}---\nx\n")


def test_permission_values_opencode_accepts() -> None:
    ok = "permission:\n  bash:\n    'git *': allow\n    '*': ask\n  webfetch: deny\n"
    assert findings(f"---\n{BASE}{ok}---\nx\n") == []


def test_a_name_that_is_not_text_fails_every_prompt() -> None:
    for value in ("12345", "[a]"):  # a0208, a0210
        a = analyze(AGENT, f"---\n{BASE}name: {value}\n---\nx\n")
        assert [(f.code, f.severity) for f in a.findings] == [("AGL300", Severity.ERROR)]
        assert "every prompt" in a.findings[0].message
        assert "every command" not in a.findings[0].message
    assert findings(f"---\n{BASE}name:\n---\nx\n") == []  # a0209: the agent `null`


def test_mode_files() -> None:
    path = "/p/.opencode/mode/x.md"
    got = analyze(path, "---\ndescription: d\nmode: subagent\ntemperature: hot\n---\nx\n")
    assert [(f.code, f.severity) for f in got.findings] == [
        ("AGL301", Severity.WARNING),  # a0325: always primary
        ("AGL300", Severity.ERROR),
    ]
    assert "drops this mode file" in got.findings[1].message  # a0324: not the project


def test_a_subagent_without_description() -> None:
    assert ("AGL202", "information") in findings("---\nmode: subagent\n---\nx\n")  # a0072
    assert findings("---\nmode: primary\n---\nx\n") == []


def test_skills_opencode_reads() -> None:
    assert detect("/p/.opencode/skills/x/SKILL.md").dialect == "opencode-skill"  # type: ignore[union-attr]
    assert detect("/p/.claude/skills/g/x/SKILL.md").dialect == "opencode-skill"  # type: ignore[union-attr]
    assert findings("---\nname: x\ndescription: d\nlicense: MIT\n---\nx\n", SKILL) == [
        ("AGL200", "hint")
    ]
    for front in ("description: d\n", "name: 5\n", "name: x\ndescription: 2024-01-01\n", "- a\n"):
        got = findings(f"---\n{front}---\nx\n", SKILL)  # s0004, s0005, s0014, s0030
        assert any(s == "error" for _, s in got), front
    # a Claude skill without `name`: OpenCode drops it, Claude Code loads it
    a = analyze("/p/.claude/skills/x/SKILL.md", "---\ndescription: d\n---\nx\n")
    assert [c for c, s, _ in opencode_view(a) if s == "error"] == ["AGL206"]


def test_opencode_paths_are_case_sensitive_and_dotted() -> None:
    assert (
        detect("/p/.opencode/agent/x.MD") is None
        or detect("/p/.opencode/agent/x.MD").dialect != "opencode-agent"
    )  # type: ignore[union-attr]  # a0310
    assert detect("/p/opencode/agent/x.md") is None  # a0320
    assert detect("/p/.opencode/mode/sub/x.md") is None  # a0316
    m = detect("/h/.config/opencode/command/x.md")  # c0043
    assert m is not None and m.dialect == "opencode-command"
