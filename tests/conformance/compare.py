"""agentls against the recordings: the same questions, asked of both.

For each recorded file agentls analyses the same bytes at the same path, as ``agentls explain``
does (``read_text``, ``detect``, ``analyze`` with ``claudeCode.version`` = the recorded
version), and the answers are compared:

* ``loads``: listed by the runtime (a skill or command hidden from the model counts as loaded
  when the ``Skill`` probe says so) vs no agentls finding that claims the file is skipped
  (an error saying so, or AGL201: no name / no front matter) and none that says it is listed
  only once a matching file is read (AGL709: a skill with ``paths``; the runs read no file);
* ``description``: as listed vs ``Analysis.description()`` (files both load), which applies
  the runtime's listing rules (``agentls.core.received``: body fallback, flattening, escaping,
  ``when_to_use``, the cut);
* ``unknown-keys``: the runtime's "frontmatter keys Claude Code does not recognize" warning
  (agents; the only kind it warns for) vs AGL200, with the did-you-mean target;
* ``tools``: the tools the subagent's own request carries, or the launch refusal, vs AGL402 and
  the entries agentls says are ignored (AGL401, AGL405, AGL406, AGL407, AGL409);
* ``model``: whether the subagent runs on the model as written (an alias, case-insensitively
  resolved as the runtime did for the alias, or the exact string) vs whether agentls warns on
  the value;
* ``errors``: an agentls error on a file the runtime loads with its metadata (not one whose
  YAML it ignored, nor a skill or command listed under its body or name while agentls reads no
  description) and does not refuse to launch.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from agentls.cli import read_text
from agentls.core.analysis import Analysis, analyze
from agentls.core.dialects import detect
from agentls.core.findings import Severity
from agentls.core.settings import Settings
from agentls.core.toollist import tool_items
from agentls.core.verdict import own_findings, skips_file
from agentls.core.versions import Version
from agentls.core.yamltree import YScalar
from tests.conformance import recordings
from tests.conformance.cases import CORPUS, ROOT, Case, generated, kind_of_file
from tests.conformance.driver import text_sha
from tests.conformance.standin import JSON

HERE = Path(__file__).resolve().parent
KNOWN = HERE / "known_differences.yaml"
QUESTIONS = ("loads", "description", "unknown-keys", "tools", "model", "errors")
KIND_DIALECT = {"agent": "claude-agent", "skill": "claude-skill", "command": "claude-command"}
IGNORED_TOOL_CODES = frozenset({"AGL401", "AGL405", "AGL406", "AGL407", "AGL409"})
_UNKNOWN_LINE = re.compile(r"frontmatter keys? Claude Code does not recognize or apply: ")
# the runtime logs that warning from 2.1.296 (bisected on gen/agent/a0268-unknown-foo: 2.1.295
# logs nothing): older recordings cannot answer the unknown-keys question
UNKNOWN_KEY_WARNING_SINCE = Version.parse("2.1.296")
_UNKNOWN = re.compile(r'"((?:[^"\\]|\\.)*)"(?: \(did you mean "((?:[^"\\]|\\.)*)"\?\))?')


@dataclass(frozen=True)
class Difference:
    version: str
    source: str
    kind: str
    id: str
    file: str
    question: str
    category: str
    detail: str
    origin: str = ""


@dataclass
class Tally:
    agree: int = 0
    total: int = 0


@dataclass
class Result:
    version: str
    files: int = 0
    stale: list[str] = field(default_factory=list)  # recordings whose input changed
    missing: list[str] = field(default_factory=list)  # inputs not found (corpus absent)
    differences: list[Difference] = field(default_factory=list)
    # (source, kind, question) -> agreement
    tallies: dict[tuple[str, str, str], Tally] = field(default_factory=dict)

    def count(self, source: str, kind: str, question: str, agree: bool) -> None:
        t = self.tallies.setdefault((source, kind, question), Tally())
        t.total += 1
        t.agree += agree


# ------------------------------------------------------------------ agentls's answers


@dataclass
class Answer:
    """What agentls says about one file."""

    dialect: str | None
    skip_codes: list[str]
    errors: list[str]
    description: str | None
    unknown: dict[str, str | None]
    refused: bool
    ignored_tools: set[str]
    tool_entries: list[str] | None  # None: no `tools` key (or not a string / list)
    model: Any  # the `model` value as loaded (None: absent)
    model_warned: bool
    analysis: Analysis


def agentls_answer(path: str, settings: Settings) -> Answer:
    text, extra = read_text(path)
    match = detect(path)
    a = analyze(path, text, settings, dialect=match, extra=extra)
    a.findings = own_findings(a)  # Claude Code's findings (not Copilot CLI's on .claude/agents)
    skip = [f.code for f in a.findings if skips_file(f)]  # as `agentls explain` decides
    errors = [f.code for f in a.findings if f.severity == Severity.ERROR]
    unknown: dict[str, str | None] = {}
    for f in a.findings:
        if f.code == "AGL200":
            key = text[f.span.start : f.span.end]
            unknown[key] = (f.data or {}).get("suggestion")
    tools: list[str] | None = None
    model: Any = None
    model_warned = False
    if a.runtime_loaded and a.root is not None:
        e = a.root.get("tools")
        if e is not None and e.value is not None:
            v = getattr(e.value, "value", None)
            if isinstance(e.value, YScalar) and v is None:
                tools = []
            else:
                tools = [i.text for i in tool_items(text, e.value)]
        m = a.root.get("model")
        if m is not None:
            model = getattr(m.value, "value", "<non-scalar>")
            span = m.value.span if m.value is not None else m.key.span
            model_warned = any(
                f.severity <= Severity.WARNING
                and f.span.start < max(span.end, span.start + 1)
                and f.span.end >= span.start
                for f in a.findings
            )
    ignored: set[str] = set()
    if a.runtime_loaded and a.root is not None and (te := a.root.get("tools")) is not None:
        vspan = te.value.span if te.value is not None else te.key.span
        ignored = {
            text[f.span.start : f.span.end].split("(", 1)[0]
            for f in a.findings
            if f.code in IGNORED_TOOL_CODES and vspan.start <= f.span.start <= vspan.end
        }
    refused = any(f.code == "AGL402" and f.severity == Severity.ERROR for f in a.findings)
    return Answer(
        match.dialect if match else None,
        skip,
        errors,
        a.description(),
        unknown,
        refused,
        ignored,
        tools,
        model,
        model_warned,
        a,
    )


# ------------------------------------------------------------------ the runtime's answers


def runtime_loads(rec: JSON) -> bool:
    if rec.get("listed"):
        return True
    err = str((rec.get("probe") or {}).get("error", ""))
    # a skill or command the model may not invoke, or may invoke only with permission
    return "disable-model-invocation" in err or err.startswith("Execute skill:")


def runtime_unknown_keys(rec: JSON) -> tuple[dict[str, str | None], int]:
    """The keys the runtime warns about (the first five), and how many more it counts."""
    for line in rec.get("log", []):
        m = _UNKNOWN_LINE.search(line)
        if m:
            rest = line[m.end() :]
            more = re.search(r" and (\d+) more$", rest)
            keys = {u.group(1): (u.group(2) or None) for u in _UNKNOWN.finditer(rest)}
            return keys, int(more.group(1)) if more else 0
    return {}, 0


def same_text(recorded: str | JSON | None, mine: str | None) -> bool:
    """A recorded text (long ones as a hash) equals agentls's."""
    if isinstance(recorded, dict):
        return mine is not None and text_sha(mine) == recorded.get("sha")
    return recorded == mine


