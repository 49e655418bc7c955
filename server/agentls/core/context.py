"""What a dialect's rules see, and how they report."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from agentls.core.codes import CODES
from agentls.core.findings import Finding, Severity
from agentls.core.frontmatter import Block
from agentls.core.settings import Settings
from agentls.core.text import Span

log = logging.getLogger("agentls")


class Context:
    """One analysis in progress: the text, the settings, and the findings so far."""

    def __init__(self, text: str, path: str | None, settings: Settings) -> None:
        self.text = text
        self.path = path
        self.settings = settings
        self.block: Block | None = None
        self.findings: list[Finding] = []

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
