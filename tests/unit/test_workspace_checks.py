"""Links, references and the checks that need other files (AGL800-AGL804), in process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentls.core.analysis import Analysis, analyze
from agentls.core.links import candidates, links_in, looks_like_file
from agentls.core.navigation import invalid_name, occurrences, path_renames, references_in
from agentls.core.workspace import Index, project_roots
from agentls.core.workspace_checks import Workspace, check


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")


def findings(root: Path, rel: str, index: Index | None = None) -> list[tuple[str, str, str]]:
    if index is None:
        index = Index()
        index.scan(str(root))
    path = str(root / rel)
    a = analyze(path, (root / rel).read_text("utf-8"))
    return [
        (f.code, f.severity.label, a.text[f.span.start : f.span.end])
        for f in check(a, Workspace(index))
    ]


def body(path: str, text: str) -> Analysis:
    return analyze(path, "---\ndescription: d\n---\n" + text)


def test_links_by_dialect_outside_code() -> None:
    text = (
        '[a](docs/a.md) ![i](<img/x y.png> "t") [u](https://x.io) [h](#top) [p](URL)\n'
        "`[c](code.md)` see user@example.com and @src/app.ts, #file:b.md\n"
        "[ref]: refs/r.md\n"
        "```\n[f](fenced.md) @fenced.md\n```\n"
    )
    prompt = body(".github/prompts/p.prompt.md", text)
    got = [(k.kind, k.target) for k in links_in(prompt)]
    assert got == [
        ("markdown", "docs/a.md"),
        ("markdown", "img/x y.png"),
        ("markdown", "URL"),
        ("file", "b.md"),
        ("markdown", "refs/r.md"),
    ]
    command = body(".claude/commands/c.md", text)
    assert [(k.kind, k.target) for k in links_in(command) if k.kind != "markdown"] == [
        ("include", "src/app.ts")
    ]
    agent = body(".claude/agents/a.md", text)
    assert {k.kind for k in links_in(agent)} == {"markdown"}
    (url_like,) = [k for k in links_in(prompt) if k.target == "URL"]
    assert not looks_like_file(url_like)  # `[text](URL)` is a placeholder


def test_candidates_resolve_from_the_file_then_the_roots() -> None:
    (md, f) = links_in(body("/w/.github/prompts/p.prompt.md", "[a](../x.md) #file:docs/y.md\n"))
    assert candidates(md, "/w/.github/prompts/p.prompt.md", ["/w"]) == ["/w/.github/x.md"]
    assert candidates(f, "/w/.github/prompts/p.prompt.md", ["/w"]) == [
        "/w/.github/prompts/docs/y.md",
        "/w/docs/y.md",
    ]


def test_missing_link_severity_follows_the_tool(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/prompts/p.prompt.md": "---\ndescription: d\n---\n[a](gone.md)\n",
            ".claude/skills/s/SKILL.md": "---\ndescription: d\n---\n[a](gone.md) @gone.txt @x/y\n",
        },
    )
    assert findings(tmp_path, ".github/prompts/p.prompt.md") == [("AGL800", "warning", "gone.md")]
    assert findings(tmp_path, ".claude/skills/s/SKILL.md") == [
        ("AGL800", "information", "gone.md"),
        ("AGL800", "information", "gone.txt"),  # `@x/y` has no extension: not a file for sure
    ]


AGENT = "---\nname: {name}\ndescription: d\n{extra}---\n"


def test_references_builtins_plugins_and_suggestions(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".claude/agents/a.md": AGENT.format(
                name="lead",
                extra=(
                    "tools: Agent(Explore, helper, helpr)\nskills: [pdf-forms, plug:skill, pdf]\n"
                ),
            ),
            ".claude/agents/h.md": AGENT.format(name="helper", extra=""),
            ".claude/skills/pdf/SKILL.md": "---\ndescription: d\n---\n",
        },
    )
    got = findings(tmp_path, ".claude/agents/a.md")
    assert got == [
        ("AGL801", "information", "helpr"),
        ("AGL801", "warning", "pdf-forms"),
    ]
    a = analyze(
        str(tmp_path / ".claude/agents/a.md"), (tmp_path / ".claude/agents/a.md").read_text()
    )
    assert [(r.name, r.builtin) for r in references_in(a)] == [
        ("Explore", True), ("helper", False), ("helpr", False),
        ("pdf-forms", False), ("plug:skill", False), ("pdf", False),
    ]  # fmt: skip
    index = Index()
    index.scan(str(tmp_path))
    index.ready = False  # a partial index reports nothing that needs the whole workspace
    assert findings(tmp_path, ".claude/agents/a.md", index) == []


def test_duplicates_and_shadowing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    ws = tmp_path / "ws"
    write(
        ws,
        {
            ".claude/agents/a.md": AGENT.format(name="rev", extra=""),
            ".claude/agents/deep/b.md": AGENT.format(name="rev", extra=""),
            "pkg/.claude/agents/c.md": AGENT.format(name="solo", extra=""),
            "pkg/a/.claude/agents/x.md": AGENT.format(name="twin", extra=""),
            "pkg/b/.claude/agents/x.md": AGENT.format(name="twin", extra=""),
            ".claude/agents/d.md": AGENT.format(name="solo", extra=""),
            ".claude/agents/e.md": AGENT.format(name="mine", extra=""),
            ".claude/commands/deploy.md": "---\ndescription: d\n---\n",
            ".claude/skills/deploy/SKILL.md": "---\ndescription: d\n---\n",
        },
    )
    write(home, {".claude/agents/mine.md": AGENT.format(name="mine", extra="")})
    index = Index([str(ws)])
    index.scan(str(ws))
    index.scan(str(home / ".claude/agents"))
    assert findings(ws, ".claude/agents/a.md", index) == [("AGL802", "warning", "rev")]
    assert findings(ws, ".claude/agents/deep/b.md", index) == [("AGL802", "warning", "rev")]
    assert findings(ws, "pkg/.claude/agents/c.md", index) == [("AGL803", "information", "solo")]
    assert findings(ws, "pkg/a/.claude/agents/x.md", index) == []  # siblings: never both seen
    assert findings(ws, ".claude/agents/e.md", index) == [("AGL803", "information", "mine")]
    assert findings(home, ".claude/agents/mine.md", index) == [("AGL803", "information", "mine")]
    assert findings(ws, ".claude/commands/deploy.md", index) == [("AGL803", "information", "---")]
    assert findings(ws, ".claude/skills/deploy/SKILL.md", index) == []


def test_mcp_servers(tmp_path: Path) -> None:
    tools = "tools: mcp__github__x, mcp__gh, mcp__own__y, mcp__claude_ai_Drive, mcp__plugin_p_s\n"
    own = "mcpServers:\n  - own\n"
    write(tmp_path, {".claude/agents/a.md": AGENT.format(name="a", extra=tools + own)})
    assert findings(tmp_path, ".claude/agents/a.md") == []  # no .mcp.json: nothing to check
    write(tmp_path, {".mcp.json": '{"mcpServers": {"github": {}}}'})
    got = findings(tmp_path, ".claude/agents/a.md")
    assert got == [("AGL804", "information", "gh")]
    write(tmp_path, {".mcp.json": "not json"})
    assert findings(tmp_path, ".claude/agents/a.md") == []  # unreadable: no guesses


def test_index_updates_keep_names_consistent(tmp_path: Path) -> None:
    write(tmp_path, {".claude/skills/pdf/SKILL.md": "---\ndescription: d\n---\n"})
    index = Index()
    index.scan(str(tmp_path))
    assert [e.name for e in index.named("pdf")] == ["pdf"]
    skill = str(tmp_path / ".claude/skills/pdf/SKILL.md")
    from agentls.core.dialects import detect

    m = detect(skill)
    assert index.update(skill, "---\nname: pdf2\ndescription: d\n---\n", m)
    assert index.named("pdf") == [] and [e.path for e in index.named("pdf2")] == [skill]
    assert not index.update(skill, "---\nname: pdf2\ndescription: d\n---\n", m)
    assert index.remove_under(str(tmp_path / ".claude/skills"))
    assert index.named("pdf2") == [] and index.by_path == {}
    assert index.update(str(tmp_path / ".mcp.json"), '{"mcpServers": {"a": {}}}', None)
    assert index.mcp_names() == {"a"}


def test_occurrences_and_renames(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".claude/agents/a.md": AGENT.format(name="lead", extra="skills:\n  - pdf\n"),
            ".claude/skills/pdf/SKILL.md": "---\nname: pdf\ndescription: d\n---\n",
            ".github/agents/helper.agent.md": "---\ndescription: d\n---\n",
        },
    )
    index = Index()
    index.scan(str(tmp_path))

    def load(path: str) -> Analysis:
        return analyze(path, Path(path).read_text("utf-8"))

    occ = occurrences("pdf", ("skill",), index, load)
    assert sorted((os.path.basename(o.analysis.path or ""), o.declaration) for o in occ) == [
        ("SKILL.md", True), ("a.md", False),
    ]  # fmt: skip
    skills = index.named("pdf", ("skill",))
    assert path_renames(skills, "pdf", "pdf-tools") == [
        (str(tmp_path / ".claude/skills/pdf"), str(tmp_path / ".claude/skills/pdf-tools"))
    ]
    helper = index.named("helper", ("agent",))
    assert path_renames(helper, "helper", "aide") == [
        (
            str(tmp_path / ".github/agents/helper.agent.md"),
            str(tmp_path / ".github/agents/aide.agent.md"),
        )
    ]
    assert path_renames(index.named("lead"), "lead", "boss") == []  # the name is in the file
    assert invalid_name("ok-name") is None
    for bad in ("two words", "a:b", "-x", "", "a,b"):
        assert invalid_name(bad), bad


def test_project_roots(tmp_path: Path) -> None:
    (tmp_path / "repo/.git").mkdir(parents=True)
    (tmp_path / "repo/.claude/agents").mkdir(parents=True)
    (tmp_path / "loose").mkdir()
    roots = project_roots(
        [str(tmp_path / "repo/.claude/agents"), str(tmp_path / "repo"), str(tmp_path / "loose")]
    )
    assert roots == [str(tmp_path / "repo"), str(tmp_path / "loose")]  # nested: folded


def test_file_events_are_judged_inside_the_indexed_folders() -> None:
    index = Index(["/home/u/build/project"])  # a workspace may sit under a folder named build
    index.extra_roots = ["/home/u/.claude/agents"]
    assert not index.ignored("/home/u/build/project/.claude/agents/a.md")
    assert not index.ignored("/home/u/.claude/agents/a.md")
    assert index.ignored("/home/u/build/project/node_modules/x/.claude/agents/a.md")
    assert index.ignored("/elsewhere/.claude/agents/a.md")
