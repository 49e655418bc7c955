"""Every dialect other than ``claude-agent``, driven by its catalogue (``<dialect>.yaml``).

Each dialect names how its tool finds and parses front matter (``parser``) and the keys it
knows; this module reads the block that way, then checks required keys, unknown keys (naming
the dialect a foreign key belongs to), deprecated keys and every value against its field spec.
Dialect-specific rules and body syntax are added by ``dialect_rules`` and ``body``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar, cast

from agentls.core.catalog import (
    DialectSpec,
    Entry,
    FieldSpec,
    UnknownKeys,
    claude,
    field_values,
    foreign_keys,
    vocabulary,
    with_article,
)
from agentls.core.codes import CODES
from agentls.core.context import Context, run_rules
from agentls.core.dialects import DialectMatch
from agentls.core.dialects.body import line_search
from agentls.core.dialects.claude_common import read_front_matter
from agentls.core.findings import Finding, Severity
from agentls.core.frontmatter import Block, delimiter_is_alone
from agentls.core.runtime import ClaudeParse
from agentls.core.settings import Settings
from agentls.core.suggest import closest, did_you_mean, key_hint
from agentls.core.text import Span
from agentls.core.versions import Version
from agentls.core.yamlcheck import explain
from agentls.core.yamltree import (
    BOOL,
    FLOAT,
    INT,
    STR,
    YEntry,
    YMap,
    YNode,
    YScalar,
    YSeq,
    kind_name,
    parse,
    trim_end,
    walk,
)

_T = TypeVar("_T")
# js-yaml 3 (OpenCode's gray-matter) resolves YAML 1.1 timestamps: `2024-01-01` is a Date
_JS_YAML_DATE = re.compile(r"\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d.*)?\Z")
LENIENT_BOOLEANS = frozenset({"yes", "no", "on", "off", "1", "0"})
_SEVERITIES = {s.label: s for s in Severity}  # the catalogues' labels, without parsing
_ERROR, _WARNING = Severity.ERROR, Severity.WARNING  # a global is faster than the enum's
SUBJECTS = {
    "claude-agent": "agent",
    "claude-skill": "skill",
    "claude-command": "command",
    "claude-rule": "rule",
    "claude-output-style": "output style",
}


class DialectContext(Context):
    """A file of a catalogue-driven dialect being checked."""

    def __init__(
        self,
        text: str,
        path: str | None,
        settings: Settings,
        match: DialectMatch,
        spec: DialectSpec,
    ) -> None:
        super().__init__(text, path, settings, match)
        self.spec = spec
        self.ignored = False  # the runtime reads none of the block (OpenCode: core/opencode.py)
        # the findings of reading the file's bytes (AGL104: invalid UTF-8), when known
        self.extra: tuple[Finding, ...] = ()
        # another reader's runtime id: every finding's data["runtime"] (analysis._other_readers)
        self.runtime_tag: str | None = None

    @property
    def capped(self) -> bool:
        """Findings stay at warning or below: a low-confidence dialect, or a skill that a tool
        other than the strict Agent Skills validators reads (`.github/skills/`)."""
        return self.spec.confidence == "low" or (
            self.spec.id == "agentskills" and self.match.scope != "portable"
        )

    def add(
        self, code: str, span: Span, message: str, severity: Severity | None = None, **data: Any
    ) -> None:
        effect = self.spec.drop_effect
        sev = severity if severity is not None else CODES[code].severity
        if data and data.pop("own_effect", False):  # the message says what the runtime does
            effect = ""
        if effect and sev <= _ERROR and effect not in message:
            message = f"{message} {effect}."
        if self.runtime_tag is not None:
            data["runtime"] = self.runtime_tag
        self.findings.append(Finding(code, sev, span, message, data))  # as Context.add

    def severity(self, label: str) -> Severity:
        """A catalogue severity, capped at warning where the rule cannot claim a rejection."""
        sev = _SEVERITIES.get(label) or Severity.parse(label)
        if sev < _WARNING and self.capped:  # an error (rare): is it capped?
            return _WARNING
        return sev


# ---------------------------------------------------------------------------------------------
# finding and parsing the block, per tool


_CLOSE_LINE = re.compile(r"^---[ \t\r\f\v]*$", re.M)
_CLOSE_LINE_NL = re.compile(r"\n---")  # where it may be, for line_search


def line_block(text: str, bom_ok: bool = False, cr_lines: bool = False) -> Block | None:
    """VS Code's header (§7.2): line 1 is `---`; it ends at the next line that is `---`.
    ``bom_ok``: one UTF-8 byte order mark may come first (Copilot CLI, g0628); ``cr_lines``: a
    file whose lines end in a lone CR has lines too (VS Code, g0091)."""
    global _LAST_BLOCK
    nl = "\r" if cr_lines and "\n" not in text and "\r" in text else "\n"
    last = _LAST_BLOCK  # Copilot CLI and VS Code read the same file: the block found once
    if last is not None and last[0] is text and last[1] == bom_ok and last[2] == nl:
        return last[3]
    block = _line_block(text, bom_ok, nl)
    _LAST_BLOCK = (text, bom_ok, nl, block)
    return block


_LAST_BLOCK: tuple[str, bool, str, Block | None] | None = None  # the last line_block


def _line_block(text: str, bom_ok: bool, nl: str) -> Block | None:
    start = 1 if bom_ok and text.startswith("\ufeff") else 0
    first_end = text.find(nl, start)
    first = text[start:] if first_end < 0 else text[start:first_end]
    if first.rstrip(" \t\r\n\f\v") != "---":
        return None
    content_start = len(text) if first_end < 0 else first_end + 1
    if nl == "\n":  # the first line `---` (one regex search: a loop per line is slow)
        close = line_search(_CLOSE_LINE, _CLOSE_LINE_NL, text, content_start)
        if close is not None:
            pos = close.start()
            eol = text.find(nl, pos)
            body = len(text) if eol < 0 else eol + 1
            return Block(
                Span(start, start + 3), Span(content_start, pos), Span(pos, pos + 3), body, True
            )
        pos = len(text)
    else:
        pos = content_start
    while pos < len(text):
        eol = text.find(nl, pos)
        line = text[pos : len(text) if eol < 0 else eol]
        if line.rstrip(" \t\r\n\f\v") == "---":
            body = len(text) if eol < 0 else eol + 1
            return Block(
                Span(start, start + 3), Span(content_start, pos), Span(pos, pos + 3), body, True
            )
        if eol < 0:
            break
        pos = eol + 1
    return Block(Span(start, start + 3), Span(content_start, len(text)), None, len(text), True)


_YAML11_BREAKS = re.compile("[\u0085\u2028\u2029]")
_YAML_SEVERITY = {  # a YAML error, per parser: what the tool does (§2)
    "vscode": "warning",
    "github": "error",
    "strictyaml": "error",
    "gray-matter": "warning",
    "lenient": "warning",
    "js-yaml": "error",  # Gemini CLI agents: any YAML error drops the agent
    "js-yaml-fallback": "warning",  # Gemini CLI skills: read line by line instead
}
_YAML_EFFECT = {
    "vscode": "strict YAML parsers (GitHub's cloud agent, Copilot CLI) reject the file; what VS "
    "Code reads from the line is unverified",
    "github": "GitHub's cloud agent and Copilot CLI reject the file",
    "strictyaml": "skills-ref and skill upload reject the file",
    "gray-matter": "OpenCode's parser fails on it (what OpenCode then does is unverified)",
    "lenient": "strict YAML parsers reject it (how {tool} reads it is unverified)",
    "js-yaml": "{tool} rejects the file",
    "js-yaml-fallback": "{tool} then reads only the `name:` and `description:` lines, as "
    "written (quotes and comments kept)",
}


def read_block(ctx: DialectContext) -> None:
    spec = ctx.spec
    if spec.parser == "claude":
        read_front_matter(ctx, spec.fields, SUBJECTS.get(spec.id, spec.title))
        return
    if spec.parser == "gray-matter":
        from agentls.core.dialects import opencode

        opencode.read(ctx)
        return
    if spec.parser == "codex":
        from agentls.core.dialects import codex

        codex.read_block(ctx)  # its block rules and quoting retry (tests/conformance/codex)
        return
    text = ctx.text
    if spec.parser == "strictyaml":
        from agentls.core.frontmatter import claude_block

        # skills-ref: the first two `---` anywhere; a BOM is not skipped (k0201); Python's
        # universal newlines make a lone CR a line break (k0197)
        block = claude_block(
            re.sub(r"\r(?!\n)", "\n", text) if "\r" in text else text, bom_ok=False
        )
        if block is not None and (block.leading is not None or not block.found_by_runtime):
            block = None
    elif spec.parser in ("js-yaml", "js-yaml-fallback"):
        from agentls.core.dialects import gemini

        block = gemini.block(text)  # Gemini CLI's FRONTMATTER_REGEX
    else:
        copilot = spec.parser == "github" and (spec.strict_types or bool(spec.yaml_effect))
        vscode = spec.parser == "vscode"
        block = line_block(text, bom_ok=copilot or vscode, cr_lines=vscode)
    ctx.block = block
    if block is None:
        return
    if block.close_span is None:
        if spec.strict_types and spec.front_matter == "required":
            # a runtime that requires the block finds none (Copilot CLI: `missing or malformed
            # YAML frontmatter`, g0941-g0945)
            ctx.add(
                "AGL002",
                block.open_span,
                f"This `---` is never closed by a line `---` (alone, not indented): {spec.tool} "
                "finds no front matter. Add a line `---` after the last key.",
                Severity.ERROR,
            )
            return
        ctx.add(
            "AGL002",
            block.open_span,
            f"This `---` is never closed: {spec.tool} reads the whole file as front matter. "
            "Add a line `---` after the last key.",
            Severity.WARNING,
        )
    if spec.parser == "vscode":  # VS Code's own parser (core/vscode_yaml.py), to EOF if unclosed
        from agentls.core.dialects.vscode_rules import read_header

        read_header(ctx)
        return
    if block.close_span is None:
        return
    _, alone = delimiter_is_alone(text, block.close_span)
    if not alone and spec.parser == "strictyaml":
        ctx.add(
            "AGL004",
            block.close_span,
            "Text after the closing `---` on the same line becomes part of the body.",
        )
    content = block.content
    yaml_text = ctx.front_matter_text()
    if yaml_text is None:
        if spec.parser == "strictyaml":
            _strictyaml_large(ctx, content)
        return
    raw = text[content.start : content.end] if spec.yaml11_breaks else ""
    if raw and not raw.isascii() and _YAML11_BREAKS.search(raw):
        # the cleaned text has spaces for them; the runtime breaks the line there
        chars = list(yaml_text)
        for m in _YAML11_BREAKS.finditer(raw):
            chars[m.start()] = "\n"
        yaml_text = "".join(chars)
    strict = parse(yaml_text, content.start, memo=ctx.memo, shared=True)
    if spec.parser == "strictyaml":
        _strictyaml_text(ctx, block, yaml_text)
    if strict.limit is not None:
        if spec.parser == "strictyaml":  # its refusals need no tree (k0248, k0249)
            _strictyaml_tokens(ctx, yaml_text, content.start, flow=True)
        beyond = _runtime_yaml_limit(spec, yaml_text)
        if beyond is not None:
            message, at = beyond
            ctx.add(
                "AGL019",
                Span(content.start + at, content.start + at + 1),
                f"{spec.tool}'s YAML parser fails here ({message}).",
                Severity.ERROR,
            )
            ctx.unchecked = True
            return
        ctx.add(
            "AGL020",
            Span(strict.limit.offset, strict.limit.offset + 1),
            f"The front matter has {strict.limit.message}: agentls does not check it.",
        )
        ctx.unchecked = True
        return
    if strict.ok:
        root = strict.root
        if isinstance(root, YMap):
            ctx.parse = ClaudeParse("strict", strict, root)
            ctx.root = root
        elif not (root is None or (isinstance(root, YScalar) and root.is_null)):
            ctx.parse = ClaudeParse("strict", strict, None, not_mapping=True)
            sev = ctx.severity(_YAML_SEVERITY[spec.parser])
            if (
                spec.parser == "github"
                and not spec.required
                and (spec.strict_types or spec.yaml_effect)
            ):
                sev = Severity.WARNING  # nothing required: loaded without metadata (g0977)
            ctx.add(
                "AGL016",
                block.open_span,
                f"The front matter is not a mapping of `key: value` lines: {spec.tool} reads "
                "no metadata from it.",
                sev,
            )
        if spec.parser == "strictyaml":
            _flow_collections(ctx)
            _strictyaml_tokens(ctx, yaml_text, content.start)
        return
    # invalid: explain entry by entry (no retry: only Claude Code has one)
    failed = ClaudeParse("failed", strict, None)
    ctx.parse = failed
    explained = explain(failed, yaml_text, content.start, ctx.version, spec.fields, retry=False)
    ctx.explained = explained
    ctx.root = explained.root
    sev = ctx.severity("warning" if spec.yaml_effect else _YAML_SEVERITY[spec.parser])
    effect = (
        spec.drop_effect or spec.yaml_effect or _YAML_EFFECT[spec.parser].format(tool=spec.tool)
    )
    for p in explained.problems:
        if spec.id == "cursor-rule" and p.key == "globs":
            continue  # reported by the Cursor rule with its own advice
        ctx.add(
            "AGL019",
            p.span,
            f"Invalid YAML in `{p.key}` ({p.detail}): {effect}. Quote "
            "the value or use a `|` block scalar.",
            sev,
            key=p.key,
        )
    for first, dup in ctx.root.duplicates if ctx.root else []:
        line = text.count("\n", 0, first.key.span.start) + 1
        dup_effect, dup_sev = effect, sev
        if spec.parser == "vscode":  # VS Code 1.139 marks it as an error (`Duplicate key`)
            dup_effect = f'VS Code reports it as an error (`Duplicate key: "{dup.key_text}"`)'
            dup_sev = ctx.severity("error")
        ctx.add(
            "AGL013",
            dup.key.span,
            f"`{dup.key_text}` is repeated (first on line {line}): {dup_effect}. Keep one.",
            dup_sev,
        )
    if not explained.problems and not (ctx.root and ctx.root.duplicates) and strict.error:
        err = strict.error
        ctx.add(
            "AGL019", Span(err.offset, err.offset), f"Invalid YAML ({err.message}): {effect}.", sev
        )


def _runtime_yaml_limit(spec: DialectSpec, yaml_text: str) -> tuple[str, int] | None:
    """Where the runtime's parser gives up on a block beyond agentls's own limits: nesting of
    ``yaml_max_depth`` levels (`recursion limit exceeded`), aliases replayed more than
    ``yaml_alias_factor`` times the number of events (`repetition limit exceeded`), as
    serde_yaml counts them. None: within the runtime's limits, or not known."""
    if not spec.yaml_max_depth and not spec.yaml_alias_factor:
        return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    events = jumps = 0
    first_alias = -1
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, jumps at the start)
    jumps_in: dict[str, int] = {}  # anchor -> the jumps replaying its node costs
    try:
        for ev in yaml.parse(yaml_text, Loader=loader):
            events += 1
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append((ev.anchor, jumps))
                if spec.yaml_max_depth and len(stack) >= spec.yaml_max_depth:
                    return "recursion limit exceeded", _index(ev)
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and stack:
                anchor, start = stack.pop()
                if anchor:
                    jumps_in[anchor] = jumps - start
            elif isinstance(ev, yaml.AliasEvent):
                if first_alias < 0:
                    first_alias = _index(ev)
                jumps += 1 + jumps_in.get(str(ev.anchor), 0)
    except yaml.YAMLError:
        return None
    if spec.yaml_alias_factor and first_alias >= 0 and jumps > spec.yaml_alias_factor * events:
        return "repetition limit exceeded", first_alias
    return None


