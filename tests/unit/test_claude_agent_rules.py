"""claude-agent rules: each finding at its exact range, with the runtime's behaviour."""

from __future__ import annotations

from agentls.core.findings import Severity
from tests.helpers import at, codes, doc, rows, run

OK = "name: reviewer\ndescription: Reviews code\n"


def sev(a: object, code: str) -> list[str]:
    return [f.severity.label for f in a.findings if f.code == code]  # type: ignore[attr-defined]


def test_valid_agent_is_clean() -> None:
    text = doc(
        OK + "tools: Read, Grep, Glob\nmodel: sonnet\ncolor: cyan\npermissionMode: plan\n"
        "maxTurns: 5\nmemory: project\neffort: high\nisolation: worktree\n"
        "background: true\nskills:\n  - pdf\ninitialPrompt: Start\n"
        "disallowedTools: [Write]\nmcpServers:\n  - github\n"
        "  - local:\n      type: stdio\n      command: ./srv\n"
        "hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n"
        "        - type: command\n          command: ./check.sh\n"
    )
    assert codes(run(text)) == []


def test_unknown_key_with_suggestion_at_the_key() -> None:
    a = run(doc(OK + "tool: Read\nallowed_tools: Grep\nmodle: opus\n"))
    assert at(a, "AGL200") == ["tool", "allowed_tools", "modle"]
    assert [f.data["suggestion"] for f in a.findings] == ["tools", "tools", "model"]


def test_missing_keys_are_anchored_on_the_opening_delimiter() -> None:
    a = run(doc("model: opus\n"))
    assert sorted(rows(a)) == [("AGL201", 0, 0, 0, 3), ("AGL202", 0, 0, 0, 3)]
    assert sev(a, "AGL202") == ["error"] and sev(a, "AGL201") == ["warning"]


def test_name_rules() -> None:
    assert sev(run(doc("name: a:b\ndescription: d\n")), "AGL302") == ["error"]
    assert sev(run(doc("name: -a\ndescription: d\n")), "AGL302") == ["error"]
    assert "AGL302" not in codes(run(doc("name: a:b\ndescription: d\n"), "2.1.200"))
    a = run(doc("name: Code_Reviewer\ndescription: d\n"))
    assert at(a, "AGL303") == ["Code_Reviewer"]
    assert a.findings[0].data["suggestion"] == "code-reviewer"


def test_tools_items_exact_ranges_in_a_string() -> None:
    a = run(doc(OK + "tools: Read, Grepp,  read Bash(git diff:*)\n"))
    assert at(a, "AGL401") == ["Grepp", "read"]
    assert at(a, "AGL403") == ["Bash(git diff:*)"]
    assert "case-sensitive" in a.findings[[f.code for f in a.findings].index("AGL401") + 1].message


def test_tools_items_in_a_yaml_list() -> None:
    a = run(doc(OK + "tools:\n  - Read\n  - WebSerch\n  - 42\n"))
    assert at(a, "AGL401") == ["WebSerch"]
    assert at(a, "AGL300") == ["42"]
    assert rows(a)[0][:3] == ("AGL401", 5, 4)


def test_no_tool_resolves_is_an_error_since_2_1_208() -> None:
    text = doc(OK + "tools: Reed, Grepp\n")
    assert sev(run(text), "AGL402") == ["error"]
    assert sev(run(text, "2.1.100"), "AGL402") == ["warning"]
    # an MCP server's tools: refused unless the session connects the server (information);
    # gen/agent/a0148-tools-mcp-tool and the corpus meigen agents are refused in the runs
    assert sev(run(doc(OK + "tools: Reed, mcp__github\n")), "AGL402") == ["information"]
    own = doc(OK + "tools: mcp__github\nmcpServers: [github]\n")
    assert "AGL402" not in codes(run(own))


def test_agent_specifier_and_filtered_tools() -> None:
    a = run(doc(OK + "tools: Agent(worker), AskUserQuestion, Task\n"))
    assert at(a, "AGL404") == ["Agent(worker)"]
    assert at(a, "AGL405") == ["AskUserQuestion"]
    assert sev(a, "AGL406") == ["hint"]


def test_legacy_and_removed_tools() -> None:
    # gen/agent/a0140-tools-ls, a0141-tools-multiedit: 2.1.332 does not know them (dropped)
    text = doc(OK + "tools: LS, MultiEdit, TeamCreate\n")
    a = run(text)
    assert at(a, "AGL406") == ["LS", "MultiEdit", "TeamCreate"]
    assert sev(a, "AGL402") == ["error"] and "no longer a Claude Code tool" in a.findings[0].message
    # 2.1.68 already drops LS and MultiEdit (bisected), TeamCreate is gone after 2.1.178
    assert "AGL402" in codes(run(text, "2.1.300"))
    assert "AGL402" not in codes(run(text, "2.1.50"))  # before 2.1.68: unverified, may resolve
    # gen/agent/a0137-tools-killshell: the old name is mapped to `TaskStop`
    a = run(doc(OK + "tools: KillShell, KillBash\n"))
    assert at(a, "AGL406") == ["KillShell", "KillBash"] and sev(a, "AGL406") == ["hint", "hint"]
    assert [f.data["suggestion"] for f in a.findings] == ["TaskStop", "TaskStop"]


