"""Run cases through the real Copilot CLI and turn what it did into recording rows.

A batch is one project (``git init``-ed) and one HOME holding the files of several independent
cases. Per batch:

1. ``copilot -p hi`` with the full log: the log's ``[ERROR]``/``[WARNING]`` records that name a
   file, and the first chat-completions request: the ``task`` tool lists every loaded custom
   agent (``- **NAME**: DESCRIPTION``, names also in the ``agent_type`` enum), the system
   message the skills (``<available_skills>``) and the instructions (inlined, or a table row
   ``| pattern | 'path' | description |``);
2. ``copilot skill list --json`` (skills it loaded; stderr: the ones that failed, with why);
3. ``copilot instruction list --json`` (the instruction files it found, with ``applyTo``);
4. per agent file that did not fail: ``copilot --agent NAME -p hi``; the request shows the
   agent's real tools and model; a hidden agent still runs; a file never read gives
   ``No such agent``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance import runtimes_common as rc
from tests.conformance.copilot_cli import runtime
from tests.conformance.copilot_cli.cases import Case, File
from tests.conformance.copilot_cli.standin import JSON
from tests.conformance.runtimes_common import sha16 as sha16

BATCH = 40
_RECORD = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z \[([A-Z]+)\] ", re.M)
_MALFORMED = "custom agent markdown frontmatter is malformed: "
_UNKNOWN = re.compile(r"unknown fields? ignored: (.*)$", re.S)
_AT_LINE = re.compile(r"at line (\d+) column (\d+)")
_FIELD = re.compile(r"^([A-Za-z0-9_.\-]+): ")
_LONG = 300  # longer texts are hashed in the rows


def short(text: str | None) -> str | None:
    """The text itself, or for a long one its length and hash."""
    if text is None or len(text) <= _LONG:
        return text
    return f"<{len(text)} chars sha256:{sha16(text.encode('utf-8', 'surrogatepass'))}>"


# ------------------------------------------------------------------------ observations


@dataclass
class Agent:
    name: str
    description: str


@dataclass
class Observed:
    project: Path
    home: Path
    records: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    builtin_agents: list[str] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    system: str = ""
    skills: list[JSON] | None = None
    skills_failed: dict[str, str] = field(default_factory=dict)  # rel path -> reason
    skills_in_request: dict[str, str] = field(default_factory=dict)  # name -> description
    instructions: list[JSON] | None = None
    table: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (pattern, desc)
    rc: int | None = 0
    stderr: str = ""


def norm(text: str, ob: Observed) -> str:
    return text.replace(str(ob.project), "<project>").replace(str(ob.home), "<home>")


def parse_log(log: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    starts = list(_RECORD.finditer(log))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(log)
        out.append((m.group(1), log[m.end() : end].rstrip("\n")))
    return out


def _task_listing(request: JSON) -> tuple[list[str], list[Agent], list[str]]:
    tools = [t.get("function", {}).get("name", "") for t in request.get("tools") or []]
    task = next(
        (
            t["function"]
            for t in request.get("tools") or []
            if t.get("function", {}).get("name") == "task"
        ),
        None,
    )
    if task is None:
        return [], [], tools
    desc: str = task.get("description", "")
    enum = task.get("parameters", {}).get("properties", {}).get("agent_type", {}).get("enum", [])
    head, sep, custom = desc.partition("User-provided custom agents:\n")
    # the enum lists the built-ins first, then the custom agents (a custom agent may take a
    # built-in's name: it is then in the enum twice)
    builtin: list[str] = []
    for n in enum:
        if f"- **{n}**: " in head and n not in builtin:
            builtin.append(n)
        else:
            break
    customs = enum[len(builtin) :]
    agents: list[Agent] = []
    if sep:
        # entries in enum order; each runs to the next entry's marker
        pos: list[tuple[int, int, str]] = []
        start = 0
        for n in customs:
            marker = f"- **{n}**: "
            i = custom.find(marker, start)
            if i < 0:
                agents.append(Agent(n, ""))
                continue
            pos.append((i, i + len(marker), n))
            start = i + len(marker)
        for k, (_i, j, n) in enumerate(pos):
            end = pos[k + 1][0] if k + 1 < len(pos) else len(custom)
            text = custom[j:end]
            if k + 1 < len(pos) and text.endswith("\n\n"):
                text = text[:-2]
            agents.append(Agent(n, text))
    return builtin, agents, tools


_SKILL = re.compile(
    r"<skill>\n  <name>(.*?)</name>\n  <description>(.*?)</description>\n"
    r"  <location>(.*?)</location>\n</skill>",
    re.S,
)
_ROW = re.compile(r"^\| (.*) \| '(.*)' \| (.*) \|$", re.M)


def _system(request: JSON) -> str:
    for m in request.get("messages") or []:
        if m.get("role") == "system":
            c = m.get("content")
            return c if isinstance(c, str) else json.dumps(c)
    return ""


def _files_payload(files: Iterable[File], project: Path, home: Path) -> None:
    rc.lay_out(project, ((f.rel, f.data) for f in files), home)


def observe(files: list[File]) -> Observed:
    """One batch: lay the files out, run the runtime (three commands), collect."""
    project = Path(tempfile.mkdtemp(prefix="copilot-proj-"))
    home = runtime.fresh_home()
    try:
        rc.git_init(project)
        _files_payload(files, project, home)
        ob = Observed(project, home)
        r = runtime.run(project, home, ["-p", "hi"])
        ob.rc, ob.stderr = r.rc, r.stderr
        ob.records = parse_log(r.log)
        if r.requests:
            first = r.requests[0]
            ob.builtin_agents, ob.agents, ob.tools = _task_listing(first)
            ob.system = _system(first)
            for m in _SKILL.finditer(ob.system):
                if m.group(3) != "builtin":
                    ob.skills_in_request[m.group(1)] = m.group(2)
            for m in _ROW.finditer(ob.system):
                ob.table[m.group(2)] = (m.group(1), m.group(3))
        if any(_kind(f) == "agentskills" or f.rel.endswith("SKILL.md") for f in files):
            s = runtime.run(project, home, ["skill", "list", "--json"], prompt_run=False)
            try:
                ob.skills = [x for x in json.loads(s.stdout) if x.get("source") != "builtin"]
            except ValueError:
                ob.skills = None
            for line in s.stderr.splitlines():
                fail = re.match(r"^\s*• (.*?): (.*)$", line)
                if fail:
                    ob.skills_failed[norm(fail.group(1), ob)] = fail.group(2)
        if any(_kind(f) == "vscode-instructions" for f in files):
            s = runtime.run(project, home, ["instruction", "list", "--json"], prompt_run=False)
            try:
                ob.instructions = json.loads(s.stdout)
            except ValueError:
                ob.instructions = None
        return ob
    except BaseException:
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        raise


def cleanup(ob: Observed) -> None:
    shutil.rmtree(ob.project, ignore_errors=True)
    shutil.rmtree(ob.home, ignore_errors=True)


def probe_agent(ob: Observed, name: str) -> JSON:
    """``copilot --agent NAME -p hi`` in the batch's project: what the agent really gets."""
    home = runtime.fresh_home()
    try:
        shutil.copytree(
            ob.home / ".copilot",
            home / ".copilot",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("session-state", "logs", "*.db*"),
        )
        for extra in (".claude", ".agents"):
            if (ob.home / extra).is_dir():
                shutil.copytree(ob.home / extra, home / extra, dirs_exist_ok=True)
        r = runtime.run(ob.project, home, [f"--agent={name}", "-p", "hi"])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    out: JSON = {"rc": r.rc}
    if r.requests:
        req = r.requests[0]
        out["model"] = req.get("model")
        out["tools"] = [t.get("function", {}).get("name") for t in req.get("tools") or []]
    else:
        err = r.stderr.strip().splitlines()
        out["error"] = norm(err[0], ob) if err else None
    return out


