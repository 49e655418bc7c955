"""Body syntax rules (AGL600–AGL606): each finding at the exact text it points at."""

from __future__ import annotations

import time

from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects.body import allows, read_only
from agentls.core.findings import Severity
from agentls.core.settings import Settings
from agentls.core.versions import Version

COMMAND = ".claude/commands/demo.md"
SKILL = ".claude/skills/demo/SKILL.md"
PLUGIN_COMMAND = "plugins/p/commands/x.md"
PROMPT = ".github/prompts/x.prompt.md"
AGENT = ".github/agents/x.agent.md"
INSTRUCTIONS = ".github/instructions/x.instructions.md"
CODEX = "/root/.codex/prompts/x.md"
FENCE = "```"


def run(path: str, body: str, front: str = "description: Demo\n", version: str = "") -> Analysis:
    settings = Settings(claude_version=Version.parse(version)) if version else Settings()
    return analyze(path, f"---\n{front}---\n{body}", settings)


def at(a: Analysis, code: str) -> list[str]:
    return [a.text[f.span.start : f.span.end] for f in a.findings if f.code == code]


def body_codes(a: Analysis) -> list[str]:
    return [f.code for f in a.findings if f.code.startswith("AGL60")]


def message(a: Analysis, code: str) -> str:
    return next(f.message for f in a.findings if f.code == code)


# AGL600: shell injections ----------------------------------------------------------------------


def test_injection_without_allowed_tools() -> None:
    a = run(COMMAND, "Status: !`git commit -m wip`\n")
    assert at(a, "AGL600") == ["!`git commit -m wip`"]
    f = a.findings[0]
    assert f.severity == Severity.WARNING
    assert "there is no `allowed-tools`" in f.message
    assert "never prompt" in f.message and "unless your settings allow it" in f.message
    assert "aborts" in f.message
    assert f.data["rule"] == "Bash(git commit *)"


def test_read_only_commands_need_no_rule() -> None:
    """Claude Code 2.1.332 runs read-only commands without `allowed-tools` (conformance
    gen/skill/s0293-s0314): `git status`, `ls`, `echo`, pipes and lists of them; a write, a
    redirection, a substitution or a refused flag aborts."""
    ok = [
        "git status --short",
        "ls",
        "echo hi",
        "ls | head -1",
        "pwd && echo x",
        "cat .git/HEAD",
        "git log --oneline -1",
        "git diff --stat",
        "grep -r zzz .",
        "find . -name x",
        "date",
        "sed -n 1p f",
        "git branch",
    ]
    bad = [
        "rm -rf build",
        "touch x",
        "echo hi > out.txt",
        "find . -name x -delete",
        "git commit -m x",
        "npm test",
        "echo $(rm x)",
        "ls && rm x",
        "sed -i s/a/b/ f",
        "sed -ni p f",
        "git branch new",
        "pwd x",
    ]
    for command in ok:
        assert read_only(command), command
        assert at(run(SKILL, f"!`{command}`\n", "description: d\n"), "AGL600") == [], command
    for command in bad:
        assert not read_only(command), command
        assert at(run(SKILL, f"!`{command}`\n", "description: d\n"), "AGL600") != [], command
    block = f"{FENCE}!\ngit status\nls\n{FENCE}\n"
    assert at(run(SKILL, block), "AGL600") == []
    assert at(run(SKILL, f"{FENCE}!\nls\nmkdir zz\n{FENCE}\n"), "AGL600") == ["```!"]
    # PowerShell commands are not read by this list
    assert at(run(SKILL, "!`ls`\n", "shell: powershell\n"), "AGL600") == ["!`ls`"]


def test_prefix_rule_allows_matching_commands_only() -> None:
    body = "A !`git add -A`\nB !`git add`\nC !`git push HEAD`\n"
    a = run(COMMAND, body, "allowed-tools: Bash(git add:*), Read\n")
    assert at(a, "AGL600") == ["!`git push HEAD`"]
    assert "`allowed-tools` does not allow it" in message(a, "AGL600")


def test_rule_forms_that_allow_everything() -> None:
    for tools in ("Bash", "Bash(*)", "[Read, Bash]", "Read Bash"):
        a = run(COMMAND, "!`rm -rf build`\n", f"allowed-tools: {tools}\n")
        assert at(a, "AGL600") == [], tools