def _index(ev: Any) -> int:
    mark = ev.start_mark
    return int(mark.index) if mark is not None else 0


def _flow_collections(ctx: DialectContext) -> None:
    """strictyaml (skills-ref) refuses flow collections: `[a, b]`, `{k: v}` (§4.3)."""
    if ctx.root is None:
        return
    sev = ctx.severity("error" if ctx.match.scope == "portable" else "warning")
    if ctx.root.flow:  # the whole block as one `{...}` (k0261)
        ctx.add(
            "AGL704",
            ctx.value_span(ctx.root),
            "skills-ref parses SKILL.md with strictyaml, which rejects flow collections: write "
            "the front matter as `key: value` lines.",
            sev,
        )
        return
    for e in ctx.root.entries:
        for node in walk(e.value):
            if isinstance(node, (YSeq, YMap)) and node.flow:
                ctx.add(
                    "AGL704",
                    ctx.value_span(node),
                    "skills-ref parses SKILL.md with strictyaml, which rejects flow "
                    "collections (`[...]`, `{...}`). Use block style: one `- item` per line "
                    "for a list, `key: value` lines for a mapping.",
                    sev,
                    key=e.key_text,
                )


def _strictyaml_large(ctx: DialectContext, content: Span) -> None:
    """A block too large to parse: its top-level keys, line by line, still meet skills-ref's
    six allowed keys (k0245: 1 MiB of front matter under an unknown key)."""
    allowed = ctx.spec.fields
    key_line = re.compile(r"(?m)^([A-Za-z_][\w.-]*)[ \t]*:(?=[ \t\r\n]|$)")
    for m in key_line.finditer(ctx.text, content.start, content.end):
        if m.group(1) not in allowed:
            ctx.add(
                "AGL200",
                Span(m.start(1), m.end(1)),
                f"Unknown key `{m.group(1)}` for {ctx.spec.tool}: {ctx.spec.unknown_keys_effect}.",
                ctx.severity(ctx.spec.unknown_keys),
            )


