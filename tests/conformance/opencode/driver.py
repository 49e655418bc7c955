"""Run cases through the pinned OpenCode and record, per file, what it did.

Agents and commands: ``opencode debug config`` prints the resolved configuration (every agent
and command file it parsed, as it holds them) or fails with ``Configuration is invalid at FILE``
and the reasons, for the whole project. Skills: ``opencode debug skill`` prints every skill it
loaded, with its location (a project whose configuration is invalid fails there too).

Batching: independent cases share a run (unique names per run). A case marked ``isolate`` runs
alone. When a batch fails, the file the error names is run alone (its record comes from that
run) and the rest of the batch is run again; an error that names no file of the batch makes
every case of the batch run alone.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conformance import runtimes_common as rc
from tests.conformance.cases import Case, File
from tests.conformance.opencode import runtime
from tests.conformance.opencode.cases import (
    TOKEN,
    case_dialect,
    expected_name,
    kind_of,
    token_of,
    unstable,
)

JSON = dict[str, Any]
BATCH = {"config": 40, "skill": 120}
SHORT_TEXT = 200  # longer prompts and templates are kept as length and hash
_INVALID = re.compile(r"Configuration is invalid at (.+?)(?::|\n|$)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOG = re.compile(r"^timestamp=\S+ level=(\w+) run=\S+ (.*)$")
_NAME_LINE = re.compile(rb"^name[ \t]*:[ \t]*['\"]?([^'\"\r\n#]*?)['\"]?[ \t]*\r?$", re.M)


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def compact(text: Any) -> Any:
    if isinstance(text, str) and len(text) > SHORT_TEXT:
        return {"len": len(text), "sha": text_sha(text)}
    return text


def runner(c: Case) -> str:
    """Which listing a case needs: ``config`` (agents, commands) or ``skill``."""
    return "skill" if c.kind == "skill" else "config"


def name_guess(f: File) -> str:
    """The name the file will most likely get (a ``name`` key in the front matter wins)."""
    kind = kind_of(f.rel)
    head = f.data[:4096]
    m = _NAME_LINE.search(head.split(b"\n---", 1)[0]) if head.startswith(b"---") else None
    if m:
        return m.group(1).decode("utf-8", "replace").strip()
    return expected_name(kind, f.rel) or f.rel


# ------------------------------------------------------------------------------- running


@dataclass
class Outcome:
    res: runtime.RunResult
    project: str
    home: str
    config: JSON | None = None
    skills: list[JSON] | None = None


def _home_rel(rel: str) -> str | None:
    return rel[2:] if rel.startswith("~/") else None


def _lay_out(tmp: Path, cases: list[Case]) -> tuple[Path, dict[str, bytes]]:
    """A git-inited ``tmp/project`` with the cases' project files; their HOME files apart."""
    project = tmp / "project"
    project.mkdir()
    runtime.git_init(project)
    home_files = {f.rel[2:]: f.data for c in cases for f in c.files if f.rel.startswith("~/")}
    rc.lay_out(project, ((f.rel, f.data) for c in cases for f in c.files if f.rel[:2] != "~/"))
    return project, home_files


def _run(cases: list[Case], which: str) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="agentls-oc-proj-") as tmp:
        project, home_files = _lay_out(Path(tmp), cases)
        args = ["debug", which, "--print-logs", "--log-level", "WARN"]
        res = runtime.run(project, args, home_files=home_files)
        out = Outcome(res, str(project), "")
        m = re.search(r"/tmp/agentls-oc-home-[^/\s\"]+", res.stderr + res.stdout)
        out.home = m.group(0) if m else ""
        if res.ok:
            try:
                data = json.loads(res.stdout)
            except ValueError:
                data = None
            if which == "config" and isinstance(data, dict):
                out.config = data
            elif which == "skill" and isinstance(data, list):
                out.skills = data
        return out


