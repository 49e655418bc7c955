"""The config file (agentls.core.config): discovery, merging with editor/CLI settings, errors with
their line, exclude globs; and `agentls check` reading it, as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentls.core.config import CONFIG_NAMES, Finder, Locator, excluded, merge, read, settings_for
from agentls.core.findings import Severity
from agentls.core.versions import CLAUDE_LATEST, Version

ROOT = Path(__file__).resolve().parents[2]
NO_DESCRIPTION = "---\nname: a\n---\nbody\n"  # AGL202, an error


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


# --- discovery ---------------------------------------------------------------------------------


def test_nearest_config_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "agentls.toml", 'targets = ["claude-code"]\n')
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "a"\n')  # not ours: skipped
    write(tmp_path / "a" / "b" / "pyproject.toml", '[tool.agentls]\ntargets = ["vscode"]\n')
    f = Finder()
    file = tmp_path / "a" / "b" / "c" / ".claude" / "agents" / "x.md"
    config = f.find(str(file))
    assert config is not None and config.path == str(tmp_path / "a" / "b" / "pyproject.toml")
    assert config.raw == {"targets": ["vscode"]}
    config = f.find(str(tmp_path / "a" / "x.md"))
    assert config is not None and config.path == str(tmp_path / "agentls.toml")


def test_one_folder_prefers_dot_agentls_then_agentls_then_pyproject(tmp_path: Path) -> None:
    assert CONFIG_NAMES == (".agentls.toml", "agentls.toml", "pyproject.toml")
    for name in reversed(CONFIG_NAMES):
        table = "[tool.agentls]\n" if name == "pyproject.toml" else ""
        write(tmp_path / name, f'{table}targets = ["{name}"]\n')
        config = Finder().find(str(tmp_path / "x.md"))
        assert config is not None and config.path == str(tmp_path / name)


def test_finder_rereads_a_changed_file_and_sees_a_removed_one(tmp_path: Path) -> None:
    cfg = write(tmp_path / "agentls.toml", "[severity]\nAGL202 = 'off'\n")
    f = Finder()
    first = f.find(str(tmp_path / "x.md"))
    assert first is not None and f.find(str(tmp_path / "x.md")) is first  # read once
    cfg.write_text("[severity]\nAGL202 = 'warning'\n", "utf-8")
    st = cfg.stat()
    os.utime(cfg, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = f.find(str(tmp_path / "x.md"))
    assert second is not None and second.raw == {"severity": {"AGL202": "warning"}}
    cfg.unlink()
    assert f.find(str(tmp_path / "x.md")) is None or f.find(str(tmp_path / "x.md")) != second


# --- merging -----------------------------------------------------------------------------------


def test_config_values_become_settings(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "agentls.toml",
        'targets = ["claude-code"]\nexclude = ["vendor"]\n\n[claudeCode]\nversion = "2.1.50"\n\n'
        '[severity]\nAGL202 = "warning"\nAGL105 = "off"\n\n'
        "[dialects.vscode-prompt]\nenabled = false\n\n"
        '[dialects.claude-agent]\npatterns = ["**/ai/agents/*.md"]\n',
    )
    config = read(str(cfg))
    assert config is not None and config.problems == ()
    s = settings_for(config, None)
    assert s.claude_version == Version.parse("2.1.50")
    assert s.severity == {"AGL202": Severity.WARNING, "AGL105": None}
    assert s.disabled == frozenset({"vscode-prompt"})
    assert s.patterns == {"claude-agent": ("**/ai/agents/*.md",)}
    assert s.targets == frozenset({"claude-code"})
    assert config.exclude == ("vendor",)


def test_editor_settings_win_only_where_set() -> None:
    base = {
        "claudeCode": {"version": "2.1.50"},
        "severity": {"AGL202": "warning", "AGL105": "off"},
        "dialects": {"claude-agent": {"patterns": ["a/*.md"]}, "vscode-prompt": {"enabled": False}},
        "targets": ["claude-code"],
    }
    # what VS Code sends when nothing is set: its defaults, which override nothing
    vscode_defaults = {
        "agentls": {"claudeCode": {"version": ""}, "severity": {}, "dialects": {}, "targets": []}
    }
    assert merge(base, vscode_defaults) == merge(base, None)
    merged = merge(
        base,
        {
            "severity": {"AGL105": "hint"},
            "dialects": {"claude-agent": {"enabled": False}},
            "claudeCode.version": "latest",
        },
    )
    assert merged == {
        "claudeCode.version": "latest",
        "severity": {"AGL202": "warning", "AGL105": "hint"},
        "dialects": {
            "claude-agent": {"patterns": ["a/*.md"], "enabled": False},
            "vscode-prompt": {"enabled": False},
        },
        "targets": ["claude-code"],
    }


# --- errors, with their line -------------------------------------------------------------------

BAD = """\
[project]
name = "x"

[tool.agentls]
targets = ["claude-code", "nope"]
exclude = 3
sevrity = 1

[tool.agentls.claudeCode]
version = "abc"

[tool.agentls.severity]
AGL999 = "off"
AGL200 = "loud"