def metadata_dropped(rec: JSON) -> bool:
    """The runtime loaded the file without its front matter (its YAML failed)."""
    return any("failed to parse and was ignored" in line for line in rec.get("log", []))


# ------------------------------------------------------------------------------ inputs


def _inputs(records: dict[str, list[JSON]], result: Result) -> Iterator[tuple[str, JSON, bytes]]:
    gen: dict[str, Case] = {}
    if "generated" in records:
        gen = {c.id: c for c in generated()}
    for source, rows in records.items():
        for rec in rows:
            data: bytes | None = None
            if source == "generated":
                case = gen.get(rec["id"])
                f = next((f for f in case.files if f.rel == rec["file"]), None) if case else None
                data = f.data if f else None
            else:
                base = ROOT if source == "examples" else CORPUS
                p = base / rec["origin"]
                data = p.read_bytes() if p.is_file() else None
            if data is None:
                result.missing.append(rec["id"])
                continue
            if hashlib.sha256(data).hexdigest()[:16] != rec["sha"]:
                result.stale.append(rec["id"])
                continue
            yield source, rec, data


def compare_version(version: str) -> Result:
    meta, records = recordings.load(version)
    settings, problems = Settings.parse({"claudeCode.version": version})
    assert not problems, problems
    result = Result(version)
    with tempfile.TemporaryDirectory(prefix="agentls-conformance-") as tmp:
        root = Path(tmp)
        for source, rec, data in _inputs(records, result):
            rel = rec["file"]
            ns = "g" if source == "generated" else source[0]
            path = root / ns / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            result.files += 1
            ans = agentls_answer(str(path), settings)
            for q, (agree, cat, detail) in _verdicts(source, rec, ans, meta).items():
                result.count(source, kind_of_file(rec["file"]), q, agree)
                if not agree:
                    result.differences.append(
                        Difference(
                            version,
                            source,
                            kind_of_file(rec["file"]),
                            rec["id"],
                            rec["file"],
                            q,
                            cat,
                            detail,
                            rec.get("origin", ""),
                        )
                    )
    return result


