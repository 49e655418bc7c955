"""Codex CLI as a conformance oracle for ``SKILL.md`` (and for its former custom prompts).

Each run is a fresh HOME (``~/.codex/config.toml`` naming a mock provider on 127.0.0.1 that is
never contacted) and a fresh git project with up to ``BATCH`` skills under
``.agents/skills/<folder>/SKILL.md``. Two commands read the same tree, no network, no TUI:

- ``codex debug prompt-input hi``: the model-visible input; its developer message lists every
  loaded skill as ``- NAME: DESCRIPTION (file: rN/<folder>/SKILL.md)``: the description as the
  model receives it;
- ``codex app-server`` (stdio JSON-RPC, exits when stdin closes): ``skills/list`` gives each
  loaded skill (name, full parsed description, scope, enabled) and an error per skipped file
  (``{"path", "message"}``): the verdict and the runtime's own message.

The listing shares one character budget among all skills (about 20,000 characters; 20 skills of
1,024 characters are already cut): batches of ``BATCH`` skills (each listed description is cut at
1,024 characters anyway) stay far below it, so neighbours never change what a file gets.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conformance.cases import Case
from tests.conformance.codex import cases as codex_cases
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

VERSION = "0.169.0"  # the pinned @openai/codex (npm)
PACKAGE = "@openai/codex"
RUNTIME = "codex"
HERE = Path(__file__).resolve().parent
DIR = CACHE / f"codex-{VERSION}"
BIN = DIR / "node_modules" / ".bin" / "codex"
FOLDER = RECORDINGS / RUNTIME / VERSION
ROOT_DIR = ".agents/skills"
BATCH = 10
WORK = Path(__file__).resolve().parents[3] / ".cache" / "codex-runs"  # not under /tmp: Codex
# refuses to create its helper aliases under a temporary dir and warns on every run

CONFIG = """model = "mock-model"
model_provider = "mock"
check_for_update_on_startup = false

