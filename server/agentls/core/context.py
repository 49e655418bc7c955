"""What a dialect's rules see, and how they report."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from agentls.core.codes import CODES
from agentls.core.findings import Finding, Severity
from agentls.core.frontmatter import Block
from agentls.core.settings import Settings
from agentls.core.text import Span

log = logging.getLogger("agentls")


@dataclass
class Context:
    text: str
    path: str | None
    settings: Settings
    block: Block | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(
        self, code: str, span: Span, message: str, severity: Severity | None = None, **data: Any
    ) -> None:
        sev = severity if severity is not None else CODES[code].severity
        self.findings.append(Finding(code, sev, span, message, data))


Rule = Callable[[Any], None]


def run_rules(ctx: Any, rules: Iterable[Rule]) -> None:
    """Run each rule in isolation: one rule's bug never hides the others' findings."""
    for rule in rules:
        try:
            rule(ctx)
        except Exception:
            if os.environ.get("AGENTLS_STRICT"):
                raise
            log.exception("rule %s failed on %s", getattr(rule, "__name__", rule), ctx.path)