def test_glob_rules_in_a_list() -> None:
    front = "allowed-tools:\n  - Bash(npm run *)\n  - Bash(* --version)\n"
    body = "!`npm run test`\n!`make --version`\n!`npm install`\n"
    a = run(SKILL, body, front)
    assert at(a, "AGL600") == ["!`npm install`"]
    assert "before sending the skill" in message(a, "AGL600")


def test_allows_matcher() -> None:
    assert allows("git status:*", "git status")
    assert allows("git status *", "git status -s")
    assert not allows("git status:*", "git statusx")
    assert not allows("git:* push", "git push")  # the colon is literal mid-rule
    assert allows("git:* push", "git:x push")
    assert allows("git diff", "git diff")
    assert not allows("git diff", "git diff HEAD")
    assert allows("*", "anything")


def test_injection_needs_line_start_or_whitespace() -> None:
    a = run(COMMAND, "!`make`\nx!`make`\n(!`make`)\n\t!`npm ci`\n")
    assert at(a, "AGL600") == ["!`make`", "!`npm ci`"]


def test_injections_as_the_runtime_finds_them() -> None:
    """Claude Code 2.1.332 (conformance gen/skill/s0315-s0318) runs `` !`cmd` `` in ordinary
    fenced blocks too, across a line break, and ```` ```! ```` blocks mid-line; a `!` inside a
    code span (`` `.gitignore !` ``) is not an injection."""
    body = f"Run `git push` yourself.\n{FENCE}sh\necho !`rm -rf /`\n{FENCE}\n~~~\n!`ls`\n~~~\n"
    assert at(run(COMMAND, body), "AGL600") == ["!`rm -rf /`"]
    span = "Keep `.gitignore !`-rules (`a/.keep`) as is.\n"
    assert at(run(SKILL, span), "AGL600") == []
    assert at(run(SKILL, "Out: !`rm -rf\nbuild`\n"), "AGL600") == ["!`rm -rf\nbuild`"]
    assert at(run(SKILL, f"Run {FENCE}!\nrm -rf build\n{FENCE} now.\n"), "AGL600") == ["```!"]
    assert at(run(SKILL, "Out: !`ls\npwd`\n"), "AGL600") == []


def test_bang_fence_is_checked_line_by_line() -> None:
    body = f"Before\n{FENCE}!\n# a comment\ngit add .\nnpm test\n{FENCE}\nAfter\n"
    a = run(COMMAND, body, "allowed-tools: Bash(git add:*)\n")
    assert at(a, "AGL600") == ["```!"]
    assert "`npm test`" in message(a, "AGL600")
    ok = run(COMMAND, body, "allowed-tools: Bash(git add:*) Bash(npm test)\n")
    assert at(ok, "AGL600") == []


def test_powershell_shell_uses_powershell_rules() -> None:
    front = "shell: powershell\nallowed-tools: Bash\n"
    a = run(SKILL, "!`Get-Date`\n", front)
    assert at(a, "AGL600") == ["!`Get-Date`"]
    assert "with PowerShell" in message(a, "AGL600")
    ok = run(SKILL, "!`Get-Date`\n", "shell: powershell\nallowed-tools: PowerShell(Get-Date *)\n")
    assert at(ok, "AGL600") == []


# AGL601 / AGL602: arguments ---------------------------------------------------------------------


def test_one_based_argument_reported_once() -> None:
    a = run(COMMAND, "Fix issue $1 in $2, then $1 again.\n")
    assert at(a, "AGL601") == ["$1"]
    f = next(f for f in a.findings if f.code == "AGL601")
    assert f.severity == Severity.INFORMATION
    assert "`$0` is the first argument" in f.message


def test_argument_index_is_version_gated() -> None:
    assert at(run(COMMAND, "Issue $1\n", version="2.1.10"), "AGL601") == []
    assert at(run(COMMAND, "Issue $1\n", version="2.1.19"), "AGL601") == ["$1"]


def test_zero_based_bodies_and_named_arguments_are_fine() -> None:
    assert at(run(COMMAND, "From $0 to $1\n"), "AGL601") == []
    assert at(run(COMMAND, "From $ARGUMENTS[0] to $1\n"), "AGL601") == []
    assert at(run(SKILL, "Issue $1\n", "arguments: issue branch\n"), "AGL601") == []


