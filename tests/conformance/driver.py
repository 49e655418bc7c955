"""Run cases through a pinned Claude Code and record, per file, what the runtime did.

One run = one fresh git-inited project with the cases' files under ``.claude/``, a fresh HOME,
the loopback stand-in. Independent cases share a run (a batch, unique names per batch); a case
marked ``isolate`` runs alone, and every case of a batch that failed or left a listing entry
nobody claims is run again alone.

The stand-in answers the first request with an ``Agent`` call per listed agent (to see the model
and tools the subagent really gets, or the launch refusal) and a ``Skill`` call per skill and
command file (to see whether the model may invoke it and how it expands).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.conformance import listing
from tests.conformance.cases import Case, File, kind_of_file
from tests.conformance.runtime import RunResult, run
from tests.conformance.standin import JSON, Script

# Batching must not change what one file gets: lift the skill-listing budget (a single file
# never reaches it) and the concurrent-subagent limit (the probe launches one per agent).
BATCH_ENV = {
    "SLASH_COMMAND_TOOL_CHAR_BUDGET": "100000000",
    "CLAUDE_CODE_MAX_CONCURRENT_SUBAGENTS": "1000",
}
EXPANSION_CHARS = 200
LONG_TEXT = 2000  # longer listed descriptions are kept as a hash, their length and ends
_DID_YOU_MEAN = re.compile(r" Did you mean [^?<]*\?")
_TOKEN = re.compile(r"[asc]\d{4}(?!\d)", re.I)
PROBE = "PROBE-{i}"
# model aliases outside the Agent tool's enum that agents may name (2.1.332 resolves them all)
GENERAL_ALIASES = ("best", "opusplan", "sonnet[1m]", "opus[1m]", "fable[1m]")


@dataclass
class Baseline:
    """What an empty project lists: built-in agents and skills, tools, models."""

    agents: list[listing.AgentEntry]
    skills: list[listing.SkillEntry]
    tools: list[str]
    model_enum: list[str]
    main_model: str
    alias_models: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> JSON:
        return {
            "builtin_agents": [e.name for e in self.agents],
            "builtin_skills": [e.name for e in self.skills],
            "tools": self.tools,
            "agent_model_enum": self.model_enum,
            "main_model": self.main_model,
            "alias_models": self.alias_models,
        }


def _layout(root: Path, cases: Iterable[Case]) -> None:
    """A git repository with one empty commit (``isolation: worktree`` needs a HEAD)."""
    git = ["git", "-C", str(root), "-c", "user.name=conformance", "-c", "user.email=c@localhost"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "init"], check=True)
    for case in cases:
        for f in case.files:
            p = root / f.rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(f.data)


class _Planner:
    """Answers the first request with probes; remembers which call went to which name."""

    def __init__(self, skill_names: list[str], builtin: set[tuple[str, str, str]]) -> None:
        self.skill_names = skill_names
        self.builtin = builtin  # (name, description, tools) of the built-in agents
        self.agent_calls: dict[str, str] = {}  # listed agent name -> tool_use id
        self.skill_calls: dict[str, str] = {}  # skill name -> tool_use id

    def __call__(self, body: JSON) -> list[JSON]:
        calls: list[JSON] = []
        section = listing.agent_section(body) or ""
        for e in listing.agent_entries(section):
            if (e.name, e.description, e.tools) in self.builtin or e.name in self.agent_calls:
                continue
            i = len(calls)
            self.agent_calls[e.name] = f"toolu_{i:04d}"
            calls.append(
                {
                    "name": "Agent",
                    "input": {
                        "description": "conformance probe",
                        "prompt": PROBE.format(i=i),
                        "subagent_type": e.name,
                        "run_in_background": False,
                    },
                }
            )
        entries = listing.skill_entries(
            listing.skill_section(body) or "", self.skill_names, any_name=True
        )
        listed = {e.name.lower(): e.name for e in entries}
        by_token = {e.name[:5].lower(): e.name for e in entries if _TOKEN.match(e.name)}
        for n in self.skill_names:
            if n in self.skill_calls:
                continue
            self.skill_calls[n] = f"toolu_{len(calls):04d}"
            # as the listing spells it (a generated file may be listed under another name)
            skill = (
                listed.get(n.lower())
                or (by_token.get(n[:5].lower()) if _TOKEN.match(n) else None)
                or n
            )
            calls.append({"name": "Skill", "input": {"skill": skill, "args": "ARGX"}})
        return calls


def _run(
    version: str, cases: list[Case], planner: _Planner | None, timeout: float
) -> tuple[RunResult, str]:
    with tempfile.TemporaryDirectory(prefix="agentls-cc-proj-") as tmp:
        root = Path(tmp) / "p"
        root.mkdir()
        _layout(root, cases)
        script = Script(plan=planner)
        result = run(version, root, script, timeout=timeout, env=BATCH_ENV)
        return result, str(root.resolve())


def baseline(version: str) -> Baseline:
    """An empty project, then one agent per model alias to learn what each alias becomes."""
    empty, _ = _run(version, [], None, 60)
    first = listing.listing_request(empty.requests)
    if first is None:
        raise RuntimeError(
            f"Claude Code {version}: no listing in the first request ({empty.status})"
        )
    agents = listing.agent_entries(listing.agent_section(first) or "")
    skills = listing.skill_entries(listing.skill_section(first) or "", (), any_name=True)
    enum = listing.agent_model_enum(first)
    b = Baseline(agents, skills, listing.tool_names(first), enum, str(first.get("model")))
    # the Agent tool's enum, `inherit`, and the general aliases Claude Code also resolves
    aliases = list(dict.fromkeys([*enum, "inherit", *GENERAL_ALIASES]))
    probe_cases = [
        Case(
            f"alias/{m}",
            "agent",
            "baseline",
            (
                File(
                    f".claude/agents/alias-{i}.md",
                    f'---\nname: alias-{i}\ndescription: d\nmodel: "{m}"\n---\nb\n'.encode(),
                    f"alias-{i}",
                ),
            ),
        )
        for i, m in enumerate(aliases)
    ]
    planner = _Planner([], {(e.name, e.description, e.tools) for e in agents})
    res, _ = _run(version, probe_cases, planner, 60)
    for name, model in _subagent_requests(res.requests, planner).items():
        b.alias_models[aliases[int(name.removeprefix("alias-"))]] = str(model.get("model"))
    return b


def _subagent_requests(requests: list[JSON], planner: _Planner) -> dict[str, JSON]:
    """Listed agent name -> the subagent's first request (found by its probe prompt)."""
    by_prompt: dict[str, JSON] = {}
    for body in requests:
        for t in listing.user_texts(body):  # preloaded skills may come first
            t = t.strip()
            if t.startswith("PROBE-") and t not in by_prompt:
                by_prompt[t] = body
    out: dict[str, JSON] = {}
    for name, tid in planner.agent_calls.items():
        sub = by_prompt.get(PROBE.format(i=int(tid.removeprefix("toolu_"))))
        if sub is not None:
            out[name] = sub
    return out


