"""The workspace index: names from front matter or paths, bounded scans."""

from __future__ import annotations

import os
from pathlib import Path

from agentls.core.dialects import detect
from agentls.core.workspace import Index, entity


def test_names_from_front_matter_or_path() -> None:
    m = detect(".claude/agents/a.md")
    assert m is not None
    e = entity(".claude/agents/a.md", "---\nname: 'code-reviewer'  # x\n---\n", m)
    assert e is not None and (e.name, e.kind, e.line, e.column) == ("code-reviewer", "agent", 1, 7)
    s = detect(".claude/skills/pdf/SKILL.md")
    assert s is not None
    e = entity(".claude/skills/pdf/SKILL.md", "---\ndescription: d\n---\n", s)
    assert e is not None and (e.name, e.kind) == ("pdf", "skill")
    p = detect("x/fix.prompt.md")
    assert p is not None and entity("x/fix.prompt.md", "no front matter", p) is not None


def test_scan_skips_ignored_and_symlinked_folders(tmp_path: Path) -> None:
    (tmp_path / ".claude/agents").mkdir(parents=True)
    (tmp_path / ".claude/agents/a.md").write_text("---\nname: a\n---\n")
    (tmp_path / "node_modules/.claude/agents").mkdir(parents=True)
    (tmp_path / "node_modules/.claude/agents/b.md").write_text("---\nname: b\n---\n")
    os.symlink(tmp_path, tmp_path / "loop")  # a symlink loop must not be followed
    ix = Index()
    assert ix.scan(str(tmp_path)) == 1
    assert [e.name for e in ix.search("")] == ["a"]
    ix.update(str(tmp_path / ".claude/agents/a.md"), None, None)
    assert ix.search("") == []