def _norm(text: str, o: Outcome) -> str:
    text = _ANSI.sub("", text)
    text = text.replace(o.project, "<project>")
    text = re.sub(r"/tmp/agentls-oc-home-[^/\s\"]+", "<home>", text)
    return text


def _error_text(o: Outcome) -> str:
    """The error OpenCode printed (stdout or stderr, without the log lines)."""
    lines = [
        ln
        for ln in (o.res.stderr + "\n" + o.res.stdout).splitlines()
        if ln.strip() and not _LOG.match(ln)
    ]
    return _norm("\n".join(lines), o)


def _failed_file(o: Outcome, cases: list[Case]) -> Case | None:
    text = _ANSI.sub("", o.res.stderr + "\n" + o.res.stdout)
    for m in _INVALID.finditer(text):
        path = m.group(1).strip()
        for c in cases:
            for f in c.files:
                if _located(f, path, o):
                    return c
    for c in cases:  # any other error naming a file
        for f in c.files:
            if f.rel.lstrip("~/") in text:
                return c
    return None


def _located(f: File, path: str, o: Outcome) -> bool:
    h = _home_rel(f.rel)
    if h is not None:
        return path.endswith("/" + h) and "agentls-oc-home-" in path
    return path == f"{o.project}/{f.rel}"


def _log_lines(o: Outcome, f: File) -> list[str]:
    keys = [f.rel.lstrip("~/")]
    tok = token_of(f)
    out = []
    for ln in o.res.stderr.splitlines():
        m = _LOG.match(ln)
        if not m or m.group(1) not in ("WARN", "ERROR"):
            continue
        if any(k in ln for k in keys) or (tok and re.search(rf"\b{tok}\b", ln)):
            out.append(f"{m.group(1)} {_norm(m.group(2), o)}")
    return out


# ------------------------------------------------------------------------------ attribution


def _entry_token(name: str, entry: JSON, body_key: str) -> str | None:
    for text in (name, entry.get(body_key), entry.get("description")):
        if isinstance(text, str):
            m = TOKEN.search(text)
            if m:
                return m.group(1)
    return None


def _find_entry(f: File, entries: dict[str, JSON], body_key: str) -> tuple[str, JSON] | None:
    tok = token_of(f)
    want = {expected_name(kind_of(f.rel), f.rel), name_guess(f)} - {None}
    if tok is not None:
        for name, e in entries.items():
            if name in want:
                return name, e
        for name, e in entries.items():
            if _entry_token(name, e, body_key) == tok:
                return name, e
        return None
    for name, e in entries.items():
        if name in want:
            return name, e
    return None


_SCHEMA_ERROR = re.compile(r"SchemaError: (.*?)\n\s*at \[(.*?)\]", re.S)


def _problems_of_error(err: str) -> list[JSON]:
    probs: list[JSON] = []
    head = err.splitlines()[0] if err else ""
    issues = [ln[1:].strip() for ln in err.splitlines() if ln.startswith("\u21b3")]
    if not issues:
        fields: list[str] = []
        for m in _SCHEMA_ERROR.finditer(err):
            fields += [x.strip().strip('"') for x in m.group(2).split(",") if x.strip()]
        return [{"severity": "error", "message": err, "fields": fields}]
    for msg in issues:
        field = msg.rsplit(" ", 1)[-1] if " " in msg else ""
        probs.append(
            {
                "severity": "error",
                "message": f"{head.removeprefix('Error: ')} \u21b3 {msg}",
                "fields": [field] if field else [],
            }
        )
    return probs


def _row(c: Case, f: File, alone: bool, status: str) -> JSON:
    dialect = case_dialect(c, f) if f is c.files[0] else _dialect_of_file(f)
    run = "alone" if alone else "batch"
    return rc.base_row(c.id, dialect, f.rel, f.sha, kind=kind_of(f.rel), run=run, status=status)


def _dialect_of_file(f: File) -> str:
    from tests.conformance.opencode.cases import dialect_of

    return dialect_of(kind_of(f.rel), f.rel)