def test_tools_the_session_leaves_out() -> None:
    # gen/agent/a0143-tools-all-main: with `Bash`, `Glob` and `Grep` are dropped
    a = run(doc(OK + "tools: Bash, Glob, Grep(x), Read\n"))
    assert at(a, "AGL405") == ["Glob", "Grep"] and sev(a, "AGL405") == ["information"] * 2
    assert at(run(doc(OK + "tools: Read, Glob, Grep\n")), "AGL405") == []
    disallowed = doc(OK + "tools: Bash, Glob\ndisallowedTools: Bash\n")
    assert at(run(disallowed), "AGL405") == []
    assert at(run(doc(OK + "tools: Bash, Glob\n"), "2.1.150"), "AGL405") == []
    # gen/agent/a0142-tools-todowrite, corpus team-*: the todo tools need an older model
    a = run(doc(OK + "tools: TodoWrite, TaskList, TaskStop\n"))
    assert at(a, "AGL405") == ["TodoWrite", "TaskList"] and sev(a, "AGL405") == ["warning"] * 2
    # gen/agent/a0466-tools-todowrite-only: refused in the runs (a Claude 5 session model)
    a = run(doc(OK + "tools: TodoWrite\n"))
    assert sev(a, "AGL402") == ["information"] and "before Claude 5" in a.findings[-1].message


def test_every_tool_disallowed_and_non_list_tools() -> None:
    # gen/agent/a0163-disallowed-all-tools: no tools, no refusal
    a = run(doc(OK + "tools: Read, Grep\ndisallowedTools: Grep, Read\n"))
    assert at(a, "AGL409") == ["Read", "Grep"]
    assert sev(a, "AGL402") == ["warning"]
    assert "no tools" in next(f.message for f in a.findings if f.code == "AGL402")
    # gen/agent/a0118-tools-mapping, a0120-tools-number: no tools at all
    for value in ("{Read: true}", "42", "true"):
        b = run(doc(OK + f"tools: {value}\n"))
        assert "gets no tools at all" in b.findings[0].message


def test_mcp_patterns() -> None:
    a = run(doc(OK + "tools: mcp__github, mcp__*, mcp__a b\ndisallowedTools: mcp__*\n"))
    assert at(a, "AGL407") == ["mcp__*"]
    a = run(doc(OK + "tools: mcp__git.hub__x\n"))
    assert at(a, "AGL407") == ["mcp__git.hub__x"]


def test_tool_in_both_lists_and_duplicates() -> None:
    a = run(doc(OK + "tools: Read, Write, Read\ndisallowedTools: Write\n"))
    assert at(a, "AGL408") == ["Read"]
    assert at(a, "AGL409") == ["Write"]


def test_models() -> None:
    assert codes(run(doc(OK + "model: opus\n"))) == []
    assert codes(run(doc(OK + "model: claude-opus-4-6\n"))) == []
    # gen/agent/a0185-model-gpt-4, a0187-model-word: any other string is sent as written
    a = run(doc(OK + "model: gpt-4\n"))
    assert at(a, "AGL306") == ["gpt-4"] and sev(a, "AGL306") == ["information"]
    assert "as written" in a.findings[0].message
    assert sev(run(doc(OK + "model: gpt-4\n"), "2.1.50"), "AGL306") == ["warning"]
    assert sev(run(doc(OK + "model: claude-3-7-sonnet-latest\n")), "AGL306") == ["information"]
    assert sev(run(doc(OK + "model: opusplan\n")), "AGL306") == ["information"]
    assert sev(run(doc(OK + "model: default\n")), "AGL306") == ["information"]
    assert at(run(doc(OK + "model: claude-opus-4-6\n"), "2.1.50"), "AGL307") == ["claude-opus-4-6"]
    assert "sonnet" in run(doc(OK + "model: sonet\n")).findings[0].message


def test_enums() -> None:
    a = run(
        doc(
            OK + "color: magenta\npermissionMode: acceptEdit\nmemory: global\n"
            "effort: extreme\nisolation: docker\n"
        )
    )
    assert at(a, "AGL301") == ["magenta", "acceptEdit", "global", "extreme", "docker"]
    assert "plugin-dev" in a.findings[0].message
    assert "acceptEdits" in a.findings[1].message
    assert at(run(doc(OK + "permissionMode: manual\n"), "2.1.100"), "AGL301") == ["manual"]
    assert codes(run(doc(OK + "permissionMode: manual\n"))) == []
    assert "or an integer" in a.findings[3].message and "drops it" in a.findings[3].message


