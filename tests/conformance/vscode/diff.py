"""agentls against VS Code's recorded prompt-file markers, marker by marker; writes DIFF.md.

agentls analyses the same bytes at the same laid-out path (``read_text``, ``detect``,
``analyze``) and its findings *for VS Code* (the view of runtime ``vscode``: what agentls says
VS Code does, without the other runtimes that read the path) are put as ``cli.diagnostics``
does (ranges in UTF-16 code units like VS Code's). A VS Code marker and an agentls finding
*match* when their ranges are equal; they *overlap* when they share a line and their ranges
intersect (or touch).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentls.cli import diagnostics, read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Finding
from tests.conformance.cases import CORPUS
from tests.conformance.vscode import runtime
from tests.conformance.vscode.cases import generated
from tests.conformance.vscode.driver import SOURCES, load, text_sha

JSON = dict[str, Any]
HERE = Path(__file__).resolve().parent
SEV = {"information": "info"}
EXAMPLES = 6


def template(message: str) -> str:
    """A VS Code message with its arguments replaced: one line per kind of marker."""
    t = re.sub(r"'[^']*'", "'X'", message)
    t = re.sub(r'"[^"]*"', '"X"', t)
    t = re.sub(r"Supported: .*", "Supported: ...", t)
    t = re.sub(r"Available agents: .*", "Available agents: ...", t)
    t = re.sub(r"\(expected \d+, got \d+\)", "(expected N, got M)", t)
    t = re.sub(r"move this file to .*", "move this file to ...", t)
    t = re.sub(r"use the following tools instead: .*", "use the following tools instead: ...", t)
    return t


def _rng(d: JSON) -> list[int]:
    r = d["range"]
    return [r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]]


def _overlap(a: list[int], b: list[int]) -> bool:
    if a[0] != b[0]:
        return False
    return (a[0], a[1]) <= (b[2], b[3]) and (b[0], b[1]) <= (a[2], a[3])


def inputs() -> Iterator[tuple[str, JSON, bytes | None]]:
    gen = {c.id: c.files[0].data for c in generated()}
    for source in SOURCES:
        for rec in load(source):
            if source == "generated":
                data = gen.get(rec["id"])
            else:
                p = CORPUS / rec["id"]
                data = p.read_bytes() if p.is_file() else None
            if data is not None and text_sha(data) != rec["sha"]:
                data = None  # the input changed since it was recorded: skip
            yield source, rec, data


def analyse(root: Path, rel: str, data: bytes) -> tuple[Analysis, tuple[Finding, ...]]:
    """agentls's analysis of the recorded bytes laid out at ``root/rel`` (as `agentls check`)."""
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    text, extra = read_text(str(p))
    return analyze(str(p), text, dialect=detect(str(p)), extra=extra), extra


def agentls_findings(root: Path, rel: str, data: bytes) -> list[JSON]:
    """agentls's findings for VS Code: its view of the file as VS Code reads it (none when
    agentls thinks VS Code does not read the path)."""
    a, _ = analyse(root, rel, data)
    view = next((v.findings for v in a.readers if v.runtime == "vscode"), ())
    a.findings = view
    return diagnostics(str(root / rel), a)


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, cat: str, example: str) -> None:
        self.counts[cat] += 1
        if len(self.examples[cat]) < EXAMPLES:
            self.examples[cat].append(example)


def _short(s: str, n: int = 110) -> str:
    s = s.replace("\n", " ").replace("|", "\\|")
    return s if len(s) <= n else s[: n - 1] + "…"


