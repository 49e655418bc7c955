"""What the model sees (issue 14) through the command line: AGL805-AGL807, `agentls context`,
`check --statistics`, `explain`, the config's `budgets` and Claude Code's own settings files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agentls.core.listing import HEADING

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server"), "HOME": str(cwd / "home")}
    return subprocess.run(
        [sys.executable, "-m", "agentls", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
        env=env,
    )


def words(i: int, size: int) -> str:
    return (f"Skill {i} does task {i}. " * (size // 10 + 1))[:size].rstrip()


def project(tmp: Path, n: int = 120, size: int = 1000) -> Path:
    (tmp / ".git").mkdir()
    for i in range(n):
        f = tmp / ".claude" / "skills" / f"s{i:03d}" / "SKILL.md"
        f.parent.mkdir(parents=True)
        f.write_text(f"---\nname: s{i:03d}\ndescription: {words(i, size)}\n---\nbody\n", "utf-8")
    return tmp


def codes(r: subprocess.CompletedProcess[str], code: str) -> list[str]:
    return sorted(d["path"] for d in json.loads(r.stdout) if d["code"] == code)


def test_skills_past_the_budget_and_the_listing_as_sent(tmp_path: Path) -> None:
    project(tmp_path)
    r = cli("check", "--format", "json", ".", cwd=tmp_path)
    over = codes(r, "AGL805")
    ctx = json.loads(cli("context", "--format", "json", cwd=tmp_path).stdout)
    (p,) = ctx
    dropped = [e["path"] for e in p["skills"]["entries"] if e["status"] == "dropped" and e["path"]]
    # first fit in listing order: the first skills keep their description, the rest do not
    k = 120 - len(dropped)
    assert 20 < k < 30
    tail = [os.path.join(".claude", "skills", f"s{i:03d}", "SKILL.md") for i in range(k, 120)]
    assert dropped == tail
    assert over == sorted(os.path.join(".", d) for d in dropped)
    assert p["skills"]["over"] and p["skills"]["budget"] == 30000
    first = json.loads(r.stdout)[0]
    assert "over Claude Code's 30,000 budget" in first["message"]
    # the raw listing: the heading, the entries as sent, then the agent listing
    raw = cli("context", "--raw", cwd=tmp_path).stdout
    assert raw.startswith(HEADING + "- s000: Skill 0 does task 0.")
    assert f"\n- s{k:03d}\n" in raw and raw.endswith(
        "Available agent types for the Agent tool:\n\n"
    )
    assert p["skills"]["text"] == raw.split("\n\nAvailable agent types")[0]
    # the project total
    stats = cli("check", "--statistics", ".", cwd=tmp_path).stdout
    assert "120 skills and commands" in stats and f"{120 - k} without (all of) their" in stats


def test_claude_codes_settings_files_and_the_model_change_the_budget(tmp_path: Path) -> None:
    project(tmp_path)
    settings = tmp_path / ".claude" / "settings.json"
    settings.write_text(json.dumps({"skillListingBudgetFraction": 0.05}), "utf-8")
    assert codes(cli("check", "--format", "json", ".", cwd=tmp_path), "AGL805") == []
    settings.write_text(json.dumps({"env": {"SLASH_COMMAND_TOOL_CHAR_BUDGET": "12000"}}), "utf-8")
    r = cli("context", "--format", "json", cwd=tmp_path)
    assert json.loads(r.stdout)[0]["skills"]["budget"] == 12000
    settings.unlink()
    # a 200k-token model of the 4.5 family: 4 characters a token, 8,000
    r = cli("context", "--format", "json", "--model", "claude-sonnet-4-5", cwd=tmp_path)
    assert json.loads(r.stdout)[0]["skills"]["budget"] == 8000


def test_a_teams_budgets(tmp_path: Path) -> None:
    project(tmp_path, n=10, size=400)
    assert codes(cli("check", "--format", "json", ".", cwd=tmp_path), "AGL805") == []
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir()
    for name in ("a1", "a2"):
        (agents / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: {words(1, 1500)}\n---\nbody\n", "utf-8"
        )
    (tmp_path / "agentls.toml").write_text(
        "[budgets]\nskillListing = 3000\nagentListing = 2000\n", "utf-8"
    )
    r = cli("check", "--format", "json", ".", cwd=tmp_path)
    found = json.loads(r.stdout)
    team = [d for d in found if d["code"] == "AGL805"]
    assert team and all(
        "over the team's 3,000 budget (budgets.skillListing)" in d["message"] for d in team
    )
    assert codes(r, "AGL807") == [os.path.join(".", ".claude", "agents", "a2.md")]
    (tmp_path / "agentls.toml").write_text("[budgets]\nskillListing = -1\n", "utf-8")
    r = cli("check", ".", cwd=tmp_path)
    assert r.returncode == 2 and "agentls.toml:2: budgets.skillListing" in r.stderr


def test_one_description_past_its_limit(tmp_path: Path) -> None:
    f = tmp_path / ".claude" / "skills" / "long" / "SKILL.md"
    f.parent.mkdir(parents=True)
    desc = words(7, 2000)
    f.write_text(f"---\nname: long\ndescription: {desc}\n---\nbody\n", "utf-8")
    r = cli("check", "--format", "json", ".", cwd=tmp_path)
    (d,) = [d for d in json.loads(r.stdout) if d["code"] == "AGL806"]
    start = len("description: ") + 1535  # the first 1,535 characters are listed, then `…`
    assert d["range"]["start"] == {"line": 2, "character": start}
    assert d["range"]["end"] == {"line": 2, "character": len("description: ") + len(desc)}
    assert d["severity"] == "information"
    r = cli("explain", ".claude/skills/long/SKILL.md", cwd=tmp_path)
    assert (
        "context cost: ≈ 515 tokens (1,545 characters) in every request (its description cut)"
        in r.stdout
    )


def test_the_readmes_budgets_example_is_a_valid_config(tmp_path: Path) -> None:
    from agentls.core.config import read, settings_for

    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("[budgets]\nskillListing")
    (tmp_path / "agentls.toml").write_text(readme[start : readme.index("```", start)], "utf-8")
    config = read(str(tmp_path / "agentls.toml"))
    assert config is not None and config.problems == ()
    b = settings_for(config, None).budgets
    assert (b.skill_listing, b.agent_listing, b.model) == (20000, 40000, "sonnet")
