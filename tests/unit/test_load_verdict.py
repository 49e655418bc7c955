"""Whether Claude Code loads or skips a file, as recorded by the conformance suite (issue 10).

Each test names the conformance case that pins the behaviour on 2.1.332.
"""

from __future__ import annotations

from agentls.core.analysis import Analysis
from agentls.core.findings import Severity
from tests.helpers import at, codes, doc, run

BASE = "name: r\ndescription: d\n"


def errors(a: Analysis) -> list[str]:
    return [f.code for f in a.findings if f.severity == Severity.ERROR]


def test_merge_key_supplies_keys_from_2_1_113() -> None:
    # gen/agent/a0282-merge-key-description: `description` only through `<<: *base`
    text = doc("x-base: &base\n  description: merged\nname: r\n<<: *base\n")
    a = run(text)
    assert errors(a) == [] and a.runtime_loaded
    assert a.description() == "merged"
    assert at(a, "AGL200") == ["x-base"]  # `<<` is no key; the merged keys are
    old = run(text, "2.1.112")
    assert "AGL202" in errors(old)


def test_merge_key_keys_written_win() -> None:
    # gen/agent/a0283-merge-key-model and a0363: merged keys join, written ones win
    a = run(
        doc(
            "x-base: &base\n  model: haiku\n  x-color: red\nname: r\nmodel: opus\n"
            + "description: d\n<<: *base\n"
        )
    )
    assert a.root is not None
    model = a.root.get("model")
    assert model is not None and getattr(model.value, "value", None) == "opus"
    assert at(a, "AGL200") == ["x-base", "x-color"]


def test_u2028_stops_the_retry_line() -> None:
    # gen/agent/a0355-fmt-u2028-line: `a<U+2028>other: b` needs the retry, whose pattern
    # stops at U+2028: the retry cannot repair it and the agent is skipped
    a = run(doc(BASE + "x-extra: a\u2028other: b\n"))
    assert not a.runtime_loaded
    assert errors(a) == ["AGL010"]
    assert at(a, "AGL010") == ["a\u2028other: b"]


def test_retry_breaks_a_block_scalar() -> None:
    # gen/agent/a0431-desc-literal-strip+fmt-yaml-error-late: the retry another line needs
    # rewrites `description: |-` into a quoted string, and the block lines below fail
    a = run(doc("name: r\ndescription: |-\n  text\n\nx-bad: [unclosed\n"))
    assert not a.runtime_loaded
    assert errors(a) == ["AGL010"]
    assert at(a, "AGL010") == ["|-"]
    assert "quoting retry" in a.findings[[f.code for f in a.findings].index("AGL010")].message


def test_nul_in_front_matter_of_a_skill_drops_its_metadata() -> None:
    # gen/skill/s0200-fmt-nul-in-front-matter: listed under its body, metadata ignored
    a = run(doc("name: s\ndescription: d\nx: a\x00b\n"), path=".claude/skills/s/SKILL.md")
    assert "AGL010" in codes(a)
    assert "without its metadata" in next(f.message for f in a.findings if f.code == "AGL010")


def test_description_must_be_non_empty_text() -> None:
    # gen/agent/a0039..a0051: a number, boolean, null, "", list or mapping skips the agent
    for value in ("3000", "true", "~", "", '""', "[a, b]", "{a: b}"):
        a = run(doc(f"name: r\ndescription: {value}\n"))
        assert len(errors(a)) == 1 and errors(a)[0] in ("AGL300", "AGL304"), value
        assert "skips this agent" in a.findings[0].message
    # gen/agent/a0047-desc-whitespace-quoted: blank but not empty: loads (a warning)
    a = run(doc('name: r\ndescription: "   "\n'))
    assert errors(a) == [] and codes(a) == ["AGL304"]
    # a plugin agent: the plugin loader's checks are unverified, so no error
    plugin = run(doc("name: r\ndescription: 3000\n"), path="plugins/p/agents/r.md")
    assert errors(plugin) == []


def test_name_must_be_non_empty_text() -> None:
    # gen/agent/a0080, a0093..a0101: a number, boolean, null, "" or a list skips the agent
    for value in ("123", "1.5", "true", "~", "", '""', "[a]", "{a: b}"):
        a = run(doc(f"name: {value}\ndescription: d\n"))
        assert len(errors(a)) == 1 and errors(a)[0] in ("AGL300", "AGL304"), value
        assert "skips" in a.findings[0].message


HOOK = "hooks:\n  {event}:\n    - matcher: Bash\n      hooks:\n        - type: {type}\n"