def _strictyaml_text(ctx: DialectContext, block: Block, yaml_text: str) -> None:
    """What skills-ref's split and strictyaml see that libyaml does not: the rest of the
    opening line is YAML (a tab there fails, k0208), and a BOM starting a line is part of its
    key (`\ufeffname`: an unknown key, and `name` missing; k0267)."""
    sev = ctx.severity("error" if ctx.match.scope == "portable" else "warning")
    eol = ctx.text.find("\n", block.open_span.end)
    rest = ctx.text[block.open_span.end : len(ctx.text) if eol < 0 else eol]
    if "\t" in rest:
        at = block.open_span.end + rest.index("\t")
        ctx.add(
            "AGL019",
            Span(at, at + 1),
            "skills-ref splits the file at `---`, so the rest of this line is YAML for it, and "
            "strictyaml refuses the tab (`found character '\\t' that cannot start any token`). "
            "Delete it.",
            sev,
        )
    base = block.content.start
    for m in re.finditer(r"(?m)^\ufeff", yaml_text):
        ctx.add(
            "AGL005",
            Span(base + m.start(), base + m.start() + 1),
            "A byte order mark (U+FEFF) starts this line: for skills-ref it is part of the key "
            "(an unknown key), so the key after it is missing. Delete it.",
            sev,
        )