# ------------------------------------------------------------------------------- rows


def _kind(f: File) -> str:
    from tests.conformance.copilot_cli.cases import kind_of

    return kind_of(f.rel) or "none"


def dialect(f: File) -> str:
    from agentls.core.dialects import detect

    rel = f.rel
    path = "/h/" + rel[2:] if rel.startswith("~/") else rel
    m = detect(path)
    return m.dialect if m is not None else "none"


def _path_forms(f: File, ob: Observed) -> list[str]:
    if f.rel.startswith("~/"):
        return [str(ob.home / f.rel[2:])]
    return [f.rel, str(ob.project / f.rel)]


def _problem(level: str, text: str, paths: list[str], ob: Observed) -> JSON | None:
    rest = None
    for p in paths:
        if p + ": " in text:
            rest = text.split(p + ": ", 1)[1]
            break
    if rest is None:
        return None
    sev = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}.get(level, "hint")
    prob: JSON = {"severity": sev, "message": norm(rest, ob)}
    detail = rest[len(_MALFORMED) :] if rest.startswith(_MALFORMED) else rest
    m = _UNKNOWN.search(rest)
    if m:
        prob["fields"] = [x.strip() for x in m.group(1).split(", ")]
    else:
        fm = _FIELD.match(detail)
        if fm and not detail.startswith("failed to parse"):
            prob["fields"] = [fm.group(1)]
    at = _AT_LINE.search(detail)
    if at:
        line, col = int(at.group(1)), int(at.group(2)) - 1
        prob["range"] = [line, col, line, col]
    return prob