def test_escaped_fenced_and_money_are_not_arguments() -> None:
    body = f"Price \\$1 or $1,000, $1.50, $2M, $10 or US$1.\n{FENCE}sh\necho $1\n{FENCE}\n"
    assert at(run(COMMAND, body), "AGL601") == []
    a = run(COMMAND, body + "Now $2.\n")
    assert at(a, "AGL601") == ["$2"]


def test_old_indexed_form() -> None:
    a = run(COMMAND, "First: $ARGUMENTS.0, all: $ARGUMENTS, escaped \\$ARGUMENTS.1\n")
    assert at(a, "AGL602") == ["$ARGUMENTS.0"]
    assert a.findings[0].data["suggestion"] == "$ARGUMENTS[0]"
    assert a.findings[0].severity == Severity.INFORMATION


# AGL603 / AGL604: substitutions -----------------------------------------------------------------


def test_known_substitutions_are_clean() -> None:
    body = "${CLAUDE_SESSION_ID} ${CLAUDE_SKILL_DIR} ${CLAUDE_PROJECT_DIR} ${CLAUDE_EFFORT}\n"
    assert body_codes(run(SKILL, body)) == []


def test_unknown_substitution_with_did_you_mean() -> None:
    a = run(SKILL, "Run ${CLAUDE_SKIL_DIR}/x.py and ${CLAUDE_FOO}.\n")
    assert at(a, "AGL603") == ["${CLAUDE_SKIL_DIR}", "${CLAUDE_FOO}"]
    typo, other = (f for f in a.findings if f.code == "AGL603")
    assert typo.data["suggestion"] == "${CLAUDE_SKILL_DIR}"
    assert "Did you mean `${CLAUDE_SKILL_DIR}`?" in typo.message
    assert other.data["suggestion"] is None and "Did you mean" not in other.message
    assert "unverified" in other.message and typo.severity == Severity.WARNING


def test_substitutions_in_code_report_only_likely_typos() -> None:
    body = f"{FENCE}sh\npython ${{CLAUDE_SKIL_DIR}}/x.py ${{CLAUDE_CONFIG_DIR}}\n{FENCE}\n"
    assert at(run(SKILL, body), "AGL603") == ["${CLAUDE_SKIL_DIR}"]
    assert at(run(SKILL, "!`ls ${CLAUDE_CONFIG_DIR}`\n", "allowed-tools: Bash\n"), "AGL603") == []


def test_project_dir_needs_2_1_196() -> None:
    a = run(COMMAND, "${CLAUDE_PROJECT_DIR}\n", version="2.1.150")
    assert at(a, "AGL603") == ["${CLAUDE_PROJECT_DIR}"]
    assert "2.1.196" in message(a, "AGL603")


def test_plugin_substitutions_outside_plugins() -> None:
    a = run(SKILL, "${CLAUDE_PLUGIN_ROOT}/bin and ${CLAUDE_PLUGIN_DATA}\n")
    assert at(a, "AGL604") == ["${CLAUDE_PLUGIN_ROOT}", "${CLAUDE_PLUGIN_DATA}"]
    assert "${CLAUDE_SKILL_DIR}" in message(a, "AGL604")
    assert at(a, "AGL603") == []


def test_plugin_files_may_use_plugin_substitutions() -> None:
    a = run(PLUGIN_COMMAND, "${CLAUDE_PLUGIN_ROOT}/bin ${CLAUDE_PLUGIN_DATA}\n")
    assert body_codes(a) == []


# AGL605: `#tool:` references --------------------------------------------------------------------


def test_tool_references() -> None:
    body = (
        "Use #tool:search/codebase, #tool:codebase and #tool:readFile.\n"
        "Also #tool:codbase, #tool:read/nope, #tool:github/get_issue, #tool:todos.\n"
        "See [x](#tool:foo). Whole set: #tool:read/*\n"
    )
    for path in (PROMPT, AGENT, INSTRUCTIONS):
        a = run(path, body)
        assert at(a, "AGL605") == ["codebase", "readFile", "codbase", "read/nope"], path
    a = run(PROMPT, body)
    renamed, camel, typo, unknown = (f for f in a.findings if f.code == "AGL605")
    assert renamed.data["suggestion"] == "search/codebase"
    assert "old name of `search/codebase`" in renamed.message
    assert camel.data["suggestion"] == "read/readFile"
    assert typo.data["suggestion"] == "search/codebase"
    assert "dynamic" in unknown.message and unknown.severity == Severity.INFORMATION


