"""`agentls explain` (text and --format json), run as a real subprocess: one verdict, derived
from the findings `check` reports, so the two cannot disagree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = re.compile(r"\bskip(s|ped)?\b|treats (this|the) file as documentation", re.I)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentls", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=60,
    )


def write(tmp: Path, rel: str, text: str) -> Path:
    p = tmp / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, "utf-8", newline="")
    return p


def explain(p: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    r = cli("explain", "--format", "json", *extra, str(p))
    assert r.stderr == ""
    return r.returncode, json.loads(r.stdout)


AGENTS = {
    "good.md": "---\nname: good\ndescription: Reviews code\\nthoroughly\ntools: Read, Grep\n"
    "model: sonnet\n---\nYou review.\n",
    "unknown-tool.md": "---\nname: ut\ndescription: d\ntools: Read, Frobnicate\n---\nBody\n",
    "no-tool.md": "---\nname: nt\ndescription: d\ntools: Frobnicate\n---\nBody\n",
    "no-description.md": "---\nname: nd\n---\nBody\n",
    "dash-name.md": "---\nname: -bad\ndescription: d\n---\nBody\n",
    "unknown-key.md": "---\nname: uk\ndescription: d\ncolour: red\n---\nBody\n",
    "no-front-matter.md": "Just text.\n",
}


def test_agent_json(tmp_path: Path) -> None:
    p = write(tmp_path, ".claude/agents/good.md", AGENTS["good.md"])
    rc, v = explain(p)
    assert rc == 0
    assert v["runtime"] == "claude-code" and v["version"] == "2.1.332"
    assert (v["kind"], v["verdict"], v["parse"]) == ("agent", "loads", "strict")
    assert v["name"] == "good"
    assert v["description"] == "Reviews code\nthoroughly"
    assert v["tools"] == {"written": ["Read", "Grep"], "ignored": []}
    assert v["model"] == "sonnet"
    assert v["reasons"] == [] and v["dropped"] == []


def test_agent_verdicts(tmp_path: Path) -> None:
    _, v = explain(write(tmp_path, ".claude/agents/ut.md", AGENTS["unknown-tool.md"]))
    assert v["verdict"] == "loads with values dropped"
    assert [(d["code"], d["key"]) for d in v["dropped"]] == [("AGL401", "tools")]
    assert v["tools"]["ignored"] == ["Frobnicate"]
    rc, v = explain(write(tmp_path, ".claude/agents/nt.md", AGENTS["no-tool.md"]))
    assert (rc, v["verdict"]) == (1, "refused at launch")
    assert [r["code"] for r in v["reasons"]] == ["AGL402"]
    rc, v = explain(write(tmp_path, ".claude/agents/dash.md", AGENTS["dash-name.md"]))
    assert (rc, v["verdict"]) == (1, "skipped")
    assert v["description"] is None and v["name"] is None
    # an older version, before the gate, loads the same file
    _, v = explain(tmp_path / ".claude/agents/dash.md", "--claude-version", "2.1.150")
    assert v["verdict"] != "skipped"
    _, v = explain(write(tmp_path, ".claude/agents/uk.md", AGENTS["unknown-key.md"]))
    assert v["verdict"] == "loads with values dropped"
    assert [(d["code"], d["key"]) for d in v["dropped"]] == [("AGL200", "colour")]


@pytest.mark.parametrize("name", sorted(AGENTS))
def test_check_and_explain_agree(tmp_path: Path, name: str) -> None:
    p = write(tmp_path, f".claude/agents/{name}", AGENTS[name])
    r = cli("check", "--format", "json", str(p))
    errors = [d for d in json.loads(r.stdout) if d["severity"] == "error"]
    rc, v = explain(p)
    skipped = any(SKIP.search(d["message"]) for d in errors) or any(
        d["code"] == "AGL201" for d in json.loads(r.stdout)
    )
    assert (v["verdict"] == "skipped") == skipped
    assert rc == r.returncode  # exit 1 exactly when check reports an error
    if errors:
        assert v["verdict"] != "loads"


def test_skill_and_command(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        ".claude/skills/pdf/SKILL.md",
        "---\nname: pdf-tables\ndescription: |\n  Extracts <tables>\n  fast\n"
        "when_to_use: tables\n---\n# PDF\n",
    )
    rc, v = explain(p)
    assert rc == 0 and v["kind"] == "skill" and v["verdict"] == "loads"
    assert (v["name"], v["display_name"]) == ("pdf", "pdf-tables")
    assert v["description"] == "Extracts &lt;tables&gt; fast - tables"
    assert v["tools"] is None
    p = write(tmp_path, ".claude/commands/ops/deploy.md", "---\ndescription: ''\n---\n# Deploy\n")
    _, v = explain(p)
    assert (v["kind"], v["name"], v["description"]) == ("command", "ops:deploy", "Deploy")
    # invalid YAML: the command loads without its metadata, listed under its body
    p = write(tmp_path, ".claude/commands/bad.md", "---\ndescription: - x\n---\nRun it.\n")
    _, v = explain(p)
    assert v["verdict"] == "loads with values dropped" and v["description"] == "Run it."


def test_not_an_agent_file(tmp_path: Path) -> None:
    p = write(tmp_path, "notes/readme.md", "# Notes\n")
    rc, v = explain(p)
    assert rc == 0 and v["verdict"] is None and v["dialect"] is None


def test_text_form_renders_the_same_verdict(tmp_path: Path) -> None:
    p = write(tmp_path, ".claude/agents/dash.md", AGENTS["dash-name.md"])
    r = cli("explain", str(p))
    assert r.returncode == 1
    assert "  verdict: skipped\n" in r.stdout and "AGL302" in r.stdout
    p = write(tmp_path, ".claude/skills/pdf/SKILL.md", "---\nname: pdf\n---\n# PDF tables\n")
    r = cli("explain", str(p))
    assert "  verdict: loads\n" in r.stdout
    assert "description, as the skill listing shows it:\n    | PDF tables\n" in r.stdout


def test_other_dialects_name_their_own_tool(tmp_path: Path) -> None:
    p = write(tmp_path, ".github/agents/x.agent.md", "---\nname: x\ndescription: d\nfoo: 1\n---\n")
    _, v = explain(p)
    assert v["runtime"] == "VS Code" and v["kind"] is None
    assert v["verdict"] == "loads with values dropped"
    r = cli("explain", str(p))
    assert "read by VS Code" in r.stdout and "Claude Code" not in r.stdout
