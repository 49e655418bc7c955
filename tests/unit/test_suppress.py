"""Suppressions (core/suppress.py): parsing, matching, unused ones, quick fixes, hover."""

from __future__ import annotations

from agentls.core.analysis import Analysis, analyze
from agentls.core.fixes import apply, fixes_for, suppression_fixes
from agentls.core.hover import hover
from agentls.core.settings import Settings
from agentls.core.suppress import parse, suppress_workspace
from agentls.core.verdict import verdict

PATH = ".claude/agents/demo.md"
HEAD = "---\nname: demo\ndescription: Reviews code\n"


def run(text: str, settings: Settings | None = None) -> Analysis:
    return analyze(PATH, text, settings)


def codes(a: Analysis) -> list[tuple[int, str]]:
    return [(a.lines.position(f.span.start)[0], f.code) for f in a.findings]


def test_front_matter_comment_applies_to_the_next_line_only() -> None:
    text = HEAD + "# agentls: ignore AGL200 -- our tooling\nx-team: a\nx-other: b\n---\nBody\n"
    a = run(text)
    assert codes(a) == [(5, "AGL200")]  # x-other is still reported
    (hidden,) = a.suppressed
    assert (hidden.code, hidden.data["suppressed"]) == ("AGL200", "our tooling")
    (s,) = a.suppressions
    assert (s.codes, s.reason, s.line, s.form) == (("AGL200",), "our tooling", 4, "yaml")


def test_stacked_comments_several_codes_and_lowercase() -> None:
    text = (
        HEAD
        + "  # agentls: ignore agl200 -- a\n"
        + "# agentls: ignore AGL301,AGL999 -- b\n"
        + "colour: blu\n---\nBody\n"
    )
    a = run(text)
    # both comments apply to `colour:` (line 5); AGL301 matches nothing there, AGL999 is unknown
    assert [(f.code, f.message) for f in a.findings] == [
        (
            "AGL900",
            "Unused suppression: no AGL301 finding on the line it applies to; AGL999 is not an "
            "agentls code. Remove it.",
        )
    ]
    assert codes(a) == [(4, "AGL900")]
    assert [f.code for f in a.suppressed] == ["AGL200"]


def test_file_level_forms() -> None:
    text = HEAD + "x-team: a\n# agentls: ignore-file AGL200 -- ours\nx-other: b\n---\nBody\n"
    a = run(text)
    assert codes(a) == [] and len(a.suppressed) == 2
    body = HEAD + "---\ncafÃ© one\n<!-- agentls-ignore-file AGL105 -- quoted -->\ncafÃ© two\n"
    assert codes(run(body)) == [] and len(run(body).suppressed) == 2


def test_body_next_line_and_fenced_code() -> None:
    text = (
        HEAD
        + "---\n<!-- agentls-ignore-next-line AGL105 -- quoted as is -->\ncafÃ© one\n"
        + "```\n<!-- agentls-ignore-next-line AGL105 -- only an example -->\ncafÃ© two\n```\n"
    )
    a = run(text)
    assert codes(a) == [(8, "AGL105")]  # the comment inside the fence is text, not a directive
    assert [s.line for s in a.suppressions] == [5]


def test_trailing_comment_is_not_a_suppression() -> None:
    a = run(HEAD + "x-team: a  # agentls: ignore AGL200 -- no\n---\nBody\n")
    assert "AGL200" in {f.code for f in a.findings}
    assert a.suppressions == ()


def test_a_line_of_a_block_scalar_is_text_not_a_comment() -> None:
    text = (
        "---\nname: demo\ndescription: |\n  Reviews code.\n  # agentls: ignore AGL200 -- no\n"
        "x-team: a\n---\nBody\n"
    )
    a = run(text)
    assert a.suppressions == () and "AGL200" in {f.code for f in a.findings}


def test_unused_no_code_and_nothing_after() -> None:
    a = run(HEAD + "# agentls: ignore AGL200 -- stale\nmodel: sonnet\n---\nBody\n")
    (f,) = a.findings
    assert f.code == "AGL900" and "no AGL200 finding on the line" in f.message
    assert f.data["remove"] is True
    a = run(HEAD + "# agentls: ignore -- why\nx-team: a\n---\nBody\n")
    assert sorted(f.code for f in a.findings) == ["AGL200", "AGL900"]
    a = run(HEAD + "---\nBody\n<!-- agentls-ignore-next-line AGL105 -- x -->\n")
    assert [f.message.split(":")[0] for f in a.findings] == ["Nothing follows this suppression"]


def test_reason_missing_is_a_hint_and_settings_apply() -> None:
    text = HEAD + "# agentls: ignore AGL200\nx-team: a\n---\nBody\n"
    (f,) = run(text).findings
    assert (f.code, f.severity.label) == ("AGL901", "hint")
    off = Settings.parse({"severity": {"AGL901": "off"}})[0]
    assert run(text, off).findings == ()


