"""analyze(path, text, settings) -> Analysis: the one analysis every feature reads."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from agentls.core.context import Context
from agentls.core.dialects import DialectMatch, PluginOracle, detect, is_plugin_root
from agentls.core.findings import ORDER, Finding, Severity
from agentls.core.frontmatter import Block
from agentls.core.runtime import ClaudeParse
from agentls.core.runtimes import Reader, readers
from agentls.core.settings import Settings
from agentls.core.suppress import Suppression, suppress_file
from agentls.core.text import LineIndex, Span
from agentls.core.textcheck import bad_yaml_chars, line_separators, mojibake, surrogates
from agentls.core.versions import CLAUDE_LATEST, Version
from agentls.core.yamltree import Memo, YMap

MAX_BODY_SCAN = 4 * 1024 * 1024  # mojibake scan bound, in code points


class Analysis:
    """The result of one analysis; read-only by convention, shared by every feature."""

    __slots__ = (
        "_lines",
        "block",
        "dialect",
        "findings",
        "parse",
        "path",
        "readers",
        "recovered",
        "root",
        "suppressed",
        "suppression_used",
        "suppressions",
        "text",
        "version",
    )

    def __init__(
        self,
        path: str | None,
        text: str,
        dialect: DialectMatch | None,
        block: Block | None = None,
        parse: ClaudeParse | None = None,
        root: YMap | None = None,
        recovered: bool = False,
        findings: tuple[Finding, ...] = (),
        version: Version = CLAUDE_LATEST,
    ) -> None:
        self.path = path
        self.text = text
        self.dialect = dialect
        self.block = block
        self.parse = parse
        self.root = root  # what the runtime loaded, or what was recovered key by key
        self.recovered = recovered
        self.findings = findings
        self.version = version  # the Claude Code version emulated
        self._lines: LineIndex | None = None
        # every runtime that reads the file (its own tool first) with its findings
        self.readers: tuple[RuntimeView, ...] = ()
        # the file's suppressions (core/suppress.py), the findings they hid (each with
        # data["suppressed"]: the reason, or True), and the (suppression, code) pairs that matched
        self.suppressions: tuple[Suppression, ...] = ()
        self.suppressed: tuple[Finding, ...] = ()
        self.suppression_used: frozenset[tuple[int, str]] = frozenset()

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def runtime_loaded(self) -> bool:
        return (
            self.parse is not None
            and self.parse.loaded
            and self.block is not None
            and (self.block.found_by_runtime)
        )

    def description(self) -> str | None:
        """The description the model receives, as Claude Code ``version`` delivers it.

        Agents: the value (after the retry and the ``\\n`` conversion); skills and commands:
        the listing's text (body fallback, flattening, escaping, ``when_to_use``, the cut).
        See ``agentls.core.received``."""
        from agentls.core.received import received_description

        return received_description(self, self.version)


def _text_findings(ctx: Context) -> None:
    text = ctx.text
    fm = ctx.block.content if ctx.block else Span(0, 0)
    ascii_only = text.isascii()  # C speed; most agent files are ASCII
    c3 = False  # a byte C3 in the UTF-8: where any mojibake starts (textcheck.mojibake)
    if not ascii_only:
        try:  # one encoding for both tests
            c3 = b"\xc3" in text.encode("utf-8")
        except UnicodeEncodeError:  # only a lone surrogate does not encode
            c3 = True  # mojibake looks for itself
            for off in surrogates(text):
                ctx.add(
                    "AGL104",
                    Span(off, off + 1),
                    "A lone UTF-16 surrogate: this is not a valid character and tools replace "
                    "it with U+FFFD.",
                )
    for off, ch in bad_yaml_chars(text, fm.start, fm.end):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            continue
        ctx.add(
            "AGL102",
            Span(off, off + 1),
            f"Control character U+{ord(ch):04X} in the front matter: strict YAML parsers "
            "(PyYAML, skills tooling) reject the file. Delete it.",
        )
    if ascii_only:
        return  # no line separators and no mojibake in ASCII
    for off, ch in line_separators(text, fm.start, fm.end):
        ctx.add(
            "AGL103",
            Span(off, off + 1),
            f"U+{ord(ch):04X} is an invisible line break for YAML 1.1 parsers (PyYAML) but "
            "not for Claude Code's; replace it with a space or a real line break.",
        )
    if not c3:
        return
    for span, bad, good in mojibake(text, 0, min(len(text), MAX_BODY_SCAN)):
        ctx.add(
            "AGL105",
            span,
            f"Mojibake: `{bad}` is UTF-8 for `{good}` that was read as Windows-1252 and saved "
            f"again; the agent receives the garbled text. Replace it with `{good}`.",
            replacement=good,
        )


_GITHUB_TARGET = re.compile(
    r"""(?m)^target[ \t]*:[ \t]*["']?github-copilot["']?[ \t]*(?:#.*)?\r?$"""
)


