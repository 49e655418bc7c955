"""agentls against the Copilot CLI recordings: each recorded file at its recorded path, and
the report of where they disagree (DIFF.md).

``laid_out`` gives every recording with its bytes and the path agentls sees it at (``~/`` under
a home of its own); ``analyse`` analyses it as ``agentls check`` would (``read_text``'s decoding,
``detect``, ``analyze`` with default settings). The questions asked of each file are in
``agreement.py`` (agentls's view for Copilot CLI); ``report`` writes its tallies and every
difference, the reviewed ones (known_differences.yaml) with their reasons.
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.files import decode
from agentls.core.settings import Settings
from tests.conformance.cases import CORPUS, ROOT
from tests.conformance.copilot_cli import recordings
from tests.conformance.copilot_cli.cases import generated
from tests.conformance.copilot_cli.driver import sha16
from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON

HERE = Path(__file__).resolve().parent
DIFF_MD = HERE / "DIFF.md"
EXAMPLES = 8


def _bytes(source: str, rec: JSON, gen: dict[str, bytes]) -> bytes | None:
    if source == "generated":
        return gen.get(f"{rec['id']}\0{rec['file']}")
    base = ROOT / "examples" if source == "examples" else CORPUS
    p = base / str(rec.get("origin") or rec["id"].split("/", 1)[1])
    return p.read_bytes() if p.is_file() else None


# where the recorded files are said to be: nothing is written (a folder that does not exist,
# so that no plugin manifest or other file around them changes what agentls detects)
LAYOUT = "/nonexistent/agentls-copilot-replay"


@dataclass(frozen=True)
class Laid:
    """One recorded file at its recorded path under ``LAYOUT`` (``~/`` under a home of its own),
    with its bytes (``data`` None: its input is missing or changed since it was recorded:
    ``state``)."""

    source: str
    rec: JSON
    path: str
    data: bytes | None
    state: str  # ok | missing | stale
    home: str | None = None  # the home of a `~/` file


def laid_out() -> Iterator[Laid]:
    """Every recording, with its bytes and the path agentls sees it at."""
    _meta, records = recordings.load(VERSION)
    gen = {f"{c.id}\0{f.rel}": f.data for c in generated() for f in c.files}
    n = 0
    for source, rows in records.items():
        for rec in rows:
            rel = str(rec["file"])
            home = f"{LAYOUT}/h{n}" if rel.startswith("~/") else None
            path = f"{home}/{rel[2:]}" if home is not None else f"{LAYOUT}/p{n}/{rel}"
            n += 1
            data = _bytes(source, rec, gen)
            if data is None:
                yield Laid(source, rec, path, None, "missing")
            elif sha16(data) != rec["sha"]:
                yield Laid(source, rec, path, None, "stale")
            else:
                yield Laid(source, rec, path, data, "ok", home)


def analyse(laid: Laid, settings: Settings | None = None) -> Analysis:
    """The file as ``agentls check`` analyses it: its bytes decoded as ``read_text`` does, at its
    path, default settings; HOME is its home for a `~/` file, so that agentls sees it in the
    user's folders."""
    assert laid.data is not None
    path = laid.path
    old = os.environ.get("HOME")
    if laid.home is not None:
        os.environ["HOME"] = laid.home
    try:
        text, extra = decode(laid.data)
        return analyze(path, text, settings or Settings(), dialect=detect(path), extra=extra)
    finally:
        if laid.home is not None:
            if old is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = old


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
    from tests.conformance.agreement import _as_compare, known
    from tests.conformance.copilot_cli.agreement import compare

    c = compare()
    k = known(HERE)
    reasons = {}
    for e in k.entries:
        for i in e.get("ids") or []:
            reasons[(e.get("question"), i)] = " ".join(str(e["reason"]).split())
    readers = sorted({r for r, _ in c.tallies})
    questions = list(dict.fromkeys(q for _, q in sorted(c.tallies, key=lambda t: _order(t[1]))))
    lines = [
        f"# agentls vs Copilot CLI {VERSION}",
        "",
        "Generated by `python -m tests.conformance.copilot_cli diff --write`, against agentls "
        + _agentls_revision()
        + ". The questions are those of `agreement.py` (agentls's view for Copilot CLI, "
        '`runtime_view(a, "copilot-cli")`); known differences are reviewed in '
        "`known_differences.yaml`.",
        "",
        f"{c.files} recorded files compared"
        + (f"; {len(c.stale)} stale (input changed) skipped" if c.stale else "")
        + f"; Copilot CLI loads {c.loads} of the files it reads.",
        "",
        "| reader | " + " | ".join(questions) + " |",
        "|---" * (len(questions) + 1) + "|",
    ]
    for r in readers:
        cells = []
        for q in questions:
            t = c.tallies.get((r, q))
            cells.append(f"{t.agree}/{t.total} ({100 * t.agree / t.total:.1f}%)" if t else "")
        lines.append(f"| {r} | " + " | ".join(cells) + " |")
    files = {d.id for d in c.differences}
    lines += [
        "",
        f"Differences: {len(c.differences)} on {len(files)} files "
        f"({100 * len(files) / max(c.files, 1):.2f}% of the files), "
        f"{sum(1 for d in c.differences if k.covers(_as_compare(d)))} of them known.",
    ]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in c.differences:
        why = reasons.get((d.question, d.id))
        mark = f" — known: {why[:200]}" if why else (" — known" if k.covers(_as_compare(d)) else "")
        groups[(d.question, d.category)].append(f"  - `{d.id}` ({d.reader}): {d.detail}{mark}")
    for (q, cat), items in sorted(groups.items(), key=lambda kv: (_order(kv[0][0]), kv[0][1])):
        lines += ["", f"## {q}: {cat} ({len(items)})", ""]
        lines += items[:EXAMPLES]
        if len(items) > EXAMPLES:
            lines.append(f"  - … {len(items) - EXAMPLES} more")
    return "\n".join(lines) + "\n"


def _order(question: str) -> int:
    order = ("reads", "loads", "name", "description", "errors", "unknown-keys")
    return order.index(question) if question in order else len(order)
