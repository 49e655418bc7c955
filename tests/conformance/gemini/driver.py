"""Run Gemini CLI on laid-out cases and turn what it did into recording rows.

A run is a fresh HOME (``~/.gemini/settings.json`` of the recipe, user agents under
``~/.gemini/agents``) and a fresh git-inited project (skills under ``.gemini/skills`` and
``.agents/skills``), with its own stand-in. Verdicts come from two places:

- stderr: ``Agent loading error: Failed to load agent from PATH: MESSAGE`` per rejected agent
  file (for user agents the same message is also logged as ``[AgentRegistry] Error loading user
  agent: MESSAGE`` just before it, which gives the exact extent of a multi-line message), and
  the other feedback lines (duplicate names, registration errors of remote agents);
- the main request (``:streamGenerateContent``): its ``systemInstruction`` lists every registered
  agent (``<available_subagents>``: name, description) and skill (``<available_skills>``: name,
  description, location), the texts inserted as they are.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance import runtimes_common as rc
from tests.conformance.cases import Case, File
from tests.conformance.gemini import runtime
from tests.conformance.gemini.cases import ALL_TOOLS, dialect_of, rough_name
from tests.conformance.gemini.standin import StandIn

JSON = dict[str, Any]

BATCH = 80
LONG_TEXT = 400  # longer names/descriptions are kept as length + hash

_SUBAGENT = re.compile(
    r"<subagent>\n    <name>(.*?)</name>\n    <description>(.*?)</description>\n  </subagent>", re.S
)
_SKILL = re.compile(
    r"<skill>\n    <name>(.*?)</name>\n    <description>(.*?)</description>\n"
    r"    <location>(.*?)</location>\n  </skill>",
    re.S,
)
_USER_ERR = re.compile(
    r"\[AgentRegistry\] Error loading user agent: (Failed to load agent from .*?)\n"
    r"Agent loading error: \1(?=\n|$)",
    re.S,
)
# project agents: no second copy; a message ends where the next known stderr record starts
_ANY_ERR = re.compile(
    r"Agent loading error: (Failed to load agent from .*?)"
    r"(?=\nAgent loading error: |\n(?:\[|Warning: |YOLO |Ripgrep |Duplicate agent |Skill )|\n*\Z)",
    re.S,
)
_NOISE = (
    "Warning: 256-color support not detected",
    "YOLO mode is enabled",
    "Ripgrep is not available",
    "[STARTUP]",
    "Loaded cached credentials",
)


@dataclass
class Observed:
    status: str
    agents: list[tuple[str, str]] = field(default_factory=list)
    skills: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (absolute path, message)
    lines: list[str] = field(default_factory=list)  # other stderr lines
    tools: list[str] = field(default_factory=list)
    requests: int = 0
    probes: dict[str, JSON] = field(default_factory=dict)  # agent name -> what it got


def _system_text(body: JSON) -> str:
    si = body.get("systemInstruction") or {}
    parts = si.get("parts") if isinstance(si, dict) else None
    return "".join(str(p.get("text", "")) for p in parts or [] if isinstance(p, dict))


def parse(stderr: str, bodies: Sequence[JSON]) -> tuple[list[tuple[str, str]], list[str]]:
    """The load errors (``Failed to load agent from PATH: …``) and the other stderr lines."""
    errors = [m.group(1) for m in _USER_ERR.finditer(stderr)]
    rest = _USER_ERR.sub("", stderr)
    errors += [m.group(1) for m in _ANY_ERR.finditer(rest)]
    rest = _ANY_ERR.sub("", rest)
    # record heads only: stack-trace lines (indented) and closing braces are dropped
    lines = [
        x
        for x in rest.split("\n")
        if x.strip() and not x[0].isspace() and x != "}" and not x.startswith(_NOISE)
    ]
    out: list[tuple[str, str]] = []
    for e in errors:
        head = e[len("Failed to load agent from ") :]
        path, _, _ = head.partition(": ")
        out.append((path, e))
    return out, lines


BUILTIN_AGENTS = frozenset({"codebase_investigator", "cli_help", "generalist"})


def _probe_of(body: JSON, path: str) -> JSON:
    """What a subagent really got: the model it was sent to, its tools, its temperature, and
    the start of its system prompt (the file's body, then Gemini CLI's additions)."""
    tools = sorted(
        str(f.get("name"))
        for t in body.get("tools") or []
        for f in t.get("functionDeclarations") or []
    )
    gc = body.get("generationConfig") or {}
    model = path.split("/models/", 1)[-1].split(":", 1)[0]
    return {
        "model": model,
        "tools": [t for t in tools if t != "complete_task"],
        "temperature": gc.get("temperature"),
        "prompt": _system_text(body)[:60],
    }


def _user_text(body: JSON) -> str:
    for c in body.get("contents") or []:
        if isinstance(c, dict) and c.get("role") == "user":
            for p in c.get("parts") or []:
                if isinstance(p, dict) and "text" in p:
                    return str(p["text"])
    return ""


def observe(home: Path, project: Path, timeout: float = 90.0, probe: bool = True) -> Observed:
    with StandIn(probe=BUILTIN_AGENTS if probe else None) as s:
        r = runtime.run(home, project, s.port, timeout=timeout)
        reqs = list(s.requests)
    errors, lines = parse(r.stderr, [q.body for q in reqs])
    ob = Observed(r.status, errors=errors, lines=lines, requests=len(reqs))
    for q in reqs:
        if ":streamGenerateContent" not in q.path:
            continue
        text = _system_text(q.body)
        if "<available_subagents>" not in text and "<available_skills>" not in text:
            continue
        ob.agents = [(n, d) for n, d in _SUBAGENT.findall(text)]
        ob.skills = [(n, d, loc) for n, d, loc in _SKILL.findall(text)]
        ob.tools = [
            str(f.get("name"))
            for t in q.body.get("tools") or []
            for f in t.get("functionDeclarations") or []
        ]
        break
    for q in reqs:  # a subagent's first request: its prompt is the agent's name
        if ":streamGenerateContent" not in q.path:
            continue
        names = {
            str(f.get("name"))
            for t in q.body.get("tools") or []
            for f in t.get("functionDeclarations") or []
        }
        if "complete_task" in names and "invoke_agent" not in names:
            who = _user_text(q.body)
            if who and who not in ob.probes:
                ob.probes[who] = _probe_of(q.body, q.path)
    return ob


# ------------------------------------------------------------------------------ layout


@dataclass
class Layout:
    root: Path
    home: Path
    project: Path

    def path(self, f: File) -> Path:
        if f.rel.startswith("~/"):
            return self.home / f.rel[2:]
        return self.project / f.rel

    def norm(self, text: str) -> str:
        return text.replace(str(self.project), "<project>").replace(str(self.home), "<home>")


def lay_out(files: Iterable[File]) -> Layout:
    root = Path(tempfile.mkdtemp(prefix="gemini-conf-"))
    lay = Layout(root, root / "home", root / "project")
    runtime.make_home(lay.home)
    lay.project.mkdir()
    rc.git_init(lay.project)
    rc.lay_out(lay.project, ((f.rel, f.data) for f in files), lay.home)
    return lay


_BASELINE: Observed | None = None


def baseline() -> Observed:
    """A run with no files: the built-in agents and skills, and the main agent's tools."""
    global _BASELINE
    if _BASELINE is None:
        lay = lay_out([])
        try:
            _BASELINE = observe(lay.home, lay.project, probe=False)
        finally:
            shutil.rmtree(lay.root, ignore_errors=True)
    return _BASELINE