def test_effort_and_isolation_forms_the_runtime_accepts() -> None:
    """Claude Code 2.1.332 loads these without its invalid-value log line (conformance
    gen/agent/a0239, a0240, a0243): effort in any case, `med`, integers; isolation `remote`."""
    for extra in ("effort: HIGH", "effort: 3", "effort: Med", 'effort: "2"', "isolation: remote"):
        assert codes(run(doc(OK + extra + "\n"))) == [], extra
    assert at(run(doc(OK + "isolation: Remote\n")), "AGL301") == ["Remote"]


def test_scalar_types() -> None:
    a = run(doc(OK + 'maxTurns: "5"\nbackground: yes\n'))
    assert at(a, "AGL300") == ['"5"', "yes"]
    assert at(run(doc(OK + "maxTurns: 0\n")), "AGL310") == ["0"]
    assert sev(run(doc(OK + "skills: a, b\n")), "AGL300") == ["hint"]


def test_plugin_agents_ignore_some_keys() -> None:
    text = doc(OK + "permissionMode: plan\nhooks: {}\n")
    a = run(text, path="plugins/p/agents/x.md")
    assert a.dialect is not None and a.dialect.plugin
    assert at(a, "AGL203") == ["permissionMode", "hooks"]
    assert "AGL203" not in codes(run(text))


def test_hooks_shapes() -> None:
    a = run(doc(OK + "hooks:\n  PreToolUse:\n    - type: command\n      command: x\n"))
    assert codes(a) == ["AGL500"]
    a = run(
        doc(
            OK + "hooks:\n  PreToolUs:\n    - hooks:\n        - type: shell\n        - type: http\n"
        ),
        "2.1.252",
    )
    assert at(a, "AGL501") == ["PreToolUs"]
    assert at(a, "AGL502")[0] == "shell"
    assert "needs `url`" in [f.message for f in a.findings if f.code == "AGL502"][1]


def test_mcp_servers() -> None:
    a = run(
        doc(
            OK + "mcpServers:\n  - remote:\n      url: https://x\n  - {a: 1, b: 2}\n"
            "  - local:\n      type: pipe\n      command: x\n"
        )
    )
    msgs = [f.message for f in a.findings if f.code == "AGL503"]
    assert len(msgs) == 3 and "no `type`" in msgs[0]


def test_newline_escape_inside_code() -> None:
    a = run(doc(OK.replace("Reviews code", "Matches `\\n` in logs\\nSecond line")))
    assert at(a, "AGL309") == ["`\\n`"]


def test_mojibake_in_body_with_repair() -> None:
    a = run(doc(OK, "Status: ðŸ”´ bad, cafÃ© ok, naïve fine\n"))
    assert at(a, "AGL105") == ["ðŸ”´", "cafÃ©"[3:]]
    assert [f.data["replacement"] for f in a.findings] == ["🔴", "é"]


def test_severity_override_and_off() -> None:
    from agentls.core.analysis import analyze
    from agentls.core.settings import Settings

    s, errs = Settings.parse({"severity": {"AGL301": "error", "AGL303": "off"}})
    assert errs == []
    a = analyze(".claude/agents/x.md", doc("name: X\ndescription: d\ncolor: pinkish\n"), s)
    assert [(f.code, f.severity) for f in a.findings] == [("AGL301", Severity.ERROR)]


def test_settings_errors_are_friendly() -> None:
    from agentls.core.settings import Settings

    s, errs = Settings.parse({"claudeCode": {"version": "two"}, "severity": {"X1": "error"}})
    assert s == Settings() and len(errs) == 2


def test_limits_skip_key_rules() -> None:
    a = run(doc("x1: " + "[" * 101 + "]" * 101 + "\n"))  # no retry for a key with a digit
    assert codes(a) == ["AGL020"]


def test_broken_lines_get_no_value_checks() -> None:
    for front in ("tools:\n\t- Read\n", "memory:\n\tproject\n", "skills:\n\t- pdf\n"):
        a = run(doc(OK + front))
        assert codes(a) == ["AGL014"], front


def test_duplicates_before_2_1_are_a_warning() -> None:
    a = run(doc(OK + "name: again\n"), "2.0.76")
    assert [(c, f.severity.label) for c, f in zip(codes(a), a.findings, strict=True)] == [
        ("AGL013", "warning")
    ]