def _analyze_dialect(
    path: str | None,
    text: str,
    settings: Settings,
    match: DialectMatch,
    extra: tuple[Finding, ...],
    memo: Memo | None = None,
) -> Analysis:
    from agentls.core.catalog import dialect
    from agentls.core.dialects import generic

    if match.dialect == "vscode-agent" and _GITHUB_TARGET.search(text, 0, 64 * 1024):
        # `target: github-copilot` switches to GitHub's key set and parser (§7.3)
        match = match._replace(dialect="github-agent")
    spec = dialect(match.dialect)  # CatalogError for a broken installation: never silence
    ctx = generic.DialectContext(text, path, settings, match, spec)
    ctx.extra = extra  # the reader's decoding findings (Codex, skills-ref refuse bad UTF-8)
    ctx.memo = memo
    generic.check(ctx)
    return _result(ctx, settings, extra)


def _result(ctx: Context, settings: Settings, extra: tuple[Finding, ...]) -> Analysis:
    """Add the text-level findings and freeze the context into an Analysis."""
    _text_findings(ctx)
    ctx.findings.extend(extra)
    recovered = bool(ctx.explained and ctx.explained.recovered)
    return Analysis(
        ctx.path,
        ctx.text,
        ctx.match,
        ctx.block,
        ctx.parse,
        ctx.root,
        recovered,
        finish(ctx.findings, settings),
        settings.claude_version,
    )


def finish(findings: list[Finding], settings: Settings) -> tuple[Finding, ...]:
    severity = settings.severity
    out: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        if severity and f.code in severity:
            sev = severity[f.code]
            if sev is None:
                continue
            f = Finding(f.code, sev, f.span, f.message, f.data)
        out.setdefault((f.code, f.span, f.message), f)
    return tuple(sorted(out.values(), key=ORDER))


class RuntimeView(NamedTuple):
    """One runtime's reading of the analysed file: its findings (the own tool's are the
    analysis's; another reader's are tagged with its id in ``data["runtime"]``)."""

    reader: Reader
    findings: tuple[Finding, ...]
    # the block and the mapping this runtime loaded from it (None: none, or its parse failed)
    block: Block | None = None
    root: YMap | None = None

    @property
    def runtime(self) -> str:
        return self.reader.runtime.id


def runtime_of(f: Finding, own: str | None) -> str | None:
    rt = f.data.get("runtime", own)
    return rt if isinstance(rt, str) else None


def _other_readers(
    a: Analysis, settings: Settings, extra: tuple[Finding, ...] = (), memo: Memo | None = None
) -> None:
    """Run the profile of every other runtime that reads the file; merge their findings."""
    from agentls.core.catalog import dialect, fields_of
    from agentls.core.dialects import generic

    if a.dialect is None:
        return
    found = readers(a.path, a.dialect)
    if not found:
        return
    own = found[0] if found[0].profile == a.dialect.dialect else None
    views: list[RuntimeView] = []
    if own is not None:
        views.append(RuntimeView(own, a.findings, a.block, a.parse.root if a.parse else None))
    # the own tool's findings all stay; another reader's merge into the first one at the same
    # place (code, or the same YAML problem), else are added
    merged = list(a.findings)
    at: dict[tuple[str, Span], int] = {}
    for i, f in enumerate(merged):
        at.setdefault((_family(f.code), f.span), i)
    # a key of the file's own format that another reader ignores is not a problem of the file
    own_keys = fields_of(a.dialect.dialect) if own is not None else {}
    own_id = own.runtime.id if own is not None else None
    for r in found[1:] if own is not None else found:
        try:
            spec = dialect(r.profile)
        except (OSError, KeyError, ValueError):
            continue
        ctx = generic.DialectContext(
            a.text, a.path, settings, a.dialect._replace(dialect=r.profile), spec
        )
        ctx.extra = extra
        ctx.memo = memo
        ctx.runtime_tag = r.runtime.id  # each finding tagged as it is added
        generic.check(ctx)
        tagged = finish(ctx.findings, settings)
        root = ctx.parse.root if ctx.parse is not None else None
        views.append(RuntimeView(r, tagged, ctx.block, root))
        for f in tagged:  # one finding per place, naming every runtime it is about
            if f.code == "AGL200" and a.text[f.span.start : f.span.end] in own_keys:
                continue  # the runtime's view keeps it (the key is ignored there)
            key = (_family(f.code), f.span)
            where = at.get(key)
            if where is None:
                at[key] = len(merged)
                merged.append(f)
            else:
                merged[where] = _merge(merged[where], f, r, spec, own_id)
    a.readers = tuple(views)
    a.findings = tuple(sorted(merged, key=ORDER))
    _apply_targets(a, settings, own_id)


