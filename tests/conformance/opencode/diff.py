"""agentls against the OpenCode recordings: the same bytes, at the same path, asked of both.

For every recorded file, agentls analyses the same bytes laid out at the recorded path (a
``~/`` path under a fake home, so that ``detect`` sees ``.config/opencode/...``), in process, as
``agentls check`` does (``read_text``, ``detect``, ``analyze``). The answers are put side by side
and every disagreement is put in one category (``python -m tests.conformance.opencode diff``
prints them and writes ``DIFF.md``).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentls.cli import read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.catalog import dialect as spec_of
from agentls.core.dialects import detect, generic
from agentls.core.findings import Severity
from agentls.core.settings import Settings
from agentls.core.yamltree import YScalar
from tests.conformance.cases import CORPUS, File
from tests.conformance.opencode import cases as cases_mod
from tests.conformance.opencode import recordings, runtime

HERE = Path(__file__).resolve().parent
OUT = HERE / "DIFF.md"
# the agent keys OpenCode knows; any other key is moved into ``options`` (sent to the provider)
KNOWN_AGENT_KEYS = frozenset(
    {
        "name", "model", "variant", "prompt", "description", "temperature", "top_p", "mode",
        "hidden", "color", "steps", "maxSteps", "options", "permission", "disable", "tools",
    }
)  # fmt: skip
# scalar keys whose value agentls reads from the YAML, compared with what OpenCode holds
VALUE_KEYS = ("mode", "model", "variant", "temperature", "top_p", "steps", "color", "hidden",
              "disable")  # fmt: skip
EXAMPLES = 10
NO_DESCRIPTION = "This subagent should only be called manually by the user."
JSON = dict[str, Any]


@dataclass
class AgentlsAnswer:
    dialect: str | None
    errors: list[str] = field(default_factory=list)  # "CODE message"
    warnings: list[str] = field(default_factory=list)
    unknown_keys: set[str] = field(default_factory=set)
    infos: set[str] = field(default_factory=set)  # codes of information findings
    description: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # scalar values of VALUE_KEYS


def inputs() -> dict[str, dict[str, bytes]]:
    """id -> file -> bytes, for the generated cases and the corpus files still unchanged."""
    out: dict[str, dict[str, bytes]] = defaultdict(dict)
    for c in cases_mod.generated():
        for f in c.files:
            out[c.id][f.rel] = f.data
    for c in cases_mod.corpus():
        for f in c.files:
            out[c.id][f.rel] = f.data
    return out


@contextlib.contextmanager
def fake_home(root: Path) -> Iterator[None]:
    """HOME = ``root/home`` while analysing: the ``~/`` paths of the recordings are there."""
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(root / "home")
    try:
        yield
    finally:
        if old is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = old


def analyse(root: Path, rel: str, data: bytes) -> Analysis:
    """agentls on ``data`` laid out at ``rel`` (``~/`` under ``root/home``, with HOME pointing
    there), as ``agentls check`` reads a file."""
    p = root / "home" / rel[2:] if rel.startswith("~/") else root / "project" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    path = str(p)
    text, extra = read_text(path)
    with fake_home(root):
        match = detect(path)
        return analyze(path, text, Settings(), dialect=match, extra=extra)


def reading(a: Analysis, profile: str) -> generic.DialectContext | None:
    """The file as OpenCode's profile reads it: the block, the parse (with OpenCode's fallback),
    the keys; no rules run."""
    if a.dialect is None:
        return None
    ctx = generic.DialectContext(
        a.text, a.path, Settings(), a.dialect._replace(dialect=profile), spec_of(profile)
    )
    generic.read_block(ctx)
    return ctx


def value_of(ctx: generic.DialectContext | None, key: str) -> Any:
    """The value of ``key`` as OpenCode holds it (None when absent or not read)."""
    if ctx is None or ctx.root is None or not generic.front_matter_used(ctx):
        return None
    e = ctx.get(key)
    if e is None or not isinstance(e.value, YScalar):
        return None if e is None else ...
    return e.value.value


def same_value(a: Any, r: Any) -> bool:
    """Equal as JSON values (JavaScript has one number type)."""
    if isinstance(a, bool) or isinstance(r, bool):
        return a is r
    if isinstance(a, (int, float)) and isinstance(r, (int, float)):
        return a == r
    return bool(a == r and type(a) is type(r))


def agentls_answer(root: Path, rel: str, data: bytes) -> AgentlsAnswer:
    a = analyse(root, rel, data)
    text = a.text
    view = next((v for v in a.readers if v.runtime == "opencode"), None)
    ans = AgentlsAnswer(view.reader.profile if view else a.dialect.dialect if a.dialect else None)
    for f in view.findings if view is not None else a.findings:
        line = f"{f.code} {f.message}"
        if f.severity == Severity.ERROR:
            ans.errors.append(line)
        elif f.severity == Severity.WARNING:
            ans.warnings.append(line)
        else:
            ans.infos.add(f.code)
        if f.code == "AGL200":
            ans.unknown_keys.add(text[f.span.start : f.span.end])
    ctx = reading(a, view.reader.profile) if view is not None else None
    ans.description = value_of(ctx, "description")
    if not isinstance(ans.description, str):
        ans.description = None
    for k in VALUE_KEYS:
        v = value_of(ctx, k)
        if v is not None and v is not ...:
            ans.values[k] = v
    return ans


def _runtime_unknown(row: JSON) -> set[str]:
    value = row.get("value") or {}
    if row.get("kind") != "agent" or row.get("fm") != "read":
        return set()
    return {k for k in value if k not in KNOWN_AGENT_KEYS}


def compare() -> tuple[dict[str, list[tuple[str, str]]], dict[str, int]]:
    """Categories of disagreement -> [(id, detail)], and totals."""
    recs = recordings.load()
    inputs_ = inputs()
    cats: dict[str, list[tuple[str, str]]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    with tempfile.TemporaryDirectory(prefix="agentls-oc-diff-") as tmp:
        for source, rows in recs.items():
            for row in rows:
                files = inputs_.get(row["id"], {})
                data = files.get(row["file"])
                if data is None or File(row["file"], data, None).sha != row["sha"]:
                    totals["skipped (input changed or missing)"] += 1
                    continue
                root = Path(tmp) / f"{source}-{totals['rows']}"
                totals["rows"] += 1
                ans = agentls_answer(root, row["file"], data)
                _judge(row, ans, cats, totals)
    return cats, totals


def _short(s: Any, n: int = 90) -> str:
    t = repr(s) if not isinstance(s, str) else s
    t = t.replace("\n", "\\n")
    return t if len(t) <= n else t[: n - 1] + "…"


def _judge(
    row: JSON, ans: AgentlsAnswer, cats: dict[str, list[tuple[str, str]]], totals: dict[str, int]
) -> None:
    rid, verdict, kind = row["id"], row["verdict"], row["kind"]
    totals[f"verdict {kind} {verdict}"] += 1
    rt_fields = sorted({f for p in row.get("problems", []) for f in p.get("fields", [])})
    rt_msg = next((p["message"] for p in row.get("problems", [])), "")
    first_err = ans.errors[0] if ans.errors else ""
    if not cases_mod.read_by_opencode(row["file"]):
        assert verdict == "drops", rid  # the path rule is checked by the location cases
        if ans.dialect is not None and ans.dialect.startswith("opencode-"):
            wide = ans.dialect in ("opencode-agent", "opencode-command")
            cats[
                f"path OpenCode does not read, agentls detects {ans.dialect}"
                + (": agentls's path rule is wider than OpenCode's" if wide else "")
            ].append((rid, row["file"]))
        return
    # skills: the driver names the file's folder kind; agentls's reader is OpenCode's profile
    expected = "opencode-skill" if kind == "skill" else row["dialect"]
    if ans.dialect != expected:
        cats[f"reader: OpenCode reads it as {expected}, agentls as {ans.dialect}"].append(
            (rid, row["file"])
        )
    if verdict in ("breaks-project", "drops") and not ans.errors:
        detail = f"fields {rt_fields}: {_short(rt_msg, 140)}" if rt_msg else "silently"
        if ans.warnings:
            detail += f" | agentls warns: {_short(ans.warnings[0], 80)}"
        cats[f"missed: runtime {verdict} ({kind}), agentls reports no error"].append((rid, detail))
    elif verdict in ("breaks-project", "drops"):
        totals["agree: runtime drops/breaks, agentls errs"] += 1
    prompt_fails = (row.get("received") or {}).get("listed", False) is None
    if prompt_fails and ans.errors:
        totals["agree: every prompt fails, agentls errs"] += 1
    elif verdict in ("loads", "loads-with-warnings") and ans.errors:
        fm = row.get("fm")
        where = " (front matter ignored by the runtime)" if fm == "ignored" else ""
        cats[f"false error: runtime loads ({kind}){where}, agentls errs"].append(
            (rid, _short(first_err, 150))
        )
    if verdict == "loads" and row.get("fm") == "ignored" and ans.warnings and not ans.errors:
        totals["agree: front matter ignored, agentls warns"] += 1
    elif verdict == "loads" and row.get("fm") == "ignored":
        cats[
            f"runtime loads the file without its front matter ({kind}: the whole file is the "
            "prompt); agentls " + ("errs" if ans.errors else "warns" if ans.warnings else "silent")
        ].append((rid, _short(first_err or (ans.warnings[0] if ans.warnings else ""), 120)))
    compare_desc = ans.dialect is not None and row.get("fm") != "ignored"
    if verdict in ("loads", "loads-with-warnings") and compare_desc:
        rd = row.get("description")
        if rd != ans.description:
            rj = json.dumps(rd)
            aj = json.dumps(ans.description)
            cats[f"description differs ({kind})"].append(
                (rid, f"runtime {_short(rj, 70)} | agentls {_short(aj, 70)}")
            )
        else:
            totals[f"agree: description ({kind})"] += 1
    if kind == "agent" and verdict == "loads" and row.get("fm") == "read" and ans.dialect:
        rv = row.get("value") or {}
        for k in VALUE_KEYS:
            if k not in rv and k not in ans.values:
                continue
            a, r = ans.values.get(k), rv.get(k)
            same = same_value(a, r)
            if k == "steps" and "maxSteps" in rv and k not in ans.values:
                continue  # steps copied from maxSteps by OpenCode
            if same:
                totals[f"agree: value of `{k}`"] += 1
            else:
                cats[f"value of `{k}` differs (agent)"].append(
                    (rid, f"OpenCode {json.dumps(r)} | agentls YAML {_short(repr(a), 60)}")
                )
    rec = row.get("received")
    if rec and rec.get("listed") is None and not ans.errors:
        who = "agentls errs" if ans.errors else "agentls reports no error"
        cats[f"missed: OpenCode loads it but the first prompt fails ({kind}); {who}"].append(
            (rid, f"{rec.get('status')}: {_short(rec.get('error', ''), 120)}")
        )
    if rec and rec.get("listed") is not None:
        totals[f"model told about it ({kind}): {'yes' if rec['listed'] else 'no'}"] += 1
        placeholder = rec.get("description") == NO_DESCRIPTION and row.get("description") is None
        said = ans.warnings or "AGL202" in ans.infos
        if rec["listed"] and placeholder and said and not ans.errors:
            totals["agree: no description, agentls says what the model is told"] += 1
        elif rec["listed"] and placeholder:
            cats[
                f"no description: the model is told {json.dumps(NO_DESCRIPTION)} ({kind}); "
                + (
                    "agentls errs"
                    if ans.errors
                    else "agentls warns"
                    if ans.warnings
                    else "agentls silent"
                )
            ].append(
                (
                    rid,
                    _short(
                        ans.errors[0] if ans.errors else ans.warnings[0] if ans.warnings else "",
                        120,
                    ),
                )
            )
        elif (
            rec["listed"] and ans.dialect is not None and rec.get("description") != ans.description
        ):
            rj = json.dumps(rec.get("description"))
            aj = json.dumps(ans.description)
            cats[f"description the model receives differs ({kind})"].append(
                (rid, f"runtime {_short(rj, 70)} | agentls {_short(aj, 70)}")
            )
        elif rec["listed"]:
            totals[f"agree: description the model receives ({kind})"] += 1
        if not rec["listed"] and kind == "agent":
            v = row.get("value") or {}
            why = (
                "disable: true"
                if v.get("disable") is True
                else f"mode: {v.get('mode')}"
                if v.get("mode") == "primary"
                else "?"
            )
            cats[
                "agents OpenCode loads but does not offer to the model (not in the Task tool)"
            ].append((rid, why))
    rt_unknown = _runtime_unknown(row)
    if rt_unknown - ans.unknown_keys:
        cats["unknown keys the runtime moves into `options`, agentls does not flag"].append(
            (rid, ", ".join(sorted(rt_unknown - ans.unknown_keys)))
        )
    if kind == "agent" and row.get("fm") == "read" and ans.unknown_keys - rt_unknown:
        extra = {k for k in ans.unknown_keys - rt_unknown if k in KNOWN_AGENT_KEYS}
        if extra:
            cats["keys agentls calls unknown that OpenCode knows"].append(
                (rid, ", ".join(sorted(extra)))
            )
    for p in row.get("problems", []):
        if p.get("severity") == "warning" and not ans.warnings:
            cats[f"runtime warning ({kind}) agentls does not report"].append(
                (rid, _short(p["message"], 140))
            )


def report() -> str:
    cats, totals = compare()
    meta = recordings.load_meta()
    lines = [
        f"# OpenCode {runtime.VERSION} vs agentls (generated by "
        "`python -m tests.conformance.opencode diff`)",
        "",
        f"Recorded with {meta.get('package', '?')}; corpus: `{CORPUS.name}/` "
        "(rows whose input changed are skipped).",
        "",
        "How to read it: *missed* = OpenCode drops the file, breaks on it or fails every prompt, "
        "and agentls has no error on it; *false error* = OpenCode loads the file and agentls errs "
        "(for skills the error may be about another runtime: skills-ref, Claude Code); *front "
        "matter ignored* = OpenCode loads the file with no keys and the whole file as the "
        "prompt; *description the model receives* = the Task tool's `- NAME: …` line or the "
        "skill listing (`received` in the recordings); *value of `k`* = OpenCode's parsed value "
        "vs the scalar agentls reads from the YAML. Rules and case ids: NOTES.md.",
        "",
        "## Totals",
        "",
        "| what | count |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in sorted(totals.items())]
    lines += ["", "## Disagreements", "", "| category | count |", "|---|---|"]
    order = sorted(cats.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    lines += [f"| {k} | {len(v)} |" for k, v in order]
    for k, v in order:
        lines += ["", f"### {k} ({len(v)})", ""]
        gen = [x for x in v if x[0].startswith("gen/")]
        cor = [x for x in v if not x[0].startswith("gen/")]
        for rid, detail in gen[:EXAMPLES] + cor[: max(3, EXAMPLES - len(gen[:EXAMPLES]))]:
            lines.append(f"- `{rid}`: {detail}")
        more = len(v) - len(gen[:EXAMPLES]) - len(cor[: max(3, EXAMPLES - len(gen[:EXAMPLES]))])
        if more > 0:
            lines.append(f"- … and {more} more")
    return "\n".join(lines) + "\n"
