"""Record VS Code's prompt-file diagnostics for the cases: batches, rows, recordings.

All files of a batch share one workspace (``project/``) and one code-server run; the helper
extension shows them in ``GROUPS`` editor groups at once. Files a run did not report (a crash, a
timeout) are run again in a batch of their own, then one by one.

Rows keep the markers of VS Code's prompt validation (owner ``prompts-diagnostics-provider``:
the only producer of markers on these files in a code-server without other extensions), minus
the "Unknown tool 'X' will be ignored." hints that only say that Copilot Chat (which contributes
most tools) is not installed; their tool names are kept in ``unknown_tools``.
"""

from __future__ import annotations

import datetime
import re
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from agentls.core.dialects import detect
from tests.conformance.cases import Case
from tests.conformance.runtimes_common import Recordings, base_row, sha16
from tests.conformance.vscode import runtime

JSON = dict[str, Any]
SOURCES = ("generated", "corpus")
RECORDINGS = Recordings(
    "vscode",
    runtime.VSCODE_VERSION,
    SOURCES,
    source_of=lambda r: "generated" if str(r["id"]).startswith("gen/") else "corpus",
)
OWNER = "prompts-diagnostics-provider"
BATCH = 250
GROUPS = 8
MIN_MS, QUIET_MS = 1500, 700  # each file is shown at least MIN_MS, and until QUIET_MS unchanged
SECOND_MIN_MS, SECOND_QUIET_MS = 4000, 1000  # the second pass, for files with no marker
UNKNOWN_TOOL = re.compile(r"^Unknown tool '(.+)' will be ignored\.$")
UNKNOWN_TOOL_CODE = "promptValidator.unknownExtensionOrMcpServerReference"
PROMPT_LANGUAGES = ("chatagent", "prompt", "instructions", "skill")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2, "hint": 3}

_FIELD_PATTERNS = (
    re.compile(r"^Attribute '([^']+)'"),
    re.compile(r"^The '([^']+)' (?:attribute|array)"),
    re.compile(r"in the '([^']+)' attribute"),
    re.compile(r"^Duplicate key: \"(.+)\"$"),
)


def folder(version: str = runtime.VSCODE_VERSION) -> Path:
    return Recordings("vscode", version, SOURCES).folder


text_sha = sha16


def fields_of(message: str) -> list[str]:
    for pat in _FIELD_PATTERNS:
        m = pat.search(message)
        if m:
            return [m.group(1)]
    if "handoff" in message:
        return ["handoffs"]
    if "hook" in message.lower():
        return ["hooks"]
    if message.startswith("Skill should provide a "):
        return [message.rsplit(" ", 1)[-1].rstrip(".")]
    return []


_KEY = re.compile(r"^[ \t]*([A-Za-z_][\w.-]*)[ \t]*:")


def key_at(lines: list[str], rng: list[int]) -> list[str]:
    """The key of the line a marker starts on (when the marker is not on the opener)."""
    if rng[0] == 0 or rng[0] >= len(lines):
        return []
    m = _KEY.match(lines[rng[0]])
    return [m.group(1)] if m else []


def normalise(message: str, project: str) -> str:
    """The project path becomes ``<project>``; the list of available agents (every agent of the
    workspace: it depends on the batch) becomes ``…``."""
    if project:
        message = re.sub(
            r"vscode-remote://127\.0\.0\.1:\d+" + re.escape(project), "<project>", message
        )
        message = message.replace(project, "<project>")
    return re.sub(r"Available agents: .*\.$", "Available agents: ….", message)


def verdict_of(problems: list[JSON]) -> str:
    """No way to observe use from the editor: an error marker is "unknown", a warning
    "loads-with-warnings", anything else (info, hints, nothing) "loads"."""
    sev = {p["severity"] for p in problems}
    if "error" in sev:
        return "unknown"
    if "warning" in sev:
        return "loads-with-warnings"
    return "loads"