def _fm_state(f: File, prompt: Any) -> str:
    """Whether the front matter was read: ``none`` (no block), ``ignored`` (the prompt is the
    whole file: the YAML failed and gray-matter's cache returned it unparsed), ``read``."""
    try:
        text = f.data.decode("utf-8")
    except UnicodeDecodeError:
        text = f.data.decode("utf-8", "replace")
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return "none"
    if isinstance(prompt, str) and prompt and prompt == text.strip():
        return "ignored"
    return "read"


def _records(cases: list[Case], o: Outcome, alone: bool) -> list[JSON]:
    rows: list[JSON] = []
    err = "" if o.res.ok else _error_text(o)
    failed = None if o.res.ok else _failed_file(o, cases)
    for c in cases:
        for f in c.files:
            r = _row(c, f, alone, o.res.status)
            r["log"] = _log_lines(o, f)
            if unstable(c.id):
                r["note"] = "same name twice: which file wins varies between runs"
            kind = r["kind"]
            if not o.res.ok:
                if failed is c and _located_any(f, err, o):
                    r["verdict"] = "breaks-project"
                    r["problems"] = _problems_of_error(err)
                elif failed is not None:
                    r["verdict"] = "unknown"
                    r["note"] = "the project failed on another file of the run"
                else:
                    r["verdict"] = "unknown"
                    msg = err[:2000] or f"no answer ({o.res.status}, killed after 60 s)"
                    r["problems"] = [{"severity": "error", "message": msg}]
                rows.append(r)
                continue
            if kind == "skill" and o.skills is not None:
                _skill_row(r, f, o)
            elif o.config is not None and kind in ("agent", "command"):
                _config_row(r, f, o)
            elif kind == "skill":
                r["verdict"] = "unknown"
                r["note"] = "skills are read by `debug skill` only"
            rows.append(r)
    return rows


def _located_any(f: File, err: str, o: Outcome) -> bool:
    h = _home_rel(f.rel)
    return ("<project>/" + f.rel) in err or (h is not None and ("/" + h) in err)


def _config_row(r: JSON, f: File, o: Outcome) -> None:
    assert o.config is not None
    kind = r["kind"]
    section = "agent" if kind == "agent" else "command"
    body_key = "prompt" if kind == "agent" else "template"
    entries = o.config.get(section) or {}
    found = _find_entry(f, entries, body_key)
    if found is None:
        r["verdict"] = "drops"
        return
    name, e = found
    r["verdict"] = "loads"
    r["name"] = name
    r["description"] = e.get("description")
    value = {k: (compact(v) if k == body_key else v) for k, v in e.items() if k != "description"}
    value.pop("name", None)
    r["value"] = value
    r["fm"] = _fm_state(f, e.get(body_key))


def _skill_row(r: JSON, f: File, o: Outcome) -> None:
    assert o.skills is not None
    h = _home_rel(f.rel)
    for s in o.skills:
        loc = str(s.get("location", ""))
        hit = loc == f"{o.project}/{f.rel}" or (
            h is not None and loc.endswith("/" + h) and "agentls-oc-home-" in loc
        )
        if hit:
            r["verdict"] = "loads"
            r["name"] = s.get("name")
            r["description"] = s.get("description")
            r["value"] = {"content": compact(s.get("content"))}
            if s.get("description") is None:
                r["value"]["listed_to_model"] = False
            break
    else:
        r["verdict"] = "drops"
    for ln in r["log"]:
        sev = "error" if ln.startswith("ERROR") else "warning"
        r["problems"].append({"severity": sev, "message": ln.split(" ", 1)[1]})
    if r["verdict"] == "loads" and r["problems"]:
        r["verdict"] = "loads-with-warnings"


# ------------------------------------------------------------------------------ planning


