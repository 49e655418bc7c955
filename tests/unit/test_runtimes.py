"""One verdict per runtime: which runtimes read a path, and what each says (issue 11).

The Copilot CLI rules are those recorded on Copilot CLI 1.0.102 (tests/conformance/copilot_cli,
case ids in the comments); the replay there measures agreement over all its recordings.
"""

from __future__ import annotations

import pytest

from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Finding, Severity
from agentls.core.runtimes import readers
from agentls.core.settings import Settings
from agentls.core.verdict import own_findings, verdict

AGENT = "/p/.claude/agents/a.md"
GH_AGENT = "/p/.github/agents/a.agent.md"


def runtimes_of(path: str) -> list[tuple[str, str]]:
    m = detect(path)
    assert m is not None
    return [(r.runtime.id, r.profile) for r in readers(path, m)]


@pytest.mark.parametrize(
    ("path", "want"),
    [
        (
            AGENT,
            [
                ("claude-code", "claude-agent"),
                ("copilot-cli", "copilot-agent"),
                ("vscode", "vscode-claude-agent"),  # VS Code NOTES.md rule 15
            ],
        ),
        (
            "/p/.claude/agents/sub/a.md",
            [("claude-code", "claude-agent"), ("copilot-cli", "copilot-agent")],
        ),
        (GH_AGENT, [("vscode", "vscode-agent"), ("copilot-cli", "copilot-agent")]),
        ("/p/x.agent.md", [("vscode", "vscode-agent")]),  # g0538: not read by Copilot CLI
        ("/p/.github/prompts/f.prompt.md", [("vscode", "vscode-prompt")]),  # g0537
        ("/p/.github/chatmodes/c.chatmode.md", [("vscode", "vscode-chatmode")]),  # g0536
        (
            "/p/.claude/skills/s/SKILL.md",
            [
                ("claude-code", "claude-skill"),
                ("copilot-cli", "copilot-skill"),
                ("opencode", "opencode-skill"),
                ("vscode", "vscode-skill"),  # VS Code NOTES.md rule 28
            ],
        ),
        (
            "/p/.github/skills/s/SKILL.md",
            [
                ("skills-ref", "agentskills"),  # the Agent Skills rules, as warnings here
                ("copilot-cli", "copilot-skill"),
                ("vscode", "vscode-skill"),
            ],
        ),
        ("/p/skills/s/SKILL.md", [("skills-ref", "agentskills")]),
        ("/p/.claude/commands/c.md", [("claude-code", "claude-command")]),
    ],
)
def test_which_runtimes_read_a_path(path: str, want: list[tuple[str, str]]) -> None:
    assert runtimes_of(path) == want


def codes(a: Analysis, runtime: str) -> list[tuple[str, str]]:
    view = next(v for v in a.readers if v.runtime == runtime)
    return [(f.code, f.severity.label) for f in view.findings]


def copilot(front: str, path: str = GH_AGENT) -> list[tuple[str, str]]:
    return codes(analyze(path, f"---\n{front}---\nBody.\n"), "copilot-cli")


@pytest.mark.parametrize(
    ("front", "code"),
    [
        ("name: a\n", "AGL206"),  # g0019: description missing
        ("description: 123\n", "AGL300"),  # g0021: not a string
        ("description: d\nname:\n", "AGL300"),  # g0009: `name:` with no value is null
        ("description: d\nname: true\n", "AGL300"),
        ("description: d\ntools: 5\n", "AGL300"),
        ("description: d\ninfer: yes\n", "AGL300"),  # booleans are true/false only
        ("description: d\nmodel: []\n", "AGL300"),  # a non-empty list of model names
        ("description: d\nskills: a\n", "AGL300"),  # a list, not a string
        ("description: d\ndescription: e\n", "AGL013"),  # g0507: duplicate entry
        ("description: a: b\n", "AGL019"),  # g0557: unquoted `: `
        ("description: d\nmcp-servers:\n  srv:\n    command: x\n    args: []\n", "AGL206"),  # g0468
    ],
)
def test_copilot_cli_drops_the_agent(front: str, code: str) -> None:
    assert (code, "error") in copilot(front)


@pytest.mark.parametrize(
    "front",
    [
        'description: ""\n',  # g0617: an empty description is listed as empty
        "description: d\nname: ''\n",  # the file name
        "description: d\ntools: Read, Grep\nmodel: [a, b]\nreasoning-effort: extreme\n",
        "description: d\ninfer: false\nstrict-tools-list: true\ngithub: {toolsets: [repos]}\n",
        "description: d\nmcp-servers:\n  srv:\n    command: x\n    args: []\n    tools: ['*']\n",
        "description: d\nmcp-servers:\n",
    ],
)
def test_copilot_cli_loads_the_agent(front: str) -> None:
    assert not [c for c in copilot(front) if c[1] == "error"]