# one YAML problem, reported by each runtime under its own code (Claude Code loads the line
# through its retry: AGL100; a strict reader cannot parse it: AGL019)
_YAML_CODES = frozenset({"AGL010", "AGL011", "AGL012", "AGL014", "AGL015", "AGL019", "AGL100"})


def _family(code: str) -> str:
    return "yaml" if code in _YAML_CODES else code


def _merge(first: Finding, f: Finding, r: Reader, spec: Any, own: str | None) -> Finding:
    """``first`` (the own tool's, or an earlier reader's) also said by runtime ``r``."""
    if f.severity == Severity.ERROR and spec.drop_effect:
        too = first.severity == Severity.ERROR
        also = f" {spec.drop_effect} too." if too else f" But {spec.drop_effect}."
    else:
        also = f" {r.runtime.name} too."
    if r.runtime.name in first.message:
        also = ""  # the message already says what this runtime does
    by = {**_by(first, own), r.runtime.id: int(f.severity)}
    return Finding(
        first.code,
        min(first.severity, f.severity),
        first.span,
        first.message + also,
        {**first.data, "by": by},
    )


def _by(f: Finding, own: str | None) -> dict[str, int]:
    """runtime id -> the severity it gives the finding (the own tool's when untagged)."""
    by = f.data.get("by")
    if isinstance(by, dict):
        return dict(by)
    rt = runtime_of(f, own)
    return {rt: int(f.severity)} if rt else {}


def _apply_targets(a: Analysis, settings: Settings, own: str | None) -> None:
    """Findings about runtimes outside ``settings.targets`` count as information."""
    if settings.targets is None:
        return
    out = []
    for f in a.findings:
        by = _by(f, own)
        if by:
            targeted = [s for rt, s in by.items() if rt in settings.targets]
            sev = Severity(min(targeted) if targeted else max(f.severity, Severity.INFORMATION))
            if sev != f.severity:
                f = Finding(f.code, sev, f.span, f.message, f.data)
        out.append(f)
    a.findings = tuple(out)


def analyze(
    path: str | None,
    text: str,
    settings: Settings | None = None,
    *,
    dialect: DialectMatch | None = None,
    plugin_root: PluginOracle | None = is_plugin_root,
    extra: tuple[Finding, ...] = (),
    memo: Memo | None = None,
    readers: bool = True,
) -> Analysis:
    """Analyse one document. Pure: no I/O except the plugin-root check in detection.

    ``memo``: the document's top-level entries as parsed for its last analysis (the server
    keeps one per open document): an edit re-parses only the entries it changed, and the
    result is the same as without it. ``readers=False``: the file's own tool only, without
    the other runtimes that read it and without suppressions (what the listings need)."""
    settings = settings or Settings()
    match = dialect or (detect(path, plugin_root, settings.patterns) if path else None)
    if match is None or match.dialect in settings.disabled:
        return Analysis(path, text, None)
    try:
        a = _analyze_dialect(path, text, settings, match, extra, memo)
        if readers:
            _other_readers(a, settings, extra, memo)
    finally:
        if memo is not None:
            memo.done()  # keep this version's entries only, also after a failure
    if not readers:
        return a
    if settings.suppressions:
        own = suppress_file(a)  # after every reader and the targets: once, for every dialect
        if own:
            a.findings = tuple(sorted((*a.findings, *finish(own, settings)), key=ORDER))
    return a
