"""Settings, parsed once into a typed value with friendly errors (design.md §5)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from agentls.core.codes import CODES
from agentls.core.dialects import DIALECT_FILES
from agentls.core.findings import Severity
from agentls.core.versions import CLAUDE_LATEST, Version

DIALECT_IDS = ("claude-agent", *DIALECT_FILES)


class Budgets(NamedTuple):
    """Limits on what agent files put into every request (the ``budgets`` settings, issue 14).
    None: the runtime's own (Claude Code's skill listing budget and per-description limit,
    from its version and the model); no limit for the agent listing, which has none."""

    skill_listing: int | None = None  # characters the skill listing may take
    skill_description: int | None = None  # characters of one listed description
    agent_listing: int | None = None  # characters the agent listing may take (a team's limit)
    model: str | None = None  # the model whose context window sets Claude Code's budget

    def team(self) -> bool:
        """Whether a team set any limit of its own."""
        return any(x is not None for x in (self.skill_listing, self.skill_description,
                                            self.agent_listing))  # fmt: skip


BUDGET_KEYS = {
    "skillListing": "skill_listing",
    "skillDescription": "skill_description",
    "agentListing": "agent_listing",
    "model": "model",
}


class Settings(NamedTuple):
    claude_version: Version = CLAUDE_LATEST
    # code -> severity, or None to switch the code off
    severity: Mapping[str, Severity | None] = MappingProxyType({})
    # dialect -> extra glob patterns (matched before the built-in locations)
    patterns: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    disabled: frozenset[str] = frozenset()  # dialects not checked
    # the runtimes whose verdicts count (core/runtimes.py ids); None: every runtime that reads
    # the file. Findings about other runtimes become information.
    targets: frozenset[str] | None = None
    suppressions: bool = True  # False: `agentls check --no-suppressions` (core/suppress.py)
    budgets: Budgets = Budgets()

    @classmethod
    def parse(cls, raw: Any) -> tuple[Settings, list[str]]:
        """Settings from an LSP/CLI dict; bad values keep their default and yield a message.

        Accepts ``{"claudeCode": {"version": "2.1.50"}, "severity": {"AGL200": "off"},
        "dialects": {"vscode-prompt": {"enabled": false}, "claude-agent": {"patterns": [...]}}}``,
        the same nested under ``"agentls"``, or dotted keys (``"claudeCode.version"``).
        """
        errors: list[str] = []
        if not isinstance(raw, Mapping):
            return cls(), ([] if raw is None else ["settings must be an object"])
        if isinstance(raw.get("agentls"), Mapping):
            raw = raw["agentls"]
        flat: dict[str, Any] = {}
        for k, v in raw.items():
            if isinstance(v, Mapping) and k not in ("severity", "dialects"):
                for k2, v2 in v.items():
                    flat[f"{k}.{k2}"] = v2
            else:
                flat[str(k)] = v
        version = CLAUDE_LATEST
        v = flat.get("claudeCode.version")
        if v not in (None, "", "latest"):
            try:
                version = Version.parse(str(v))
            except ValueError as e:
                errors.append(f"claudeCode.version: {e}; using {CLAUDE_LATEST}")
        sev: dict[str, Severity | None] = {}
        raw_sev = flat.get("severity") or {}
        if not isinstance(raw_sev, Mapping):
            errors.append("severity must map codes to error|warning|information|hint|off")
            raw_sev = {}
        for code, level in raw_sev.items():
            if code not in CODES:
                errors.append(f"severity: unknown code {code!r}")
                continue
            if str(level).lower() in ("off", "none", "ignore"):
                sev[code] = None
                continue
            try:
                sev[code] = Severity.parse(str(level))
            except KeyError:
                errors.append(
                    f"severity.{code}: {level!r} is not error|warning|information|hint|off"
                )
        patterns, disabled = _dialects(flat.get("dialects"), errors)
        targets = _targets(flat.get("targets"), errors)
        budgets = _budgets(flat, errors)
        return cls(version, sev, patterns, disabled, targets, budgets=budgets), errors


def _budgets(flat: Mapping[str, Any], errors: list[str]) -> Budgets:
    values: dict[str, Any] = {}
    for key, field in BUDGET_KEYS.items():
        v = flat.get(f"budgets.{key}")
        if v in (None, ""):
            continue
        if field == "model":
            if isinstance(v, str):
                values[field] = v.strip()
            else:
                errors.append(f"budgets.{key} must be a model name or alias")
        elif isinstance(v, int) and not isinstance(v, bool) and v > 0:
            values[field] = v
        else:
            errors.append(f"budgets.{key}: {v!r} is not a positive number of characters")
    unknown = sorted(
        k.split(".", 1)[1]
        for k in flat
        if k.startswith("budgets.") and k.split(".", 1)[1] not in BUDGET_KEYS
    )
    if unknown:
        errors.append(f"budgets: unknown key {unknown[0]!r} (one of {', '.join(BUDGET_KEYS)})")
    if flat.get("budgets") is not None and not isinstance(flat.get("budgets"), Mapping):
        errors.append("budgets must be a table of limits")
    return Budgets(**values)


def _targets(raw: Any, errors: list[str]) -> frozenset[str] | None:
    if raw in (None, "", []):
        return None
    from agentls.core.runtimes import all_runtimes

    known = [r.id for r in all_runtimes()]
    items = [x.strip() for x in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        errors.append("targets must be a list of runtime ids")
        return None
    bad = [x for x in items if x not in known]
    if bad:
        errors.append(f"targets: unknown runtime {bad[0]!r} (one of {', '.join(known)})")
    good = frozenset(x for x in items if x in known)
    return good or None


def _dialects(raw: Any, errors: list[str]) -> tuple[Mapping[str, tuple[str, ...]], frozenset[str]]:
    patterns: dict[str, tuple[str, ...]] = {}
    disabled: set[str] = set()
    if raw is None:
        return MappingProxyType(patterns), frozenset()
    if not isinstance(raw, Mapping):
        errors.append("dialects must map dialect ids to {enabled, patterns}")
        return MappingProxyType(patterns), frozenset()
    for name, conf in raw.items():
        if name not in DIALECT_IDS:
            errors.append(f"dialects: unknown dialect {name!r} (one of {', '.join(DIALECT_IDS)})")
            continue
        if not isinstance(conf, Mapping):
            errors.append(f"dialects.{name} must be an object with enabled and patterns")
            continue
        if conf.get("enabled") is False:
            disabled.add(name)
        globs = conf.get("patterns")
        if globs is None:
            continue
        if isinstance(globs, str):
            globs = [globs]
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            errors.append(f"dialects.{name}.patterns must be a list of glob strings")
            continue
        patterns[name] = tuple(globs)
    return MappingProxyType(patterns), frozenset(disabled)
