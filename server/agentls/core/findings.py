"""Findings: what the analysis reports, in code-point spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    span: Span
    message: str
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.span.start, self.span.end, int(self.severity), self.code, self.message)