# where an anchor, alias or tag (or, with ``flow``, a flow collection) could start a token: at a
# line's start or after a blank, a flow indicator or `:` (not after another character); and any
# tab. A superset: the scanner decides (most front matter has none, and PyYAML's scanner is pure
# Python). The indicator comes first, the look-behind after it: a faster search
_MAY_TOKEN = re.compile(r"[&*!](?<![^\n \t\[{,:][&*!])|\t")
_MAY_TOKEN_FLOW = re.compile(r"[&*!](?<![^\n \t\[{,:][&*!])|[\t\[{]")


def _strictyaml_tokens(ctx: DialectContext, yaml_text: str, base: int, flow: bool = False) -> None:
    """strictyaml (skills-ref) also refuses anchors, aliases and tags (`Found confusing
    disallowed anchor token`, `Found disallowed tag tokens`; skills-ref k0022, k0023, k0064,
    k0066, k0188), and, as PyYAML's scanner it is built on, a tab where a token could start
    (after `:`, inside a plain value: k0062, k0076, k0226). ``flow``: flow collections too
    (when the block is too large for agentls's tree)."""
    if not (_MAY_TOKEN_FLOW if flow else _MAY_TOKEN).search(yaml_text):
        return  # no character that could start such a token, and no tab: nothing to scan
    import yaml

    sev = ctx.severity("error" if ctx.match.scope == "portable" else "warning")
    what: dict[type, str] = {
        yaml.AnchorToken: "an anchor (`&name`)",
        yaml.AliasToken: "an alias (`*name`)",
        yaml.TagToken: "a tag (`!tag`)",
    }
    if flow:
        what[yaml.FlowSequenceStartToken] = "a flow collection (`[...]`)"
        what[yaml.FlowMappingStartToken] = "a flow collection (`{...}`)"
    try:
        for tok in yaml.scan(yaml_text, Loader=yaml.SafeLoader):
            kind = what.get(type(tok))
            if kind is None:
                continue
            ctx.add(
                "AGL704",
                Span(base + tok.start_mark.index, base + tok.end_mark.index),
                f"skills-ref parses SKILL.md with strictyaml, which rejects {kind}. Write the "
                "value out in full.",
                sev,
            )
            if flow:
                return  # one is enough: the rest is beyond agentls's limits
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        if mark is not None and "'\\t'" in str(e.problem):
            at = base + mark.index
            ctx.add(
                "AGL019",
                Span(at, at + 1),
                "skills-ref's strictyaml refuses a tab here (`found character '\\t' that "
                "cannot start any token`): use spaces.",
                sev,
            )
    except yaml.YAMLError:
        return


# ---------------------------------------------------------------------------------------------
# generic rules


def rule_required(ctx: DialectContext) -> None:
    spec = ctx.spec
    if ctx.ignored:
        return  # the finding that says why the runtime reads no front matter says it all
    if ctx.block is None:
        if spec.no_front_matter:  # the profile says what such a file is
            nfm = spec.no_front_matter
            sev = Severity.parse(nfm["severity"]) if nfm.get("severity") else None
            ctx.add(nfm["code"], Span(0, 0), nfm["message"], sev)
        elif spec.front_matter == "required" and spec.parser != "codex":  # codex: its reader's
            ctx.add(
                "AGL206",
                Span(0, 0),
                f"{spec.tool} expects this file to start with front matter (`---`, "
                f"{', '.join(f'`{k}:`' for k in spec.required) or 'keys'}, `---`).",
                ctx.severity(
                    "error" if spec.strict_types or spec.parser == "strictyaml" else "warning"
                ),
            )
        return
    if ctx.parse is not None and ctx.parse.not_mapping:
        return
    if spec.parser == "js-yaml-fallback":
        return  # Gemini CLI skills: read line by line when the YAML does not do (gemini.py)
    present = set(ctx.root.key_names()) if ctx.root else set()
    lenient = spec.parser == "lenient" and not spec.drop_effect
    sev = ctx.severity("warning" if lenient else "error")
    for key in spec.required:
        doc = spec.fields[key].entry.doc if key in spec.fields else ""
        unless = spec.fields[key].limit("required_unless") if key in spec.fields else None
        if isinstance(unless, dict) and any(
            getattr(getattr(ctx.get(k), "value", None), "value", None) == v
            for k, v in unless.items()
        ):
            continue  # e.g. Gemini CLI: a remote agent (`kind: remote`) needs no description
        missing = spec.fields[key].limit("missing") if key in spec.fields else None
        if missing:  # the profile says what a missing key means; its rule judges the value
            if key not in present:
                ctx.add(missing["code"], ctx.block.open_span, missing["message"])
            continue
        if key not in present:
            ctx.add(
                "AGL206",
                ctx.block.open_span,
                f"Missing `{key}`: {spec.tool} requires it in "
                f"{with_article(spec.title)}. {doc}".rstrip(),
                sev,
                key=key,
            )
            continue
        e = ctx.get(key)
        if spec.parser == "strictyaml" and e is not None and isinstance(e.value, YScalar):
            empty = not ctx.text[e.value.span.start : e.value.span.end].strip(" \t\"'")
        else:
            empty = (
                e is not None
                and isinstance(e.value, YScalar)
                and (
                    e.value.is_null
                    or (isinstance(e.value.value, str) and not e.value.value.strip())
                )
            )
        if e is not None and not spec.strict_types and empty:
            ctx.add(
                "AGL206",
                ctx.value_span(e.value, e.key),
                f"`{key}` is empty: {spec.tool} requires a value. {doc}".rstrip(),
                sev,
                key=key,
            )


# what the rules derive from parts of a profile, computed once per part: keyed by the parts'
# identity (a catalogue is never mutated) and other arguments; an entry keeps its parts alive,
# so their ids are not reused while it is here
_DERIVED: dict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = {}


def _derived(make: Callable[..., _T], parts: tuple[object, ...], *args: Hashable) -> _T:
    """``make(*parts, *args)``, remembered."""
    key = (make, *map(id, parts), *args)
    hit = _DERIVED.get(key)
    if hit is None:
        if len(_DERIVED) >= 1024:
            _DERIVED.clear()
        hit = _DERIVED[key] = (parts, make(*parts, *args))
    return cast(_T, hit[1])


