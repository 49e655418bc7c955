"""The CLI contract (design.md §4), run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentls", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=60,
    )


def agent(tmp: Path, name: str, content: str | bytes) -> Path:
    d = tmp / ".claude" / "agents"
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, "utf-8", newline="")
    return p


def test_text_format_and_exit_codes(tmp_path: Path) -> None:
    agent(tmp_path, "good.md", "---\nname: good\ndescription: d\n---\nbody\n")
    r = cli("check", str(tmp_path))
    assert r.returncode == 0 and r.stdout == ""
    assert "1 file checked, no problems" in r.stderr
    agent(tmp_path, "bad.md", "---\nname: bad\ndescription: d\nname: again\n---\n")
    (tmp_path / "README.md").write_text("---\nnot: [an agent\n---\n")
    r = cli("check", "--claude-version", "2.1.112", str(tmp_path))  # repeated keys: an error
    assert r.returncode == 1
    line = r.stdout.splitlines()[0]
    assert line.endswith("bad.md:4:1: error AGL013 " + line.split(" AGL013 ", 1)[1])
    assert "README" not in r.stdout


def test_json_positions_are_utf16(tmp_path: Path) -> None:
    p = agent(tmp_path, "e.md", '---\n{name: "🚀", description: d, model: gpt-4}\n---\n')
    r = cli("check", "--format", "json", str(p))
    data = json.loads(r.stdout)
    model = next(d for d in data if d["code"] == "AGL306")
    assert model["range"] == {
        "start": {"line": 1, "character": 36},
        "end": {"line": 1, "character": 41},
    }
    assert model["severity"] == "information" and model["source"] == "agentls"
    assert model["path"] == str(p)


def test_sarif(tmp_path: Path) -> None:
    p = agent(tmp_path, "s.md", "---\nname: s\ndescription: d\ncolor: teal\n---\n")
    sarif = json.loads(cli("check", "--format", "sarif", str(p)).stdout)
    assert sarif["version"] == "2.1.0"
    res = sarif["runs"][0]["results"][0]
    assert res["ruleId"] == "AGL301" and res["level"] == "warning"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "AGL301"


def test_usage_and_io_errors(tmp_path: Path) -> None:
    assert cli("check", str(tmp_path / "missing")).returncode == 2
    assert cli("check", "--claude-version", "nope", str(tmp_path)).returncode == 2
    assert cli("check", "--severity", "AGL999=error", str(tmp_path)).returncode == 2
    assert cli().returncode == 2


def test_invalid_utf8_on_disk(tmp_path: Path) -> None:
    p = agent(tmp_path, "u.md", b"---\nname: u\ndescription: caf\xe9 \xff\n---\n")
    r = cli("check", "--format", "json", str(p))
    data = json.loads(r.stdout)
    assert [d["code"] for d in data] == ["AGL104", "AGL104"]
    assert data[0]["range"]["start"] == {"line": 2, "character": 16}


def test_crlf_file_on_disk(tmp_path: Path) -> None:
    p = agent(tmp_path, "c.md", "---\r\nname: c\r\ndescription: Use when: asked\r\n---\r\n")
    r = cli("check", str(p))
    assert r.returncode == 1 and "AGL011" in r.stdout


def test_severity_override_and_version(tmp_path: Path) -> None:
    p = agent(tmp_path, "v.md", "---\nname: v\ndescription: Use when: asked\n---\n")
    # Claude Code loads it through its retry; Copilot CLI, which reads .claude/agents too, not
    assert cli("check", str(p)).returncode == 1
    assert cli("check", "--targets", "claude-code", str(p)).returncode == 0
    assert (
        cli("check", "--targets", "claude-code", "--claude-version", "2.1.50", str(p)).returncode
        == 1
    )
    r = cli("check", "--severity", "AGL100=off", "--targets", "claude-code", str(p))
    assert r.returncode == 0 and r.stdout.count("\n") == 1  # Copilot CLI's: information
    assert "information AGL019" in r.stdout
    r = cli("check", "--severity", "AGL100=off", str(p))  # Copilot CLI's own code remains
    assert r.stdout.count("\n") == 1 and "error AGL019" in r.stdout
    r = cli("check", "--targets", "nope", str(p))
    assert r.returncode == 2 and "unknown runtime 'nope'" in r.stderr


def test_check_path_never_imports_pygls(tmp_path: Path) -> None:
    agent(tmp_path, "x.md", "---\nname: x\ndescription: d\n---\n")
    code = (
        "import sys; from agentls.cli import main; rc = main(['check', sys.argv[1]]); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', "
        "'pydantic', 'cattrs')]; print(bad); sys.exit(1 if bad else rc)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_explain(tmp_path: Path) -> None:
    r = cli("explain", "examples/.claude/agents/senior-backend-expert.md")
    assert r.returncode == 1  # Copilot CLI drops it
    assert "loads it only through its quoting retry" in r.stdout
    assert "    | <example>" in r.stdout
    assert "\n  Copilot CLI 1.0.102: skipped\n    line 3: AGL019" in r.stdout
    r = cli(
        "explain", "--targets", "claude-code", "examples/.claude/agents/senior-backend-expert.md"
    )
    assert r.returncode == 0
    doc = json.loads(
        cli(
            "explain", "--format", "json", "examples/.claude/agents/senior-backend-expert.md"
        ).stdout
    )
    assert [(x["runtime"], x["verdict"]) for x in doc["runtimes"]] == [
        ("claude-code", "loads"),
        ("copilot-cli", "skipped"),
        ("vscode", "loads"),
    ]


def test_every_invalid_byte_is_reported_and_severity_applies(tmp_path: Path) -> None:
    p = agent(tmp_path, "w.md", b"---\nname: w\ndescription: caf\xe9\n---\nbody \xff\xfe ok\n")
    data = json.loads(cli("check", "--format", "json", str(p)).stdout)
    assert [(d["code"], d["range"]["start"]["line"]) for d in data] == [
        ("AGL104", 2),
        ("AGL104", 4),
        ("AGL104", 4),
    ]
    r = cli("check", "--severity", "AGL104=off", str(p))
    assert r.stdout == "" and r.returncode == 0
    r = cli("check", "--severity", "AGL104=error", str(p))
    assert r.returncode == 1


def test_suppressions_and_no_suppressions(tmp_path: Path) -> None:
    agent(
        tmp_path,
        "s.md",
        "---\nname: s\ndescription: d\n# agentls: ignore AGL200 -- read by our tooling\n"
        "x-team: a\n# agentls: ignore AGL301 -- stale\nmodel: sonnet\n---\n"
        "<!-- agentls-ignore-next-line AGL800 -- generated at build time -->\n"
        "See [the guide](missing.md).\n",
    )
    r = cli("check", "--format", "json", str(tmp_path))
    found = [(d["code"], d["range"]["start"]["line"]) for d in json.loads(r.stdout)]
    assert found == [("AGL900", 5)], r.stdout  # AGL200 and AGL800 suppressed, one stale
    assert r.returncode == 0
    r = cli("check", "--format", "json", "--no-suppressions", str(tmp_path))
    found = [(d["code"], d["range"]["start"]["line"]) for d in json.loads(r.stdout)]
    assert found == [("AGL200", 4), ("AGL800", 9)], r.stdout
    # without the workspace checks, a suppression of AGL800 is not judged
    r = cli("check", "--format", "json", "--no-workspace", str(tmp_path))
    assert [d["code"] for d in json.loads(r.stdout)] == ["AGL900"], r.stdout


def test_a_broken_installation_fails_loudly(tmp_path: Path) -> None:
    """A package without one of its catalogues cannot check that dialect: `check` says so and
    exits 2, never "no problems" with exit 0."""
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "server" / "agentls", pkg / "agentls")
    (pkg / "agentls" / "core" / "catalog" / "claude-agent.json").unlink()
    target = agent(tmp_path, "a.md", "---\nname: a\ndescription: d\n---\nbody\n")
    r = subprocess.run(
        [sys.executable, "-m", "agentls", "check", "--no-config", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(pkg), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "claude-agent.json" in r.stderr and "reinstall" in r.stderr
    assert "no problems" not in r.stdout + r.stderr


def test_check_without_options_is_read_as_the_parser_reads_it() -> None:
    """`agentls check PATH...` skips argparse (5 ms of a pre-commit run): the same arguments."""
    from agentls.cli import parser, plain_check

    paths = ["a", "b/c.md"]
    assert vars(plain_check(paths)) == vars(parser().parse_args(["check", *paths]))
