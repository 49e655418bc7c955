"""Claude Code's verdict on one file, derived from the analysis's findings (as ``check`` reports
them): what ``agentls explain`` prints, as text or JSON, and what the conformance comparison
counts as skipped.

* **skipped**: an error-class finding says the runtime skips (or does not load, or treats as
  documentation, or drops) the file, or AGL201 (no front matter / no name), or AGL711 (the
  runtime does not read the file at all: a Codex custom prompt);
* **refused at launch**: AGL402 as an error (no entry of ``tools`` resolves);
* **loads with values dropped**: any other runtime-class error or warning on the front matter
  (an ignored key, a dropped value, lost keys, metadata dropped after a YAML failure); each is
  listed;
* **loads** otherwise.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from agentls.core.analysis import Analysis, RuntimeView
from agentls.core.codes import CODES
from agentls.core.dialects import _parts, name_of, parent_name_of, path_parts, stem_of
from agentls.core.findings import Finding, Severity
from agentls.core.shown import shown
from agentls.core.yamltree import YScalar, to_data

JSON = dict[str, Any]
SKIP_WORDS = re.compile(
    r"\bskip(s|ped)?\b|\bnot loaded\b|treats (this|the) file as documentation"
    r"|drops (this|the) (file|skill|agent|command)\b",
    re.I,
)
KINDS = {
    "claude-agent": "agent",
    "claude-skill": "skill",
    "claude-command": "command",
    "claude-rule": "rule",
    "claude-output-style": "output style",
}
IGNORED_TOOL_CODES = frozenset({"AGL401", "AGL405", "AGL406", "AGL407", "AGL409"})
TEXT_CODES = frozenset({"AGL104", "AGL105"})  # encoding: the text is kept, garbled
LOADS = "loads"
DROPPED = "loads with values dropped"
SKIPPED = "skipped"
REFUSED = "refused at launch"


def skips_file(f: Finding) -> bool:
    """Whether a finding says Claude Code skips the file (the one test: check, explain, compare)."""
    return f.code in ("AGL201", "AGL711") or (
        f.severity == Severity.ERROR and bool(SKIP_WORDS.search(f.message))
    )


def refuses_launch(f: Finding) -> bool:
    return f.code == "AGL402" and f.severity == Severity.ERROR


@dataclass
class Verdict:
    """What Claude Code does with one file (None fields: not applicable or not known)."""

    path: str | None
    version: str
    dialect: str | None
    kind: str | None
    verdict: str
    parse: str | None = None  # strict | retry | lines | failed | None (no front matter)
    reasons: list[JSON] = field(default_factory=list)  # the findings behind skipped / refused
    dropped: list[JSON] = field(default_factory=list)  # the values (keys) dropped or ignored
    name: str | None = None  # the name the runtime lists it under
    display_name: str | None = None  # skills: the `name` shown next to the folder name
    description: str | None = None  # as received (agents) or as listed (skills, commands)
    tools: JSON | None = None  # agents: {"written", "ignored"} or None (no `tools`: all)
    model: str | None = None  # agents and skills: the `model` value as written
    errors: int = 0
    warnings: int = 0
    runtime: str = "claude-code"  # whose verdict: Claude Code, or the dialect's own tool
    runtimes: list[JSON] = field(default_factory=list)  # every reader's verdict, own first

    def to_json(self) -> JSON:
        return {
            "path": self.path,
            "runtime": self.runtime,
            "version": self.version,
            "dialect": self.dialect,
            "kind": self.kind,
            "verdict": self.verdict,
            "parse": self.parse,
            "reasons": self.reasons,
            "dropped": self.dropped,
            "name": self.name,
            "display_name": self.display_name,
            "description": self.description,
            "tools": self.tools,
            "model": self.model,
            "findings": {"errors": self.errors, "warnings": self.warnings},
            "runtimes": self.runtimes,
        }


def _drops_value(a: Analysis, f: Finding) -> bool:
    """A runtime-class error or warning on the front matter that neither skips nor refuses
    (an unknown key at any severity: the runtime ignores it, VS Code says so in a hint)."""
    if (
        (f.severity > Severity.WARNING and f.code != "AGL200")
        or f.code not in CODES
        or CODES[f.code].klass != "runtime"
        or f.code in TEXT_CODES
        or skips_file(f)
        or refuses_launch(f)
    ):
        return False
    b = a.block
    if b is None:
        return False
    end = b.close_span.end if b.close_span is not None else b.content.end
    return b.open_span.start <= f.span.start <= end


def _key_at(a: Analysis, f: Finding) -> str | None:
    if a.root is None:
        return None
    for e in a.root.entries:
        start = e.key.span.start
        end = max(e.value.span.end if e.value is not None else e.key.span.end, e.key.span.end)
        if start <= f.span.start <= end:
            return e.key_text
    return None


def _finding_json(a: Analysis, f: Finding) -> JSON:
    line, col = a.lines.position(f.span.start)
    out: JSON = {
        "code": f.code,
        "severity": f.severity.label,
        "line": line + 1,
        "column": col + 1,
        "message": f.message,
    }
    key = _key_at(a, f)
    if key is not None:
        out["key"] = key
    return out


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _listed_name(a: Analysis, kind: str) -> str | None:
    """The name a skill (its folder) or a command (its path under `commands/`) is listed by."""
    if a.path is None:
        return None
    parts = path_parts(a.path) if os.sep == "\\" else _parts(a.path)  # PurePath's
    if kind == "skill":
        return parent_name_of(parts) or None
    stem = stem_of(name_of(parts))
    if "commands" in parts:
        i = len(parts) - 1 - parts[::-1].index("commands")
        rel = [*parts[i + 1 : -1], stem]
        return ":".join(rel)
    return stem


def verdict(a: Analysis) -> Verdict:
    """Claude Code's verdict on the analysed file (the same findings ``check`` reports)."""
    dialect = a.dialect.dialect if a.dialect else None
    kind = KINDS.get(dialect or "")
    v = Verdict(a.path, str(a.version), dialect, kind, LOADS)
    if kind is None and dialect is not None:
        from agentls.core.catalog import dialect as spec_of

        try:
            v.runtime = spec_of(dialect).tool or dialect
        except (OSError, KeyError, ValueError):
            v.runtime = dialect
    v.parse = a.parse.mode if a.parse and a.block and a.block.found_by_runtime else None
    v.errors = sum(1 for f in a.findings if f.severity == Severity.ERROR)
    v.warnings = sum(1 for f in a.findings if f.severity == Severity.WARNING)
    own = own_findings(a)
    skips = [f for f in own if skips_file(f)]
    refusals = [f for f in own if refuses_launch(f)]
    if skips:
        v.verdict = SKIPPED
        v.reasons = [_finding_json(a, f) for f in skips]
    elif refusals:
        v.verdict = REFUSED
        v.reasons = [_finding_json(a, f) for f in refusals]
    dropped = [f for f in own if _drops_value(a, f)]
    v.dropped = [_finding_json(a, f) for f in dropped]
    if v.verdict == LOADS and dropped:
        v.verdict = DROPPED
    if v.verdict == SKIPPED:
        return _with_runtimes(a, v)
    root = a.root if a.runtime_loaded else None
    if kind == "agent":
        e = root.get("name") if root else None
        v.name = _string(getattr(e.value, "value", None)) if e else None
    elif kind in ("skill", "command"):
        v.name = _listed_name(a, kind)
        e = root.get("name") if root else None
        shown = _string(to_data(e.value)) if e is not None else None
        v.display_name = shown if shown and shown != v.name else None
    if kind in ("agent", "skill", "command"):
        v.description = a.description()
    if dialect == "codex-skill":  # as Codex lists it (received.py)
        from agentls.core.received import codex_listed_name

        v.kind, v.name, v.description = "skill", codex_listed_name(a), a.description()
    if root is not None and kind in ("agent", "skill", "command"):
        m = root.get("model")
        if m is not None and isinstance(m.value, YScalar):
            v.model = _string(m.value.value)
    if root is not None and kind == "agent":
        v.tools = _tools(a)
    return _with_runtimes(a, v)


