"""agentls against the Gemini CLI recordings: each recorded file, the same bytes at the same
path, analysed in-process (``agentls.core.analysis.analyze``, as ``agentls check`` does), and
the disagreements, categorised with counts and example ids. Writes ``DIFF.md``.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentls.cli import read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Severity
from agentls.core.settings import Settings
from tests.conformance.cases import CORPUS, File
from tests.conformance.gemini import cases as gcases
from tests.conformance.gemini import recordings

JSON = dict[str, Any]
HERE = Path(__file__).resolve().parent
OUT = HERE / "DIFF.md"
EXAMPLES_PER_CATEGORY = 12


@dataclass
class Mine:
    dialect: str | None
    errors: list[str]  # "CODE message"
    warnings: list[str]
    unknown: set[str]  # keys agentls calls unknown (AGL200)
    description: str | None


def analysis_of(path: Path) -> Analysis:
    """agentls's analysis of the file, as ``agentls check`` makes it."""
    text, extra = read_text(str(path))
    settings, _ = Settings.parse({})
    return analyze(str(path), text, settings, dialect=detect(str(path)), extra=extra)


def agentls_on(path: Path, a: Analysis | None = None) -> Mine:
    """agentls's view for Gemini CLI (its findings about Gemini CLI, Gemini's reading)."""
    from agentls.core.dialects import gemini

    a = a or analysis_of(path)
    text = a.text
    view = next((v for v in a.readers if v.runtime == "gemini-cli"), None)
    found = view.findings if view is not None else ()
    errors = [f"{f.code} {f.message}" for f in found if f.severity == Severity.ERROR]
    warnings = [f"{f.code} {f.message}" for f in found if f.severity == Severity.WARNING]
    unknown = {text[f.span.start : f.span.end] for f in found if f.code == "AGL200"}
    profile = view.reader.profile if view is not None else None
    got = gemini.reading(text, profile) if profile else None
    from tests.conformance.gemini.driver import _short

    desc = _short(got.description) if got is not None else None
    dialect = {"gemini-skill": "agentskills"}.get(profile or "", profile)
    return Mine(dialect, errors, warnings, unknown, desc)


@dataclass
class Tally:
    files: int = 0
    skipped: int = 0
    stale: list[str] = field(default_factory=list)  # ids whose input changed or is missing
    agree: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cats: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, question: str, ok: bool, cat: str, rid: str, detail: str) -> None:
        self.total[question] += 1
        if ok:
            self.agree[question] += 1
        else:
            self.cats[f"{question}: {cat}"].append((rid, detail))


def _inputs(rows: dict[str, list[JSON]], t: Tally) -> Iterator[tuple[JSON, bytes]]:
    gen = {f.rel + "\0" + c.id: f.data for c in gcases.generated() for f in c.files}
    for source, recs in rows.items():
        for r in recs:
            if source == "generated":
                data = gen.get(r["file"] + "\0" + r["id"])
            else:
                p = CORPUS / r["id"].split("/", 1)[1]
                data = p.read_bytes() if p.is_file() else None
            if data is None or File("", data, None).sha != r["sha"]:
                t.skipped += 1
                t.stale.append(r["id"])
                continue
            yield r, data


def reason(r: JSON) -> str:
    """The runtime's reason, shortened (values elided)."""
    if not r["problems"]:
        return "not read (no message)"
    msg = r["problems"][0]["message"]
    detail = msg.split(".md: ", 1)[1] if ".md: " in msg else msg
    head = detail.split("\n")
    if head[0].startswith("YAML frontmatter parsing failed"):
        return "YAML error: " + re.sub(r" \(\d+:\d+\)$", "", head[0].split(": ", 1)[1])
    if head[0].startswith("Invalid agent definition: Missing mandatory YAML frontmatter"):
        return "no front matter found"
    if head[0].startswith("Validation failed"):
        local = [x for x in head[1:] if x and not x.startswith("(Remote")]
        issues = [re.sub(r"^\((?:Local|Remote) Agent\) ", "", x) for x in local or head[1:] if x]
        issues = [re.sub(r"'[^']*'", "'…'", x) for x in issues]
        return "schema: " + "; ".join(sorted(set(issues)))[:160]
    return re.sub(r"[\"'][^\"']*[\"']", "'…'", detail.split("\n")[0])[:160]


def reason_class(why: str) -> str:
    """A coarse class of a reason, to group the differences."""
    if why.startswith(("YAML error", "no front matter", "not read")):
        return why.split(":", 1)[0]
    if "Unrecognized key" in why:
        return "schema: unknown key"
    if re.search(r"Expected (?!integer)|Required|Invalid literal|Invalid enum", why):
        return "schema: wrong type, missing key or bad enum value"
    if why.startswith("schema"):
        return "schema: failed check (slug, tool name, integer, > 0, min length, URL, JSON)"
    if "Duplicate agent name" in why or "Skill conflict" in why:
        return "same name as another agent/skill (first agent wins, last skill wins)"
    if "remote agent" in why or "A2A" in why:
        return "remote agent card not fetched (offline)"
    return why


def runtime_unknown(r: JSON) -> set[str]:
    out: set[str] = set()
    for p in r["problems"]:
        m = re.search(r"Unrecognized key\(s\) in object: (.*)", p["message"])
        if m:
            out |= {k.strip().strip("'") for k in m.group(1).split(", ")}
    return out