def _token(c: Case) -> str:
    """A generated case's token: ``gen/agent/a0042-label`` -> ``a0042``."""
    return c.id.split("/")[2][:5]


def _attribute_agents(
    entries: list[listing.AgentEntry], files: list[tuple[Case, File]], isolated: bool
) -> tuple[dict[str, listing.AgentEntry], list[listing.AgentEntry]]:
    """rel -> its entry; and the entries no file claims."""
    got: dict[str, listing.AgentEntry] = {}
    loose: list[listing.AgentEntry] = []
    for e in entries:
        owner: File | None = None
        if isolated:
            cands = [f for _, f in files]
            owner = next((f for f in cands if e.description[:40].encode() in f.data), None) or (
                cands[0] if len(cands) == 1 else None
            )
        else:
            for c, f in files:
                if f.name is None:
                    continue
                token = _token(c) if c.source == "generated" else None
                if (token and e.name.lower().startswith(token)) or e.name.lower() == f.name.lower():
                    owner = f
                    break
        if owner is None or owner.rel in got:
            loose.append(e)
        else:
            got[owner.rel] = e
    return got, loose


def record_run(
    version: str, cases: list[Case], base: Baseline, isolated: bool, timeout: float
) -> tuple[list[JSON], list[Case]]:
    """Records for the files of ``cases``, and the cases to run again alone."""
    builtin_agents = {(e.name, e.description, e.tools) for e in base.agents}
    builtin_skills = {e.name for e in base.skills}
    skill_files = [(c, f) for c in cases for f in c.files if "/agents/" not in f.rel]
    skill_names = [f.name for _, f in skill_files if f.name]
    planner = _Planner(skill_names, builtin_agents)
    res, project = _run(version, cases, planner, timeout)
    first = listing.listing_request(res.requests)
    if first is None or res.status not in ("exit 0", "exit 1"):
        if not isolated:
            return [], cases
        return [_failed(c, f, res, isolated) for c in cases for f in c.files], []
    agent_files = [(c, f) for c in cases for f in c.files if "/agents/" in f.rel]
    entries = [
        e
        for e in listing.agent_entries(listing.agent_section(first) or "")
        if (e.name, e.description, e.tools) not in builtin_agents
    ]
    by_agent, loose_agents = _attribute_agents(entries, agent_files, isolated)
    names = set(builtin_skills) | set(skill_names)
    sk_entries = [
        e
        for e in listing.skill_entries(listing.skill_section(first) or "", names, any_name=True)
        if e.name not in builtin_skills or e.name in skill_names
    ]
    by_skill: dict[str, listing.SkillEntry] = {}
    loose_skills: list[listing.SkillEntry] = []
    for e in sk_entries:
        owner = next((f for _, f in skill_files if (f.name or "").lower() == e.name.lower()), None)
        if owner is None:  # a generated file, listed under another name that keeps its token
            owner = next(
                (
                    f
                    for c, f in skill_files
                    if c.source == "generated" and _token(c) == e.name[:5].lower()
                ),
                None,
            )
        if owner is None and isolated and len(skill_files) == 1:
            owner = skill_files[0][1]
        if owner is None or owner.rel in by_skill:
            loose_skills.append(e)
        else:
            by_skill[owner.rel] = e
    if not isolated and (loose_agents or loose_skills):
        return [], cases
    subs = _subagent_requests(res.requests, planner)
    results = listing.tool_results(res.requests)
    skill_results = {n: results[t] for n, t in planner.skill_calls.items() if t in results}
    expanded = _expansions(res.requests, planner, results, skill_files, project)
    records_log = listing.log_records(res.debug_log)
    out: list[JSON] = []
    for c in cases:
        for f in c.files:
            path = os.path.join(project, f.rel)
            rec: JSON = _base_record(c, f, isolated)
            rec["status"] = res.status
            if "/agents/" in f.rel:
                ae = by_agent.get(f.rel)
                rec["listed"] = ae is not None
                needles: list[str] = []
                if ae is not None:
                    rec["name"] = ae.name
                    rec["description"] = compact(ae.description)
                    rec["tools_listed"] = ae.tools
                    needles = [f"'{ae.name}'", f'"{ae.name}"']
                    tid = planner.agent_calls.get(ae.name)
                    sub = subs.get(ae.name)
                    if sub is not None:
                        rec["probe"] = {"model": sub.get("model"), "tools": listing.tool_names(sub)}
                    elif tid in results and results[tid][0]:
                        rec["probe"] = {"error": results[tid][1].replace(project, "<project>")}
                    elif tid in results:
                        rec["probe"] = {"unmatched": "ran, but its request was not found"}
                elif f.name:
                    needles = [f"'{f.name}'", f'"{f.name}"']
                rec["log"] = listing.file_lines(records_log, path, needles, project)
            else:
                s = by_skill.get(f.rel)
                rec["listed"] = s is not None
                if s is not None:
                    rec["name"] = s.name
                    if s.display is not None:
                        rec["display"] = s.display
                    rec["description"] = compact(s.description)
                if f.name in skill_results:
                    err, text = skill_results[f.name]
                    text = _DID_YOU_MEAN.sub("", text)  # names a neighbour in a batch
                    rec["probe"] = {
                        "error" if err else "result": text.replace(project, "<project>")
                    }
                    if f.name in expanded:
                        # trailing blank lines depend on the neighbouring blocks: dropped
                        x = expanded[f.name].replace(project, "<project>").rstrip()
                        rec["probe"]["expanded"] = x[:EXPANSION_CHARS]
                        rec["probe"]["expanded_chars"] = len(x)
                        rec["probe"]["expanded_sha"] = text_sha(x)
                rec["log"] = listing.file_lines(records_log, path, (), project)
            out.append(rec)
    return out, []