def _base_row(case: Case, f: File) -> JSON:
    origin = {"origin": f.origin} if f.origin else {}
    return rc.base_row(case.id, dialect(f), f.rel, f.sha, **origin)


def rows_for(
    case: Case, ob: Observed, probe: Callable[[str], JSON] | None, single: bool
) -> list[JSON]:
    out: list[JSON] = []
    claimed_agents: set[str] = set()
    for f in case.files:
        row = _base_row(case, f)
        paths = _path_forms(f, ob)
        for level, text in ob.records:
            if level in ("DEBUG", "TRACE") and len(text) > 400:
                continue
            if not any(p + ":" in text or f"'{p}'" in text for p in paths):
                continue
            prob = _problem(level, text, paths, ob)
            if prob is not None and level in ("ERROR", "WARNING"):
                row["problems"].append(prob)
            else:
                row["log"].append(f"[{level}] " + short(norm(text, ob)))  # type: ignore[operator]
        kind = _kind(f)
        row["reader"] = kind
        if ob.rc is None:
            out.append(row)
            continue
        if case.kind == "github-agent":
            _agent_row(row, f, case, ob, probe, single, claimed_agents)
        elif case.kind == "agentskills":
            _skill_row(row, f, ob, len(case.files) > 1)
        elif case.kind == "vscode-instructions":
            _instr_row(row, f, ob)
        out.append(row)
    return out


def _agent_row(
    row: JSON,
    f: File,
    case: Case,
    ob: Observed,
    probe: Callable[[str], JSON] | None,
    single: bool,
    claimed: set[str],
) -> None:
    errors = [p for p in row["problems"] if p["severity"] == "error"]
    warnings = [p for p in row["problems"] if p["severity"] == "warning"]
    listed = [a for a in ob.agents if f.name is not None and a.name == f.name]
    if not listed and single and len(case.files) == 1:
        listed = [a for a in ob.agents if a.name not in claimed]
    if len(case.files) > 1:
        # several files of one case (same name twice...): the entry whose description is the
        # file's own
        text = f.data.decode("utf-8", "replace")
        listed = [a for a in ob.agents if a.description and a.description in text]
    agent = listed[0] if len(listed) == 1 else None
    row["listed"] = agent is not None
    if len(case.files) > 1:
        row["run_listing"] = [[a.name, short(a.description)] for a in ob.agents]
    if errors:
        row["verdict"] = "drops"
        return
    if agent is not None:
        claimed.add(agent.name)
        row["verdict"] = "loads-with-warnings" if warnings else "loads"
        row["name"] = agent.name
        row["description"] = short(agent.description)
        if probe is not None and getattr(probe, "listed_too", True):
            row["probe"] = probe(agent.name)
        return
    # not listed, no error: hidden from the task list, or never read
    if f.name in ob.builtin_agents:
        row["verdict"] = "drops"  # a built-in of that name is listed instead, silently
        row["shadowed_by_builtin"] = True
        return
    if len(case.files) > 1 and ob.agents:
        row["verdict"] = "drops"  # not listed while a file of the case is: shadowed
        row["shadowed"] = True
        return
    if probe is None or f.name is None:
        row["verdict"] = "unknown" if f.name is None else "drops"
        return
    res = probe(f.name)
    row["probe"] = res
    if res.get("rc") == 0 and "model" in res:
        row["verdict"] = "loads-with-warnings" if warnings else "loads"
        row["name"] = f.name
    elif "No such agent" in str(res.get("error")):
        row["verdict"] = "drops"
        row["read"] = False
    elif res.get("error"):
        row["verdict"] = "drops"
        row["problems"].append({"severity": "error", "message": res["error"]})


