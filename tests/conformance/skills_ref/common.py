"""Shared by the skills-ref and Codex drivers: recordings on disk, agentls's answer, the diff.

A recording row (one per file, sorted by id) has the common fields of every runtime driver of
issue 11: ``id, dialect, file, sha, verdict, name, description, problems, log`` and then the
runtime's own fields.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance.cases import ROOT, Case

JSON = dict[str, Any]
CONFORMANCE = ROOT / "tests" / "conformance"
RECORDINGS = CONFORMANCE / "recordings"
CACHE = ROOT / ".cache" / "runtimes"
SOURCES = ("generated", "corpus")
VERDICTS = ("loads", "loads-with-warnings", "drops", "breaks-project", "unknown")
LONG_TEXT = 300  # longer texts are kept as their hash and length
LONG_DESCRIPTION = 2048  # longer descriptions too


def sha16(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def short(text: str | None, limit: int = LONG_TEXT) -> str | None:
    """The text, or ``sha256:<16 hex>:<length>`` when it is too long to keep in a row."""
    if text is None or len(text) <= limit:
        return text
    return f"sha256:{sha16(text.encode('utf-8', 'surrogatepass'))}:{len(text)}"


def row(
    case: Case,
    file_rel: str,
    data: bytes,
    verdict: str,
    name: str | None,
    description: str | None,
    problems: list[JSON],
    log: list[str],
    dialect: str | None = None,
    **extra: Any,
) -> JSON:
    """A recording row; ``dialect`` defaults to agentls's dialect for the laid-out path."""
    assert verdict in VERDICTS, verdict
    if dialect is None:
        from agentls.core.dialects import detect

        m = detect(file_rel, plugin_root=None)
        dialect = m.dialect if m else None
    return {
        "id": case.id,
        "dialect": dialect,
        "file": file_rel,
        "sha": sha16(data),
        "verdict": verdict,
        "name": name,
        "description": short(description, LONG_DESCRIPTION),
        "problems": problems,
        "log": log,
        **extra,
    }