def _known(ctx: DialectContext) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The keys the runtime recognises (``known_keys``) and those its did-you-mean may name."""
    rk = ctx.spec.recognized
    if rk is None:
        return None
    return _derived(_recognized, (rk, ctx.spec.fields), ctx.version, ctx.match.plugin)


def _recognized(
    rk: UnknownKeys, fields: dict[str, FieldSpec], version: Version, plugin: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    keys = [
        k
        for k in rk.recognized
        if (f := fields.get(k)) is None
        or (since := f.limit("recognized_since")) is None
        or version >= Version.parse(str(since))
    ]
    if plugin:
        keys += [k for k in rk.plugin_recognized if k not in keys]
    hintable = [k for k in keys if not (plugin and k in rk.plugin_unhinted)]
    return tuple(keys), tuple(hintable)


class _Lookup(NamedTuple):
    """A vocabulary's names indexed for the checks of unknown items."""

    names: tuple[str, ...]
    by_lower: dict[str, Entry]  # lower-cased name -> the first entry of that name
    by_suffix: dict[str, list[str]]  # `x` -> the names ending in `/x`, in order


def _vocabulary_index(values: dict[str, Entry]) -> _Lookup:
    by_lower: dict[str, Entry] = {}
    by_suffix: dict[str, list[str]] = {}
    for n, x in values.items():
        by_lower.setdefault(n.lower(), x)
        for i, ch in enumerate(n):
            if ch == "/":
                by_suffix.setdefault(n[i + 1 :], []).append(n)
    return _Lookup(tuple(values), by_lower, by_suffix)


def _lookup(values: dict[str, Entry]) -> _Lookup:
    return _derived(_vocabulary_index, (values,))


def known_keys(ctx: DialectContext) -> list[str] | None:
    """The keys the runtime recognises at the target version, in its order, for a profile
    with ``recognized_keys`` (None: the catalogue's fields)."""
    known = _known(ctx)
    return None if known is None else list(known[0])


def rule_keys(ctx: DialectContext) -> None:
    if ctx.root is None:
        return

    spec = ctx.spec
    foreign = foreign_keys()
    rk = spec.recognized
    known, hintable = _known(ctx) or (None, ())
    template = spec.unknown_key_message or "Unknown key `{key}` for {tool}: {effect}."
    for e in ctx.root.entries:
        key = e.key_text
        field = spec.fields.get(key)
        if key == "<<" and spec.parser == "js-yaml":
            continue  # a merge key: js-yaml merges it (its keys: dialects/gemini.py)
        if field is not None if known is None else key in known:
            if field is not None:
                _known_key(ctx, field, e)
            continue
        if spec.unknown_keys == "ignore":  # the runtime says nothing about other keys
            continue
        u = spec.undocumented.get(key)
        if u is not None and (u.until is None or ctx.version < u.until):
            ctx.add(
                "AGL204", e.key.span, f"`{key}` is undocumented: {u.doc} {u.note or ''}".strip()
            )
            continue
        if rk is not None:  # the runtime's own did-you-mean
            target = key_hint(key, hintable, rk.hint_overrides, rk.hint_max_distance)
        else:
            target = spec.key_aliases().get(key) or closest(key, spec.fields)
        since = field.limit("recognized_since") if field is not None else None
        owners = [t for t in foreign.get(key, ()) if t != spec.title]
        if since is not None:
            where = f" {spec.tool} reads `{key}` only since {since}."
        elif u is not None:
            where = f" `{key}` was undocumented; {spec.tool} {u.until} and later do not read it."
        elif owners:
            where = (
                f" `{key}` is a key of {with_article(owners[0])}, not of "
                f"{with_article(spec.title)}."
            )
        else:
            where = ""
        hint = f" Did you mean `{target}`?" if target else ""
        sev = ctx.severity(spec.unknown_keys)
        if owners and sev < Severity.WARNING and spec.unknown_keys != "error":
            sev = Severity.WARNING  # valid for another tool: a portability problem
        if spec.parser == "vscode" and not target and not owners and sev < Severity.HINT:
            sev = Severity.HINT  # VS Code 1.139: a hint ("Attribute 'x' is not supported")
        message = template.format(key=key, tool=spec.tool, effect=spec.unknown_keys_effect)
        ctx.add("AGL200", e.key.span, f"{message}{where}{hint}", sev, suggestion=target)


def _known_key(ctx: DialectContext, field: FieldSpec, e: YEntry) -> None:
    """A key the tool knows: deprecated, or ignored where the file is (a plugin's agent)."""
    key = field.key
    if field.deprecated:
        repl = field.deprecated.get("replaced_by")
        msg = field.deprecated.get("message") or ""
        # a runtime that refuses the key (VS Code: `infer`) reports it on the value
        refused = field.limit("deprecated_severity")
        ctx.add(
            "AGL207",
            ctx.value_span(e.value, e.key) if refused else e.key.span,
            f"`{key}` is deprecated" + (f": use `{repl}`" if repl else "") + ". " + msg,
            ctx.severity(refused) if refused else None,
            suggestion=repl,
        )
    if not (ctx.match.plugin and field.plugin_ignored):
        return
    since = field.limit("plugin_ignored_since")
    if since is None or ctx.version >= Version.parse(str(since)):
        why = "" if since is not None else " (for security)"
        ctx.add(
            "AGL203",
            e.key.span,
            f"{ctx.spec.tool} ignores `{key}` in plugin {SUBJECTS.get(ctx.spec.id, 'file')}s"
            f"{why}; it has effect only in project, user or managed "
            f"{SUBJECTS.get(ctx.spec.id, 'file')}s.",
        )


def rule_values(ctx: DialectContext) -> None:
    if ctx.root is None:
        return
    last = {e.key_text: e for e in ctx.root.entries}  # what ctx.get finds: a key's last entry
    for e in ctx.root.entries:
        field = ctx.spec.fields.get(e.key_text)
        if field is None or last[e.key_text] is not e or field.limit("value_rule"):
            continue  # unknown, repeated, or checked by the profile's named rule
        if isinstance(e.value, YScalar) and e.value.style == "raw":
            continue  # a broken line's stand-in (ctx.get does not return it)
        if (
            ctx.spec.scalars_as_text
            and isinstance(e.value, YScalar)
            and (ctx.spec.parser == "strictyaml" or not e.value.is_null)
        ):
            # every scalar is text for strictyaml (`3000`, `true`, `~`: k0039-k0044)
            v = e.value
            text = v.value if isinstance(v.value, str) else ctx.text[v.span.start : v.span.end]
            if not (ctx.spec.parser == "vscode" and field.type == "boolean"):
                # VS Code's validator: only an unquoted `true`/`false` is a boolean
                e = YEntry(e.key, YScalar(v.span, text, v.raw, v.style, STR))
        if isinstance(e.value, YScalar) and e.value.is_null:
            if ctx.spec.strict_types and not field.limit("null_ok"):
                span = ctx.value_span(e.value, e.key)
                sev = ctx.severity(field.severity)
                ctx.add("AGL300", span, f"`{e.key_text}` has no value (null).", sev)
            continue
        check_field(ctx, field, e)