def plan(cases: list[Case]) -> list[tuple[str, list[Case]]]:
    """Batches of independent cases (unique names per batch); isolated cases alone."""
    out: list[tuple[str, list[Case]]] = []
    open_: dict[str, list[tuple[list[Case], set[str]]]] = {"config": [], "skill": []}
    for c in cases:
        which = runner(c)
        if c.isolate:
            out.append((which, [c]))
            continue
        names = {f"{kind_of(f.rel)}:{name_guess(f)}" for f in c.files}
        for batch, used in open_[which]:
            if len(batch) < BATCH[which] and not (names & used):
                batch.append(c)
                used |= names
                break
        else:
            open_[which].append(([c], set(names)))
    for which, batches in open_.items():
        out.extend((which, b) for b, _ in batches)
    return out


def run_batch(which: str, batch: list[Case], log: Any = None) -> list[JSON]:
    """Run a batch; peel off the file a failure names and run the rest again."""
    rows: list[JSON] = []
    pending = list(batch)
    while pending:
        alone = len(pending) == 1
        o = _run(pending, which)
        if o.res.ok or alone:
            rows += _records(pending, o, alone)
            break
        failed = _failed_file(o, pending)
        if failed is None:
            for c in pending:
                rows += _records([c], _run([c], which), True)
            break
        peeled = _records([failed], o, False)
        for r in peeled:
            r["run"] = "peeled"  # the batch's own error names this file: no run of its own
        rows += peeled
        pending = [c for c in pending if c is not failed]
        if log:
            log(f"  peeled {failed.id}, {len(pending)} left")
    return rows


def record(cases: list[Case], workers: int = 2, log: Any = print) -> list[JSON]:
    batches = plan(cases)
    rows: list[JSON] = []
    done = 0

    def one(item: tuple[str, list[Case]]) -> list[JSON]:
        which, batch = item
        return run_batch(which, batch, log)

    with ThreadPoolExecutor(max_workers=workers) as ex:
        for res in ex.map(one, batches):
            rows += res
            done += 1
            if log and done % 10 == 0:
                log(f"{done}/{len(batches)} runs")
    rows.sort(key=lambda r: (r["id"], r["file"]))
    return rows


def dumps(rec: JSON) -> str:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def iter_files(cases: Iterable[Case]) -> Iterable[tuple[Case, File]]:
    for c in cases:
        for f in c.files:
            yield c, f


# ------------------------------------------------------------------------------ the probe

PROBE_BATCH = {"agent": 40, "skill": 150}
BUILTIN_AGENTS = ("build", "plan", "general", "explore", "compaction", "title", "summary")
_TASK_HEADER = "Available agent types and the tools they have access to:\n"
_SKILL_ENTRY = re.compile(
    r"<skill>\n\s*<name>(.*?)</name>\n\s*<description>(.*?)</description>\n\s*"
    r"<location>(.*?)</location>\n\s*</skill>",
    re.S,
)


def _task_listing(requests: list[JSON]) -> str | None:
    for req in requests:
        for tool in req.get("body", {}).get("tools") or []:
            fn = tool.get("function") or {}
            if fn.get("name") == "task":
                text = str(fn.get("description", ""))
                i = text.find(_TASK_HEADER)
                return text[i + len(_TASK_HEADER) :] if i >= 0 else ""
    return None


def _skill_listing(requests: list[JSON]) -> list[tuple[str, str, str]] | None:
    for req in requests:
        for m in req.get("body", {}).get("messages") or []:
            content = m.get("content")
            if m.get("role") == "system" and isinstance(content, str):
                i = content.find("<available_skills>")
                if i >= 0:
                    return [
                        (n, d, html.unescape(loc))
                        for n, d, loc in _SKILL_ENTRY.findall(content[i:])
                    ]
    return None


def _split_listing(text: str, names: Iterable[str]) -> dict[str, str]:
    """``- NAME: DESCRIPTION`` entries (descriptions may span lines), for the names given."""
    starts = []
    for n in set(names):
        i = ("\n" + text).find(f"\n- {n}: ")
        if i >= 0:
            starts.append((i, n))
    starts.sort()
    out = {}
    for k, (i, n) in enumerate(starts):
        end = starts[k + 1][0] - 1 if k + 1 < len(starts) else len(text)
        out[n] = text[i + len(f"- {n}: ") : end]
    return out


