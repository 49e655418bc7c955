"""Settings, parsed once into a typed value with friendly errors (design.md §5)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from agentls.core.codes import CODES
from agentls.core.findings import Severity
from agentls.core.versions import CLAUDE_LATEST, Version


class Settings(NamedTuple):
    claude_version: Version = CLAUDE_LATEST
    # code -> severity, or None to switch the code off
    severity: Mapping[str, Severity | None] = MappingProxyType({})

    @classmethod
    def parse(cls, raw: Any) -> tuple[Settings, list[str]]:
        """Settings from an LSP/CLI dict; bad values keep their default and yield a message.

        Accepts ``{"claudeCode": {"version": "2.1.50"}, "severity": {"AGL200": "off"}}``,
        the same nested under ``"agentls"``, or dotted keys (``"claudeCode.version"``).
        """
        errors: list[str] = []
        if not isinstance(raw, Mapping):
            return cls(), ([] if raw is None else ["settings must be an object"])
        if isinstance(raw.get("agentls"), Mapping):
            raw = raw["agentls"]
        flat: dict[str, Any] = {}
        for k, v in raw.items():
            if isinstance(v, Mapping) and k != "severity":
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
        return cls(version, sev), errors