def check_field(ctx: DialectContext, field: FieldSpec, e: YEntry) -> None:
    """One value against its field spec: type, allowed values, limits."""
    v = e.value
    span = ctx.value_span(v, e.key)
    sev = ctx.severity(field.severity)
    key = field.key
    t = field.type
    if t in ("string", "model", "enum"):
        if key == "argument-hint" and isinstance(v, YSeq) and ctx.spec.parser == "claude":
            ctx.add(
                "AGL706",
                span,
                "Unquoted `[...]` makes `argument-hint` a YAML list: Claude Code turns it back "
                "into a string (since 2.1.47) and the brackets are not shown as written. Quote "
                "it.",
                replacement=f'"{ctx.text[span.start : span.end]}"',
            )
            return
        if (
            field.limit("accepts_integer")
            and isinstance(v, YScalar)
            and _claude_agent().integer_effort(v.value)
        ):
            return  # `effort: 3`: Claude Code takes any integer (and text starting with one)
        if not _is_str(v):
            if (
                t == "string"
                and _is_scalar(v)
                and ctx.spec.parser == "claude"
                and ctx.version >= Version(2, 1, 47)
            ):
                return  # Claude Code coerces numbers and booleans to strings (§4.2)
            if t == "enum" and field.limit("invalid_effect"):
                ctx.add("AGL300", span, f"`{key}` should be one of: {_names(field)}.", sev)
                return
            effect = field.limit("effect")  # what the runtime does instead of its drop_effect
            msg = f"`{key}` should be text, not a {kind_name(v)}." + (
                f" {effect}." if effect else ""
            )
            ctx.add("AGL300", span, msg, sev, **({"own_effect": True} if effect else {}))
            return
        assert isinstance(v, YScalar) and isinstance(v.value, str)
        if (
            ctx.spec.parser in ("gray-matter", "js-yaml")
            and v.style is None
            and _JS_YAML_DATE.match(v.value)
        ):
            ctx.add(
                "AGL300",
                span,
                f"`{key}` is a date for {ctx.spec.tool}'s YAML parser (js-yaml reads "
                f"`{v.value}` as a timestamp), not text: quote it.",
                sev,
                replacement=f'"{v.value}"',
            )
            return
        if _check_text(ctx, field, v, span, sev):
            return
        if t == "enum" or (t == "model" and field.values is not None):
            value = v.value
            if field.limit("values_case_insensitive"):  # `effort: HIGH`, `effort: med`
                value = str((field.limit("value_aliases") or {}).get(value.lower(), value.lower()))
            _check_member(ctx, field, value, span, sev, closed=t == "enum", raw=v.value)
    elif t == "boolean":
        if isinstance(v, YScalar) and v.tag == BOOL:
            return
        since = field.limit("lenient_booleans_since")
        if (
            since
            and _is_str(v)
            and str(getattr(v, "value", "")).lower() in LENIENT_BOOLEANS
            and ctx.version >= Version.parse(str(since))
        ):
            return
        ctx.add("AGL300", span, f"`{key}` should be `true` or `false`.", sev)
    elif t in ("integer", "number"):
        val = getattr(v, "value", None)
        ok = isinstance(v, YScalar) and v.tag in ((INT,) if t == "integer" else (INT, FLOAT))
        if ctx.spec.parser == "js-yaml" and isinstance(v, YScalar):
            # js-yaml's numbers (`1_000`, `0b11`), checked as JavaScript numbers (zod: `10.0` and
            # `1e3` are integers, NaN is not a number; Gemini CLI g0188, g0201, g0202, g0208)
            from agentls.core.dialects.gemini import js_number

            num = js_number(v)
            if num is not None:
                val = num
                ok = not math.isnan(num) and (t == "number" or float(num).is_integer())
        if not ok:
            ctx.add(
                "AGL300",
                span,
                f"`{key}` should be a {'whole ' if t == 'integer' else ''}number.",
                sev,
            )
            return
        if field.limit("finite") and isinstance(val, float) and not math.isfinite(val):
            ctx.add("AGL310", span, f"`{key}` should be a finite number.", sev)
            return
        lo, hi = field.limit("min"), field.limit("max")
        if isinstance(val, (int, float)) and (
            (lo is not None and val < lo) or (hi is not None and val > hi)
        ):
            rng = f"{lo if lo is not None else '…'} to {hi if hi is not None else '…'}"
            ctx.add("AGL310", span, f"`{key}` should be in the range {rng}.", sev)
    elif t in ("list", "string-or-list", "comma-string", "model-or-list"):
        _check_items(ctx, field, e, sev)
    elif t in (
        "map",
        "string-map",
        "github-mcp-servers",
        "copilot-mcp-servers",
        "vscode-hooks",
        "tool-map",
    ):
        if not isinstance(v, YMap):
            ctx.add("AGL300", span, f"`{key}` should be a mapping (`key: value` lines).", sev)
            return
        if t in ("string-map", "tool-map"):
            want = BOOL if t == "tool-map" else None
            for sub in v.entries:
                val_node = sub.value
                ok = (
                    (isinstance(val_node, YScalar) and val_node.tag == want)
                    if want
                    else _is_scalar(val_node)
                )
                if not ok:
                    ctx.add(
                        "AGL300",
                        ctx.value_span(val_node, sub.key),
                        f"Values under `{key}` should be "
                        f"{'`true` or `false`' if want else 'plain strings'}.",
                        sev,
                    )
    elif t == "hooks":
        _claude_agent().check_hooks(ctx, e, once_honoured=ctx.spec.id == "claude-skill")
    elif t == "mcp-servers":
        _claude_agent().check_mcp_servers(ctx, e)
    elif t == "handoffs":
        _check_handoffs(ctx, e, sev)
    elif t == "permission" and not (
        isinstance(v, YMap) or (_is_str(v) and getattr(v, "value", "") in ("ask", "allow", "deny"))
    ):
        ctx.add(
            "AGL300",
            span,
            f"`{key}` should be `ask`, `allow`, `deny` or a mapping of tools to those.",
            sev,
        )