def row(case: Case, rec: JSON | None) -> JSON:
    f = case.files[0]
    match = detect(f.rel)
    out = base_row(case.id, match.dialect if match else None, f.rel, text_sha(f.data))
    if rec is None or rec.get("error") or rec.get("timedOut"):
        why = "not reported" if rec is None else (rec.get("error") or "timed out")
        project = str((rec or {}).get("project", ""))  # the run's folder and port: not kept
        out["log"] = [f"helper: {normalise(str(why), project)}"]
        return out
    project = str(rec.get("project", ""))
    lines = f.data.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    problems: list[JSON] = []
    unknown_tools: list[str] = []
    for d in rec.get("diagnostics") or []:
        m = UNKNOWN_TOOL.match(d["message"])
        if m and d.get("severity") == "hint" and d.get("code") == UNKNOWN_TOOL_CODE:
            unknown_tools.append(m.group(1))
            continue
        msg = normalise(d["message"], project)
        p: JSON = {"severity": d["severity"], "message": msg, "range": d["range"]}
        p["fields"] = fields_of(msg) or key_at(lines, d["range"])
        if d.get("code"):
            p["code"] = d["code"]
        if d.get("tags"):
            p["tags"] = d["tags"]
        problems.append(p)
    problems.sort(key=lambda p: (p["range"], SEVERITY_RANK[p["severity"]], p["message"]))
    log: list[str] = []
    lang = rec.get("languageId")
    if lang not in PROMPT_LANGUAGES:
        log.append(f"languageId {lang}: not validated as a prompt file")
    out.update(
        verdict=verdict_of(problems),
        name=None,
        description=None,
        problems=problems,
        log=log,
        languageId=lang,
        owner=OWNER if problems else None,
        unknown_tools=unknown_tools,
    )
    return out


def _chunks(cases: list[Case], n: int) -> Iterable[list[Case]]:
    for i in range(0, len(cases), n):
        yield cases[i : i + n]


def run_cases(
    cases: list[Case], *, batch: int = BATCH, verbose: bool = True
) -> tuple[list[JSON], JSON]:
    """Run every case; return the rows and what the runs reported (version, tools, timing)."""
    t = runtime.install()
    recs: dict[str, JSON] = {}
    failed: dict[str, JSON] = {}
    info: JSON = {"runs": 0, "seconds": 0.0, "version": None, "lm_tools": [], "errors": []}

    def go(group: list[Case], min_ms: int = MIN_MS, quiet_ms: int = QUIET_MS) -> None:
        files = {c.files[0].rel: c.files[0].data for c in group}
        r = runtime.run(files, groups=GROUPS, min_ms=min_ms, quiet_ms=quiet_ms, t=t)
        info["runs"] += 1
        info["seconds"] += r.seconds
        info["version"] = r.version or info["version"]
        info["lm_tools"] = r.lm_tools or info["lm_tools"]
        if r.error:
            info["errors"].append(r.error[:300])
        warm = r.warmup.get("markers", 0) > 0
        if not warm:  # the validation never answered: nothing from this run can be trusted
            info["errors"].append(f"warm-up file got no marker: {r.warmup}")
        for c in group:
            if not warm:
                continue
            rec = r.files.get(c.files[0].rel)
            if rec is not None and not rec.get("error") and not rec.get("timedOut"):
                recs[c.id] = rec
            elif rec is not None:
                failed[c.id] = rec
        if verbose:
            got = sum(c.id in recs for c in group)
            err = f", error: {r.error[:200]}" if r.error else ""
            err += f", warm-up {r.warmup}"
            print(
                f"  run of {len(group)} files: {r.seconds:.0f}s, {got} reported{err}",
                file=sys.stderr,
            )

    for group in _chunks(cases, batch):
        go(group)
    missing = [c for c in cases if c.id not in recs]
    if missing:
        go(missing)
    for c in [c for c in cases if c.id not in recs]:
        go([c])
    # A file shown for MIN_MS may not have been validated yet when the machine is busy (its
    # markers then come later: all at once, never in part). A file with no diagnostic at all
    # (not even an "Unknown tool" hint) is shown again, longer, in a second pass.
    empty = [c for c in cases if c.id in recs and not recs[c.id].get("diagnostics")]
    first = {c.id: recs.pop(c.id) for c in empty}
    for group in _chunks(empty, batch):
        go(group, SECOND_MIN_MS, SECOND_QUIET_MS)
    info["second_pass"] = len(empty)
    info["second_pass_found_markers"] = sorted(
        c.id for c in empty if c.id in recs and recs[c.id].get("diagnostics")
    )
    for cid, rec in first.items():
        recs.setdefault(cid, rec)
    rows = [row(c, recs.get(c.id, failed.get(c.id))) for c in cases]
    return rows, info