# ------------------------------------------------------------------------------ rows


def _short(text: str | None) -> str | None:
    if text is None or len(text) <= LONG_TEXT:
        return text
    import hashlib

    h = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"<{len(text)} chars, sha256 {h}: {text[:80]}…>"


_FIELD = re.compile(r"^(?:\((Local|Remote) Agent\) )?([A-Za-z0-9_.-]+): ")
_UNRECOGNIZED = re.compile(r"Unrecognized key\(s\) in object: (.*)$")
_YAML_MARK = re.compile(r"\((\d+):(\d+)\)")


def problem_of(message: str) -> JSON:
    """One error: the runtime's message, the keys it names, and (YAML errors) the position
    js-yaml gives, as a 0-based file range (front-matter line L is file line L)."""
    _, _, detail = message.partition(".md: ")
    lines = detail.split("\n")
    local = any(x.startswith("(Local Agent) ") for x in lines)
    fields: list[str] = []
    for x in lines[1:]:
        if local and x.startswith("(Remote Agent) "):
            continue
        m = _UNRECOGNIZED.search(x)
        if m:
            fields += [k.strip().strip("'") for k in m.group(1).split(", ")]
            continue
        m = _FIELD.match(x)
        if m:
            fields.append(m.group(2))
    p: JSON = {"severity": "error", "message": message, "fields": list(dict.fromkeys(fields))}
    if detail.startswith("YAML frontmatter parsing failed"):
        m = _YAML_MARK.search(lines[0])
        # js-yaml's mark for a NUL is the offset in the block on line 1, not a position
        if m and "null byte" not in lines[0]:
            line, col = int(m.group(1)), int(m.group(2)) - 1
            p["range"] = [line, col, line, col]
    return p


