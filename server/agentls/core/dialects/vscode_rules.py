"""VS Code's reading of a header (its own parser, ``core/vscode_yaml.py``) and the checks of its
prompt validator that a catalogue does not express (tests/conformance/vscode/NOTES.md).

Every YAML problem VS Code's parser reports is an error marker in VS Code 1.139.1; the file is
still read, as far as the parser got. What it does not report (``: `` in a plain value, an
unterminated quote, anchors, a line without a colon...) is not a VS Code problem: the mapping
silently ends there, so the keys after it are not read, which the other checks then see.
"""

from __future__ import annotations

from typing import Any

from agentls.core.runtime import ClaudeParse
from agentls.core.text import Span
from agentls.core.vscode_yaml import VSCodeYamlError, parse
from agentls.core.yamltree import (
    BOOL,
    ParseResult,
    YEntry,
    YMap,
    YNode,
    YScalar,
    YSeq,
    trim_end,
    walk,
)

_ADVICE = {
    "unexpected-indentation": "VS Code still reads the line as a key of the mapping above; "
    "remove the indentation, or make the value above a block",
    "missing-value": "VS Code reads an empty value; give the key a value or delete the line",
    "expected-flow-seq-end": "close the list with `]`",
    "expected-flow-map-end": "close the mapping with `}`",
    "unexpected-token": "remove the empty item",
    "expected-key": "give each entry a key",
    "expected-colon": "write `key: value`",
}


def _entries(node: YNode | None) -> list[YEntry]:
    out: list[YEntry] = []
    for n in walk(node) if node is not None else ():
        if isinstance(n, YMap):
            out.extend(n.entries)
    return out


def _where(ctx: Any, err: VSCodeYamlError, root: YNode | None) -> tuple[Span, str]:
    """The finding's range (the key, the value or the item at fault) and what it is about."""
    if err.code == "missing-value":  # at the colon: report on the key without a value
        for e in _entries(root):
            v = e.value
            if isinstance(v, YScalar) and v.span.start == err.end and not v.raw:
                return e.key.span, f"`{e.key_text}:` has no value"
        return Span(err.start, err.end), "A `-` without an item"
    if err.code in ("expected-flow-seq-end", "expected-flow-map-end"):
        best: YNode | None = None
        for n in walk(root) if root is not None else ():
            if isinstance(n, (YSeq, YMap)) and n.flow and n.span.end == err.start:
                best = best or n  # the outermost unclosed collection
        if best is not None:
            return trim_end(ctx.text, best.span), "This flow collection is never closed"
    return Span(err.start, err.end), "VS Code cannot read this"


def read_header(ctx: Any) -> None:
    """Parse the header as VS Code does; report what VS Code reports, as errors."""
    block = ctx.block
    if ctx.front_matter_text() is None:  # over agentls's size limit (reported)
        return
    content = block.content
    result = parse(ctx.text[content.start : content.end], content.start)
    root = result.root
    sev = ctx.severity("error")
    for err in result.errors:
        if err.code == "duplicate-key":
            key = err.message.split('"', 1)[1][:-1]
            ctx.add(
                "AGL013",
                Span(err.start, err.end),
                f"`{key}` is repeated: VS Code reports `{err.message}` (an error). Keep one.",
                sev,
            )
            continue
        span, what = _where(ctx, err, root)
        advice = _ADVICE.get(err.code, "fix the line")
        ctx.add(
            "AGL019",
            span,
            f"{what}: VS Code's parser reports `{err.message}` (an error); {advice}.",
            sev,
        )
    mapping = root if isinstance(root, YMap) else None
    not_mapping = root is not None and mapping is None
    ctx.parse = ClaudeParse("strict", ParseResult(root), mapping, not_mapping=not_mapping)
    ctx.root = mapping
    if not_mapping:
        ctx.add(
            "AGL016",
            content,
            "The header is not a mapping of `key: value` lines: VS Code reports `Invalid header, "
            "expecting <key: value> pairs` (an error) and reads no metadata from it.",
            sev,
        )


def is_literal_bool(v: YNode) -> bool:
    return isinstance(v, YScalar) and v.tag == BOOL