def _with_runtimes(a: Analysis, v: Verdict) -> Verdict:
    v.runtimes = [_runtime_verdict(a, view, v) for view in a.readers]
    return v


def own_findings(a: Analysis) -> tuple[Finding, ...]:
    """The findings of the file's own tool (Claude Code for its dialects), as it says them."""
    if a.readers and a.dialect is not None and a.readers[0].reader.profile == a.dialect.dialect:
        return a.readers[0].findings
    # a suppression hides a finding from `check`, not from what the runtime does
    return tuple(sorted((*a.findings, *a.suppressed), key=Finding.sort_key))


def _runtime_verdict(a: Analysis, view: RuntimeView, own: Verdict) -> JSON:
    """One reader's verdict: the own tool's is ``own``; another's follows from its findings
    (an error: it drops the file; a warning on the front matter: it ignores or drops a value)."""
    rt = view.reader.runtime
    out: JSON = {
        "runtime": rt.id,
        "name": rt.name,
        "version": rt.version,
        "profile": view.reader.profile,
    }
    if a.dialect is not None and view.reader.profile == a.dialect.dialect:
        return {**out, "verdict": own.verdict, "reasons": own.reasons}
    errors = [f for f in view.findings if f.severity == Severity.ERROR]
    warned = [f for f in view.findings if f.severity == Severity.WARNING]
    verdict_ = SKIPPED if errors else DROPPED if warned else LOADS
    reasons = [_finding_json(a, f) for f in errors or warned]
    out = {**out, "verdict": verdict_, "reasons": reasons}
    if verdict_ != SKIPPED:
        from agentls.core.received import profile_description

        desc = profile_description(a.text, view.reader.profile)
        values = shown(a, view)  # Copilot CLI's (agentls.core.shown)
        if desc is None and values is not None:
            desc = values.description
        if desc is not None:
            out["description"] = desc  # as this runtime lists it
        if values is not None and values.name is not None:
            out["listed_name"] = values.name  # the name this runtime lists it under
    return out


def _tools(a: Analysis) -> JSON | None:
    from agentls.core.toollist import tool_items

    assert a.root is not None
    e = a.root.get("tools")
    if e is None or e.value is None:
        return None
    if isinstance(e.value, YScalar) and e.value.value is None:
        return {"written": [], "ignored": []}
    written = [i.text for i in tool_items(a.text, e.value)]
    span = e.value.span
    ignored = sorted(
        {
            a.text[f.span.start : f.span.end].split("(", 1)[0]
            for f in a.findings
            if f.code in IGNORED_TOOL_CODES and span.start <= f.span.start <= span.end
        }
    )
    return {"written": written, "ignored": ignored}