def rows_for(case: Case, lay: Layout, ob: Observed, run: str) -> tuple[list[JSON], bool]:
    """The rows of one case, and whether they are certain (False: run the case alone)."""
    base = baseline()
    builtin_agents = {n for n, _ in base.agents}
    certain = ob.status.startswith("exit")
    rows: list[JSON] = []
    for f in case.files:
        p = lay.path(f)
        row = rc.base_row(case.id, dialect_of(case), f.rel, f.sha)
        errs = [lay.norm(m) for path, m in ob.errors if path == str(p)]
        row["problems"] = [problem_of(m) for m in errs]
        if case.kind == "agent":
            listed = _agent_entries(case, f, ob, builtin_agents, run == "alone")
            names = [n for n in (f.name, rough_name(f.data)) if n]
            named = [x for x in ob.lines for n in names if f"'{n}'" in x or f'"{n}"' in x]
            named += [x for x in ob.lines if str(p) in x]
            token = case.id.split("/")[-1].split("-")[0] if case.source == "generated" else ""
            if token:  # e.g. the agents of a remote list (`g0286-one`) log under their own names
                named += [x for x in ob.lines if token in x]
            for x in dict.fromkeys(named):
                sev = "warning" if x.startswith("Duplicate agent name") else "error"
                problem: JSON = {"severity": sev, "message": lay.norm(x), "fields": []}
                if x.startswith("Subagent '"):  # loads, but fails once invoked
                    problem["when"] = "invoked"
                row["problems"].append(problem)
            if listed is not None:
                row["verdict"] = "loads"
                row["name"], row["description"] = listed[0], _short(listed[1])
                failed = [pr["message"] for pr in row["problems"] if pr.get("when") == "invoked"]
                row["probe"] = ob.probes.get(listed[0]) or (
                    {"failed": failed[0]} if failed else None
                )
            else:
                row["verdict"] = "drops"
        else:
            hit = [(n, d) for n, d, loc in ob.skills if loc == str(p)]
            if hit:
                row["verdict"] = "loads"
                row["name"], row["description"] = _short(hit[0][0]), _short(hit[0][1])
            else:
                row["verdict"] = "drops"
            conflict = [x for x in ob.lines if str(p) in x]
            for x in conflict:
                row["problems"].append(
                    {"severity": "warning", "message": lay.norm(x), "fields": []}
                )
        if row["verdict"] == "drops" and not row["problems"]:
            row["log"].append("not listed, no message")
        if row["verdict"] == "loads" and any(pr["severity"] == "warning" for pr in row["problems"]):
            row["verdict"] = "loads-with-warnings"
        row["run"] = run
        row["status"] = ob.status
        if not certain:
            row["verdict"] = "unknown"
        rows.append(row)
    return rows, certain


def _agent_entries(
    case: Case, f: File, ob: Observed, builtin: set[str], alone: bool
) -> tuple[str, str] | None:
    custom = [(n, d) for n, d in ob.agents if n not in builtin]
    if f.name is not None:
        hits = [(n, d) for n, d in custom if n == f.name]
        if len(case.files) > 1:  # same name in several files: the description tells which
            text = f.data.decode("utf-8", "replace")
            hits = [(n, d) for n, d in hits if d and d in text]
        if hits:
            return hits[0]
    if alone and len(case.files) == 1 and len(custom) == 1:
        return custom[0]  # a case run alone owns what is listed, whatever its name
    return None


def unclaimed(cases: Sequence[Case], ob: Observed) -> list[str]:
    """Listed custom agents no file of the batch claims by name."""
    builtin = {n for n, _ in baseline().agents}
    names = {f.name for c in cases for f in c.files if f.name}
    return [n for n, _ in ob.agents if n not in builtin and n not in names]