def test_tool_removal_is_version_gated() -> None:
    assert "AGL406" not in codes(run(doc(OK + "tools: TeamCreate\n"), "2.1.100"))
    assert "AGL406" in codes(run(doc(OK + "tools: TeamCreate\n")))
    assert "AGL406" not in codes(run(doc(OK + "tools: Task\n"), "2.1.50"))


def test_exit_plan_mode_is_kept_in_plan_mode() -> None:
    text = doc(OK + "permissionMode: plan\ntools: Read, ExitPlanMode\n")
    assert "AGL405" not in codes(run(text))
    assert "AGL405" in codes(run(text.replace("permissionMode: plan\n", "")))


def test_newline_escape_in_quoted_description() -> None:
    a = run(doc('name: r\ndescription: "Match `\\\\n` here"\n'))
    assert codes(a) == ["AGL309"]


def test_text_before_front_matter() -> None:
    a = run("Some notes\n---\nname: r\ndescription: d\n---\nbody\n")
    assert codes(a) == ["AGL001"]
    assert "text before" in a.findings[0].message
    b = run("# Title\n\n---\n\nSome text\n\n---\nmore\n")
    assert [(f.code, f.severity.label) for f in b.findings] == [("AGL201", "information")]


def test_keys_claude_code_recognises_are_known() -> None:
    # gen/agent/a0264-observer-true, a0265-omitclaudemd-true: no unknown-key warning on 2.1.332
    text = doc(
        OK + "observer: watcher\nomitClaudeMd: true\nobserverMessage: m\n"
        "observeSubagents: false\nobserveToolResults: false\nautoCompactWindow: 90000\n"
        "experimental:\n  cacheTtl: 1h\n"
    )
    assert at(run(text), "AGL200") == []
    # before its schema listed them, Claude Code did not read them
    assert at(run(text, "2.1.300"), "AGL200") == ["observeToolResults"]


def test_fork_context_is_an_unknown_key_now() -> None:
    # gen/agent/a0266-forkcontext: 2.1.332 warns about `forkContext`, with no suggestion
    a = run(doc(OK + 'forkContext: "true"\n'))
    assert at(a, "AGL200") == ["forkContext"]
    assert a.findings[0].data["suggestion"] is None
    assert at(run(doc(OK + 'forkContext: "true"\n'), "2.1.0"), "AGL204") == ["forkContext"]


def test_did_you_mean_as_claude_code_picks_it() -> None:
    # gen/agent/a0270-unknown-when-to-use: "when_to_use" (did you mean "description"?)
    a = run(doc(OK + "when_to_use: sometimes\nmode: plan\nModel: opus\nx-bad: 1\n"))
    assert at(a, "AGL200") == ["when_to_use", "mode", "Model", "x-bad"]
    assert [f.data["suggestion"] for f in a.findings] == ["description", None, "model", None]


def test_plugin_agents_know_when_to_use_and_hint_no_ignored_key() -> None:
    text = doc(OK + "when_to_use: sometimes\nhook: x\n")
    a = run(text, path="/p/plugins/x/agents/a.md")
    assert at(a, "AGL200") == ["hook"]
    assert a.findings[0].data["suggestion"] is None  # `hooks` is not offered for plugin agents


def test_model_aliases_in_any_case() -> None:
    # gen/agent/a0172-model-Sonnet .. a0175-model-INHERIT: resolved as the aliases
    for m in ("Sonnet", "HAIKU", "Opus", "INHERIT", "Fable", "Best"):
        assert [f for f in run(doc(OK + f"model: {m}\n")).findings if f.code != "AGL306"] == []
        assert sev(run(doc(OK + f"model: {m}\n")), "AGL306") in ([], ["information"])


def test_retired_models_are_replaced() -> None:
    # gen/agent/a0178-model-opus-4-1-id, a0182-model-opus-4-id: the subagent runs on the
    # current Opus model
    for m in ("claude-opus-4-1-20250805", "claude-opus-4-20250514"):
        a = run(doc(OK + f"model: {m}\n"))
        assert at(a, "AGL307") == [m] and sev(a, "AGL307") == ["warning"]
        assert "retired" in a.findings[0].message and a.findings[0].data["suggestion"] == "opus"
    assert at(run(doc(OK + "model: claude-opus-4-1-20250805\n"), "2.1.100"), "AGL307") == []


def test_keys_plugin_agents_ignore() -> None:
    # the 2.1.332 plugin-agent loader warns that these keys are ignored there (since 2.1.296)
    text = doc(OK + "initialPrompt: Start\nobserver: watcher\npermissionMode: plan\n")
    a = run(text, path="/p/plugins/x/agents/a.md")
    assert at(a, "AGL203") == ["initialPrompt", "observer", "permissionMode"]
    old = run(text, "2.1.295", path="/p/plugins/x/agents/a.md")
    assert at(old, "AGL203") == ["permissionMode"]