# ------------------------------------------------------------------------------ judging


def _short(s: object, n: int = 90) -> str:
    r = repr(s)
    return r if len(r) <= n else r[: n - 1] + "…"


def _resplit(rec: JSON, name: object) -> Any:
    """The recorded description, with the listing line ``- NAME: DESCRIPTION`` split after
    ``name`` (the agent's own name) when the name holds ": " itself (loaded before 2.1.218): the
    line cannot tell where such a name ends, and the recording split at the first ": "."""
    desc = rec.get("description")
    listed = f"{rec.get('name')}: {desc}"
    if isinstance(name, str) and ": " in name and listed.startswith(name + ": "):
        return listed[len(name) + 2 :]
    return desc


def _desc_category(runtime: str | None, mine: str | None, rec: JSON, text: str) -> str:
    """A rough cause, for grouping: the first check that explains the difference."""
    if runtime is None:
        return "runtime-lists-name-only"
    if mine is None:
        if runtime.rstrip("…") in text:
            return "runtime-falls-back-to-body"  # its first line (a heading without the #)
        if runtime in (rec.get("name"), rec.get("display")):
            return "runtime-falls-back-to-name"
        return "runtime-falls-back-to-other"
    flat = " ".join(mine.split())
    if runtime.endswith("…") and (mine.startswith(runtime[:-1]) or flat.startswith(runtime[:-1])):
        return "runtime-cuts-length"
    if " - " in runtime and (runtime.startswith(mine + " - ") or runtime.startswith(flat + " - ")):
        return "runtime-appends-when_to_use"
    if any(e in runtime for e in ("&lt;", "&gt;", "&amp;", "&quot;")):
        return "runtime-escapes-html"
    if flat == runtime:
        return "runtime-flattens-whitespace"
    if "\\n" in runtime and " ".join(mine.replace("\n", "\\n").split()) == " ".join(
        runtime.split()
    ):
        return "backslash-n-kept-literally"
    if mine.strip() == runtime.strip():
        return "surrounding-whitespace"
    if runtime.startswith(mine[:20]) or mine.startswith(runtime[:20]):
        return "different-value"
    return "different-text"