def _skill_row(row: JSON, f: File, ob: Observed, several: bool = False) -> None:
    rel = f.rel if not f.rel.startswith("~/") else "<home>/" + f.rel[2:]
    folder = str((ob.home / f.rel[2:]) if f.rel.startswith("~/") else (ob.project / f.rel)).rsplit(
        "/", 1
    )[0]
    failed = ob.skills_failed.get(rel) or ob.skills_failed.get(norm(folder + "/SKILL.md", ob))
    if failed is not None:
        row["verdict"] = "drops"
        row["problems"].append({"severity": "error", "message": failed})
        fm = _FIELD.match(failed) or re.match(r"^(?:Skill )?([\w-]+) must", failed)
        if fm and not failed.startswith("failed to parse"):
            row["problems"][-1]["fields"] = [fm.group(1)]
        at = _AT_LINE.search(failed)
        if at:
            line, col = int(at.group(1)), int(at.group(2)) - 1
            row["problems"][-1]["range"] = [line, col, line, col]
        return
    if ob.skills is None:
        return
    found = [s for s in ob.skills if str(s.get("path")) == folder]
    if not found:
        row["verdict"] = "drops"
        if several and ob.skills:
            row["shadowed"] = True  # another file of the case has the name and is listed
        else:
            row["read"] = False
        return
    s = found[0]
    warnings = [p for p in row["problems"] if p["severity"] == "warning"]
    row["verdict"] = "loads-with-warnings" if warnings else "loads"
    row["name"] = s.get("name")
    row["description"] = short(s.get("description"))
    row["enabled"] = s.get("enabled")
    row["in_request"] = s.get("name") in ob.skills_in_request
    if row["in_request"]:
        req = ob.skills_in_request[str(s.get("name"))]
        if req != _xml_escape(str(s.get("description"))):
            row["request_description"] = short(req)


def _xml_escape(s: str) -> str:
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def _instr_row(row: JSON, f: File, ob: Observed) -> None:
    if ob.instructions is None:
        return
    paths = _path_forms(f, ob)
    found = [i for i in ob.instructions if i.get("sourcePath") in paths]
    if not found:
        row["verdict"] = "drops"
        if _kind(f) == "vscode-instructions":
            row["excluded"] = True  # a path it reads: left out for the file's content
        else:
            row["read"] = False
        return
    i = found[0]
    warnings = [p for p in row["problems"] if p["severity"] == "warning"]
    row["verdict"] = "loads-with-warnings" if warnings else "loads"
    row["name"] = i.get("label")
    row["description"] = short(i.get("description")) if "description" in i else None
    if "applyTo" in i:
        row["applyTo"] = i["applyTo"]
    if i.get("defaultDisabled"):
        row["defaultDisabled"] = True
    rel = f.rel if not f.rel.startswith("~/") else str(ob.home / f.rel[2:])
    if rel in ob.table:
        row["mode"] = "on-demand"
        row["table"] = list(ob.table[rel])
    else:
        try:
            text = f.data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        body = text.split("\n---", 2)[-1].strip() if text else None
        if text is not None and (text.strip() in ob.system or (body and body[-60:] in ob.system)):
            row["mode"] = "always"
        else:
            row["mode"] = "not-sent"


# ---------------------------------------------------------------------------- batches


def _agent_names(f: File) -> set[str]:
    out: set[str] = set()
    if f.name:
        out.add(f.name.lower())
    stem = re.sub(r"(\.agent)?\.md$", "", f.rel.rsplit("/", 1)[-1], flags=re.I)
    out.add(stem.lower())
    return out


# per batch and reader: the skill listing and the instructions in the system message have a
# size budget (files beyond it are loaded but not sent), so those batches stay small
CAPS = {"github-agent": BATCH, "agentskills": 10, "vscode-instructions": 5}


