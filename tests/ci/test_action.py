"""The GitHub Action (action.yml) run as the runner would: its `run:` steps in order, as
`bash --noprofile --norc -eo pipefail`, with `${{ … }}` substituted from the inputs,
`$GITHUB_PATH` honoured between steps, and `if:` evaluated. agentls installs offline from the
action's own copy (this repository) through the wheelhouse (tests/ci/wheelhouse.py). A `uses:`
step (the SARIF upload) needs GitHub: the test checks what it would be given."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.ci.conftest import ROOT, offline_env, sample_project
from tests.unit.test_cli_output import _validator

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
IF = re.compile(r"^inputs\.([\w-]+) == '([^']*)'$")


def run_action(inputs: dict[str, str], workspace: Path, env: dict[str, str]) -> dict[str, Any]:
    given = {k: v.get("default", "") for k, v in ACTION["inputs"].items()}
    unknown = set(inputs) - set(given)
    assert not unknown, unknown
    given.update(inputs)
    temp = workspace.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    context = {"github.action_path": str(ROOT), "runner.temp": str(temp)}
    context.update({f"inputs.{k}": v for k, v in given.items()})

    def sub(text: str) -> str:
        return EXPR.sub(lambda m: context[m.group(1)], text)

    github_path = temp / "github_path"
    github_path.write_text("")
    env = {**env, "GITHUB_PATH": str(github_path), "RUNNER_TEMP": str(temp)}
    env["GITHUB_WORKSPACE"] = str(workspace)
    steps: list[dict[str, Any]] = []
    status = 0
    for step in ACTION["runs"]["steps"]:
        cond = step.get("if")
        if cond is not None:
            m = IF.match(cond)
            assert m, f"the test knows only inputs.X == 'Y' conditions: {cond}"
            if given[m.group(1)] != m.group(2):
                continue
        if "uses" in step:
            steps.append(
                {"uses": step["uses"], "with": {k: sub(v) for k, v in step["with"].items()}}
            )
            continue
        assert step["shell"] == "bash"
        added = [p for p in github_path.read_text().splitlines() if p]
        step_env = {**env, **{k: sub(str(v)) for k, v in step.get("env", {}).items()}}
        step_env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
        script = temp / "step.sh"
        script.write_text(sub(step["run"]))
        r = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=step_env,
            text=True,
            capture_output=True,
            timeout=600,
        )
        steps.append({"name": step["name"], "rc": r.returncode, "out": r.stdout, "err": r.stderr})
        if r.returncode != 0:  # a failed step fails the job; the steps after it do not run
            status = r.returncode
            break
    return {"status": status, "steps": steps}


def test_action_on_a_project_with_errors_and_sarif(tmp_path: Path, wheelhouse: Path) -> None:
    env = offline_env(wheelhouse, tmp_path)
    project = sample_project(tmp_path / "project", env)
    run = run_action({"sarif": "true"}, project, env)
    names = [s.get("name") or s["uses"] for s in run["steps"]]
    assert names == ["Install agentls", "Write SARIF", run["steps"][2]["uses"], "Check"]
    install, _, upload, check = run["steps"]
    assert install["rc"] == 0 and install["out"].startswith("agentls "), install
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "agentls.sarif"
    sarif = json.loads((project / "agentls.sarif").read_text("utf-8"))
    assert list(_validator().iter_errors(sarif)) == []
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"AGL013", "AGL401"}
    # the check fails the job, and each finding is a workflow command (an annotation)
    assert run["status"] == 1 and check["rc"] == 1
    lines = check["out"].splitlines()
    assert any(
        ln.startswith("::error file=.claude/agents/reviewer.md,line=4,col=1,") for ln in lines
    ), lines
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
    assert check["err"].endswith("checked: 1 error, 1 warning\n")


def test_action_on_a_clean_project(tmp_path: Path, wheelhouse: Path) -> None:
    env = offline_env(wheelhouse, tmp_path)
    project = sample_project(tmp_path / "project", env, bad=False)
    run = run_action({"paths": ".claude README.md", "args": "--no-workspace"}, project, env)
    assert [s["name"] for s in run["steps"]] == ["Install agentls", "Check"]
    assert run["status"] == 0, run
    assert run["steps"][-1]["out"] == ""
    assert run["steps"][-1]["err"] == "1 file checked, no problems\n"
    assert not (project / "agentls.sarif").exists()
