"""Findings: what the analysis reports, in code-point spans."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from agentls.core.text import Span


class Severity(IntEnum):
    """Same numbering as LSP's DiagnosticSeverity."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.strip().upper()]


NO_DATA: Mapping[str, Any] = MappingProxyType({})


class Finding(NamedTuple):
    code: str
    severity: Severity
    span: Span
    message: str
    data: Mapping[str, Any] = NO_DATA

    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.span.start, self.span.end, int(self.severity), self.code, self.message)


# the same order as ``Finding.sort_key``, its fields read in C (a key function in Python costs
# a call per finding): ``sorted(findings, key=ORDER)``
ORDER = attrgetter("span.start", "span.end", "severity", "code", "message")