def test_no_suppressions_setting_reports_everything() -> None:
    text = HEAD + "# agentls: ignore AGL200 -- ours\nx-team: a\n# agentls: ignore AGL301\n---\n"
    a = run(text, Settings(suppressions=False))
    assert [f.code for f in a.findings] == ["AGL200"]  # no AGL900/AGL901 either
    assert a.suppressed == () and a.suppressions == ()


def test_every_dialect_reads_them() -> None:
    text = "---\ndescription: d\n# agentls: ignore AGL200 -- ours\nx-team: a\n---\nBody\n"
    for path in (".github/agents/a.agent.md", ".claude/skills/s/SKILL.md", ".gemini/agents/a.md"):
        a = analyze(path, text)
        assert a.dialect is not None, path
        assert "AGL200" in {f.code for f in a.suppressed}, path
        assert "AGL200" not in {f.code for f in a.findings}, path


def test_workspace_findings_are_suppressed_and_judged_there() -> None:
    text = HEAD + "tools: Read\n# agentls: ignore AGL801 -- defined by a plugin\nskills: [x]\n---\n"
    a = run(text)
    assert "AGL900" not in {f.code for f in a.findings}  # judged with the workspace checks
    assert [f.code for f in suppress_workspace(a, ())] == ["AGL900"]
    from agentls.core.findings import Finding, Severity
    from agentls.core.text import Span

    at = text.index("skills")
    found = Finding("AGL801", Severity.WARNING, Span(at, at + 6), "unknown skill")
    assert suppress_workspace(a, (found,)) == []


def test_hover_still_says_it_and_verdict_unchanged() -> None:
    text = HEAD + "# agentls: ignore AGL200 -- read by our tooling\nx-team: a\n---\nBody\n"
    a = run(text)
    h = hover(a, text.index("x-team") + 2)
    assert h is not None
    assert h.markdown.startswith("**AGL200 (warning, suppressed: read by our tooling)** Unknown")
    # the hover of a documented key keeps its docs and adds the finding
    text = HEAD + "# agentls: ignore AGL301 -- ours\ncolor: blu\n---\nBody\n"
    a = run(text)
    h = hover(a, text.index("blu") + 1)
    assert h is not None and "---" in h.markdown and "suppressed: ours" in h.markdown
    # explain's verdict is the runtime's: a suppressed error still makes it skip the file
    text = "---\nname: demo\n---\nBody\n"
    plain = verdict(run(text))
    sup = verdict(run("---\nname: demo\n# agentls: ignore-file AGL202 -- x\n---\nBody\n"))
    assert sup.verdict == plain.verdict


def test_quick_fixes_insert_a_suppression_that_works() -> None:
    text = HEAD + "x-team: a\n---\ncafÃ©\n"
    a = run(text)
    titles = []
    for f in a.findings:
        for fix in suppression_fixes(a, f):
            titles.append(fix.title)
            assert not fix.safe
            new, _ = apply(text, [fix])
            b = run(new)
            assert f.code not in {g.code for g in b.findings}, (fix.title, new)
            assert f.code in {g.code for g in b.suppressed}
            assert {g.code for g in b.findings} - {"AGL901"} == {
                g.code for g in a.findings if g.code != f.code
            }
    assert titles == [
        "Suppress AGL200 on this line",
        "Suppress AGL200 in this file",
        "Suppress AGL105 on this line",
        "Suppress AGL105 in this file",
    ]
    # a finding inside a multi-line value, or on the opening `---`, only gets the file form
    a = run("---\nname: demo\ndescription: |\n  Reviews\n  caf\u00c3\u00a9\n---\nBody\n")
    moji = next(f for f in a.findings if f.code == "AGL105")
    assert [x.title for x in suppression_fixes(a, moji)] == ["Suppress AGL105 in this file"]
    a = run("---\nname: demo\n---\nBody\n")
    missing = next(f for f in a.findings if f.code == "AGL202")
    assert [x.title for x in suppression_fixes(a, missing)] == ["Suppress AGL202 in this file"]


def test_crlf_and_indent_kept() -> None:
    text = "---\r\nname: demo\r\ndescription: d\r\ntools:\r\n  - Raed\r\n---\r\nBody\r\n"
    a = run(text)
    bad = next(f for f in a.findings if f.code == "AGL401")
    fix = suppression_fixes(a, bad)[0]
    new, _ = apply(text, [fix])
    assert "\r\n  # agentls: ignore AGL401\r\n  - Raed\r\n" in new
    assert "AGL401" not in {f.code for f in run(new).findings}


def test_remove_unused_fix_is_safe() -> None:
    text = HEAD + "# agentls: ignore AGL200 -- stale\nmodel: sonnet\n---\nBody\n"
    a = run(text)
    (fix,) = fixes_for(a)
    assert fix.safe and fix.title == "Remove the unused suppression"
    new, n = apply(text, [fix])
    assert n == 1 and new == HEAD + "model: sonnet\n---\nBody\n"
    assert run(new).findings == ()


def test_parse_without_the_word_is_free() -> None:
    assert parse(run(HEAD + "---\nBody\n")) == ((), [])