def _claude_agent() -> Any:
    from agentls.core.dialects import claude_agent

    return claude_agent


def _blank(ctx: DialectContext, field: FieldSpec, v: YNode, span: Span, sev: Severity) -> bool:
    """A blank value where the runtime wants text (VS Code: `The 'name' attribute must not be
    empty.`); `key:` alone is left to the parser's report (`Missing value`)."""
    if not (field.limit("not_blank") and isinstance(v, YScalar) and isinstance(v.value, str)):
        return False
    if v.value.strip():
        return False
    if v.raw or v.style:
        blank = field.limit("blank_severity")
        ctx.add(
            "AGL304",
            span,
            f"`{field.key}` is empty: {ctx.spec.tool} reports it "
            f"({field.limit('blank_message') or 'it must not be empty'}).",
            ctx.severity(blank) if blank else sev,
        )
    return True


def _check_text(
    ctx: DialectContext, field: FieldSpec, v: YScalar, span: Span, sev: Severity
) -> bool | None:
    """Length and form; True when the value is blank (reported: nothing else to check)."""
    assert isinstance(v.value, str)
    text = v.value
    if field.required and not text.strip() and not ctx.spec.strict_types:
        return None  # reported as an empty required key
    if _blank(ctx, field, v, span, sev):
        return True
    lo, hi = field.limit("min_length"), field.limit("max_length")
    if (lo is not None and len(text) < lo) or (hi is not None and len(text) > hi):
        allowed = f"at least {lo}" if hi is None else f"at most {hi}" if not lo else f"{lo} to {hi}"
        ctx.add(
            "AGL311",
            span,
            f"`{field.key}` has {len(text):,} characters; {ctx.spec.tool} allows {allowed}.",
            sev,
        )
    pattern = field.limit("pattern")
    if pattern and not re.search(pattern, text):
        what = field.limit("pattern_doc") or f"it must match `{pattern}`"
        ctx.add(
            "AGL312",
            span,
            f"`{field.key}` does not have the form {ctx.spec.tool} expects ({what}).",
            sev,
        )
    return None


def _check_member(
    ctx: DialectContext,
    field: FieldSpec,
    value: str,
    span: Span,
    sev: Severity,
    closed: bool,
    raw: str | None = None,
) -> None:
    """``value`` (normalised; ``raw`` as written) against the field's vocabulary.

    A field with ``invalid_effect`` says what the runtime does with a value it does not take,
    and its values are judged at the target version (``since``, retired ones)."""
    values = field_values(field)
    if not values:
        return
    entry = values.get(value)
    current = [n for n, x in values.items() if x.status == "current"]
    effect = field.limit("invalid_effect")
    if entry is None:
        if not closed:
            return
        if effect:
            notes = vocabulary(field.limit("invalid_notes_ref")) or {}
            why = str(notes[value].note or effect) if value in notes else f"{effect}."
            more = " or an integer" if field.limit("accepts_integer") else ""
            message = (
                f"`{raw or value}` is not a valid `{field.key}`. {why[:1].upper()}{why[1:]} Use "
                f"one of: {_names(field)}{more}."
            )
        else:
            message = (
                f"`{value}` is not a valid `{field.key}`: use one of "
                f"{', '.join(f'`{n}`' for n in current)}."
            )
        ctx.add(
            "AGL301",
            span,
            message + did_you_mean(value, current),
            sev,
            suggestion=closest(value, current),
        )
        return
    if entry.status != "current" and effect:
        until = entry.until_docs or entry.until or "an earlier version"
        ctx.add(
            "AGL301",
            span,
            f"`{value}` is no longer a valid `{field.key}` (documented until {until}): {effect}.",
            sev,
        )
    elif entry.status != "current":
        repl = entry.extra.get("replaced_by")
        ctx.add(
            "AGL301",
            span,
            f"`{value}` is {entry.status}" + (f": use `{repl}`" if repl else "") + ".",
            Severity.INFORMATION,
            suggestion=repl,
        )
    elif effect and entry.since is not None and ctx.version < entry.since:
        ctx.add(
            "AGL301",
            span,
            f"`{value}` is a valid `{field.key}` only since {ctx.spec.tool} {entry.since}; the "
            f"target version {ctx.version} does not accept it.",
            sev,
        )


def _names(field: FieldSpec) -> str:
    """The current values of a closed field, for messages."""
    values = field_values(field) or {}
    return ", ".join(f"`{n}`" for n, e in values.items() if e.status == "current")