def test_tool_references_are_vscode_only() -> None:
    assert at(run(COMMAND, "#tool:nope\n"), "AGL605") == []


# AGL606: prompt variables -----------------------------------------------------------------------


def test_prompt_variables() -> None:
    body = (
        "${file} ${selection} ${input:name} ${input:name:Enter a name}\n"
        "${selectedtext} ${env:HOME} ${relativeFile} ${input} ${worspaceFolder}\n"
        "Own placeholders for the model: ${PROJECT_TYPE} ${fileName} ${{ x }}\n"
        f"{FENCE}sh\necho ${{HOME}} ${{env:HOME}}\n{FENCE}\n"
    )
    a = run(PROMPT, body)
    assert at(a, "AGL606") == [
        "${selectedtext}",
        "${env:HOME}",
        "${relativeFile}",
        "${input}",
        "${worspaceFolder}",
    ]
    typo, env, _, bare, typo2 = (f for f in a.findings if f.code == "AGL606")
    assert typo.data["suggestion"] == "${selectedText}"
    assert typo2.data["suggestion"] == "${workspaceFolder}"
    assert env.data["suggestion"] is None and "launch and task" in env.message
    assert "needs a name" in bare.message
    assert typo.severity == Severity.WARNING
    assert at(run(AGENT, body), "AGL606") == []


# Codex custom prompts (AGL711) -----------------------------------------------------------------


def test_codex_prompts_are_not_read() -> None:
    # Codex 0.169.0 reads no custom prompt (tests/conformance/codex): one finding, no checks
    a = run(CODEX, "$0 $1 $10\n")
    assert [(f.code, f.span.start) for f in a.findings] == [("AGL711", 0)]


# the body starts after the front matter ---------------------------------------------------------


def test_front_matter_is_not_body() -> None:
    front = 'description: "Uses $1 and ${CLAUDE_FOO} and !`ls`"\n'
    assert body_codes(run(COMMAND, "Plain body.\n", front)) == []


def test_clean_command() -> None:
    body = "Context: !`git status`\nFix issue $0 in ${CLAUDE_PROJECT_DIR}.\n$ARGUMENTS\n"
    assert body_codes(run(COMMAND, body, "allowed-tools: Bash(git status:*)\n")) == []


# fences, line endings and bounds ----------------------------------------------------------------


def test_unclosed_fence_runs_to_the_end() -> None:
    assert at(run(COMMAND, f"{FENCE}sh\necho $1\n"), "AGL601") == []


def test_fence_closes_only_with_the_same_character() -> None:
    a = run(COMMAND, f"~~~\n{FENCE}\necho $1\n~~~~\nNow $2\n")
    assert at(a, "AGL601") == ["$2"]


def test_crlf_spans_exclude_the_carriage_return() -> None:
    text = "---\r\ndescription: Demo\r\n---\r\n!`git push`\r\n```!\r\nnpm test\r\n```\r\n$1\r\n"
    a = analyze(COMMAND, text)
    assert at(a, "AGL600") == ["!`git push`", "```!"]
    assert at(a, "AGL601") == ["$1"]


def test_findings_per_code_are_capped() -> None:
    a = run(COMMAND, "$ARGUMENTS.0 " * 500 + "\n")
    assert len(at(a, "AGL602")) == 100


def test_hostile_body_stays_fast() -> None:
    units = ("[a](", "${", " !`a", "#tool:zz ", "```\n", "${CLAUDE_X} ", "$$0 ", "$" + "9" * 5000)
    start = time.perf_counter()
    for unit in units:
        body = unit * (300_000 // len(unit))
        for path in (COMMAND, PROMPT, CODEX):
            run(path, body, "allowed-tools: Bash(x:*)\n" if path == COMMAND else "description: d\n")
    assert time.perf_counter() - start < 10
