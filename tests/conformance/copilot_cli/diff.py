"""agentls against the Copilot CLI recordings: where they disagree, by category.

Each recorded file is laid out again at its recorded path (``~/`` under a temporary home), read
and analysed as ``agentls check`` would (``read_text``, ``detect``, ``analyze`` with default
settings), and compared:

* ``drops-no-error``: Copilot CLI drops the file (or fails to load the agent) and agentls
  reports no error;
* ``not-read``: Copilot CLI never reads the path, agentls checks the file as a dialect;
* ``error-but-loads``: agentls reports an error and Copilot CLI loads the file;
* ``unknown-missed``: a key Copilot CLI warns is unknown (and ignores), and agentls says nothing
  about that key;
* ``unknown-extra``: agentls calls a key unknown (AGL200) that Copilot CLI loads without a
  warning (agents only: the only files Copilot CLI warns about);
* ``description``: both load, and the description Copilot CLI lists differs from agentls's.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agentls.cli import read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Severity
from agentls.core.settings import Settings
from tests.conformance.cases import CORPUS, ROOT
from tests.conformance.copilot_cli import recordings
from tests.conformance.copilot_cli.cases import generated
from tests.conformance.copilot_cli.driver import sha16
from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON

HERE = Path(__file__).resolve().parent
DIFF_MD = HERE / "DIFF.md"
CATEGORIES = {
    "drops-no-error": "Copilot CLI drops the file, agentls reports no error",
    "not-read": "Copilot CLI never reads the path, agentls checks it as a dialect",
    "error-but-loads": "agentls reports an error, Copilot CLI loads the file",
    "unknown-missed": "Copilot CLI warns a key is unknown (ignored), agentls says nothing on it",
    "unknown-extra": "agentls calls a key unknown (AGL200), Copilot CLI knows it (agents)",
    "description": "both load, the description differs",
}
EXAMPLES = 6


@dataclass
class Item:
    category: str
    id: str
    dialect: str
    detail: str
    group: str  # for grouping: the runtime's message shape, the key, ...


@dataclass
class Result:
    files: int = 0
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    totals: Counter[str] = field(default_factory=Counter)  # dialect -> files
    # reader -> [files read by the runtime, of which load/drop agrees with agentls error/none]
    agreement: dict[str, list[int]] = field(default_factory=dict)


def _bytes(source: str, rec: JSON, gen: dict[str, bytes]) -> bytes | None:
    if source == "generated":
        return gen.get(f"{rec['id']}\0{rec['file']}")
    base = ROOT / "examples" if source == "examples" else CORPUS
    p = base / str(rec.get("origin") or rec["id"].split("/", 1)[1])
    return p.read_bytes() if p.is_file() else None


def _shape(msg: str) -> str:
    """A runtime message with the specifics cut, to group by."""
    msg = msg.split("\n", 1)[0]
    msg = msg.removeprefix("custom agent markdown frontmatter is malformed: ")
    msg = re.sub(r" at line \d+ column \d+.*$| at position \d+$", "", msg)
    msg = re.sub(r"received \w+", "received …", msg)
    msg = re.sub(r"^mcp-servers\.[^.:]+", "mcp-servers.X", msg)
    msg = re.sub(r"^(\w[\w-]*): \d+: ", r"\1: N: ", msg)
    msg = re.sub(r'"[^"]*"', '"…"', msg)
    msg = re.sub(r"'[^']*'", "'…'", msg)
    return msg[:120]


def _key_text(text: str, start: int, end: int) -> str:
    return text[start:end].strip().strip("\"'")


@dataclass(frozen=True)
class Laid:
    """One recorded file laid out again at its recorded path (``path`` None: its input is
    missing or changed since it was recorded: ``state``)."""

    source: str
    rec: JSON
    path: str | None
    state: str  # ok | missing | stale
    home: str | None = None  # the temporary home of a `~/` file


def laid_out() -> Iterator[Laid]:
    """Every recording, its bytes written at the recorded path under a temporary folder (``~/``
    under a temporary home); the folder lives while the iteration runs."""
    _meta, records = recordings.load(VERSION)
    gen = {f"{c.id}\0{f.rel}": f.data for c in generated() for f in c.files}
    n = 0
    with tempfile.TemporaryDirectory(prefix="agentls-copilot-diff-") as tmp:
        root = Path(tmp)
        for source, rows in records.items():
            for rec in rows:
                data = _bytes(source, rec, gen)
                if data is None:
                    yield Laid(source, rec, None, "missing")
                    continue
                if sha16(data) != rec["sha"]:
                    yield Laid(source, rec, None, "stale")
                    continue
                rel = str(rec["file"])
                home = root / f"h{n}" if rel.startswith("~/") else None
                path = home / rel[2:] if home is not None else root / f"p{n}" / rel
                n += 1
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                yield Laid(source, rec, str(path), "ok", str(home) if home else None)


def analyse(laid: Laid, settings: Settings | None = None) -> Analysis:
    """The file as ``agentls check`` analyses it (default settings; HOME is the temporary home
    for a `~/` file, so that agentls sees it in the user's folders)."""
    assert laid.path is not None
    path = laid.path
    old = os.environ.get("HOME")
    if laid.home is not None:
        os.environ["HOME"] = laid.home
    try:
        text, extra = read_text(path)
        return analyze(path, text, settings or Settings(), dialect=detect(path), extra=extra)
    finally:
        if laid.home is not None:
            if old is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = old


def compare() -> Result:
    res = Result()
    for laid in laid_out():
        rec = laid.rec
        if laid.path is None:
            (res.missing if laid.state == "missing" else res.stale).append(rec["id"])
            continue
        res.files += 1
        items = _compare_one(rec, analyse(laid))
        res.items += items
        res.totals[str(rec.get("dialect"))] += 1
        if rec.get("read") is not False and rec["verdict"] != "unknown":
            a = res.agreement.setdefault(str(rec.get("reader")), [0, 0])
            a[0] += 1
            a[1] += not any(i.category in ("drops-no-error", "error-but-loads") for i in items)
    return res


def _compare_one(rec: JSON, a: Analysis) -> list[Item]:
    out: list[Item] = []
    rid, dialect = str(rec["id"]), str(rec.get("dialect"))
    text, match = a.text, a.dialect
    errors = [f for f in a.findings if f.severity == Severity.ERROR]
    verdict = rec["verdict"]
    problems = rec.get("problems") or []
    rt_msgs = [p["message"] for p in problems if p["severity"] == "error"]
    if verdict == "drops" and rec.get("read") is False:
        if match is not None:
            out.append(
                Item(
                    "not-read",
                    rid,
                    dialect,
                    f"{rec['file']} (agentls: {match.dialect})",
                    match.dialect,
                )
            )
        return out
    if verdict in ("drops", "breaks-project") and not errors:
        if rt_msgs:
            msg = rt_msgs[0]
        elif rec.get("shadowed_by_builtin"):
            msg = "(not listed: a built-in agent has the name)"
        elif rec.get("excluded"):
            msg = "(not in the instruction list: excluded)"
        elif rec.get("shadowed"):
            msg = "(not listed: another file has the name)"
        else:
            msg = "(not listed, no message)"
        warn = sorted({f.code for f in a.findings if f.severity == Severity.WARNING})
        out.append(
            Item(
                "drops-no-error",
                rid,
                dialect,
                f"{msg}" + (f" — agentls warns {', '.join(warn)}" if warn else ""),
                _shape(msg),
            )
        )
    if verdict.startswith("loads") and errors:
        codes = ", ".join(sorted({f.code for f in errors}))
        first = errors[0]
        out.append(Item("error-but-loads", rid, dialect, f"{codes}: {first.message[:160]}", codes))
    # unknown keys
    rt_unknown: set[str] = set()
    for p in problems:
        if p["severity"] == "warning" and "unknown field" in p["message"]:
            rt_unknown |= set(p.get("fields") or [])
    ag_unknown: dict[str, str] = {}
    ag_any_key: set[str] = set()
    for f in a.findings:
        key = _key_text(text, f.span.start, f.span.end)
        ag_any_key.add(key)
        if f.code == "AGL200":
            ag_unknown[key] = f.severity.name.lower()
    if verdict.startswith("loads"):
        for k in sorted(rt_unknown - ag_any_key):
            out.append(Item("unknown-missed", rid, dialect, f"`{k}`", k))
        if rec.get("reader") == "github-agent" and "listed" in rec:
            for k in sorted(set(ag_unknown) - rt_unknown):
                out.append(
                    Item("unknown-extra", rid, dialect, f"`{k}` (agentls {ag_unknown[k]})", k)
                )
    # description
    if verdict.startswith("loads") and rec.get("description") is not None:
        mine = a.description() if a.runtime_loaded else None
        theirs = str(rec["description"])
        if theirs.startswith("<") and " chars sha256:" in theirs:
            same = (
                mine is not None
                and f"sha256:{sha16(mine.encode('utf-8', 'surrogatepass'))}" in theirs
            )
        else:
            same = mine == theirs
        if not same:
            out.append(
                Item(
                    "description",
                    rid,
                    dialect,
                    f"Copilot: {theirs[:70]!r} · agentls: "
                    + (repr(mine[:70]) if mine is not None else "none"),
                    rec.get("reader") or dialect,
                )
            )
    return out


def _agentls_revision() -> str:
    """The commit of the agentls that answered, and whether its sources had local changes."""
    import agentls

    src = Path(agentls.__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "-C", str(src), "log", "-1", "--format=%h", "--", "."],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "(revision unknown)"
    if not head:
        return f"from {src} (not a git checkout)"
    return f"`{head}`" + (" with uncommitted changes in server/" if dirty else "")


def report() -> str:
    res = compare()
    lines = [
        f"# agentls vs Copilot CLI {VERSION}",
        "",
        "Generated by `python -m tests.conformance.copilot_cli diff --write`, against agentls "
        + _agentls_revision()
        + ".",
        "",
        f"{res.files} recorded files compared"
        + (f"; {len(res.stale)} stale (input changed) skipped" if res.stale else "")
        + (f"; {len(res.missing)} inputs missing" if res.missing else "")
        + ". Files per agentls dialect: "
        + ", ".join(f"{d} {n}" for d, n in sorted(res.totals.items()))
        + ".",
        "",
        "Load/drop agreement (Copilot CLI drops ⇔ agentls reports an error), files the runtime "
        "reads: "
        + ", ".join(
            f"{k} {a[1]}/{a[0]} ({100 * a[1] / max(a[0], 1):.0f}%)"
            for k, a in sorted(res.agreement.items())
        )
        + ".",
        "",
        "| category | files | by source |",
        "|---|---|---|",
    ]
    by_cat: dict[str, list[Item]] = defaultdict(list)
    for it in res.items:
        by_cat[it.category].append(it)
    for cat, title in CATEGORIES.items():
        items = by_cat.get(cat, [])
        src = Counter(i.id.split("/", 1)[0] for i in items)
        lines.append(
            f"| {cat}: {title} | {len({i.id for i in items})} | "
            + ", ".join(f"{s} {n}" for s, n in sorted(src.items()))
            + " |"
        )
    for cat, title in CATEGORIES.items():
        items = by_cat.get(cat, [])
        if not items:
            continue
        lines += ["", f"## {cat}: {title} ({len(items)})", ""]
        groups: dict[str, list[Item]] = defaultdict(list)
        for it in items:
            groups[it.group].append(it)
        for g, its in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            dialects = ", ".join(
                f"{d} {n}" for d, n in Counter(i.dialect for i in its).most_common()
            )
            lines.append(f"- **{g}** — {len(its)} ({dialects})")
            for it in its[:EXAMPLES]:
                lines.append(f"  - `{it.id}`: {it.detail}")
            if len(its) > EXAMPLES:
                lines.append(f"  - … {len(its) - EXAMPLES} more")
    return "\n".join(lines) + "\n"