def _check_items(ctx: DialectContext, field: FieldSpec, e: YEntry, sev: Severity) -> None:
    v = e.value
    key = field.key
    if field.type == "list" and not isinstance(v, YSeq):
        if _is_str(v) and ctx.spec.parser != "vscode" and not ctx.spec.strict_types:
            return  # a single string where a list is documented: most tools accept it
        ctx.add("AGL300", ctx.value_span(v, e.key), f"`{key}` should be a YAML list.", sev)
        return
    if field.type == "comma-string" and not _is_str(v):
        ctx.add(
            "AGL300", ctx.value_span(v, e.key), f"`{key}` should be a comma-separated string.", sev
        )
        return
    if _blank(ctx, field, v, ctx.value_span(v, e.key), sev):
        return
    if field.type == "string-or-list" and isinstance(v, YMap):
        ctx.add(
            "AGL300",
            ctx.value_span(v, e.key),
            f"`{key}` should be a list or a comma-separated string, not a mapping.",
            sev,
        )
        return
    least = field.limit("min_items")
    if isinstance(v, YSeq) and isinstance(least, int) and len(v.items) < least:
        ctx.add(
            "AGL300",
            ctx.value_span(v, e.key),
            f"`{key}` should list at least {least} {'entry' if least == 1 else 'entries'}.",
            sev,
        )
    items: list[tuple[str, Span]] = []
    nodes = v.items if isinstance(v, YSeq) else [v]
    for node in nodes:
        if not _is_str(node):
            ctx.add(
                "AGL300",
                ctx.value_span(node, e.key),
                f"Items of `{key}` should be strings, not a {kind_name(node)}.",
                sev,
            )
            continue
        assert isinstance(node, YScalar) and isinstance(node.value, str)
        if isinstance(v, YSeq) or field.type == "model-or-list":
            items.append((node.value, _inner_span(ctx.text, node)))
        else:
            from agentls.core.toollist import tool_items

            items += [(i.text, i.span) for i in tool_items(ctx.text, node)]
    if field.item_kind in ("tool", "permission-rule") and field.values_ref == "claude_code.tools":
        _check_claude_tools(ctx, field, items)
        return
    values = field.values
    if values:
        lookup = _lookup(values)
        for text, span in items:
            base = text.split("(", 1)[0]
            entry = values.get(text) or values.get(base)
            if entry is None and ctx.spec.id == "github-agent":  # aliases ignore case (§7.3)
                entry = lookup.by_lower.get(text.lower())
            if entry is None:
                if field.type in ("model", "model-or-list"):
                    continue  # model names are open-ended: the known ones are examples
                if "/" in text and text.split("/", 1)[0] not in values:
                    continue  # an MCP server's or an extension's tool: not known here
                renamed = lookup.by_suffix.get(text, [])
                if field.item_kind == "tool" and renamed:
                    ctx.add(
                        "AGL301",
                        span,
                        f"`{text}` was renamed `{renamed[0]}` ({ctx.spec.tool} reads the old name "
                        "as a renamed tool).",
                        Severity.INFORMATION,
                        suggestion=renamed[0],
                    )
                    continue
                if field.item_kind == "tool":
                    ctx.add(
                        "AGL301",
                        span,
                        f"`{text}` is not a built-in tool agentls knows; {ctx.spec.tool} ignores "
                        "unknown tools (extensions and MCP servers add their own)."
                        f"{did_you_mean(text, lookup.names)}",
                        # VS Code: a hint (`Unknown tool 'X' will be ignored.`)
                        Severity.HINT if ctx.spec.parser == "vscode" else Severity.INFORMATION,
                        suggestion=closest(text, lookup.names),
                    )
                    continue
                ctx.add(
                    "AGL301",
                    span,
                    f"Unknown `{key}` item `{text}`: {ctx.spec.tool} "
                    f"ignores it.{did_you_mean(text, lookup.names)}",
                    sev,
                    suggestion=closest(text, lookup.names),
                )
            elif entry.status != "current":
                repl = entry.extra.get("replaced_by") or next(
                    iter(lookup.by_suffix.get(text, ())), None
                )
                ctx.add(
                    "AGL301",
                    span,
                    f"`{text}` is a {entry.status} name"
                    + (f": use `{repl}`" if repl else f" ({entry.doc})")
                    + ".",
                    Severity.INFORMATION,
                    suggestion=repl,
                )


def _check_claude_tools(
    ctx: DialectContext, field: FieldSpec, items: list[tuple[str, Span]]
) -> None:
    """Permission rules (`Tool` or `Tool(specifier)`) naming Claude Code tools (§11.7)."""
    tools = claude().tools
    for text, span in items:
        name = text.split("(", 1)[0]
        if not name or name == "*" or name.startswith("mcp__") or name in tools:
            continue
        case = closest(name, tools) if name.lower() in {t.lower() for t in tools} else None
        msg = (
            f"Tool names are case-sensitive: `{name}` does not match `{case}`."
            if case
            else f"Unknown tool `{name}` in `{field.key}`: Claude Code ignores it."
            f"{did_you_mean(name, tools)}"
        )
        ctx.add(
            "AGL401",
            Span(span.start, span.start + len(name)),
            msg,
            suggestion=case or closest(name, tools),
        )


def _check_handoffs(ctx: DialectContext, e: YEntry, sev: Severity) -> None:
    v = e.value
    if not isinstance(v, YSeq):
        ctx.add(
            "AGL300",
            ctx.value_span(v, e.key),
            "`handoffs` should be a list of `{label, agent, prompt}` maps.",
            sev,
        )
        return
    for item in v.items:
        if not isinstance(item, YMap):
            ctx.add(
                "AGL300",
                ctx.value_span(item),
                "Each handoff is a map with `label`, `agent` and `prompt`.",
                sev,
            )
            continue
        missing = [k for k in ("label", "agent", "prompt") if item.get(k) is None]
        if missing:
            ctx.add(
                "AGL300",
                ctx.value_span(item),
                "This handoff needs " + ", ".join(f"`{k}`" for k in missing) + ".",
                sev,
            )
        for k in ("send", "showContinueOn"):
            b = item.get(k)
            if b is not None and not (isinstance(b.value, YScalar) and b.value.tag == BOOL):
                ctx.add(
                    "AGL300",
                    ctx.value_span(b.value, b.key),
                    f"`{k}` should be `true` or `false`.",
                    sev,
                )


def _inner_span(text: str, node: YScalar) -> Span:
    """A scalar's span without its quotes, when the source spells the value verbatim."""
    span = trim_end(text, node.span)
    if node.style in ("'", '"') and text[span.start + 1 : span.end - 1] == node.raw:
        return Span(span.start + 1, span.end - 1)
    return span


def _is_str(v: YNode) -> bool:
    return isinstance(v, YScalar) and isinstance(v.value, str) and v.style != "raw"


def _is_scalar(v: YNode) -> bool:
    return isinstance(v, YScalar) and not v.is_null


# ---------------------------------------------------------------------------------------------

Rule = Callable[[DialectContext], None]
GENERIC_RULES: tuple[Rule, ...] = (rule_required, rule_keys, rule_values)


def front_matter_used(ctx: DialectContext) -> bool:
    """The runtime reads keys from the block (it is there and not ignored)."""
    return ctx.block is not None and not ctx.ignored


def check(ctx: DialectContext) -> None:
    if _RULES is None:
        _load_rules()
    assert _RULES is not None
    file_rules, dialect_rules, body_rules = _RULES
    spec = ctx.spec
    if spec.unread:
        ctx.add("AGL711", Span(0, 0), spec.unread)
        return
    run_rules(ctx, file_rules.get(spec.id, ()))  # whatever the block holds
    read_block(ctx)
    rules: list[Rule] = []
    if not ctx.unchecked:
        rules += GENERIC_RULES
        rules += dialect_rules.get(spec.id, ())
    rules += body_rules.get(spec.body, ())
    run_rules(ctx, rules)


# the dialects' own rules, body rules and file rules (modules that import this one: read on
# the first check rather than with an import statement per call)
_RULES: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None = None


def _load_rules() -> None:
    global _RULES
    from agentls.core.dialects import body, dialect_rules

    _RULES = (dialect_rules.FILE_RULES, dialect_rules.RULES, body.RULES)


def entry_values(spec: DialectSpec, key: str) -> dict[str, Entry] | None:
    field = spec.fields.get(key)
    return field_values(field) if field is not None else None