[tool.agentls.dialects]
vscode-prompt = { enabled = false, patterns = 3 }
bogus = {}
"""


def test_every_bad_value_is_reported_with_its_line(tmp_path: Path) -> None:
    config = read(str(write(tmp_path / "pyproject.toml", BAD)))
    assert config is not None
    got = [(p.line, p.message.split(" (")[0]) for p in config.problems]
    assert got == [
        (5, "targets: unknown runtime 'nope'"),
        (6, "exclude must be a list of glob strings"),
        (7, "unknown key 'sevrity'"),
        (10, "claudeCode.version: not a version: 'abc'"),
        (13, "severity: unknown code 'AGL999'"),
        (14, "severity.AGL200: 'loud' is not error|warning|information|hint|off"),
        (17, "dialects.vscode-prompt.patterns must be a list of glob strings"),
        (18, "dialects: unknown dialect 'bogus'"),
    ]
    assert all(
        str(p).startswith(f"{tmp_path / 'pyproject.toml'}:{p.line}: ") for p in config.problems
    )
    # the good values still count; the bad ones keep their default
    s = settings_for(config, None)
    assert s.claude_version == CLAUDE_LATEST and s.targets == frozenset({"claude-code"})
    assert s.disabled == frozenset({"vscode-prompt"})


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    config = read(str(write(tmp_path / "agentls.toml", 'targets = ["vscode"]\nseverity = {\n')))
    assert config is not None and len(config.problems) == 1
    assert config.problems[0].line == 2 and config.raw == {}
    # somebody else's broken pyproject.toml without our table is not ours to report
    assert read(str(write(tmp_path / "pyproject.toml", "[project\n"))) is None


def test_locator_finds_dotted_keys_and_inline_tables() -> None:
    text = (
        "[tool.agentls]\n"
        'claudeCode.version = "x"\n'
        'severity = { AGL200 = "loud" }\n'
        "[tool.agentls.dialects.claude-agent]\n"
        "patterns = 3\n"
    )
    at = Locator(text, ("tool", "agentls"))
    assert at(("claudeCode", "version")) == 2
    assert at(("severity", "AGL200")) == 3
    assert at(("dialects", "claude-agent", "patterns")) == 5
    assert at(("dialects", "claude-agent")) == 4
    assert at(("targets",)) == 1  # not written: the table's header


# --- exclude -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("vendor", "vendor/.claude/agents/a.md", True),
        ("vendor/", "vendor/x/a.md", True),
        ("vendor/**", "vendor/x/a.md", True),
        ("vendor", "src/vendor/a.md", True),  # no "/": at any depth, as .gitignore
        ("./vendor", "src/vendor/a.md", False),
        ("*.draft.md", "a/b/c.draft.md", True),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "src/docs/a.md", False),
        ("**/old/*", "x/old/a.md", True),
        ("vendor", "vendors/a.md", False),
    ],
)
def test_exclude_globs(tmp_path: Path, glob: str, path: str, hit: bool) -> None:
    assert excluded(str(tmp_path / path), str(tmp_path), [glob]) is hit


def test_exclude_never_reaches_outside_the_config_folder(tmp_path: Path) -> None:
    assert not excluded(str(tmp_path / "a.md"), str(tmp_path / "sub"), ["*"])


# --- the CLI -----------------------------------------------------------------------------------


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentls", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT / "server")},
    )


def test_check_reads_the_config_and_flags_override_it(tmp_path: Path) -> None:
    write(tmp_path / ".claude" / "agents" / "a.md", NO_DESCRIPTION)
    write(tmp_path / "vendor" / ".claude" / "agents" / "b.md", NO_DESCRIPTION)
    write(
        tmp_path / "pyproject.toml",
        '[tool.agentls]\nexclude = ["vendor"]\ntargets = ["claude-code"]\n\n'
        '[tool.agentls.severity]\nAGL202 = "warning"\n',
    )
    r = cli("check", "--no-workspace", "--format", "json", ".", cwd=tmp_path)
    found = json.loads(r.stdout)
    assert {d["path"] for d in found} == {os.path.join(".", ".claude", "agents", "a.md")}
    assert next(d for d in found if d["code"] == "AGL202")["severity"] == "warning"
    assert r.returncode == 0, r.stderr  # no error left
    # an excluded file stays excluded when it is named (as pre-commit names files)
    r = cli(
        "check", "--no-workspace", "--format", "json", "vendor/.claude/agents/b.md", cwd=tmp_path
    )
    assert json.loads(r.stdout) == [] and r.returncode == 0
    # the command line wins
    r = cli("check", "--no-workspace", "--severity", "AGL202=error", ".", cwd=tmp_path)
    assert r.returncode == 1 and "error AGL202" in r.stdout
    # --no-config: as if there were none
    r = cli("check", "--no-workspace", "--no-config", ".", cwd=tmp_path)
    assert r.returncode == 1 and "b.md" in r.stdout


def test_check_reports_a_bad_config_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / ".claude" / "agents" / "a.md", "---\nname: a\ndescription: d\n---\nbody\n")
    cfg = write(tmp_path / "agentls.toml", '[severity]\nAGL202 = "loud"\n')
    r = cli("check", "--no-workspace", ".", cwd=tmp_path)
    assert r.returncode == 2
    assert f"agentls: {cfg}:2: severity.AGL202: 'loud' is not" in r.stderr
    assert r.stderr.count("'loud'") == 1  # once, however many files it configures


def test_finder_lookup_is_cheap(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*"abcdefghij")
    deep.mkdir(parents=True)
    write(tmp_path / "agentls.toml", "targets = []\n")
    f = Finder()
    start = time.perf_counter()
    for _ in range(200):
        assert f.find(str(deep / "x.md")) is not None
    assert time.perf_counter() - start < 1.0  # ~33 stat calls each


# --- the JSON Schema (schemas/agentls-config.schema.json, for Even Better TOML) ----------------


def test_schema_accepts_what_the_config_accepts_and_rejects_the_rest(tmp_path: Path) -> None:
    import jsonschema

    from agentls.core.config import KEYS, tomllib
    from agentls.schemas import config_schema

    schema = config_schema()
    assert tuple(schema["properties"]) == KEYS
    validator = jsonschema.Draft7Validator(schema)
    good = write(
        tmp_path / "agentls.toml",
        'targets = ["claude-code", "vscode"]\nexclude = ["vendor"]\n\n[claudeCode]\n'
        'version = "2.1.50"\n\n[severity]\nAGL202 = "off"\n\n'
        '[dialects.claude-agent]\nenabled = true\npatterns = ["ai/*.md"]\n',
    )
    config = read(str(good))
    assert config is not None and config.problems == ()
    assert list(validator.iter_errors({**config.raw, "exclude": list(config.exclude)})) == []
    bad = read(str(write(tmp_path / "pyproject.toml", BAD)))
    assert bad is not None
    table = tomllib.loads(BAD)["tool"]["agentls"]
    paths = {tuple(e.absolute_path) for e in validator.iter_errors(table)}
    assert paths >= {
        ("targets", 1),
        ("exclude",),
        (),  # sevrity
        ("claudeCode", "version"),
        ("severity",),  # AGL999
        ("severity", "AGL200"),
        ("dialects", "vscode-prompt", "patterns"),
        ("dialects",),  # bogus
    }, paths


def test_the_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("# agentls.toml (in pyproject.toml")
    example = readme[start : readme.index("```", start)]
    config = read(str(write(tmp_path / "agentls.toml", example)))
    assert config is not None and config.problems == ()
    assert config.exclude and settings_for(config, None).targets


def test_a_fixed_finder_looks_at_each_folder_once(tmp_path: Path) -> None:
    write(tmp_path / "agentls.toml", "targets = []\n")
    f = Finder(fixed=True)
    a = f.find(str(tmp_path / "a" / "b" / "x.md"))
    write(tmp_path / "a" / "agentls.toml", "targets = []\n")  # not seen by this finder
    assert f.find(str(tmp_path / "a" / "b" / "y.md")) is a is not None
    assert f.find(str(tmp_path / "a" / "z.md")) is a
    assert Finder().find(str(tmp_path / "a" / "z.md")).path == str(tmp_path / "a" / "agentls.toml")  # type: ignore[union-attr]


def test_explain_reads_the_config(tmp_path: Path) -> None:
    write(tmp_path / ".claude" / "agents" / "a.md", "---\nname: a\ndescription: d\n---\nbody\n")
    write(tmp_path / "agentls.toml", '[claudeCode]\nversion = "2.0.76"\n')
    r = cli("explain", ".claude/agents/a.md", cwd=tmp_path)
    assert "emulating Claude Code 2.0.76" in r.stdout, r.stdout + r.stderr
    r = cli("explain", "--no-config", ".claude/agents/a.md", cwd=tmp_path)
    assert "2.0.76" not in r.stdout


def test_the_workspace_index_follows_a_configs_patterns(tmp_path: Path) -> None:
    """`check` on one file sees the agents a config's patterns add elsewhere in the project."""
    (tmp_path / ".git").mkdir()  # the project
    write(tmp_path / "ai" / "agents" / "a.md", "---\nname: a\ndescription: d\n---\nbody\n")
    write(tmp_path / "ai" / "agents" / "b.md", "---\nname: a\ndescription: e\n---\nbody\n")
    one = os.path.join("ai", "agents", "a.md")
    dup = ["--format", "json", "--dialect", "claude-agent", one]
    r = cli("check", *dup, cwd=tmp_path)
    assert "AGL802" not in {d["code"] for d in json.loads(r.stdout)}  # b.md is no agent
    write(tmp_path / "agentls.toml", '[dialects.claude-agent]\npatterns = ["ai/agents/*.md"]\n')
    r = cli("check", *dup, cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout) if d["code"] == "AGL802"] == [one]
    r = cli("check", "--no-config", *dup, cwd=tmp_path)
    assert "AGL802" not in {d["code"] for d in json.loads(r.stdout)}