def test_unloadable_guard_hook_skips_the_agent_from_2_1_257() -> None:
    # gen/agent/a0299-hooks-bad-type: `Agent 'x' not loaded: hooks.PreToolUse.0.hooks.0: ...`
    text = doc(BASE + HOOK.format(event="PreToolUse", type="bogus"))
    assert errors(run(text)) == ["AGL502"]
    assert errors(run(text, "2.1.252")) == []
    # under an event that guards nothing the entry is only ignored (a0305-hooks-timeout-string)
    stop = run(doc(BASE + HOOK.format(event="Stop", type="bogus")))
    assert errors(stop) == [] and "ignores this entry" in stop.findings[0].message
    # a0300 (no `command`), a0301 (no `hooks:`), a0302 (a number as matcher), a0295 (a string)
    for body in (
        "hooks:\n  PreToolUse:\n    - hooks:\n        - type: command\n",
        "hooks:\n  PreToolUse:\n    - matcher: Bash\n",
        "hooks:\n  PreToolUse:\n    - matcher: 1\n      hooks:\n        - type: command\n"
        "          command: echo\n",
        "hooks:\n  PreToolUse: echo\n",
    ):
        a = run(doc(BASE + body))
        assert len(errors(a)) == 1 and "skip this agent" in a.findings[0].message, body


def test_hooks_that_are_not_a_map_skip_the_agent() -> None:
    # gen/agent/a0290..a0292: `Invalid hooks in agent`; a0293/a0294: empty hooks load
    for value in ("echo hi", "[a]", "1"):
        assert errors(run(doc(BASE + f"hooks: {value}\n"))) == ["AGL500"], value
    for value in ("", "{}"):
        assert errors(run(doc(BASE + f"hooks: {value}\n"))) == [], value
    # an unknown event is dropped (a0296..a0298), not fatal
    a = run(doc(BASE + "hooks:\n  NotAnEvent: []\n"))
    assert errors(a) == [] and codes(a) == ["AGL501"]
    # a skill keeps loading (the runtime drops its hooks and allowed-tools)
    skill = run(
        doc(BASE + HOOK.format(event="PreToolUse", type="bogus")),
        path=".claude/skills/r/SKILL.md",
    )
    assert errors(skill) == []


def test_files_over_the_byte_limit_are_skipped() -> None:
    # gen/agent/a0356, gen/command/c0150: `exceeds 1048576 byte limit` (more bytes: skipped);
    # gen/skill/s0212: a 1,044,551-byte SKILL.md `exceeds 1000000 byte limit`
    def sized(n: int, ch: str = "x") -> str:
        head = doc(BASE, "")
        return head + ch * (n - len(head.encode()) // len(ch.encode()))

    assert "AGL021" not in codes(run(sized(1_048_576)))
    assert errors(run(sized(1_048_577))) == ["AGL021"]
    assert "AGL021" not in codes(run(sized(1_048_577), "2.1.195"))
    # bytes, not characters: 400,000 three-byte characters are 1.2 MB
    assert errors(run(sized(1_200_000, "é€"[1]))) == ["AGL021"]
    cmd = ".claude/commands/c.md"
    assert errors(run(sized(1_048_577), path=cmd)) == ["AGL021"]
    skill = ".claude/skills/s/SKILL.md"
    assert "AGL021" not in codes(run(sized(1_000_000), path=skill))
    a = run(sized(1_000_001), path=skill)
    assert errors(a) == ["AGL021"] and "1,000,000 bytes" in a.findings[0].message


def test_files_claude_code_does_not_read() -> None:
    # gen/agent/a0375-file-upper-ext, gen/command/c0171: `x.MD` is not listed
    assert errors(run(doc(BASE), path=".claude/agents/r.MD")) == ["AGL021"]
    assert errors(run(doc(BASE), path=".claude/commands/r.Md")) == ["AGL021"]
    # gen/skill/s0236-file-synced-dir, s0237 (`Synced`): a reserved folder
    for folder in ("synced", "Synced"):
        a = run(doc(BASE), path=f".claude/skills/{folder}/SKILL.md")
        assert "AGL021" in errors(a), folder
    assert "AGL021" not in codes(run(doc(BASE), path=".claude/skills/sync/SKILL.md"))


def test_agent_suffix_in_claude_agents_is_a_claude_agent() -> None:
    # gen/agent/a0382-file-agent-suffix: Claude Code lists `.claude/agents/x.agent.md`
    from agentls.core.dialects import detect

    m = detect(".claude/agents/r.agent.md", None)
    assert m is not None and m.dialect == "claude-agent"
    m = detect(".github/agents/r.agent.md", None)
    assert m is not None and m.dialect == "vscode-agent"
    m = detect("docs/r.agent.md", None)
    assert m is not None and m.dialect == "vscode-agent"


def test_skill_with_paths_loads_conditionally() -> None:
    # gen/skill/s0120..s0122: not listed, `Unknown skill` until a matching file is read
    skill = ".claude/skills/s/SKILL.md"
    for value in ("'**/*.pdf'", "['*.pdf', 'docs/**']", "src/**, '*.md'"):
        a = run(doc(BASE + f"paths: {value}\n"), path=skill)
        assert codes(a) == ["AGL709"] and errors(a) == [], value
    # every glob `**` (or `x/**` cut to `x`... and nothing left): always listed
    for value in ("'**'", "['**', '**']", "''"):
        assert "AGL709" not in codes(run(doc(BASE + f"paths: {value}\n"), path=skill)), value
