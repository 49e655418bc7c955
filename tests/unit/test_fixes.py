"""Fixes: each repairs its finding, and the safe ones keep what the tool reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentls.cli import iter_files, read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.fixes import apply, fixes_for
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
