"""skills-ref (the Agent Skills reference validator) as a conformance oracle.

``agentskills validate DIR`` decides the verdict (rc 0: loads; rc 1 with ``  - <error>`` lines on
stderr: drops; a traceback: unknown, its own bug) and ``agentskills read-properties DIR`` gives the
name and description it reads. Each file is laid out as ``skills/<folder>/SKILL.md`` in a fresh
temporary folder, so the folder-name check sees the case's own folder name.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.conformance.cases import Case
from tests.conformance.skills_ref import cases as skill_cases
from tests.conformance.skills_ref.common import (
    CACHE,
    JSON,
    RECORDINGS,
    Answer,
    agentls_answers,
    diff_rows,
    lay_out,
    load_recordings,
    render_diff,
    row,
    run,
    short,
    write_recordings,
)

VERSION = "0.1.1"  # the pinned skills-ref (PyPI)
PACKAGE = "skills-ref"
RUNTIME = "skills-ref"
HERE = Path(__file__).resolve().parent
DIR = CACHE / f"skills-ref-{VERSION}"
PYTHON = DIR / "venv" / "bin" / "python"
FOLDER = RECORDINGS / RUNTIME / VERSION
ROOT_DIR = "skills"  # the layout: skills/<folder>/SKILL.md

ALLOWED = ["allowed-tools", "compatibility", "description", "license", "metadata", "name"]


def install() -> Path:
    """pip install skills-ref==VERSION into its own venv (reused when present)."""
    if PYTHON.is_file():
        rc, out, _ = run([str(PYTHON), "-m", "pip", "show", PACKAGE], timeout=60)
        if rc == 0 and f"Version: {VERSION}" in out.decode():
            return DIR
    DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(DIR / "venv")], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", f"{PACKAGE}=={VERSION}"], check=True)
    return DIR


def cases(sources: tuple[str, ...]) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += skill_cases.generated(ROOT_DIR)
    if "corpus" in sources:
        out += skill_cases.corpus(ROOT_DIR)
    return out


# ------------------------------------------------------------------ reading its answers

_FIELD_PATTERNS = [
    (re.compile(r"Field '([\w-]+)'"), None),
    (re.compile(r"Missing required field in frontmatter: ([\w-]+)"), None),
    (re.compile(r"^Skill name|^Directory name"), "name"),
    (re.compile(r"^Description exceeds"), "description"),
    (re.compile(r"^Compatibility exceeds"), "compatibility"),
]


def fields_of(message: str) -> list[str]:
    m = re.match(r"Unexpected fields in frontmatter: (.*?)\. Only \[", message)
    if m:
        return [x.strip() for x in m.group(1).split(", ")]
    for pat, key in _FIELD_PATTERNS:
        found = pat.search(message)
        if found:
            return [key or found.group(1)]
    return []


def _norm(text: str, tmp: str) -> str:
    return text.replace(tmp, "<project>")


def _range_of(message: str) -> list[int] | None:
    """strictyaml's 'line N, column M' of the first mark (front matter starts at line 0 + 1)."""
    m = re.search(r'in "<unicode string>", line (\d+), column (\d+)', message)
    if not m:
        return None
    # the front matter text starts right after the opening ---, on the file's line 0
    line, col = int(m.group(1)) - 1, int(m.group(2)) - 1
    if line == 0:
        col += 3
    return [line, col, line, col]


def interpret(case: Case, rel: str, data: bytes, calls: dict[str, JSON], tmp: str) -> JSON:
    v = calls["validate"]
    rp = calls["read-properties"]
    problems: list[JSON] = []
    log: list[str] = []
    extra: JSON = {"rc": v["rc"]}
    if "Traceback (most recent call last)" in v["stderr"]:
        last = [x for x in v["stderr"].strip().splitlines() if x.strip()][-1]
        log.append(_norm(last, tmp))
        verdict = "unknown"
        extra["note"] = "skills-ref crashed (its bug, not a verdict)"
    elif v["rc"] == 0:
        verdict = "loads"
    else:
        verdict = "drops"
        errors = re.findall(r"(?m)^  - (.*(?:\n(?!  - ).*)*)", v["stderr"])
        if not errors:
            log.append(_norm(v["stderr"].strip(), tmp))
        for e in errors:
            msg = _norm(e.rstrip(), tmp)
            p: JSON = {"severity": "error", "message": msg}
            rng = _range_of(msg)
            if rng is not None:
                p["range"] = rng
            flds = fields_of(msg)
            if flds:
                p["fields"] = flds
            problems.append(p)
    name = description = None
    if rp["rc"] == 0:
        props = json.loads(rp["stdout"])
        name = props.pop("name", None)
        description = props.pop("description", None)
        if props:
            extra["properties"] = _shorten(props)
    else:
        msg = rp["stderr"].strip()
        if "Traceback" in msg:
            msg = msg.splitlines()[-1]
        extra["read_properties_error"] = _norm(msg, tmp)
    return row(case, rel, data, verdict, name, description, problems, log, **extra)