def write(source: str, rows: list[JSON], meta: JSON) -> Path:
    return RECORDINGS.write(meta, rows, (source,))


def load(source: str) -> list[JSON]:
    return RECORDINGS.source(source)


_VOCAB = (
    (re.compile(r"^Attribute '[^']+' is not supported (.*?)\. Supported: (.*)\.$"), "keys {}"),
    (re.compile(r"^Unknown hook event type '[^']+'\. Supported: (.*)\.$"), "hook events"),
    (re.compile(r"^Unknown permission scope '[^']+'\. Valid scopes: (.*)\.$"), "github scopes"),
    (re.compile(r"^Unknown value '[^']+', valid: (.*)\.$"), "values of {field}"),
    (re.compile(r"^The 'target' attribute must be one of: (.*)\.$"), "target values"),
)


def vocabularies(rows: Iterable[JSON]) -> JSON:
    """The lists VS Code names in its own messages (supported keys per file kind...)."""
    out: JSON = {}
    for r in rows:
        for p in r["problems"]:
            for pat, label in _VOCAB:
                m = pat.match(p["message"])
                if not m:
                    continue
                groups = m.groups()
                where = groups[0] if len(groups) == 2 else ""
                key = label.format(
                    where, field=r["file"].split("/")[1] + ":" + ",".join(p["fields"])
                )
                out[key] = [x.strip() for x in groups[-1].split(",")]
    return dict(sorted(out.items()))


def old_vocab() -> JSON:
    return dict(RECORDINGS.meta().get("vocabularies", {}))


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(f"signal {signum}")  # unwinds through runtime.run's clean-up


def record_rows(cases: list[Case]) -> tuple[list[JSON], JSON]:
    """The rows of ``cases`` (a SIGTERM unwinds through the runs' clean-up) and the runs' info."""
    signal.signal(signal.SIGTERM, _terminate)
    return run_cases(cases)


def meta(source: str, rows: list[JSON], info: JSON, share: int) -> JSON:
    t = runtime.toolchain()
    meta: JSON = {
        "runtime": "VS Code (code-server)",
        "version": info["version"] or runtime.VSCODE_VERSION,
        "code_server": runtime.code_server_version(t) or runtime.CODE_SERVER_VERSION,
        "recorded": datetime.date.today().isoformat(),
        "how": (
            "code-server on 127.0.0.1 (fresh user-data-dir, extensions-dir, HOME), headless "
            "Chromium on the workspace; the helper extension tests/conformance/vscode/helper "
            f"shows each file in a code editor ({GROUPS} editor groups at once) and reads "
            f"vscode.languages.getDiagnostics(uri) until stable (>= {MIN_MS} ms, {QUIET_MS} ms "
            f"unchanged); files with no diagnostic are shown again (>= {SECOND_MIN_MS} ms)"
        ),
        "owner": OWNER,
        "dropped": "hints \"Unknown tool 'X' will be ignored.\" (Copilot Chat, which contributes "
        "most tools, is not installed): kept per row in unknown_tools",
        "lm_tools": info["lm_tools"],
        "vocabularies": {**old_vocab(), **vocabularies(rows)},
        "sources": {
            source: {
                "files": len(rows),
                "runs": info["runs"],
                "seconds": round(info["seconds"]),
                **({"sample_per_1000": share} if source == "corpus" else {}),
                "second_pass": info["second_pass"],
                "second_pass_found_markers": info["second_pass_found_markers"],
                **({"run_errors": info["errors"]} if info["errors"] else {}),
            }
        },
    }
    return meta
