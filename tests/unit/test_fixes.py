"""Fixes: each repairs its finding, and the safe ones keep what the tool reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentls.cli import iter_files, read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.findings import Finding, Severity
from agentls.core.fixes import Edit, Fix, apply, fixes_for, select
from agentls.core.text import Span
from agentls.core.yamltree import to_data
from tests.helpers import doc

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def fix_all(a: Analysis, safe_only: bool = True) -> str:
    return apply(a.text, [f for f in fixes_for(a) if f.safe or not safe_only])[0]


@pytest.mark.parametrize("name", ["senior-backend-expert.md", "senior-backend-architect.md"])
def test_examples_round_trip(name: str) -> None:
    path = ROOT / "examples" / ".claude" / "agents" / name
    a = analyze(str(path), path.read_text("utf-8"))
    b = analyze(str(path), fix_all(a))
    assert {f.code for f in b.findings} == set()
    assert b.parse is not None and b.parse.mode == "strict"  # valid YAML for every tool now
    assert b.description() == a.description()  # the agent receives the same text


CASES = [
    # (path, front matter, code fixed, expected text after the fix)
    (
        ".claude/agents/a.md",
        'name: a\ndescription: Use when: "x" \\n y\n',
        "AGL100",
        'name: a\ndescription: "Use when: \\"x\\" \\\\n y"\n',
    ),
    (
        ".claude/agents/a.md",
        "name: a\ndescription: d\ntools: read\n",
        "AGL401",
        "name: a\ndescription: d\ntools: Read\n",
    ),
    (
        ".claude/agents/a.md",
        "name: a\ndescription: d\ntool: Read\n",
        "AGL200",
        "name: a\ndescription: d\ntools: Read\n",
    ),
    (
        ".claude/agents/a.md",
        "name: a\ndescription: d\ncolor: blu\n",
        "AGL301",
        "name: a\ndescription: d\ncolor: blue\n",
    ),
    (
        ".claude/agents/a.md",
        "name: a\ndescription: d\nname: b\n",
        "AGL013",
        "name: a\ndescription: d\n",
    ),
    (
        ".claude/commands/c.md",
        "description: d\nargument-hint: [pr]\n",
        "AGL706",
        'description: d\nargument-hint: "[pr]"\n',
    ),
    (
        ".cursor/rules/r.mdc",
        "description: d\nglobs: **/*.ts\n",
        "AGL705",
        'description: d\nglobs: "**/*.ts"\n',
    ),
    (
        ".github/prompts/p.prompt.md",
        "description: d\nmode: agent\n",
        "AGL207",
        "description: d\nagent: agent\n",
    ),
    (
        ".github/prompts/p.prompt.md",
        "description: d\nmode: agent\nagent: ask\n",
        "AGL207",
        "description: d\nagent: ask\n",
    ),
    (
        ".github/agents/a.agent.md",
        "description: d\nuser-invokable: false\n",
        "AGL207",
        "description: d\nuser-invocable: false\n",
    ),
    # formats.md §7.3: `infer: false` = `disable-model-invocation: true` (the latter wins)
    (
        ".github/agents/a.agent.md",
        "description: d\ninfer: false\n",
        "AGL207",
        "description: d\ndisable-model-invocation: true\n",
    ),
    (
        ".github/agents/a.agent.md",
        "description: d\ninfer: true\n",
        "AGL207",
        "description: d\ndisable-model-invocation: false\n",
    ),
    (
        ".github/agents/a.agent.md",
        "description: d\ninfer: false\ndisable-model-invocation: false\n",
        "AGL207",
        "description: d\ndisable-model-invocation: false\n",
    ),
    (
        ".opencode/agent/o.md",
        "description: d\nmaxSteps: 3\n",
        "AGL207",
        "description: d\nsteps: 3\n",
    ),
    # missing required keys: a placeholder line before the closing `---`
    (
        ".claude/agents/Code Reviewer_2.md",
        "tools: Read\ndescription: d\n",
        "AGL201",
        "tools: Read\ndescription: d\nname: code-reviewer-2\n",
    ),
    (
        ".claude/agents/a.md",
        "name: a\n",
        "AGL202",
        "name: a\ndescription: TODO describe what this agent does and when to use it\n",
    ),
    (
        "skills/pdf-tools/SKILL.md",
        "description: d\n",
        "AGL206",
        "description: d\nname: pdf-tools\n",
    ),
    (
        ".github/agents/a.md",
        "name: a\ntarget: github-copilot\n",
        "AGL206",
        "name: a\ntarget: github-copilot\n"
        "description: TODO describe what this agent does and when to use it\n",
    ),
    (
        ".gemini/agents/Log Reader.md",
        "description: d\n",
        "AGL206",
        "description: d\nname: log-reader\n",
    ),
    # a skill's `name` must equal its folder (§4.3)
    (
        "skills/pdf-tools/SKILL.md",
        "name: pdf\ndescription: d\n",
        "AGL700",
        "name: pdf-tools\ndescription: d\n",
    ),
]


@pytest.mark.parametrize(("path", "front", "code", "want"), CASES)
def test_each_fix(path: str, front: str, code: str, want: str) -> None:
    a = analyze(path, doc(front))
    fixes = [f for f in fixes_for(a) if f.finding.code == code]
    assert fixes, [f.code for f in a.findings]
    fixed, n = apply(a.text, fixes[:1])
    assert n == 1 and fixed == doc(want)
    assert code not in {f.code for f in analyze(path, fixed).findings}


def test_crlf_value_is_quoted_or_the_file_converted() -> None:
    a = analyze(
        ".claude/agents/a.md", doc("name: a\ndescription: Use when: asked\n").replace("\n", "\r\n")
    )
    titles = [f.title for f in fixes_for(a)]
    assert titles == ["Quote the value of `description`", "Convert the file to LF line endings"]
    for fix in fixes_for(a):
        b = analyze(".claude/agents/a.md", apply(a.text, [fix])[0])
        assert b.runtime_loaded and b.description() == "Use when: asked"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"regression corpus not found at {CORPUS}")
def test_corpus_round_trip_keeps_meaning() -> None:
    """Every corpus file: safe fixes remove their findings and keep the loaded values."""
    changed = 0
    for path, match in iter_files([str(CORPUS)], None):
        text, _ = read_text(path)
        a = analyze(path, text, dialect=match)
        safe = [f for f in fixes_for(a) if f.safe]
        if not safe:
            continue
        fixed, _ = apply(text, safe)
        b = analyze(path, fixed, dialect=match)
        changed += 1
        fixed_spans = {(f.finding.code, f.finding.span) for f in safe}
        assert not fixed_spans & {(f.code, f.span) for f in b.findings}, path
        # mojibake repairs change the text on purpose; deprecated keys are renamed to their
        # documented successors (same meaning, other key)
        rewritten = any(f.finding.code in ("AGL105", "AGL207") for f in safe)
        if a.runtime_loaded and not rewritten:
            assert to_data(b.root) == to_data(a.root), path
    assert changed > 0


def test_cli_fix_and_diff(tmp_path: Path) -> None:
    d = tmp_path / ".claude" / "agents"
    d.mkdir(parents=True)
    p = d / "x.md"
    p.write_text("---\nname: x\ndescription: Use when: asked\ntools: read\n---\n", "utf-8")
    run = [sys.executable, "-m", "agentls", "check"]
    diff = subprocess.run([*run, "--diff", str(p)], capture_output=True, text=True, timeout=60)
    assert '+description: "Use when: asked"' in diff.stdout and "+tools: Read" in diff.stdout
    assert "Use when: asked\n" in p.read_text("utf-8")  # --diff writes nothing
    r = subprocess.run([*run, "--fix", str(p)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == ""
    assert (
        p.read_text("utf-8") == '---\nname: x\ndescription: "Use when: asked"\ntools: Read\n---\n'
    )


def _fixes(a: Analysis, code: str) -> list[Fix]:
    return [f for f in fixes_for(a) if f.finding.code == code]


def test_placeholders_keep_crlf_and_load() -> None:
    path = ".claude/agents/a.md"
    a = analyze(path, "---\r\ntools: Read\r\n---\r\nBody\r\n")
    assert {f.code for f in a.findings} >= {"AGL201", "AGL202"}
    fixed, n = apply(a.text, _fixes(a, "AGL201") + _fixes(a, "AGL202"))
    assert n == 1  # both insert at the same place: one at a time
    fixed, _ = apply(fixed, _fixes(analyze(path, fixed), "AGL202"))
    assert fixed == (
        "---\r\ntools: Read\r\nname: a\r\n"
        "description: TODO describe what this agent does and when to use it\r\n---\r\nBody\r\n"
    )
    b = analyze(path, fixed)
    assert not {"AGL201", "AGL202"} & {f.code for f in b.findings}
    assert b.runtime_loaded and b.parse is not None and b.parse.mode == "strict"
    assert b.description() == "TODO describe what this agent does and when to use it"
    assert all(not f.safe for f in fixes_for(a))  # placeholders need the user's words


@pytest.mark.parametrize(
    ("path", "text", "code", "want"),
    [
        (
            ".claude/agents/x.md",
            "Notes\r\n",
            "AGL201",
            "---\r\nname: x\r\ndescription: TODO describe what this agent does and when to "
            "use it\r\n---\r\nNotes\r\n",
        ),
        (
            "skills/pdf/SKILL.md",
            "# PDF\n",
            "AGL206",
            "---\nname: pdf\ndescription: TODO describe what this skill does and when to use "
            "it\n---\n# PDF\n",
        ),
    ],
)
def test_whole_block_when_there_is_no_front_matter(
    path: str, text: str, code: str, want: str
) -> None:
    a = analyze(path, text)
    (fix,) = _fixes(a, code)
    assert fix.title == "Add front matter with `name` and `description`" and not fix.safe
    fixed, _ = apply(text, [fix])
    assert fixed == want
    assert analyze(path, fixed).findings == ()


def test_no_placeholder_where_it_would_not_be_clean() -> None:
    # an empty value is reported, but the key is there: a second line would repeat it
    a = analyze("skills/s/SKILL.md", doc("name: s\ndescription:\n"))
    assert "AGL206" in {f.code for f in a.findings} and not _fixes(a, "AGL206")
    # the block ends mid-line (Claude Code's first `---`): nowhere to put a line
    a = analyze(".claude/agents/a.md", "---\nname: a\ntools: a---b\nmore: x\n---\nBody\n")
    assert not _fixes(a, "AGL202")
    # a UTF-8 BOM before a file without front matter: not inserting around it
    assert not _fixes(analyze(".claude/agents/a.md", "\ufeffNotes\n"), "AGL201")
    # names that YAML would read as something else are quoted
    a = analyze(".claude/agents/yes.md", doc("description: d\n"))
    (fix,) = _fixes(a, "AGL201")
    assert fix.edits[0].text == 'name: "yes"\n'


def test_deprecated_keys_without_an_equivalent_are_not_rewritten() -> None:
    # `infer: all` (one validator revision): no documented `disable-model-invocation` value
    assert not _fixes(analyze(".github/agents/a.agent.md", doc("infer: all\n")), "AGL207")
    # OpenCode `tools` (map tool -> boolean) becomes `permission` (tool -> action): not a rename
    a = analyze(".opencode/agent/o.md", doc("description: d\ntools:\n  write: false\n"))
    assert "AGL207" in {f.code for f in a.findings} and not _fixes(a, "AGL207")
    # both keys set: the deprecated one is removed, safely only where the docs say which wins
    a = analyze(".github/prompts/p.prompt.md", doc("mode: agent\nagent: ask\n"))
    assert [f.safe for f in _fixes(a, "AGL207")] == [False]


def test_skill_name_or_folder() -> None:
    path = str(Path("/w/skills/pdf-tools/SKILL.md"))
    a = analyze(path, doc("name: pdf\ndescription: d\n"))
    name, folder = _fixes(a, "AGL700")
    assert name.title == "Change `name` to `pdf-tools`" and name.rename is None
    assert folder.title == "Rename the folder to `pdf`" and folder.edits == ()
    assert folder.rename == (str(Path("/w/skills/pdf-tools")), str(Path("/w/skills/pdf")))
    assert not name.safe and not folder.safe
    # an invalid name is not made a folder; a folder outside `skills/` is not renamed
    a = analyze("/w/skills/pdf-tools/SKILL.md", doc("name: PDF Tools\ndescription: d\n"))
    assert [f.title for f in _fixes(a, "AGL700")] == ["Change `name` to `pdf-tools`"]
    a = analyze("/w/pdf-tools/SKILL.md", doc("name: pdf\ndescription: d\n"))
    assert [f.title for f in _fixes(a, "AGL700")] == ["Change `name` to `pdf-tools`"]


@pytest.mark.parametrize(
    ("path", "title", "new"),
    [
        (
            "/w/.github/chatmodes/plan.chatmode.md",
            "Rename to `plan.agent.md` in `.github/agents/`",
            "/w/.github/agents/plan.agent.md",
        ),
        ("/w/modes/plan.chatmode.md", "Rename to `plan.agent.md`", "/w/modes/plan.agent.md"),
    ],
)
def test_chat_mode_becomes_an_agent(path: str, title: str, new: str) -> None:
    text = doc("description: Plans\ntools: [codebase]\nmodel: GPT-5 (copilot)\n")
    a = analyze(str(Path(path)), text)
    (fix,) = _fixes(a, "AGL703")
    assert fix.title == title and fix.rename == (str(Path(path)), str(Path(new)))
    assert fix.edits == () and not fix.safe
    # the keys mean the same in an agent: the renamed file has no new key findings
    b = analyze(str(Path(new)), text)
    assert b.dialect is not None and b.dialect.dialect == "vscode-agent"
    assert not {f.code for f in b.findings} & {"AGL200", "AGL206", "AGL703"}


def test_apply_never_renames() -> None:
    text = "---\nname: a\n---\n"
    f = Finding("AGL703", Severity.INFORMATION, Span(0, 3), "m")
    rename = Fix("Rename", (Edit(Span(4, 8), "nom"),), True, f, ("/a.md", "/b.md"))
    plain = Fix("Edit", (Edit(Span(10, 11), "b"),), True, f)
    assert select([rename, plain]) == [plain]
    assert apply(text, [rename]) == (text, 0)
    assert apply(text, [rename, plain]) == ("---\nname: b\n---\n", 1)


def test_cli_fix_never_renames(tmp_path: Path) -> None:
    mode = tmp_path / ".github" / "chatmodes" / "plan.chatmode.md"
    skill = tmp_path / "skills" / "pdf-tools" / "SKILL.md"
    for p, text in (
        (mode, "---\ndescription: Plans\n---\nPlan.\n"),
        (skill, "---\nname: pdf\ndescription: Fills forms\n---\nFill.\n"),
    ):
        p.parent.mkdir(parents=True)
        p.write_text(text, "utf-8")
    before = {p: p.read_text("utf-8") for p in (mode, skill)}
    run = [sys.executable, "-m", "agentls", "check", "--fix", str(tmp_path)]
    r = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "AGL700" in r.stdout and "AGL703" in r.stdout
    assert {p: p.read_text("utf-8") for p in (mode, skill)} == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == [
        ".github/chatmodes/plan.chatmode.md",
        "skills/pdf-tools/SKILL.md",
    ]