def run_cases(cases: Sequence[Case], run: str) -> tuple[list[JSON], list[Case]]:
    """Run ``cases`` together; return their rows and the cases to run again alone."""
    lay = lay_out(f for c in cases for f in c.files)
    try:
        ob = observe(lay.home, lay.project)
        extra = unclaimed(cases, ob) if len(cases) > 1 else []
        rows: list[JSON] = []
        again: list[Case] = []
        for c in cases:
            r, certain = rows_for(c, lay, ob, run)
            doubtful = extra and any(x["verdict"] == "drops" and not x["problems"] for x in r)
            if (not certain or doubtful) and len(cases) > 1:
                again.append(c)
            else:
                rows += r
        return rows, again
    finally:
        shutil.rmtree(lay.root, ignore_errors=True)


def batches(cases: Sequence[Case], size: int = BATCH) -> list[list[Case]]:
    """Independent cases in groups: no two files at the same path, no two names alike."""
    out: list[list[Case]] = []
    open_: list[tuple[list[Case], set[str], set[str]]] = []
    for c in cases:
        rels = {f.rel for f in c.files}
        names = {n for f in c.files for n in [f.name or rough_name(f.data)] if n}
        for group, used_rel, used_names in open_:
            if len(group) < size and not rels & used_rel and not names & used_names:
                group.append(c)
                used_rel |= rels
                used_names |= names
                break
        else:
            open_.append(([c], set(rels), set(names)))
    out = [g for g, _, _ in open_]
    return out


def record(cases: Sequence[Case], jobs: int = 2, log: bool = True) -> list[JSON]:
    """Every row of ``cases``: batched where independent, alone where isolated or in doubt."""
    from concurrent.futures import ThreadPoolExecutor

    baseline()
    alone = [c for c in cases if c.isolate]
    grouped = batches([c for c in cases if not c.isolate])
    rows: list[JSON] = []
    retry: list[Case] = []
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for i, (r, again) in enumerate(ex.map(lambda g: run_cases(g, "batch"), grouped)):
            rows += r
            retry += again
            if log:
                print(
                    f"batch {i + 1}/{len(grouped)}: {len(r)} rows, {len(again)} to rerun",
                    flush=True,
                )
        singles = [*alone, *retry]
        for i, (r, _) in enumerate(ex.map(lambda c: run_cases([c], "alone"), singles)):
            rows += r
            if log and (i + 1) % 20 == 0:
                print(f"alone {i + 1}/{len(singles)}", flush=True)
    rows.sort(key=lambda x: (x["id"], x["file"]))
    return rows


def meta() -> JSON:
    b = baseline()
    return {
        "runtime": "gemini-cli",
        "package": runtime.PACKAGE,
        "version": runtime.installed_version(),
        "command": "HOME=<home> PWD=<project> GEMINI_API_KEY=dummy GOOGLE_GEMINI_BASE_URL="
        "http://127.0.0.1:<port> node bundle/gemini.js -p hi --skip-trust -o json -y",
        "settings": runtime.SETTINGS,
        "layout": {
            "agents": "~/.gemini/agents/*.md (user folder: no acknowledgement needed)",
            "skills": ".gemini/skills/<dir>/SKILL.md, .gemini/skills/SKILL.md, "
            ".agents/skills/<dir>/SKILL.md",
        },
        "builtin_agents": [n for n, _ in b.agents],
        "builtin_skills": [n for n, _, _ in b.skills],
        "main_tools": b.tools,
        # the names `tools:` accepts (isValidToolName; all of them load together: g0114), and
        # the patterns it also accepts
        "agent_tool_names": list(ALL_TOOLS),
        "agent_tool_patterns": [
            "*",
            "mcp_*",
            "mcp_<server>_<tool>",
            "mcp_<server>_*",
            "discovered_tool_*",
            "search_file_content (alias of grep_search)",
        ],
        "agent_keys": {
            "local": [
                "kind",
                "name",
                "description",
                "display_name",
                "tools",
                "mcp_servers",
                "model",
                "temperature",
                "max_turns",
                "timeout_mins",
            ],
            "remote": [
                "kind",
                "name",
                "description",
                "display_name",
                "auth",
                "agent_card_url",
                "agent_card_json",
            ],
        },
    }


def dumps(rows: Sequence[JSON]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows)
