"""VS Code's reading of a header (its own parser, ``core/vscode_yaml.py``) and the checks of its
prompt validator that a catalogue does not express (tests/conformance/vscode/NOTES.md).

Every YAML problem VS Code's parser reports is an error marker in VS Code 1.139.1; the file is
still read, as far as the parser got. What it does not report (an unterminated quote, anchors,
a line without a colon...) is no error for VS Code; where its parser stops reading in silence,
agentls warns, since the keys after it are not read.
"""

from __future__ import annotations

from typing import Any

from agentls.core.findings import Severity
from agentls.core.runtime import ClaudeParse
from agentls.core.text import Span
from agentls.core.vscode_yaml import VSCodeYamlError, parse
from agentls.core.yamltree import (
    BOOL,
    MAX_DEPTH,
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
    if err.code in ("expected-flow-seq-end", "expected-flow-map-end") and err.start == err.end:
        # at the end of the header: report on the collection left open
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
    nul = ctx.text.find("\0")
    if nul >= 0:  # g0082, g0114: "File seems to be binary and cannot be opened as text"
        ctx.add(
            "AGL102",
            Span(nul, nul + 1),
            "A NUL character: VS Code takes the file for binary and does not open it as text, "
            "so it reads nothing from it. Delete the character.",
            Severity.WARNING,
        )
        ctx.unchecked = True
        return
    if ctx.front_matter_text() is None:  # over agentls's size limit (reported)
        return
    content = block.content
    result = parse(ctx.text[content.start : content.end], content.start, ctx.memo)
    if result.too_deep is not None:
        ctx.add(
            "AGL020",
            Span(result.too_deep, result.too_deep + 1),
            f"The front matter has nesting deeper than {MAX_DEPTH} levels: agentls does not "
            "check it.",
        )
        ctx.unchecked = True
        return
    root = result.root
    sev = ctx.severity("error")
    for err in result.errors:
        if err.code == "duplicate-key":
            key = err.message.split('"', 1)[1][:-1]
            ctx.add(
                "AGL013",
                Span(err.start, err.end),
                f"`{key}` is repeated: VS Code's parser reports `{err.message}`. Keep one.",
                sev,
            )
            continue
        span, what = _where(ctx, err, root)
        advice = _ADVICE.get(err.code, "fix the line")
        ctx.add(
            "AGL019",
            span,
            f"{what}: VS Code's parser reports `{err.message}`; {advice}.",
            sev,
        )
    if result.stopped is not None and isinstance(root, YMap):
        _stopped(ctx, root, result.stopped)
    mapping = root if isinstance(root, YMap) else None
    not_mapping = root is not None and mapping is None
    ctx.parse = ClaudeParse("strict", ParseResult(root), mapping, not_mapping=not_mapping)
    ctx.root = mapping
    if not_mapping:
        ctx.add(
            "AGL016",
            content,
            "The header is not a mapping of `key: value` lines: VS Code reports `Invalid header, "
            "expecting <key: value> pairs` and reads no metadata from it.",
            sev,
        )


def is_literal_bool(v: YNode) -> bool:
    return isinstance(v, YScalar) and v.tag == BOOL


def model_names(ctx: Any) -> None:
    """`model: ['']`: `Model names in the array must be non-empty strings.` (g0147)."""
    e = ctx.get("model")
    if e is None or not isinstance(e.value, YSeq):
        return
    for item in e.value.items:
        if isinstance(item, YScalar) and isinstance(item.value, str) and not item.value.strip():
            ctx.add(
                "AGL304",
                trim_end(ctx.text, item.span),
                "An empty model name: VS Code reports it (`Model names in the array must be "
                "non-empty strings.`).",
                ctx.severity("error"),
            )


def handoff_labels(ctx: Any) -> None:
    """Each handoff label has a letter or digit and is unique (g0179, g0182)."""
    e = ctx.get("handoffs")
    if e is None or not isinstance(e.value, YSeq):
        return
    seen: set[str] = set()
    for item in e.value.items:
        label = item.get("label") if isinstance(item, YMap) else None
        if label is None or not isinstance(label.value, YScalar):
            continue
        text = label.value.value if isinstance(label.value.value, str) else label.value.raw
        span = ctx.value_span(label.value, label.key)
        if not any(ch.isalnum() for ch in text):
            ctx.add(
                "AGL301",
                span,
                f"The handoff label `{text}` has no letter or digit: VS Code reports it (`The "
                "'label' property in a handoff must contain at least one alphanumeric "
                "character.`).",
                ctx.severity("error"),
            )
        elif text in seen:
            ctx.add(
                "AGL301",
                span,
                f"Two handoffs are labelled `{text}`: VS Code reports it (`Duplicate handoff "
                "label`); give each a unique label.",
                ctx.severity("error"),
            )
        seen.add(text)


_HOOK_COMMANDS = ("command", "windows", "linux", "osx")


def hook_commands(ctx: Any) -> None:
    """A VS Code hook (an item of an event's list, without Claude's `hooks:` wrapper) runs a
    command: `Hook command must specify at least one of 'command', 'windows', 'linux', or
    'osx'.` (g0188; the Claude shape passes, g0185)."""
    e = ctx.get("hooks")
    if e is None or not isinstance(e.value, YMap):
        return
    for event in e.value.entries:
        if not isinstance(event.value, YSeq):
            continue
        for item in event.value.items:
            if not isinstance(item, YMap) or item.get("hooks") is not None:
                continue
            if not any(item.get(k) is not None for k in _HOOK_COMMANDS):
                ctx.add(
                    "AGL300",
                    trim_end(ctx.text, item.span),
                    "This hook runs nothing: VS Code reports it (`Hook command must specify at "
                    "least one of 'command', 'windows', 'linux', or 'osx'.`).",
                    ctx.severity("error"),
                )


def skill_fields(ctx: Any) -> None:
    """A skill with a header and no `name` / `description`: warnings at the opener (g0402,
    g0403, g0378); no description while `user-invocable: false` or
    `disable-model-invocation: false`: an error at that value (g0404, g0405)."""
    if ctx.block is None:
        return  # no header: nothing is validated (g0375, g0377)
    present = set(ctx.root.key_names()) if ctx.root is not None else set()
    for key in ("name", "description"):
        if key not in present:
            ctx.add(
                "AGL206",
                ctx.block.open_span,
                f"Missing `{key}`: VS Code warns (`Skill should provide a {key}.`).",
                ctx.severity("warning"),
                key=key,
            )
    if "description" in present:
        return
    why = {
        "user-invocable": "the skill is not offered to the user, so the model must be able to "
        "choose it",
        "disable-model-invocation": "the model may load the skill on its own",
    }
    for key, reason in why.items():
        e = ctx.get(key)
        if e is not None and isinstance(e.value, YScalar) and e.value.value is False:
            ctx.add(
                "AGL206",
                ctx.value_span(e.value, e.key),
                f"`{key}: false` without a `description`: VS Code requires one then "
                f"({reason}). Add a `description`.",
                ctx.severity("error"),
                key="description",
            )


def _stopped(ctx: Any, root: YMap, at: int) -> None:
    """VS Code's parser ended the mapping before the end of the header, without a marker (a
    line without `key:`, text after a quoted value, `key:value`): what follows is not read. A
    warning: values are dropped, the file still loads (g0066, g0103)."""
    text = ctx.text
    line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    line_end = len(text)
    for ch in "\r\n":
        i = text.find(ch, at)
        if i >= 0:
            line_end = min(line_end, i)
    last = root.entries[-1] if root.entries else None
    if last is not None and last.value.span.start >= line_start:
        span = trim_end(text, Span(last.value.span.start, line_end))
        value = last.value.value if isinstance(last.value, YScalar) else None
        read = f"`{last.key_text}` is read as `{value}`" if isinstance(value, str) else ""
        what = f"{read} and nothing after it is read" if read else "nothing after it is read"
        advice = "Quote the value."
    else:
        start = (
            line_start + len(text[line_start:line_end]) - len(text[line_start:line_end].lstrip())
        )
        span = trim_end(text, Span(start, line_end))
        what = "this line and every line after it in the header are not read"
        advice = "Write it as `key: value`, or move it below the closing `---`."
    ctx.add(
        "AGL019",
        span,
        f"VS Code's parser stops reading the header here, without a marker: {what}. {advice}",
        Severity.WARNING,
    )


# `Attribute 'X' is not supported in custom GitHub Copilot agent files. Supported: …` (g0166,
# g0239): VS Code's key set for an agent with `target: github-copilot`
GITHUB_TARGET_KEYS = frozenset(
    [
        "description",
        "github",
        "infer",
        "mcp-servers",
        "model",
        "name",
        "reasoning-effort",
        "target",
        "tools",
    ]
)


def github_target_keys(ctx: Any) -> None:
    """With `target: github-copilot`, VS Code's agent keys outside GitHub's set are ignored
    (a hint; the keys no VS Code agent knows get the unknown-key finding already)."""
    target = ctx.get("target")
    if target is None or getattr(target.value, "value", None) != "github-copilot":
        return
    for e in ctx.root.entries if ctx.root is not None else ():
        if e.key_text in ctx.spec.fields and e.key_text not in GITHUB_TARGET_KEYS:
            ctx.add(
                "AGL200",
                e.key.span,
                f"`{e.key_text}` is not a key of a GitHub Copilot agent (`target: "
                "github-copilot`): VS Code ignores it there.",
                Severity.HINT,
            )