def compare() -> tuple[dict[str, Tally], dict[str, Counter[str]], dict[str, JSON]]:
    cats: dict[str, Tally] = defaultdict(Tally)  # source -> categories
    per_template: dict[str, Counter[str]] = defaultdict(Counter)
    files: dict[str, JSON] = defaultdict(lambda: {"files": 0, "skipped": 0})
    with tempfile.TemporaryDirectory(prefix="agentls-vscode-diff-") as tmp:
        root = Path(tmp)
        for source, rec, data in inputs():
            t = cats[source]
            if data is None:
                files[source]["skipped"] += 1
                continue
            files[source]["files"] += 1
            rid = rec["id"]
            mine = agentls_findings(root / source, rec["file"], data)
            theirs = rec["problems"]
            v_err = any(p["severity"] == "error" for p in theirs)
            a_err = [d for d in mine if d["severity"] == "error"]
            if v_err and not a_err:
                msg = next(p["message"] for p in theirs if p["severity"] == "error")
                t.add("file: VS Code shows an error, agentls none", f"`{rid}`: {_short(msg, 80)}")
            elif a_err and not v_err:
                d = a_err[0]
                t.add(
                    "file: agentls errs, VS Code shows no error",
                    f"`{rid}`: {d['code']} {_short(d['message'], 80)}",
                )
            elif a_err and v_err:
                t.add("file: both show an error", f"`{rid}`")
            else:
                t.add("file: neither shows an error", f"`{rid}`")
            used: set[int] = set()
            matched: dict[int, int] = {}  # marker -> finding with the same range (first pass)
            for k, p in enumerate(theirs):
                sev = p["severity"]
                same = [i for i, d in enumerate(mine) if _rng(d) == p["range"] and i not in used]
                same.sort(key=lambda i: SEV.get(mine[i]["severity"], mine[i]["severity"]) != sev)
                if same:
                    matched[k] = same[0]
                    used.add(same[0])
            for k, p in enumerate(theirs):
                tpl = template(p["message"])
                near = [
                    i for i, d in enumerate(mine) if i not in used and _overlap(_rng(d), p["range"])
                ][:1]
                if k in matched:
                    i = matched[k]
                    alike = SEV.get(mine[i]["severity"], mine[i]["severity"]) == p["severity"]
                    cat = "same range, same severity" if alike else "same range, other severity"
                    d = mine[i]
                    ex = f"`{rid}` {d['severity']} {d['code']}: {_short(p['message'], 70)}"
                elif near:
                    used.update(near)
                    d = mine[near[0]]
                    cat = "overlapping range only"
                    ex = (
                        f"`{rid}` VS Code {p['range']}, agentls {_rng(d)} {d['severity']} "
                        f"{d['code']}: {_short(p['message'], 60)}"
                    )
                else:
                    cat = "VS Code only"
                    ex = f"`{rid}` {p['severity']} {p['range']}: {_short(p['message'], 90)}"
                t.add(f"marker: {cat} ({p['severity']})", ex)
                per_template[f"{p['severity']}|{tpl}"][cat] += 1
            for i, d in enumerate(mine):
                if i in used:
                    continue
                claim = "VS Code" in d["message"]
                cat = f"finding: agentls only ({d['severity']})"
                if claim:
                    cat = f"finding: agentls only, message names VS Code ({d['severity']})"
                t.add(cat, f"`{rid}` {d['code']} {_rng(d)}: {_short(d['message'], 90)}")
                t.counts[f"agentls-only code {d['code']} ({d['severity']})"] += 1
    return cats, per_template, files


def render(
    cats: dict[str, Tally], per_template: dict[str, Counter[str]], files: dict[str, JSON]
) -> str:
    out = [
        "# VS Code prompt validation vs agentls",
        "",
        "Generated by `python -m tests.conformance.vscode diff`; do not edit.",
        "",
        f"VS Code {runtime.VSCODE_VERSION} (code-server {runtime.CODE_SERVER_VERSION}); "
        "recordings in "
        f"`tests/conformance/recordings/vscode/{runtime.VSCODE_VERSION}/`. VS Code markers are the "
        'prompt validator\'s (owner `prompts-diagnostics-provider`) minus the "Unknown tool" hints '
        "of a VS Code without Copilot Chat. A marker *matches* a finding with the same range; "
        "*overlapping* means same line, intersecting ranges. agentls findings are its view for VS "
        "Code (runtime `vscode`: the findings about VS Code, not those of the other runtimes that "
        "read the path) on the same bytes at the same path, as `agentls check --format json` puts "
        "them. Load/drop agreement, with the reviewed differences: `agreement.py`.",
        "",
    ]
    for source in SOURCES:
        if source not in cats:
            continue
        t = cats[source]
        out += [
            f"## {source} ({files[source]['files']} files, "
            f"{files[source]['skipped']} skipped: input changed)",
            "",
        ]
        out += ["| category | count | examples |", "|---|---|---|"]
        for cat in sorted(k for k in t.counts if not k.startswith("agentls-only code")):
            ex = (
                "<br>".join(t.examples.get(cat, [])[:EXAMPLES])
                if not cat.startswith("file: neither")
                else ""
            )
            out.append(f"| {cat} | {t.counts[cat]} | {ex} |")
        codes = sorted(
            ((k, v) for k, v in t.counts.items() if k.startswith("agentls-only code")),
            key=lambda kv: -kv[1],
        )
        if codes:
            listed = ", ".join(f"{k.removeprefix('agentls-only code ')} {v}" for k, v in codes)
            out += ["", f"agentls findings with no VS Code marker on their range: {listed}", ""]
        out.append("")
    out += [
        "## Per VS Code message (all sources)",
        "",
        "| severity | VS Code message | markers | same range, same severity "
        "| same range, other severity | overlapping only | VS Code only |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in sorted(per_template, key=lambda k: (-sum(per_template[k].values()), k)):
        sev, tpl = key.split("|", 1)
        c = per_template[key]
        cells = [sev, _short(tpl, 120), str(sum(c.values()))]
        cells += [str(c[k]) for k in ("same range, same severity", "same range, other severity")]
        cells += [str(c[k]) for k in ("overlapping range only", "VS Code only")]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main() -> None:
    cats, per_template, files = compare()
    text = render(cats, per_template, files)
    (HERE / "DIFF.md").write_text(text, "utf-8")
    print(text)