def judge(r: JSON, mine: Mine, t: Tally) -> None:
    rid = r["id"]

    def add(question: str, ok: bool, cat: str, rid: str, detail: str) -> None:
        t.add(f"{question} ({r['dialect']})", ok, cat, rid, detail)

    probe = r.get("probe")
    failed = isinstance(probe, dict) and "failed" in probe
    # an agent listed but failing as soon as it is invoked breaks: an error by the design
    loads = r["verdict"] in ("loads", "loads-with-warnings") and not failed
    if r["verdict"] == "unknown":
        return
    if mine.dialect is None and not loads and not r["problems"]:
        add("dialect", True, "", rid, "")  # neither reads it: the runtime silently skips it
        add("verdict", True, "", rid, "")
        return
    if mine.dialect != r["dialect"]:
        add("dialect", False, f"agentls reads it as {mine.dialect}", rid, r["file"])
    else:
        add("dialect", True, "", rid, "")
    # load / drop
    if not loads and not mine.errors:
        add(
            "verdict",
            False,
            f"runtime drops, agentls no error [{reason_class(reason(r))}]",
            rid,
            f"{reason(r)} · agentls warnings: {[w.split(' ', 1)[0] for w in mine.warnings]}",
        )
    elif loads and mine.errors:
        codes = sorted({e.split(" ", 1)[0] for e in mine.errors})
        about = "" if any("Gemini" in e for e in mine.errors) else " (about other runtimes)"
        add(
            "verdict",
            False,
            f"runtime loads, agentls error {','.join(codes)}{about}",
            rid,
            mine.errors[0][:140],
        )
    else:
        add("verdict", True, "", rid, "")
    # an agent that loads but fails as soon as it is invoked (e.g. an empty system prompt)
    if r["verdict"] in ("loads", "loads-with-warnings") and isinstance(probe, dict):
        ok = failed == bool(mine.errors)
        add(
            "works-when-invoked",
            ok,
            "runtime: fails when invoked, agentls no error"
            if failed
            else "runtime: works when invoked, agentls error",
            rid,
            str(probe.get("failed", "")) or (mine.errors[0][:140] if mine.errors else ""),
        )
    # unknown keys (agents: the runtime rejects them)
    if r["dialect"] == gcases.AGENT:
        rt = runtime_unknown(r)
        if rt - mine.unknown:
            add(
                "unknown-keys",
                False,
                "runtime rejects key agentls does not call unknown",
                rid,
                f"runtime {sorted(rt)} agentls {sorted(mine.unknown)}",
            )
        elif mine.unknown - rt and (loads or rt):
            add(
                "unknown-keys",
                False,
                "agentls calls unknown a key the runtime accepts",
                rid,
                f"runtime {sorted(rt)} agentls {sorted(mine.unknown)}",
            )
        else:
            add("unknown-keys", True, "", rid, "")
    # descriptions as received
    if loads and r["description"] is not None and not str(r["description"]).startswith("<"):
        same = r["description"] == mine.description
        add(
            "description",
            same,
            "differs",
            rid,
            f"runtime {r['description']!r:.80} vs agentls {mine.description!r:.80}",
        )


def analysed(t: Tally) -> Iterator[tuple[JSON, Analysis]]:
    """Each recorded row with agentls's analysis of its file: the same bytes at the same path
    (``~/`` under a home folder, project files under a project folder)."""
    _, rows = recordings.load()
    with tempfile.TemporaryDirectory(prefix="agentls-gemini-") as tmp:
        root = Path(tmp)
        for r, data in _inputs(rows, t):
            rel = r["file"]
            ns = "home" if rel.startswith("~/") else f"p-{r['id'].split('/', 1)[0]}"
            path = root / ns / rel.removeprefix("~/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            t.files += 1
            yield r, analysis_of(path)
            path.unlink()


def compute() -> Tally:
    t = Tally()
    for r, a in analysed(t):
        judge(r, agentls_on(Path(a.path or ""), a), t)
    return t


def render(t: Tally) -> str:
    out = [
        "# Gemini CLI 0.61.0 vs agentls (generated by `python -m tests.conformance.gemini diff`)",
        "",
        f"{t.files} recorded files compared ({t.skipped} skipped: input changed or missing).",
        "",
        "| question | agree | of |",
        "|---|---|---|",
    ]
    for q in sorted(t.total):
        out.append(f"| {q} | {t.agree[q]} | {t.total[q]} |")
    out += ["", "## Differences by category", ""]
    for cat, items in sorted(t.cats.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"### {cat} ({len(items)})")
        out.append("")
        for rid, detail in items[:EXAMPLES_PER_CATEGORY]:
            d = detail.replace("|", "\\|").replace("\n", "\\n")
            out.append(f"- `{rid}` {d}")
        if len(items) > EXAMPLES_PER_CATEGORY:
            out.append(f"- … {len(items) - EXAMPLES_PER_CATEGORY} more")
        out.append("")
    return "\n".join(out)


def main() -> int:
    t = compute()
    text = render(t)
    OUT.write_text(text + "\n", "utf-8")
    print(text)
    return 0