[model_providers.mock]
name = "mock"
base_url = "http://127.0.0.1:9/v1"
wire_api = "responses"
env_key = "MOCK_API_KEY"
"""


def install() -> Path:
    """npm install @openai/codex@VERSION into .cache/runtimes/codex-VERSION (reused)."""
    if BIN.exists():
        rc, out, _ = run([str(BIN), "--version"], timeout=60)
        if rc == 0 and VERSION in out.decode():
            return DIR
    DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"{PACKAGE}@{VERSION}"],
        cwd=DIR,
        check=True,
    )
    return DIR


def cases(sources: tuple[str, ...]) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += skill_cases.generated(ROOT_DIR) + codex_cases.generated(ROOT_DIR)
    if "corpus" in sources:
        out += skill_cases.corpus(ROOT_DIR)
    return out


# ------------------------------------------------------------------ one run


class Sandbox:
    """A fresh HOME and git project under .cache/codex-runs (removed afterwards)."""

    def __init__(self) -> None:
        WORK.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="run-", dir=WORK))
        self.home = self.root / "home"
        self.proj = self.root / "proj"
        (self.home / ".codex").mkdir(parents=True)
        self.proj.mkdir()
        (self.home / ".codex" / "config.toml").write_text(CONFIG, "utf-8")
        subprocess.run(["git", "init", "-q", str(self.proj)], check=True)

    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "CODEX_HOME": str(self.home / ".codex"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "MOCK_API_KEY": "dummy",
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        }

    def prompt_input(self, prompt: str = "hi", cwd: Path | None = None) -> list[JSON]:
        rc, out, err = run(
            [str(BIN), "debug", "prompt-input", prompt],
            env=self.env(),
            cwd=cwd or self.proj,
            timeout=120,
        )
        if rc != 0:
            raise RuntimeError(f"prompt-input rc {rc}: {err.decode(errors='replace')[-500:]}")
        data: list[JSON] = json.loads(out)
        return data

    def skills_list(self, cwd: Path | None = None) -> JSON:
        msgs = [
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"clientInfo": {"name": "agentls-conformance", "version": "0"}},
            },
            {"jsonrpc": "2.0", "method": "initialized"},
            {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "skills/list",
                "params": {"cwds": [str(cwd or self.proj)], "forceReload": True},
            },
        ]
        p = subprocess.Popen(
            ["nice", "-n", "10", str(BIN), "app-server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self.env(),
            cwd=cwd or self.proj,
            start_new_session=True,
        )
        assert p.stdin is not None and p.stdout is not None
        result: JSON | None = None
        deadline = time.monotonic() + 120
        try:
            p.stdin.write(("\n".join(json.dumps(m) for m in msgs) + "\n").encode())
            p.stdin.flush()
            for line in p.stdout:
                d = json.loads(line)
                if d.get("id") == 2:
                    result = d
                    break
                if time.monotonic() > deadline:
                    break
        finally:
            p.stdin.close()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                p.wait()
        if result is None or "result" not in result:
            raise RuntimeError(f"skills/list failed: {result}")
        entry: JSON = result["result"]["data"][0]
        return entry

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


_ENTRY = re.compile(r"^- (.*) \(file: (r\d+)/(.+)\)$")
_ROOT = re.compile(r"^- `(r\d+)` = `(.*)`$")


def listing(items: list[JSON]) -> dict[str, str]:
    """Absolute SKILL.md path -> its entry (``NAME: DESCRIPTION``) in the model-visible list."""
    text = ""
    for it in items:
        for c in it.get("content", []):
            if "<skills_instructions>" in c.get("text", ""):
                text = c["text"]
    roots: dict[str, str] = {}
    out: dict[str, str] = {}
    body = text.split("### Available skills", 1)
    for line in body[0].splitlines():
        m = _ROOT.match(line)
        if m:
            roots[m.group(1)] = m.group(2)
    if len(body) == 2:
        for line in body[1].splitlines():
            m = _ENTRY.match(line)
            if m and m.group(2) in roots:
                out[f"{roots[m.group(2)]}/{m.group(3)}"] = m.group(1)
    return out


def user_texts(items: list[JSON]) -> list[str]:
    return [
        c.get("text", "") for it in items if it.get("role") == "user" for c in it.get("content", [])
    ]


# ------------------------------------------------------------------ verdicts

_FIELD = re.compile(r"(?:invalid YAML: |^)(\w[\w-]*): invalid type")
_MISSING = re.compile(r"missing field `([\w-]+)`|duplicate field `([\w-]+)`")
_AT = re.compile(r"at line (\d+) column (\d+)")


def fields_of(message: str) -> list[str]:
    m = _MISSING.search(message)
    if m:
        return [m.group(1) or m.group(2)]
    m = _FIELD.search(message)
    if m:
        return [m.group(1)]
    if message.startswith("invalid name") or "name:" in message[:20]:
        return ["name"]
    if message.startswith("invalid description"):
        return ["description"]
    return []


def range_of(message: str) -> list[int] | None:
    """The YAML position (1-based, in the front matter that starts on the file's line 1)."""
    m = _AT.search(message)
    if not m:
        return None
    line, col = int(m.group(1)), int(m.group(2)) - 1
    return [line, col, line, col]


def _norm(text: str, sb: Sandbox) -> str:
    return text.replace(str(sb.proj), "<project>").replace(str(sb.home), "<home>")


def _groups(selected: list[Case]) -> Iterator[list[Case]]:
    """Batches of at most BATCH cases, no folder or name twice; isolated cases alone."""
    batch: list[Case] = []
    seen: set[str] = set()
    for c in selected:
        if c.isolate:
            yield [c]
            continue
        f = c.files[0]
        keys = {f.rel.rsplit("/", 2)[-2].lower(), (f.name or "").lower()}
        nm = skill_cases_name(f.data)
        if nm:
            keys.add(nm.lower())
        if len(batch) >= BATCH or keys & seen:
            yield batch
            batch, seen = [], set()
        batch.append(c)
        seen |= keys
    if batch:
        yield batch


def skill_cases_name(data: bytes) -> str | None:
    from tests.conformance.cases import front_matter_name

    return front_matter_name(data)


def run_batch(batch: list[Case]) -> list[JSON]:
    sb = Sandbox()
    try:
        lay_out(sb.proj, [(c.files[0].rel, c.files[0].data) for c in batch])
        items = sb.prompt_input()
        listed = listing(items)
        sl = sb.skills_list()
        errors: dict[str, list[str]] = {}
        for e in sl.get("errors", []):
            errors.setdefault(e["path"], []).append(e["message"])
        loaded = {s["path"]: s for s in sl.get("skills", [])}
        out: list[JSON] = []
        for c in batch:
            f = c.files[0]
            path = str(sb.proj / f.rel)
            problems: list[JSON] = []
            log: list[str] = []
            extra: JSON = {}
            name = description = None
            if path in errors:
                verdict = "drops"
                for msg in errors[path]:
                    p: JSON = {"severity": "error", "message": _norm(msg, sb)}
                    rng = range_of(msg)
                    if rng is not None:
                        p["range"] = rng
                    fl = fields_of(msg)
                    if fl:
                        p["fields"] = fl
                    problems.append(p)
            elif path in loaded:
                s = loaded[path]
                verdict = "loads"
                name = s["name"]
                extra["listed"] = path in listed
                if path in listed:
                    entry = listed[path]
                    if entry.startswith(name + ": ") or entry == name + ":":
                        description = entry[len(name) + 2 :]
                    else:  # not NAME: DESCRIPTION: keep the entry as listed
                        extra["listed_entry"] = short(entry)
                if s.get("description") != description:
                    extra["parsed_description"] = short(s.get("description"))
                if s.get("shortDescription") is not None:
                    extra["short_description"] = short(s["shortDescription"])
                if s.get("enabled") is not True:
                    extra["enabled"] = s.get("enabled")
                extra["scope"] = s.get("scope")
            else:
                verdict = "drops"
                log.append("not discovered: neither loaded nor reported as an error")
            out.append(row(c, f.rel, f.data, verdict, name, description, problems, log, **extra))
        return out
    finally:
        sb.close()


def record_cases(selected: list[Case]) -> list[JSON]:
    install()
    out: list[JSON] = []
    for n, batch in enumerate(_groups(selected), start=1):
        if n % 10 == 0:
            print(f"batch {n}, {len(out)} files", file=sys.stderr, flush=True)
        try:
            out += run_batch(batch)
        except Exception as e:  # one case at a time, then record what failed
            if len(batch) == 1:
                f = batch[0].files[0]
                out.append(row(batch[0], f.rel, f.data, "unknown", None, None, [], [str(e)[:300]]))
                continue
            for c in batch:
                out += _one(c)
    return out


def _one(c: Case) -> list[JSON]:
    try:
        return run_batch([c])
    except Exception as e:
        f = c.files[0]
        return [row(c, f.rel, f.data, "unknown", None, None, [], [str(e)[:300]])]


# ------------------------------------------------------------------ probes


PROBE_SKILL = "---\nname: {n}\ndescription: {n} probe skill\n---\nBody of {n}.\n"


def probe_roots() -> JSON:
    """Which folders Codex reads skills from (a skill named after each candidate)."""
    sb = Sandbox()
    try:
        sub = sb.proj / "sub"
        sub.mkdir()
        cands = {
            "home-codex-skills": sb.home / ".codex/skills",
            "home-agents-skills": sb.home / ".agents/skills",
            "project-codex-skills": sb.proj / ".codex/skills",
            "project-agents-skills": sb.proj / ".agents/skills",
            "project-github-skills": sb.proj / ".github/skills",
            "project-claude-skills": sb.proj / ".claude/skills",
            "project-skills": sb.proj / "skills",
            "cwd-sub-agents-skills": sub / ".agents/skills",
            "below-cwd-agents-skills": sub / "deeper/.agents/skills",
            "home-codex-prompts-as-skill": sb.home / ".codex/prompts",
        }
        for label, d in cands.items():
            n = "p-" + label
            (d / n).mkdir(parents=True)
            (d / n / "SKILL.md").write_text(PROBE_SKILL.format(n=n), "utf-8")
        res: JSON = {}
        for cwd_label, cwd in (("project root", sb.proj), ("project/sub", sub)):
            listed = {e.split(": ", 1)[0] for e in listing(sb.prompt_input(cwd=cwd)).values()}
            res[cwd_label] = {label: ("p-" + label) in listed for label in cands}
        return res
    finally:
        sb.close()


def probe_prompts() -> JSON:
    """Custom prompts (~/.codex/prompts/*.md): read or not, and what /prompts:NAME becomes."""
    sb = Sandbox()
    try:
        pdir = sb.home / ".codex" / "prompts"
        pdir.mkdir(parents=True)
        (pdir / "review.md").write_text(
            "---\ndescription: PROMPTDESC review the diff\nargument-hint: FILE\n---\n"
            "PROMPTBODY Review $1 carefully.\n",
            "utf-8",
        )
        out: JSON = {"file": "~/.codex/prompts/review.md"}
        for prompt in ("/prompts:review src/a.py", "/review src/a.py"):
            items = sb.prompt_input(prompt)
            dump = json.dumps(items)
            out[prompt] = {
                "user_texts": user_texts(items)[-1:],
                "body_reaches_model": "PROMPTBODY" in dump,
                "description_reaches_model": "PROMPTDESC" in dump,
            }
        return out
    finally:
        sb.close()


def probe_duplicates() -> JSON:
    """Two skills with one name: which one is listed, and is the other reported?"""
    sb = Sandbox()
    try:
        places = {
            "project .agents/skills/dup-a": sb.proj / ".agents/skills/dup-a",
            "project .agents/skills/dup-b": sb.proj / ".agents/skills/dup-b",
            "project .codex/skills/dup-c": sb.proj / ".codex/skills/dup-c",
            "~/.codex/skills/dup-d": sb.home / ".codex/skills/dup-d",
            "~/.agents/skills/dup-e": sb.home / ".agents/skills/dup-e",
        }
        for label, d in places.items():
            d.mkdir(parents=True)
            (d / "SKILL.md").write_text(
                f"---\nname: dup\ndescription: from {label}\n---\nBody.\n", "utf-8"
            )
        entries = [e for e in listing(sb.prompt_input()).values() if e.startswith("dup: ")]
        sl = sb.skills_list()
        return {
            "listed": entries,
            "skills_list": sorted(_norm(s["path"], sb) for s in sl["skills"] if s["name"] == "dup"),
            "errors": [_norm(e["message"], sb) for e in sl["errors"]],
        }
    finally:
        sb.close()


def system_skills() -> list[str]:
    sb = Sandbox()
    try:
        return sorted(e.split(": ", 1)[0] for e in listing(sb.prompt_input()).values())
    finally:
        sb.close()


# ------------------------------------------------------------------ record / diff


def record(sources: tuple[str, ...], only: list[str] | None) -> None:
    install()
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
        "package": f"npm {PACKAGE}@{VERSION}",
        "recorded": time.strftime("%Y-%m-%d"),
        "how": (
            "fresh HOME with ~/.codex/config.toml (mock provider on 127.0.0.1, never contacted) "
            "and a fresh git project with <= 10 skills at .agents/skills/<folder>/SKILL.md; "
            "`codex debug prompt-input hi` (the model-visible skills list: description as "
            "received) and `codex app-server` JSON-RPC skills/list (loaded skills and the "
            "error per skipped file)"
        ),
        "system_skills_listed": system_skills(),
        "skill_roots": probe_roots(),
        "custom_prompts": probe_prompts(),
        "same_name_twice": probe_duplicates(),
        "limits": {"listed_description_chars": 1024, "name_chars": 64},
        "sources": {
            s: {"files": sum(1 for r in rows if _src(r) == s), "seconds": took} for s in sources
        },
    }
    write_recordings(FOLDER, meta, rows, sources)
    print(f"{len(rows)} files in {took} s -> {FOLDER}")