def _expansions(
    requests: list[JSON],
    planner: _Planner,
    results: dict[str, tuple[bool, str]],
    skill_files: list[tuple[Case, File]],
    project: str,
) -> dict[str, str]:
    """Skill name -> its expanded text. A skill's text names its folder; the others (commands)
    follow in the order of the calls that launched."""
    launched = [
        n
        for n, t in planner.skill_calls.items()
        if t in results and not results[t][0] and results[t][1].startswith("Launching skill")
    ]
    by_dir = {
        os.path.join(project, os.path.dirname(f.rel)): f.name
        for _, f in skill_files
        if f.name and f.rel.endswith("/SKILL.md")
    }
    out: dict[str, str] = {}
    rest: list[str] = []
    for text in listing.skill_expansions(requests):
        if text.startswith("<system-reminder>"):
            continue
        head = "Base directory for this skill: "
        if text.startswith(head):
            d = text[len(head) :].split("\n", 1)[0]
            if by_dir.get(d) in launched:
                out[str(by_dir[d])] = text
                continue
        rest.append(text)
    for n, text in zip([n for n in launched if n not in out], rest, strict=False):
        out[n] = text
    return out


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def compact(text: str | None) -> str | JSON | None:
    """A listed text as is, or, when long, ``{"sha", "chars", "head", "tail"}``."""
    if text is None or len(text) <= LONG_TEXT:
        return text
    return {"sha": text_sha(text), "chars": len(text), "head": text[:300], "tail": text[-100:]}


