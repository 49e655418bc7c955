"""`agentls check` output as people and CI read it (issue 12 §6), run as a real subprocess:
grouped text with carets on a terminal (a real pty), colour rules, `--format github`, and SARIF
validated against the SARIF 2.1.0 schema (vendored in tests/data/sarif: no network in tests)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from agentls import render
from agentls.core.text import LineIndex, Span
from tests.unit.test_cli import ROOT, agent, cli

SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
ESC = "\x1b["

BAD = "---\nname: Bad_Name\ndescription: d\ncolor: teal\ntool: Read\n---\nbody\n"


def env(**more: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    return {**e, "TERM": "xterm", **more}


def on_a_terminal(*args: str, cwd: Path, **environ: str) -> tuple[int, str]:
    """Run `agentls` with stdout on a pseudo-terminal (stderr too); what it wrote there."""
    master, slave = pty.openpty()
    p = subprocess.Popen(
        [sys.executable, "-m", "agentls", *args],
        cwd=cwd,
        stdout=slave,
        stderr=slave,
        env=env(**environ),
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            p.kill()
            raise AssertionError("no output in 30 s")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return p.wait(timeout=30), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_terminal_gets_grouped_findings_with_caret_and_colour(tmp_path: Path) -> None:
    agent(tmp_path, "bad.md", BAD)
    agent(tmp_path, "good.md", "---\nname: good\ndescription: d\n---\n")
    rc, shown = on_a_terminal("check", ".", cwd=tmp_path)
    assert rc == 0  # warnings only
    assert ESC in shown  # colour on a terminal
    plain = _strip(shown)
    path = os.path.join(".", ".claude", "agents", "bad.md")
    assert plain.startswith(path + "\n")
    assert "good.md" not in plain  # a file without findings gets no heading
    lines = plain.splitlines()
    at = next(i for i, ln in enumerate(lines) if "AGL301" in ln)
    assert lines[at].startswith("  4:8  warning  AGL301  `teal` is not a valid `color`")
    assert lines[at + 1] == "    4 | color: teal"
    assert lines[at + 2] == "      | " + " " * 7 + "^^^^"
    # the summary, with counts by severity, closes the run
    assert lines[-1] == "2 files checked: 3 warnings"

    rc, shown = on_a_terminal("check", ".", cwd=tmp_path, NO_COLOR="1")
    assert ESC not in shown and "    4 | color: teal" in shown
    rc, shown = on_a_terminal("check", "--color", "never", ".", cwd=tmp_path)
    assert ESC not in shown
    rc, shown = on_a_terminal("check", "--format", "concise", ".", cwd=tmp_path)
    assert (
        _strip(shown).splitlines()[0]
        == f"{path}:2:7: warning AGL303 " + (_strip(shown).splitlines()[0].split(" AGL303 ", 1)[1])
    )


def test_a_pipe_gets_one_line_a_finding_and_no_colour(tmp_path: Path) -> None:
    p = agent(tmp_path, "bad.md", BAD)
    r = subprocess.run(
        [sys.executable, "-m", "agentls", "check", str(p)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
    )
    assert ESC not in r.stdout + r.stderr
    assert [ln.split(": ", 1)[0] for ln in r.stdout.splitlines()] == [
        f"{p}:2:7",
        f"{p}:4:8",
        f"{p}:5:1",
    ]
    assert r.stderr == "1 file checked: 3 warnings\n"
    forced = cli("check", "--color", "always", str(p))
    assert f"{ESC}1;33mwarning{ESC}0m AGL301" in forced.stdout
    full = cli("check", "--format", "full", str(p))
    assert full.stdout.splitlines()[:4] == [
        str(p),
        "  2:7  warning  AGL303  " + full.stdout.splitlines()[1].split("  AGL303  ")[1],
        "    2 | name: Bad_Name",
        "      |       ^^^^^^^^",
    ]


def test_carets_under_wide_characters_tabs_and_long_lines() -> None:
    lines = LineIndex("a: 🚀界 x\n\tb: [y]\n" + "k: " + "z" * 300 + "END\n")
    assert render.snippet(lines, Span(6, 7)) == (0, "a: 🚀界 x", " " * 8 + "^")
    assert render.snippet(lines, Span(3, 5)) == (0, "a: 🚀界 x", "   ^^^^")
    tab = lines.line_start(1)
    assert render.snippet(lines, Span(tab + 4, tab + 7)) == (1, "    b: [y]", "       ^^^")
    assert render.snippet(lines, Span(tab + 1, tab + 1))[2] == "    ^"  # empty range: one caret
    end = lines.line_end(2)
    line, shown, caret = render.snippet(lines, Span(end - 3, end))
    assert line == 2 and shown.startswith("…") and shown.endswith("END")
    assert len(shown) <= render.WIDTH and caret == " " * (len(shown) - 3) + "^^^"
    # a range over several lines is marked to the end of its first line
    assert render.snippet(lines, Span(0, tab + 2))[2] == "^" * 9  # 🚀 and 界: two cells each


def test_control_characters_from_the_file_never_reach_the_terminal(tmp_path: Path) -> None:
    agent(tmp_path, "esc.md", "---\nname: esc\ndescription: d\ncolor: \x1b[2Jred\u202e\n---\n")
    _, shown = on_a_terminal("check", "--color", "never", ".", cwd=tmp_path)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "color: \ufffd[2Jred\ufffd" in shown


def test_github_workflow_commands(tmp_path: Path) -> None:
    d = tmp_path / ".claude" / "agents"
    d.mkdir(parents=True)
    (d / "a,b:c.md").write_text(BAD, "utf-8")
    r = cli("check", "--format", "github", ".", cwd=tmp_path)
    assert r.returncode == 0
    first = r.stdout.splitlines()[1]
    assert first.startswith(
        "::warning file=.claude/agents/a%2Cb%3Ac.md,line=4,col=8,endLine=4,endColumn=11,"
        "title=AGL301 (invalid-value)::`teal` is not a valid `color`"
    ), first
    assert r.stderr == "1 file checked: 3 warnings\n"
    sarif = json.loads(cli("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    where = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == ".claude/agents/a%2Cb%3Ac.md"
    bad = agent(tmp_path, "dup.md", "---\nname: x\ndescription: d\nname: y\n---\n")
    r = cli("check", "--format", "github", "--claude-version", "2.1.112", str(bad))
    assert r.returncode == 1 and r.stdout.startswith("::error file=")


def test_github_escaping_and_ranges_over_lines() -> None:
    d: dict[str, Any] = {
        "path": "x.md",
        "range": {"start": {"line": 0, "character": 2}, "end": {"line": 2, "character": 0}},
        "severity": "information",
        "code": "AGL999",
        "message": "100% sure\r\nnext: a,b",
    }
    assert render.github(d) == (
        "::notice file=x.md,line=1,endLine=3,title=AGL999::100%25 sure%0D%0Anext: a,b\n"
    )
    d["range"]["end"] = {"line": 0, "character": 2}  # empty: one column
    assert "col=3,endLine=1,endColumn=3," in render.github(d)


def test_github_paths_are_relative_to_the_workspace() -> None:
    ws = {"GITHUB_WORKSPACE": "/home/runner/work/p/p"}
    assert render.github_path("/home/runner/work/p/p/.claude/a.md", ws) == ".claude/a.md"
    assert render.github_path("./.claude/../x/a.md", ws) == "x/a.md"
    assert render.github_path("/elsewhere/a.md", ws) == "/elsewhere/a.md"
    assert render.github_path("/elsewhere/a.md", {}) == "/elsewhere/a.md"


def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme)


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(_uri)  # jsonschema checks "uri" only with rfc3987 installed
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=checker)


@pytest.mark.parametrize("target", ["examples", "empty"])
def test_sarif_is_valid_against_the_2_1_0_schema(target: str, tmp_path: Path) -> None:
    path = str(ROOT / "examples") if target == "examples" else str(tmp_path)
    doc = json.loads(cli("check", "--format", "sarif", path).stdout)
    validator = _validator()
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    if target == "examples":
        assert len(doc["runs"][0]["results"]) > 5
        doc["runs"][0]["results"][0]["level"] = "information"  # the validator does bite
        assert not validator.is_valid(doc)
        doc["runs"][0]["results"][0]["level"] = "note"
        doc["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md"
        assert not validator.is_valid(doc)


def _strip(s: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", s)