def test_copilot_cli_warns_on_unknown_keys_only_where_the_own_tool_does_not_know_them() -> None:
    # g0379-g0406: unknown fields load with a warning; a Claude Code key in `.claude/agents/`
    # is the file's own format, so the Copilot CLI warning is not reported there
    text = "---\nname: a\ndescription: d\ncolor: blue\nfoo: 1\n---\nBody.\n"
    a = analyze(AGENT, text)
    unknown = [
        (a.text[f.span.start : f.span.end], f.data.get("by"))
        for f in a.findings
        if f.code == "AGL200"
    ]
    assert unknown == [("foo", {"claude-code": 2, "copilot-cli": 2})]
    # g0073: `target` is a VS Code key: in `.github/agents/` VS Code knows it, Copilot CLI's
    # warning is not reported; in `.claude/agents/` neither tool knows it
    assert ("AGL200", "warning") not in codes(
        analyze(GH_AGENT, "---\ndescription: d\ntarget: vscode\n---\n"), "vscode"
    )
    b = analyze(AGENT, "---\nname: a\ndescription: d\ntarget: vscode\n---\n")
    assert [f.data.get("by") for f in b.findings if f.code == "AGL200"] == [
        {"claude-code": 2, "copilot-cli": 2}
    ]


def test_one_finding_per_place_naming_each_runtime() -> None:
    # Claude Code keeps the last of two `name` keys (a warning); Copilot CLI drops the agent
    text = "---\nname: a\ndescription: d\nname: b\n---\nBody.\n"
    a = analyze(AGENT, text)
    (dup,) = [f for f in a.findings if f.code == "AGL013"]
    assert dup.severity == Severity.ERROR
    assert dup.data["by"] == {"claude-code": 2, "copilot-cli": 1, "vscode": 1}
    assert dup.message.endswith(
        "But Copilot CLI drops this agent. VS Code marks the file with an error too."
    )
    claude = [f for f in own_findings(a) if f.code == "AGL013"]
    assert [f.severity for f in claude] == [Severity.WARNING]
    only_claude = analyze(AGENT, text, Settings(targets=frozenset({"claude-code"})))
    assert [f.severity for f in only_claude.findings if f.code == "AGL013"] == [Severity.WARNING]
    only_copilot = analyze(AGENT, text, Settings(targets=frozenset({"copilot-cli"})))
    assert [f.severity for f in only_copilot.findings if f.code == "AGL013"] == [Severity.ERROR]


def test_targets_turn_the_others_findings_into_information() -> None:
    text = "---\nname: a\ndescription: d\ntools: 5\nfoo: 1\n---\nBody.\n"
    full = analyze(AGENT, text)
    only = analyze(AGENT, text, Settings(targets=frozenset({"claude-code"})))
    assert [f.code for f in full.findings] == [f.code for f in only.findings]
    for f, g in zip(full.findings, only.findings, strict=True):
        by = f.data.get("by") or {f.data.get("runtime", "claude-code"): int(f.severity)}
        want = by.get("claude-code", max(int(f.severity), int(Severity.INFORMATION)))
        assert int(g.severity) == want, f
    # tools: 5 — a warning for Claude Code, an error (the agent is dropped) for Copilot CLI
    assert [f.data.get("by") for f in full.findings if f.code == "AGL300"] == [
        {"claude-code": 2, "copilot-cli": 1}
    ]
    assert Settings.parse({"targets": "claude-code, copilot-cli"})[0].targets == {
        "claude-code",
        "copilot-cli",
    }
    assert Settings.parse({"targets": ["nope"]})[1] == [
        "targets: unknown runtime 'nope' (one of claude-code, copilot-cli, vscode, skills-ref, "
        "opencode, gemini-cli, codex, cursor, github-cloud)"
    ]


def test_explain_gives_each_runtime_its_verdict() -> None:
    text = "---\nname: a\ndescription: d\ninfer: yes\n---\nBody.\n"
    v = verdict(analyze(AGENT, text))
    assert [(r["runtime"], r["verdict"]) for r in v.runtimes] == [
        ("claude-code", "loads with values dropped"),
        ("copilot-cli", "skipped"),
        ("vscode", "loads"),  # VS Code's reading of Claude agents ignores `infer`
    ]
    assert v.runtimes[1]["reasons"][0]["code"] == "AGL300"
    assert v.verdict == "loads with values dropped"  # Claude Code's own verdict is unchanged