def _base_record(c: Case, f: File, isolated: bool) -> JSON:
    rec: JSON = {"id": c.id, "kind": kind_of_file(f.rel), "file": f.rel, "sha": f.sha}
    if f.origin:
        rec["origin"] = f.origin
    rec["run"] = "isolated" if isolated else "batch"
    return rec


def _failed(c: Case, f: File, res: RunResult, isolated: bool) -> JSON:
    rec = _base_record(c, f, isolated)
    rec.update(status=res.status, listed=False, log=[], failure=res.stderr[-300:])
    return rec


# ------------------------------------------------------------------------------ planning


def _namespace(c: Case, f: File) -> str:
    return "agent" if "/agents/" in f.rel else "skill"


def plan(cases: list[Case], batch_size: int) -> list[list[Case]]:
    """Isolated cases alone; the others packed so that names and paths are unique per batch."""
    batches: list[list[Case]] = []
    keys: list[set[str]] = []
    for c in cases:
        if c.isolate:
            batches.append([c])
            keys.append({"*"})
            continue
        mine = {f"{_namespace(c, f)}:{(f.name or '').lower()}" for f in c.files} | {
            f"path:{f.rel.lower()}" for f in c.files
        }
        for b, k in zip(batches, keys, strict=True):
            if "*" not in k and len(b) < batch_size and not (mine & k):
                b.append(c)
                k |= mine
                break
        else:
            batches.append([c])
            keys.append(set(mine))
    return batches


@dataclass
class Recording:
    version: str
    records: list[JSON]
    seconds: float
    runs: int
    baseline: Baseline


def record(
    version: str,
    cases: list[Case],
    batch_size: int = 60,
    jobs: int = 2,
    progress: Callable[[str], None] = lambda s: None,
) -> Recording:
    t0 = time.monotonic()
    base = baseline(version)
    batches = plan(cases, batch_size)
    alone = sum(len(b) == 1 and b[0].isolate for b in batches)
    progress(f"{len(cases)} cases in {len(batches)} runs ({alone} isolated)")
    records: list[JSON] = []
    runs = 2
    retry: list[Case] = []

    def one(b: list[Case]) -> tuple[list[JSON], list[Case]]:
        iso = len(b) == 1 and b[0].isolate
        return record_run(version, b, base, iso, 60 if iso else 180)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for i, (recs, again) in enumerate(pool.map(one, batches)):
            runs += 1
            records += recs
            retry += again
            if i % 10 == 9:
                progress(f"  {i + 1}/{len(batches)} runs, {len(records)} files")
        if retry:
            progress(f"{len(retry)} cases again, each alone")
            for recs, _ in pool.map(lambda c: record_run(version, [c], base, True, 60), retry):
                runs += 1
                records += recs
    records.sort(key=lambda r: (r["id"], r["file"]))
    return Recording(version, records, time.monotonic() - t0, runs, base)


def dumps(rec: JSON) -> str:
    return json.dumps(rec, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
