"""What a dialect's rules see, and how they report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from agentls.core.codes import CODES
from agentls.core.dialects import DialectMatch
from agentls.core.findings import Finding, Severity
from agentls.core.frontmatter import Block
from agentls.core.runtime import ClaudeParse
from agentls.core.settings import Settings
from agentls.core.text import Span
from agentls.core.textcheck import clean_for_yaml
from agentls.core.versions import Version
from agentls.core.yamlcheck import Explained
from agentls.core.yamltree import Memo, YEntry, YMap, YNode, YScalar, trim_end

MAX_FRONT_MATTER = 1024 * 1024  # code points; beyond this agentls does not parse the YAML


class Context:
    """One analysis in progress: the text, what was parsed, and the findings so far."""

    def __init__(
        self, text: str, path: str | None, settings: Settings, match: DialectMatch
    ) -> None:
        self.text = text
        self.path = path
        self.settings = settings
        self.match = match
        self.block: Block | None = None
        self.findings: list[Finding] = []
        self.parse: ClaudeParse | None = None
        self.explained: Explained | None = None
        self.root: YMap | None = None  # the tree the checks read
        self.unchecked = False  # the front matter exceeded a limit: no key-level rules
        self.memo: Memo | None = None  # the document's parsed entries, to reuse (yamltree)
        self.version: Version = settings.claude_version  # the Claude Code version to emulate

    def get(self, key: str) -> YEntry | None:
        """The entry for ``key`` when its value could be read (not a broken line's stand-in)."""
        if self.root is None:
            return None
        e = self.root.get(key)
        if e is None or (isinstance(e.value, YScalar) and e.value.style == "raw"):
            return None
        return e

    def front_matter_text(self) -> str | None:
        """The block's YAML, cleaned for the parser; None (reported) when it is too large."""
        assert self.block is not None
        content = self.block.content
        if content.end - content.start > MAX_FRONT_MATTER:
            self.add(
                "AGL020",
                self.block.open_span,
                f"The front matter is larger than {MAX_FRONT_MATTER // 1024} KiB: agentls does "
                "not check it.",
            )
            self.unchecked = True
            return None
        return clean_for_yaml(self.text[content.start : content.end])

    def value_span(self, node: YNode, key: YNode | None = None) -> Span:
        """Where to report on a value: the value itself, or its key when the value is empty."""
        if isinstance(node, YScalar) and node.is_null and key is not None and not node.raw:
            return key.span
        span = trim_end(self.text, node.span)
        if span.end <= span.start and key is not None:
            return key.span
        return span

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
            import logging  # only now: a rule's bug is rare, the import is not free

            logging.getLogger("agentls").exception(
                "rule %s failed on %s", getattr(rule, "__name__", rule), ctx.path
            )