def _reading(a: Any) -> tuple[str | None, str | None]:
    """agentls's description and name as Codex lists them."""
    from agentls.core.received import codex_listed_name

    return a.description(), codex_listed_name(a)


def _src(r: JSON) -> str:
    return "generated" if r["id"].startswith("gen/") else r["id"].split("/", 1)[0]


def all_rows() -> list[JSON]:
    _, by_source = load_recordings(FOLDER)
    return [r for rs in by_source.values() for r in rs]


def diff(write: bool = True) -> str:
    rows = all_rows()
    now = {c.id: (c.files[0].rel, c.files[0].data) for c in cases(("generated", "corpus"))}
    rows = [r for r in rows if r["id"] in now and now[r["id"]][0] == r["file"]]
    per_id: dict[str, Answer] = {}
    for r in rows:
        rel, data = now[r["id"]]
        per_id[r["id"]] = agentls_answers([(rel, data)], RUNTIME, _reading)[rel]
    keyed = [{**r, "file": r["id"]} for r in rows]
    cats = diff_rows(keyed, per_id, "Codex")
    from tests.conformance.codex.agreement import compare

    counts: JSON = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    counts["files"] = len(rows)
    text = render_diff(
        f"Codex {VERSION} against agentls (generated by `python -m tests.conformance.codex diff`)",
        "agentls analyses each recorded file's bytes at the laid-out path "
        "(`.agents/skills/<folder>/SKILL.md`, dialect as `agentls.core.dialects.detect` gives it: "
        "`codex-skill`; the findings are agentls's view for Codex). Codex has no warnings: a "
        "file is loaded or skipped with an error. "
        "Descriptions: the listed one (what the model receives, cut at 1,024 characters, "
        "whitespace runs flattened) against agentls's received description for Codex "
        "(`Analysis.description()`), and the name Codex lists against `codex_listed_name`. Row "
        "by row, a file Codex never discovers is `drop-no-error` when agentls says Codex does "
        "not read it (AGL711, or no Codex view): the agreement counts that as agreeing.",
        counts,
        cats,
        compare(),
    )
    if write:
        (HERE / "DIFF.md").write_text(text, "utf-8")
    return text