def probe(cases: list[Case], rows: list[JSON], workers: int = 2, log: Any = None) -> None:
    """``opencode run hi`` against the stand-in for the loaded agents and skills: whether the
    model is told about each (the Task tool's agent list, the system prompt's skill list) and
    the description it receives. Adds ``received`` to those rows, in place."""
    by_case: dict[str, list[JSON]] = {}
    for r in rows:
        by_case.setdefault(r["id"], []).append(r)
    todo: list[tuple[str, list[Case]]] = []
    open_: dict[str, list[tuple[list[Case], set[str]]]] = {"agent": [], "skill": []}
    for c in cases:
        rs = by_case.get(c.id, [])
        kinds = {r["kind"] for r in rs}
        if not rs or kinds - {"agent", "skill"} or len(kinds) != 1:
            continue
        if any(r["verdict"] not in ("loads", "loads-with-warnings") for r in rs):
            continue
        kind = kinds.pop()
        names = {str(r["name"]) for r in rs}
        if c.isolate:
            todo.append((kind, [c]))
            continue
        for batch, used in open_[kind]:
            if len(batch) < PROBE_BATCH[kind] and not (names & used):
                batch.append(c)
                used |= names
                break
        else:
            open_[kind].append(([c], set(names)))
    for kind, batches in open_.items():
        todo.extend((kind, b) for b, _ in batches)

    def one(item: tuple[str, list[Case]]) -> None:
        kind, batch = item
        o = _run_probe(batch)
        reqs = o.res.requests
        if kind == "agent":
            listing = _task_listing(reqs)
            names = [str(r["name"]) for c in batch for r in by_case[c.id]] + list(BUILTIN_AGENTS)
            entries = _split_listing(listing, names) if listing is not None else {}
            for c in batch:
                for r in by_case[c.id]:
                    if listing is None:
                        r["received"] = _probe_failure(o)
                        continue
                    d = entries.get(str(r["name"]))
                    r["received"] = {"listed": d is not None, "description": d}
        else:
            skills = _skill_listing(reqs)
            for c in batch:
                for r in by_case[c.id]:
                    if skills is None:
                        r["received"] = _probe_failure(o)
                        continue
                    path = _abs_path(r["file"], o)
                    hit = [(n, d) for n, d, loc in skills if loc == path]
                    r["received"] = {
                        "listed": bool(hit),
                        "description": hit[0][1] if hit else None,
                    }

    done = 0
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for _ in ex.map(one, todo):
            done += 1
            if log and done % 5 == 0:
                log(f"probe {done}/{len(todo)} runs")


_ERROR_FIELD = re.compile(r'\berror="((?:[^"\\]|\\.)*)"')


def _probe_failure(o: Outcome) -> JSON:
    """The run sent no request with the listing: its status and first logged error."""
    out: JSON = {"status": o.res.status, "listed": None}
    for ln in o.res.stderr.splitlines():
        m = _LOG.match(ln)
        if m and m.group(1) == "ERROR":
            e = _ERROR_FIELD.search(m.group(2))
            out["error"] = _norm(e.group(1) if e else m.group(2), o)[:300]
            break
    return out


def _abs_path(rel: str, o: Outcome) -> str:
    h = _home_rel(rel)
    return f"{o.home}/{h}" if h is not None else f"{o.project}/{rel}"


def _run_probe(cases: list[Case]) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="agentls-oc-proj-") as tmp:
        project, home_files = _lay_out(Path(tmp), cases)
        res = runtime.run(
            project,
            ["run", "hi", "--print-logs", "--log-level", "WARN"],
            home_files=home_files,
            standin=True,
        )
        home = ""
        for req in res.requests:
            m = re.search(r"/tmp/agentls-oc-home-[^/\s\"<]+", json.dumps(req))
            if m:
                home = m.group(0)
                break
        return Outcome(res, str(project), home)
