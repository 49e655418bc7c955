"""agentls's view for Copilot CLI (profiles copilot-agent, copilot-skill, copilot-instructions) on
the rules recorded from Copilot CLI 1.0.102 (tests/conformance/copilot_cli/NOTES.md; case ids in
the comments). tests/conformance/test_agreement.py measures agreement over every
recording; these pin each rule on a minimal file."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentls.cli import read_text
from agentls.core.analysis import Analysis, RuntimeView, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Severity
from agentls.core.runtimes import readers
from agentls.core.shown import shown

AGENT = "/p/.github/agents/a.agent.md"
SKILL = "/p/.github/skills/pdf/SKILL.md"
INSTR = "/p/.github/instructions/py.instructions.md"
GOOD_AGENT = "---\nname: a\ndescription: Reviews code\n---\nBody.\n"
GOOD_SKILL = "---\nname: pdf\ndescription: Reads PDFs\n---\n# PDF\n\nBody.\n"


def view(a: Analysis) -> RuntimeView:
    return next(v for v in a.readers if v.runtime == "copilot-cli")


def copilot(path: str, text: str) -> dict[str, Severity]:
    return {f.code: f.severity for f in view(analyze(path, text)).findings}


def profile_of(path: str) -> str | None:
    m = detect(path)
    assert m is not None, path
    return next((r.profile for r in readers(path, m) if r.runtime.id == "copilot-cli"), None)


@pytest.mark.parametrize(
    ("path", "want"),
    [
        (INSTR, "copilot-instructions"),  # g1076
        ("/p/.claude/rules/style.md", "copilot-instructions"),  # g1078
        ("/p/.github/agents/.hidden.agent.md", None),  # g0522
        ("/p/.github/instructions/sub/x.instructions.md", "copilot-instructions"),
    ],
)
def test_which_files_copilot_cli_reads(path: str, want: str | None) -> None:
    assert profile_of(path) == want


def test_the_users_claude_folders_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/u")
    assert profile_of("/home/u/.claude/agents/a.md") is None  # g0545
    assert profile_of("/home/u/.claude/skills/x/SKILL.md") is None  # g0886
    assert profile_of("/home/u/.copilot/agents/a.agent.md") == "copilot-agent"  # g0542
    assert profile_of("/p/.claude/agents/a.md") == "copilot-agent"  # g0533


def test_line_separators_break_lines_for_copilot_cli() -> None:
    # g0602: `separator` alone on the next line is a YAML error; g0669: two keys, loaded
    text = GOOD_AGENT.replace("Reviews code", "Reviews\u2028code")
    assert copilot(AGENT, text).get("AGL019") == Severity.ERROR
    two = GOOD_AGENT.replace("---\nBody", "x-a: 1\u2028x-b: 2\n---\nBody")
    found = view(analyze(AGENT, two)).findings
    assert not [f for f in found if f.severity == Severity.ERROR]
    assert sorted(two[f.span.start : f.span.end] for f in found if f.code == "AGL200") == [
        "x-a",
        "x-b",
    ]


@pytest.mark.parametrize("closer", ["----", "--- end", "...", "  ---"])
def test_a_skill_without_a_closing_line_is_dropped(closer: str) -> None:
    # g0941-g0944: `missing or malformed YAML frontmatter`
    text = GOOD_SKILL.replace("---\n# PDF", f"{closer}\n# PDF")
    assert copilot(SKILL, text).get("AGL002") == Severity.ERROR


def test_a_skill_front_matter_that_is_not_a_mapping_loads() -> None:
    # g0977: loaded under the folder name, the description from the body
    a = analyze(SKILL, "---\n- a\n- b\n---\n# PDF\n\nReads PDFs.\n")
    assert copilot(SKILL, a.text) == {"AGL016": Severity.WARNING}
    assert shown(a, view(a)) == ("pdf", "Reads PDFs.")


def test_empty_skill_name_is_dropped() -> None:
    text = GOOD_SKILL.replace("name: pdf", 'name: ""')  # g0704, g0864
    assert copilot(SKILL, text).get("AGL311") == Severity.ERROR


@pytest.mark.parametrize(("levels", "drops"), [(126, False), (127, True), (128, True)])
def test_nesting_limit(levels: int, drops: bool) -> None:
    # g1114 loads, g1115, g1116 drop (`recursion limit exceeded`); agentls checks 100 levels
    text = GOOD_AGENT.replace("---\nBody", f"x: {'[' * levels}{']' * levels}\n---\nBody")
    found = copilot(AGENT, text)
    assert (found.get("AGL019") == Severity.ERROR) is drops
    assert ("AGL020" in found) is not drops


def test_alias_bomb_is_dropped() -> None:
    lines = ["x0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = GOOD_AGENT.replace("---\nBody", "\n".join(lines) + "\n---\nBody")
    assert copilot(AGENT, text).get("AGL019") == Severity.ERROR  # g0676


def test_invalid_utf8_and_size_drop_an_agent(tmp_path: Path) -> None:
    p = tmp_path / ".github" / "agents" / "a.agent.md"
    p.parent.mkdir(parents=True)
    p.write_bytes(GOOD_AGENT.encode().replace(b"Body", b"B\xe9dy"))  # g0663: in the body
    text, extra = read_text(str(p))
    a = analyze(str(p), text, extra=extra)
    assert {f.code: f.severity for f in view(a).findings}.get("AGL104") == Severity.ERROR
    big = GOOD_AGENT + "x" * (1024 * 1024)  # g0670
    assert copilot(AGENT, big).get("AGL021") == Severity.ERROR
    assert "AGL021" not in copilot(AGENT, GOOD_AGENT + "x" * 1000)  # g0671


@pytest.mark.parametrize(
    ("event", "drops"),
    [("PostToolUse", False), ("Stop", False), ("preToolUse", False), ("posttooluse", True)],
)
def test_hook_events(event: str, drops: bool) -> None:
    # g1104-g1113; g0284: an unknown event
    text = GOOD_AGENT.replace(
        "---\nBody", f"hooks:\n  {event}:\n    - type: command\n      command: x\n---\nBody"
    )
    assert (copilot(AGENT, text).get("AGL501") == Severity.ERROR) is drops


def test_general_purpose_is_the_built_in() -> None:
    text = GOOD_AGENT.replace("name: a", "name: general-purpose")  # g0510
    assert copilot(AGENT, text).get("AGL302") == Severity.ERROR


def test_instructions_are_never_dropped() -> None:
    text = "---\napplyTo: 5\ndescription: [x\nexcludeAgent: code-review\n---\nRules.\n"
    assert Severity.ERROR not in copilot(INSTR, text).values()  # g0988, g1084
    a = analyze(INSTR, text)
    assert shown(a, view(a)) == (None, "")
    out = "---\ndescription: ' Python'\nexcludeAgent: [coding-agent]\n---\nRules.\n"
    assert copilot(INSTR, out) == {"AGL711": Severity.INFORMATION}  # g1071
    a = analyze(INSTR, out)
    assert shown(a, view(a)) == (None, "Python")


def test_shown_names_and_descriptions() -> None:
    a = analyze("/p/.github/agents/sub/x.agent.md", "---\ndescription: d\n---\n")
    assert shown(a, view(a)) == ("sub--x", "d")  # g0524
    a = analyze(SKILL, "---\nname: my pdf\ndescription: |\n  one\n  two\n---\n")
    assert shown(a, view(a)) == ("my-pdf", "one\ntwo")  # g0860, g0891


def test_the_view_keeps_keys_the_file_s_own_format_knows() -> None:
    # `handoffs` is a VS Code key: Copilot CLI ignores it (warns); the merged findings do not
    # call it unknown, Copilot CLI's view does
    text = GOOD_AGENT.replace("---\nBody", "handoffs: []\n---\nBody")
    a = analyze(AGENT, text)
    assert "AGL200" in {f.code for f in view(a).findings}
    assert "AGL200" not in {f.code for f in a.findings}


def test_explain_gives_what_copilot_cli_lists() -> None:
    from agentls.core.verdict import verdict

    a = analyze(SKILL, GOOD_SKILL.replace("name: pdf", "name: my pdf"))
    rt = next(r for r in verdict(a).to_json()["runtimes"] if r["runtime"] == "copilot-cli")
    assert (rt["listed_name"], rt["description"]) == ("my-pdf", "Reads PDFs")
    dropped = analyze(SKILL, GOOD_SKILL.replace("name: pdf", "name: 5"))
    rt = next(r for r in verdict(dropped).to_json()["runtimes"] if r["runtime"] == "copilot-cli")
    assert rt["verdict"] == "skipped" and "description" not in rt