def _verdicts(source: str, rec: JSON, ans: Answer, meta: JSON) -> dict[str, tuple[bool, str, str]]:
    """question -> (agree, category, detail) for the questions that apply to this file."""
    out: dict[str, tuple[bool, str, str]] = {}
    kind = kind_of_file(rec["file"])
    rt_loads = runtime_loads(rec)
    if ans.dialect != KIND_DIALECT[kind]:
        my_loads = False
        why = f"agentls reads it as {ans.dialect or 'no dialect'}"
    else:
        # AGL709: a skill with `paths` is listed only once a matching file is read; the runs
        # read none, so "loads, conditionally" agrees with a runtime that does not list it
        # AGL710: a skill that an old version does not list (it still runs as /name)
        conditional = any(f.code in ("AGL709", "AGL710") for f in ans.analysis.findings)
        my_loads = not ans.skip_codes and not conditional
        why = (
            ("agentls: skipped (" + ", ".join(sorted(set(ans.skip_codes))) + ")")
            if ans.skip_codes
            else ("agentls: loads once a path matches" if conditional else "agentls: loads")
        )
    if rt_loads != my_loads:
        if rt_loads:
            cat = (
                "agentls-says-skipped:" + ",".join(sorted(set(ans.skip_codes)))
                if ans.skip_codes
                else f"agentls-other-dialect:{ans.dialect}"
            )
        elif kind == "skill" and ans.analysis.root is not None and ans.analysis.root.get("paths"):
            cat = "runtime-defers-skill-with-paths"  # agentls misses that it is conditional
        else:
            cat = "runtime-skips"
        reason = " | ".join(rec.get("log", [])[:2])
        out["loads"] = (
            False,
            cat,
            f"runtime {'loads' if rt_loads else 'skips'}; {why}; log: {_short(reason, 200)}",
        )
    else:
        out["loads"] = (True, "", "")
    both_load = rt_loads and my_loads
    if both_load and rec.get("listed"):
        root = ans.analysis.root
        name = root.get("name") if root is not None and kind == "agent" else None
        recorded = _resplit(
            rec, name.value.value if name and isinstance(name.value, YScalar) else None
        )
        mine = ans.description
        runtime = recorded.get("head", "") + "…" if isinstance(recorded, dict) else recorded
        if not same_text(recorded, mine):
            cat = _desc_category(runtime, mine, rec, ans.analysis.text)
            out["description"] = (
                False,
                cat,
                f"runtime {_short(runtime)} vs agentls {_short(mine)}",
            )
        else:
            out["description"] = (True, "", "")
    warns = Version.parse(str(meta.get("version", "0"))) >= UNKNOWN_KEY_WARNING_SINCE
    if both_load and kind == "agent" and warns:
        rt, more = runtime_unknown_keys(rec)
        warned = ans.unknown
        if more:  # the runtime names the first five and counts the rest
            shown = dict(list(warned.items())[: len(rt)])
            same = shown == rt and len(warned) == len(rt) + more
        else:
            same = rt == warned
        if not same:
            missing = {k: v for k, v in rt.items() if k not in ans.unknown}
            extra = {k: v for k, v in ans.unknown.items() if k not in rt}
            hints = {
                k: (rt[k], ans.unknown[k])
                for k in rt
                if k in ans.unknown and rt[k] != ans.unknown[k]
            }
            cat = (
                "agentls-misses-unknown-key"
                if missing
                else ("agentls-extra-unknown-key" if extra else "did-you-mean-differs")
            )
            out["unknown-keys"] = (
                False,
                cat,
                f"runtime {rt} vs agentls {ans.unknown}"
                + (f"; hints runtime/agentls {hints}" if hints else ""),
            )
        else:
            out["unknown-keys"] = (True, "", "")
    probe = rec.get("probe") or {}
    if both_load and kind == "agent" and probe:
        out["tools"] = _tools_verdict(probe, ans)
        if "model" in probe:
            out["model"] = _model_verdict(probe, ans, meta, rec.get("log", []))
    without_metadata = metadata_dropped(rec) or (
        kind != "agent" and not (ans.analysis.runtime_loaded and ans.analysis.root is not None)
    )  # a skill or command listed without its front matter (agentls reads none either)
    if rt_loads and ans.dialect == KIND_DIALECT[kind] and not without_metadata:
        refused = "would be spawned with zero tools" in str(probe.get("error", ""))
        errs = [
            f
            for f in ans.analysis.findings
            if f.severity == Severity.ERROR and not (refused and f.code == "AGL402")
        ]
        if errs:
            codes = ",".join(sorted({f.code for f in errs}))
            out["errors"] = (False, f"error-on-loaded-file:{codes}", _short(errs[0].message, 200))
        else:
            out["errors"] = (True, "", "")
    return out