def test_copilot_cli_skill_rules() -> None:
    path = "/p/.github/skills/s/SKILL.md"
    long = "x" * 1025
    assert ("AGL311", "error") in copilot(f"name: s\ndescription: {long}\n", path)  # g0869
    assert ("AGL300", "error") in copilot("name: s\ndescription: d\nuser-invocable: yes\n", path)
    assert not copilot("name: s\ndescription: d\nfoo: 1\nwhen_to_use: x\n", path) or all(
        c[1] == "hint" for c in copilot("name: s\ndescription: d\nfoo: 1\n", path)
    )  # g0873-g0875: unknown keys ignored silently


def test_codex_skills() -> None:
    # Codex 0.169.0 reads `.codex/skills` and `.agents/skills` (tests/conformance/codex)
    assert runtimes_of("/p/.codex/skills/s/SKILL.md") == [("codex", "codex-skill")]
    assert runtimes_of("/p/.agents/skills/s/SKILL.md") == [
        ("codex", "codex-skill"),
        ("copilot-cli", "copilot-skill"),
        ("gemini-cli", "gemini-skill"),
        ("opencode", "opencode-skill"),
    ]
    path = "/p/.codex/skills/s/SKILL.md"

    def own(front: str) -> list[tuple[str, str]]:
        a = analyze(path, f"---\n{front}---\nBody.\n")
        return [(f.code, f.severity.label) for f in own_findings(a)]

    assert own("name: S_1 pdf\ndescription: 3000\nlicense: [MIT]\nfoo: 1\n") == [
        ("AGL200", "hint"),
        ("AGL200", "hint"),
    ]  # any name, numbers as text, other keys ignored (k0094-k0109, k0039, k0144)
    assert ("AGL206", "error") in own("name: s\ndescription: '  '\n")  # k0047
    assert ("AGL206", "error") in own("name: s\n")  # k0072
    assert ("AGL311", "error") in own(f"name: {'a' * 65}\ndescription: d\n")  # k0112
    assert ("AGL300", "error") in own("name: s\ndescription: d\nmetadata: me\n")  # k0159


def test_opencode_commands_and_dates() -> None:
    # OpenCode 1.18.33 (tests/conformance/opencode): a command's wrong type breaks every command
    # of the project (c0004-c0021); js-yaml reads `2024-01-01` as a date (a0030, c0005)
    path = "/p/.opencode/command/review.md"
    assert runtimes_of(path) == [("opencode", "opencode-command")]
    a = analyze(path, "---\ndescription: 2024-01-01\nsubtask: yes\nfoo: 1\ntemplate: 5\n---\nx\n")
    got = [(f.code, f.severity.label, a.text[f.span.start : f.span.end]) for f in a.findings]
    assert got == [
        ("AGL300", "error", "2024-01-01"),
        ("AGL300", "error", "yes"),
        ("AGL200", "warning", "foo"),
    ]  # `template: 5` loads (c0023): the body is the template
    assert "quote it" in a.findings[0].message
    ok = analyze(path, "---\ndescription: '2024-01-01'\nagent: plan\n---\nx\n")
    assert not ok.findings
    # `x.agent.md` under `.opencode/agent/` is an OpenCode agent (a0312), not a VS Code one
    assert runtimes_of("/p/.opencode/agent/x.agent.md") == [("opencode", "opencode-agent")]


def test_the_own_tools_findings_are_all_kept() -> None:
    # two findings of the own tool at one place (one YAML problem under two codes): another
    # reader's finding there merges into the first, and neither is lost
    from agentls.core.analysis import _other_readers
    from agentls.core.text import Span

    text = "---\nname: a\ndescription: x: y\n---\nBody.\n"
    a = analyze(AGENT, text, Settings(targets=frozenset({"claude-code"})))
    span = next(f.span for f in a.findings if f.code in ("AGL100", "AGL019"))
    a.findings = (
        Finding("AGL100", Severity.WARNING, span, "first", {}),
        Finding("AGL010", Severity.WARNING, span, "second", {}),
        Finding("AGL200", Severity.WARNING, Span(0, 3), "third", {}),
    )
    _other_readers(a, Settings())
    messages = sorted(f.message.split(".")[0] for f in a.findings)
    assert messages[:3] == ["first But Copilot CLI drops this agent", "second", "third"]