def write_recordings(folder: Path, meta: JSON, rows: list[JSON], sources: Sequence[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    old: JSON = {}
    mp = folder / "meta.json"
    if mp.is_file():
        old = json.loads(mp.read_text("utf-8"))
    merged = {**old, **meta, "sources": {**old.get("sources", {}), **meta.get("sources", {})}}
    mp.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    for source in sources:
        pre = "gen" if source == "generated" else source
        rs = sorted((r for r in rows if r["id"].split("/", 1)[0] == pre), key=lambda r: r["id"])
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rs)
        (folder / f"{source}.jsonl").write_text(text, "utf-8")


def load_recordings(folder: Path) -> tuple[JSON, dict[str, list[JSON]]]:
    meta: JSON = json.loads((folder / "meta.json").read_text("utf-8"))
    out: dict[str, list[JSON]] = {}
    for source in SOURCES:
        p = folder / f"{source}.jsonl"
        if p.is_file():
            out[source] = [json.loads(x) for x in p.read_text("utf-8").split("\n") if x]
    return meta, out


def lay_out(root: Path, files: Iterable[tuple[str, bytes]]) -> None:
    for rel, data in files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def run(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: bytes = b"",
    timeout: float = 120.0,
) -> tuple[int, bytes, bytes]:
    """Run ``argv`` niced in its own process group; on timeout kill that group only."""
    p = subprocess.Popen(
        ["nice", "-n", "10", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = p.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, err = p.communicate()
        return -9, out, err
    return p.returncode, out, err


# ------------------------------------------------------------------ agentls's answer


@dataclass
class Answer:
    """What agentls says about one file at its laid-out path."""

    dialect: str | None
    findings: list[JSON]  # {code, severity, message, key, range}
    description: str | None  # the `description` value as agentls loads it (None: none)
    name: str | None
    loaded: bool  # agentls's own emulation found and parsed the block

    @property
    def errors(self) -> list[JSON]:
        return [f for f in self.findings if f["severity"] == "error"]

    def keys(self, severities: tuple[str, ...] = ("error", "warning")) -> set[str]:
        return {f["key"] for f in self.findings if f["severity"] in severities and f["key"]}


def _scalar(root: Any, key: str) -> str | None:
    e = root.get(key) if root is not None else None
    v = getattr(getattr(e, "value", None), "value", None)
    return v if isinstance(v, str) else None


def analyses(files: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    """agentls's ``Analysis`` of each file, written at its laid-out path under a temporary
    project (the same bytes at the same path as the runtime read)."""
    from agentls.cli import read_text
    from agentls.core.analysis import analyze
    from agentls.core.dialects import detect
    from agentls.core.settings import Settings

    settings = Settings()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="agentls-diff-") as tmp:
        root = Path(tmp)
        lay_out(root, files)
        for rel, _ in files:
            path = str(root / rel)
            text, extra = read_text(path)
            out[rel] = analyze(path, text, settings, dialect=detect(path), extra=extra)
    return out


def agentls_answers(
    files: Sequence[tuple[str, bytes]],
    runtime: str | None = None,
    reading: Callable[[Any], tuple[str | None, str | None]] | None = None,
) -> dict[str, Answer]:
    """agentls on each file, written at its laid-out path under a temporary project.

    ``runtime``: only agentls's findings about that runtime (its view of the file; none when
    agentls does not think the runtime reads the path); default: every finding.
    ``reading``: (description, name) as agentls says that runtime reads them, from the
    ``Analysis``; default: the parsed string values."""
    out: dict[str, Answer] = {}
    for rel, a in analyses(files).items():
        findings = a.findings
        if runtime is not None:
            views = [v.findings for v in a.readers if v.runtime == runtime]
            findings = views[0] if views else ()
        fs: list[JSON] = []
        for f in findings:
            l0, c0 = a.lines.position(f.span.start)
            l1, c1 = a.lines.position(f.span.end)
            fs.append(
                {
                    "code": f.code,
                    "severity": f.severity.name.lower().replace("information", "info"),
                    "message": f.message,
                    "key": _finding_key(a, f.span.start),
                    "range": [l0, c0, l1, c1],
                }
            )
        root_map = a.root if a.runtime_loaded else None
        desc, name = (
            reading(a)
            if reading is not None
            else (_scalar(root_map, "description"), _scalar(root_map, "name"))
        )
        out[rel] = Answer(
            a.dialect.dialect if a.dialect else None, fs, desc, name, a.runtime_loaded
        )
    return out


def _finding_key(a: Any, offset: int) -> str | None:
    """The top-level key whose entry contains ``offset`` (None: none)."""
    if a.root is None:
        return None
    for e in getattr(a.root, "entries", []):
        end = e.value.span.end if e.value is not None else e.key.span.end
        if e.key.span.start <= offset <= end:
            return str(e.key_text)
    return None


# ------------------------------------------------------------------ the diff


@dataclass
class Category:
    title: str
    explain: str
    ids: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def norm_desc(s: str | None) -> str | None:
    return None if s is None else s.strip()


def diff_rows(
    rows: list[JSON],
    answers: dict[str, Answer],
    runtime: str,
    *,
    extra: Callable[[JSON, Answer, dict[str, Category]], None] | None = None,
    received: Callable[[str], str] | None = None,
) -> dict[str, Category]:
    """Categorise each row against agentls's answer (``answers`` keyed by ``row["file"]``).

    ``received``: how the runtime turns a parsed description into the one it lists (e.g. Codex
    flattens whitespace and cuts at 1,024); descriptions equal after it are counted apart.
    """
    cats: dict[str, Category] = {
        "drop-no-error": Category(
            f"{runtime} drops/rejects, agentls reports no error",
            "the lead's emulation should raise an error naming the runtime",
        ),
        "error-but-loads": Category(
            f"agentls reports an error, {runtime} loads the file",
            "an error on a file this runtime accepts (fine only if another runtime rejects it)",
        ),
        "runtime-field-not-flagged": Category(
            f"{runtime} names a key in a problem, agentls has no error/warning on that key",
            "the key-level rules agentls is missing",
        ),
        "agentls-key-not-runtime": Category(
            f"agentls errs on a key, {runtime} loads the file without naming it",
            "key-level errors the runtime does not share",
        ),
        "description-differs": Category(
            f"description {runtime} receives differs from the value agentls reads",
            "compared stripped; only files both load",
        ),
        "name-differs": Category(
            f"name {runtime} uses differs from the `name` value agentls reads",
            "only files the runtime loads; agentls's value stripped (None: no string `name`)",
        ),
        "description-listing-transform": Category(
            f"description differs only by {runtime}'s listing transform",
            "agentls's value, transformed as the runtime lists it, equals what the runtime sends",
        ),
        "runtime-unknown": Category(
            f"{runtime} gave no verdict (crash, timeout)", "the runtime's own bugs"
        ),
        "not-judged": Category(
            "agentls gives the path no dialect (not a skill file for agentls)",
            "files laid out where the runtime looks but not named SKILL.md/skill.md",
        ),
    }
    for r in rows:
        a = answers.get(r["file"])
        if a is None:
            continue
        rid = r["id"]
        v = r["verdict"]
        if a.dialect is None:
            cats["not-judged"].ids.append(rid)
            cats["not-judged"].examples.append(f"{rid}: {runtime} {v}")
            continue
        if v == "unknown":
            cats["runtime-unknown"].ids.append(rid)
            continue
        rejects = v in ("drops", "breaks-project")
        if rejects and not a.errors:
            msgs = "; ".join(p["message"] for p in r["problems"])[:160]
            cats["drop-no-error"].ids.append(rid)
            cats["drop-no-error"].examples.append(f"{rid}: {msgs}")
        if not rejects and a.errors:
            codes = ", ".join(sorted({f["code"] for f in a.errors}))
            cats["error-but-loads"].ids.append(rid)
            cats["error-but-loads"].examples.append(f"{rid}: {codes}")
        named = {k for p in r["problems"] for k in p.get("fields", [])}
        missing = named - a.keys()
        if missing:
            cats["runtime-field-not-flagged"].ids.append(rid)
            cats["runtime-field-not-flagged"].examples.append(f"{rid}: {sorted(missing)}")
        if not rejects:
            extra_keys = {f["key"] for f in a.errors if f["key"]} - named
            if extra_keys:
                cats["agentls-key-not-runtime"].ids.append(rid)
                cats["agentls-key-not-runtime"].examples.append(f"{rid}: {sorted(extra_keys)}")
        rd = r["description"]
        mine = norm_desc(a.description)
        if str(rd).startswith("sha256:"):
            mine = short(a.description, LONG_DESCRIPTION)
            rd_cmp = rd
        else:
            rd_cmp = norm_desc(rd)
        transformed = (
            received(a.description) if received is not None and a.description is not None else None
        )
        if not rejects and rd is not None and rd_cmp != mine and transformed == rd:
            cats["description-listing-transform"].ids.append(rid)
        elif not rejects and rd is not None and rd_cmp != mine:
            cats["description-differs"].ids.append(rid)
            cats["description-differs"].examples.append(
                f"{rid}: runtime {json.dumps(rd)[:80]} | agentls {json.dumps(a.description)[:80]}"
            )
        mine_name = a.name.strip() if a.name is not None else None
        if not rejects and r["name"] is not None and r["name"] != mine_name:
            cats["name-differs"].ids.append(rid)
            cats["name-differs"].examples.append(
                f"{rid}: runtime {json.dumps(r['name'])[:60]}"
                f" / agentls {json.dumps(mine_name)[:60]}"
            )
        if extra is not None:
            extra(r, a, cats)
    return cats


def agreement_lines(c: Any) -> list[str]:
    """The table of ``agreement.compare()`` (a ``tests.conformance.agreement.Comparison``)."""
    lines = [
        "## Agreement (`agreement.compare()`, the figures of issue 11)",
        "",
        f"{c.files} files, {c.loads} loaded by {c.runtime} {c.version}; reviewed known "
        "differences: `known_differences.yaml`.",
        "",
        "| reader | question | agree | files | % |",
        "|---|---|---|---|---|",
    ]
    for (reader, question), t in sorted(c.tallies.items()):
        pct = 100.0 * t.agree / t.total if t.total else 100.0
        lines.append(f"| {reader} | {question} | {t.agree} | {t.total} | {pct:.1f} |")
    for d in c.differences:
        lines.append(f"- {d.question}/{d.category}: {d.id}: {_one_line(d.detail, 160)}")
    return [*lines, ""]


def render_diff(
    title: str, header: str, counts: JSON, cats: dict[str, Category], agreement: Any = None
) -> str:
    lines = [f"# {title}", "", header, ""]
    if agreement is not None:
        lines += agreement_lines(agreement)
        lines += ["## Row by row (the driver's categories)", ""]
    lines += ["| | files |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in counts.items()]
    lines += ["", "| category | files |", "|---|---|"]
    lines += [f"| {c.title} (`{k}`) | {len(c.ids)} |" for k, c in cats.items()]
    for k, c in cats.items():
        if not c.ids:
            continue
        lines += ["", f"## {c.title} (`{k}`): {len(c.ids)}", "", c.explain, ""]
        shown = c.examples or c.ids
        lines += [f"- {_one_line(x)}" for x in shown[:40]]
        if len(shown) > 40:
            lines.append(f"- … and {len(shown) - 40} more")
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int = 220) -> str:
    flat = " ".join(text.replace("|", "/").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ------------------------------------------------------------------ replay checks

COMMON_FIELDS = (
    "id",
    "dialect",
    "file",
    "sha",
    "verdict",
    "name",
    "description",
    "problems",
    "log",
)


def check_rows(rows: list[JSON], current: dict[str, tuple[str, bytes]]) -> list[str]:
    """Problems with recorded rows: fields, order, and whether they match today's inputs.

    ``current`` maps a case id to its laid-out path and bytes today. Generated rows must match
    (a changed generator needs a new recording); corpus rows whose file changed are skipped.
    """
    bad: list[str] = []
    ids = [r["id"] for r in rows]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        bad.append("rows not sorted by id or ids repeated")
    for r in rows:
        if tuple(r)[: len(COMMON_FIELDS)] != COMMON_FIELDS:
            bad.append(f"{r.get('id')}: common fields missing or out of order")
            continue
        if r["verdict"] not in VERDICTS:
            bad.append(f"{r['id']}: verdict {r['verdict']!r}")
        for p in r["problems"]:
            if p.get("severity") not in ("error", "warning", "info", "hint") or not p.get(
                "message"
            ):
                bad.append(f"{r['id']}: problem {p}")
            if "range" in p and (len(p["range"]) != 4 or min(p["range"]) < 0):
                bad.append(f"{r['id']}: range {p['range']}")
        if r["verdict"] == "loads" and r["problems"]:
            bad.append(f"{r['id']}: loads with problems")
        now = current.get(r["id"])
        generated = r["id"].startswith("gen/")
        if now is None:
            if generated:
                bad.append(f"{r['id']}: no such generated case any more")
            continue
        if now[0] != r["file"]:
            bad.append(f"{r['id']}: laid out at {now[0]}, recorded at {r['file']}")
        if generated and sha16(now[1]) != r["sha"]:
            bad.append(f"{r['id']}: the generator's bytes changed (re-record)")
    if current:
        missing = sorted(i for i in current if i.startswith("gen/") and i not in set(ids))
        if missing:
            bad.append(f"generated cases not recorded: {missing[:5]} ({len(missing)})")
    return bad