def _tools_verdict(probe: JSON, ans: Answer) -> tuple[bool, str, str]:
    refused = "would be spawned with zero tools" in str(probe.get("error", ""))
    if refused != ans.refused:
        cat = "runtime-refuses-launch" if refused else "agentls-claims-refusal"
        return (
            False,
            cat,
            f"runtime {_short(probe)}; agentls tools {ans.tool_entries} "
            f"ignored {sorted(ans.ignored_tools)}",
        )
    if "tools" not in probe or ans.tool_entries is None:
        return True, "", ""
    granted = set(probe["tools"])
    if not granted and ans.tool_entries and not (ans.ignored_tools >= set(ans.tool_entries)):
        return (
            False,
            "runtime-gives-no-tools",
            f"runtime [] vs agentls entries {ans.tool_entries} ignored {sorted(ans.ignored_tools)}",
        )
    if "*" in ans.tool_entries:
        return True, "", ""
    dropped = {t.split("(", 1)[0] for t in ans.tool_entries} - granted
    if granted and dropped != ans.ignored_tools:
        miss = sorted(dropped - ans.ignored_tools)
        extra = sorted(ans.ignored_tools - dropped)
        cat = "agentls-misses-ignored-tool" if miss else "agentls-flags-granted-tool"
        return (
            False,
            cat,
            f"runtime drops {sorted(dropped)}, agentls flags {sorted(ans.ignored_tools)} "
            f"(missed {miss}, extra {extra}); granted {sorted(granted)}",
        )
    return True, "", ""


def _model_verdict(probe: JSON, ans: Answer, meta: JSON, log: list[str]) -> tuple[bool, str, str]:
    got = probe.get("model")
    written = ans.model
    aliases: dict[str, str] = meta.get("alias_models", {})
    if written is None:
        return True, "", ""
    main = meta.get("main_model")
    key = written.strip().lower() if isinstance(written, str) else None
    if any("has invalid model '" in line for line in log):
        # before 2.1.74: the runtime says it rejected the value (the session's model may
        # happen to be the one written, as for `Sonnet`)
        honoured, how = False, "rejected (debug log)"
    elif key is not None and key in aliases:
        honoured = got == aliases[key]  # an alias, in any case
        how = "alias"
    elif got == written:
        honoured, how = True, "sent as written"
    elif got != main:
        honoured, how = True, "mapped by the runtime"  # e.g. opusplan, sonnet[1m]
    else:
        honoured, how = False, "replaced by the session model"
    if honoured == (not ans.model_warned):
        return True, "", ""
    detail = f"model {_short(written)} -> runtime {got} ({how})"
    if honoured:
        return False, "agentls-warns-on-used-model", detail
    return False, "agentls-silent-on-replaced-model", detail


# ------------------------------------------------------------------ known differences


@dataclass
class Known:
    entries: list[JSON]

    def covers(self, d: Difference) -> bool:
        for e in self.entries:
            versions = e.get("version")  # one version or a list of them
            if versions is not None and d.version not in (
                versions if isinstance(versions, list) else [versions]
            ):
                continue
            if e.get("question") not in (None, d.question):
                continue
            ids = e.get("ids") or []
            cat = e.get("category")
            if (d.id in ids or d.origin in ids) and (cat is None or d.category.startswith(cat)):
                return True
            if not ids and cat is not None and d.category.startswith(cat):
                return True
        return False


def known_differences(path: Path = KNOWN) -> Known:
    if not path.is_file():
        return Known([])
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    entries = data.get("differences") or []
    for e in entries:
        if not str(e.get("reason", "")).strip():
            raise ValueError(f"{path}: every known difference needs a reason: {e}")
    return Known(list(entries))