def batches(cases: list[Case], size: int = BATCH) -> list[list[Case]]:
    """Independent cases share a run: unique paths, agent names, skill folders per batch, and
    at most ``CAPS`` files of each reader."""
    out: list[list[Case]] = []
    keys: list[set[str]] = []
    counts: list[dict[str, int]] = []
    for case in cases:
        if case.isolate:
            out.append([case])
            keys.append(set())
            counts.append({})
            continue
        mine: set[str] = set()
        for f in case.files:
            mine.add("path:" + f.rel)
            k = _kind(f)
            if k == "github-agent":
                mine |= {"agent:" + n for n in _agent_names(f)}
            elif k == "agentskills":
                mine.add("skill:" + f.rel.split("/")[-2].lower())
                if f.name:
                    mine.add("skill:" + f.name.lower())
        cap = CAPS.get(case.kind, size)
        for i, b in enumerate(out):
            if (
                b
                and not b[0].isolate
                and len(b) < size
                and counts[i].get(case.kind, 0) < cap
                and not (keys[i] & mine)
            ):
                b.append(case)
                keys[i] |= mine
                counts[i][case.kind] = counts[i].get(case.kind, 0) + 1
                break
        else:
            out.append([case])
            keys.append(mine)
            counts.append({case.kind: 1})
    return out


class _Probe:
    """``--agent NAME`` runs in the batch's project (``listed_too``: also for listed agents)."""

    def __init__(self, ob: Observed, listed_too: bool) -> None:
        self.ob, self.listed_too = ob, listed_too

    def __call__(self, name: str) -> JSON:
        return probe_agent(self.ob, name)


def run_batch(cases: list[Case], probe_agents: str = "all") -> list[JSON]:
    """``probe_agents``: ``all`` (every agent file not failed), ``hidden`` (only those not
    listed: hidden or never read), ``none``."""
    files = [f for c in cases for f in c.files]
    ob = observe(files)
    try:
        probe: Callable[[str], JSON] | None = (
            _Probe(ob, probe_agents == "all") if probe_agents != "none" else None
        )
        single = len(cases) == 1
        rows: list[JSON] = []
        for c in cases:
            rows += rows_for(c, ob, probe, single)
        # an agent listed that no file claims: the batch is unreliable, run each case alone
        claimed = {r.get("name") for r in rows}
        stray = [a.name for a in ob.agents if a.name not in claimed]
        if stray and not single:
            rows = []
            for c in cases:
                rows += run_batch([c], probe_agents)
        return rows
    finally:
        cleanup(ob)


def run_all(
    cases: list[Case],
    probe_agents: str = "all",
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[JSON]:
    bs = batches(cases)
    rows: list[JSON] = []
    done = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(lambda b: run_batch(b, probe_agents), bs):
            rows += result
            done += 1
            if progress is not None:
                progress(f"{done}/{len(bs)} batches, {len(rows)} rows")
    return rows


def vocabulary(rows: list[JSON]) -> JSON:
    """What the rows show about keys: agent keys that load without a warning in some case, keys
    Copilot CLI called unknown, and the fields its errors name (per reader)."""
    from tests.conformance.copilot_cli.cases import AGENT_KEYS

    unknown: set[str] = set()
    error_fields: dict[str, set[str]] = {}
    for r in rows:
        for p in r.get("problems") or []:
            if p["severity"] == "warning" and "unknown field" in p["message"]:
                unknown |= set(p.get("fields") or [])
            elif p["severity"] == "error" and p.get("fields"):
                error_fields.setdefault(str(r.get("reader")), set()).update(p["fields"])
    return {
        "agent_keys": [k for k in AGENT_KEYS if k not in unknown],
        "agent_unknown_keys_seen": sorted(unknown),
        "error_fields": {k: sorted(v) for k, v in sorted(error_fields.items())},
    }


def meta(ob_rows: list[JSON]) -> JSON:
    """Vocabularies of this version (from one run of an empty project)."""
    ob = observe([])
    try:
        probe = probe_agent(ob, "__no_such_agent__")
        return {
            "runtime": "copilot-cli",
            "package": runtime.PACKAGE,
            "version": runtime.VERSION,
            "how": (
                "HOME=<fresh, .cache/copilot linked to one unpacked copy> "
                "COPILOT_HOME=$HOME/.copilot "
                "COPILOT_OFFLINE=true COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:PORT/v1 "
                "COPILOT_PROVIDER_API_KEY=dummy COPILOT_MODEL=gpt-4.1 COPILOT_AUTO_UPDATE=false "
                "copilot -p hi --allow-all-tools --no-auto-update --disable-client-telemetry "
                "--log-level all --log-dir LOG </dev/null; copilot skill list --json; "
                "copilot instruction list --json; copilot --agent NAME -p hi"
            ),
            "session_tools": ob.tools,
            "builtin_agents": ob.builtin_agents,
            "no_such_agent": probe.get("error"),
            **vocabulary(ob_rows),
            "rows": len(ob_rows),
        }
    finally:
        cleanup(ob)


_ = Any