def _shorten(v: object) -> object:
    if isinstance(v, str):
        return short(v)
    if isinstance(v, dict):
        return {k: _shorten(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_shorten(x) for x in v]
    return v


def record_cases(selected: list[Case]) -> list[JSON]:
    install()
    runner = HERE / "runner.py"
    out: list[JSON] = []
    # two runner processes at most, each over half of the cases
    halves = [selected[0::2], selected[1::2]]
    with tempfile.TemporaryDirectory(prefix="skills-ref-") as tmp:
        procs = []
        plans: list[list[tuple[Case, str, bytes, str]]] = []
        for i, half in enumerate(halves):
            plan: list[tuple[Case, str, bytes, str]] = []
            for case in half:
                f = case.files[0]
                # one folder per case: no two cases share a parent (a folder name can repeat)
                base = Path(tmp) / f"c{len(plans)}-{len(plan):04d}"
                lay_out(base, [(f.rel, f.data)])
                plan.append((case, f.rel, f.data, str((base / f.rel).parent)))
            plans.append(plan)
            procs.append(
                subprocess.Popen(
                    ["nice", "-n", "10", str(PYTHON), str(runner)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    start_new_session=True,
                )
            )
            stdin = procs[i].stdin
            assert stdin is not None
            stdin.write(json.dumps([d for *_, d in plan]))
            stdin.close()
        for plan, p in zip(plans, procs, strict=True):
            assert p.stdout is not None
            results: dict[tuple[str, str], JSON] = {}
            for line in p.stdout:
                r = json.loads(line)
                results[(r["dir"], r["cmd"])] = r
            p.wait(timeout=600)
            for case, rel, data, d in plan:
                calls = {c: results[(d, c)] for c in ("validate", "read-properties")}
                # the project path: the case's own base folder
                project = d[: d.index("/" + ROOT_DIR + "/")] if "/" + ROOT_DIR + "/" in d else d
                out.append(interpret(case, rel, data, calls, project))
    return out


def record(sources: tuple[str, ...], only: list[str] | None) -> None:
    selected = cases(sources)
    if only:
        selected = [c for c in selected if any(o in c.id for o in only)]
    t0 = time.monotonic()
    rows = record_cases(selected)
    took = round(time.monotonic() - t0, 1)
    if only:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return
    meta: JSON = {
        "runtime": RUNTIME,
        "version": VERSION,
        "package": f"PyPI {PACKAGE}=={VERSION}",
        "recorded": time.strftime("%Y-%m-%d"),
        "how": (
            "agentskills validate DIR and agentskills read-properties DIR (skills_ref.cli:main, "
            "called in one process per half of the files by tests/conformance/skills_ref/"
            "runner.py) on each file laid out alone as <tmp>/cNNNN/skills/<folder>/SKILL.md"
        ),
        "allowed_keys": ALLOWED,
        "limits": {"name": 64, "description": 1024, "compatibility": 500},
        "sources": {
            s: {"files": sum(1 for r in rows if _src(r) == s), "seconds": took} for s in sources
        },
    }
    write_recordings(FOLDER, meta, rows, sources)
    print(f"{len(rows)} files in {took} s -> {FOLDER}")


def _reading(a: Any) -> tuple[str | None, str | None]:
    """agentls's description and name as skills-ref reads them."""
    from agentls.core.received import skills_ref_text

    return skills_ref_text(a, "description"), skills_ref_text(a, "name")


def _src(r: JSON) -> str:
    return "generated" if r["id"].startswith("gen/") else r["id"].split("/", 1)[0]


def all_rows() -> list[JSON]:
    _, by_source = load_recordings(FOLDER)
    return [r for rs in by_source.values() for r in rs]


def inputs() -> dict[str, tuple[str, bytes]]:
    """Case id -> (laid-out path, bytes), for every case the generator and corpus give now."""
    return {c.id: (c.files[0].rel, c.files[0].data) for c in cases(("generated", "corpus"))}


def diff(write: bool = True) -> str:
    rows = all_rows()
    now = inputs()
    rows = [r for r in rows if r["id"] in now and now[r["id"]][0] == r["file"]]
    # one tree per file: corpus folders repeat across repositories
    per_id: dict[str, Answer] = {}
    for r in rows:
        rel, data = now[r["id"]]
        per_id[r["id"]] = agentls_answers([(rel, data)], RUNTIME, _reading)[rel]
    keyed = [{**r, "file": r["id"]} for r in rows]
    cats = diff_rows(keyed, per_id, "skills-ref")
    from tests.conformance.skills_ref.agreement import compare

    counts: JSON = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    counts["files"] = len(rows)
    text = render_diff(
        f"skills-ref {VERSION} against agentls (generated by `python -m "
        "tests.conformance.skills_ref diff`)",
        "agentls analyses each recorded file's bytes at the laid-out path "
        "(`skills/<folder>/SKILL.md`, dialect `agentskills`). skills-ref has errors only: "
        "every problem it reports rejects the skill. Values: `read-properties` against "
        "agentls's strictyaml reading (`received.skills_ref_text`).",
        counts,
        cats,
        compare(),
    )
    if write:
        (HERE / "DIFF.md").write_text(text, "utf-8")
    return text


def clean_cache() -> None:
    shutil.rmtree(DIR, ignore_errors=True)
