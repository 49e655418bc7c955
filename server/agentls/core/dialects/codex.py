"""How Codex reads a skill's front matter (tests/conformance/codex/NOTES.md, Codex 0.169.0).

* The block: the first line, trimmed, is ``---``; it ends at the next line that is ``---``
  after trimming (lines split on ``\\n``; a BOM is not skipped; lone-CR files have one line).
  No block, no closer or an empty block: ``missing YAML frontmatter delimited by ---``.
* YAML: serde_yaml (libyaml's scanner: U+2028, U+2029 and NEL break lines, control characters
  fail) into ``name`` (optional string), ``description`` (required string) and ``metadata``
  (optional map); every other key is ignored whatever its value; scalars are read as text.
* On any failure (syntax, a repeated field, a wrong type) the retry: each ``key: value`` line
  whose value does not start with a quote, ``|`` or ``>`` is double-quoted when the value holds
  ``: ``, starts with ``@`` or a backtick, or starts with ``[``/``{`` without being a valid
  flow collection; then the block is parsed again. When that fails too the skill is dropped.
* Folders whose name starts with ``.`` are skipped (except the bundled ``~/.codex/skills/.system``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from agentls.core.dialects import path_parts
from agentls.core.findings import Severity
from agentls.core.frontmatter import BOM, Block
from agentls.core.runtime import ClaudeParse
from agentls.core.text import Span
from agentls.core.yamlcheck import explain
from agentls.core.yamltree import ParseResult, Remap, YMap, YScalar, YSeq, parse

# a `key: value` line the retry looks at (top level or nested; a quoted key too)
_LINE = re.compile(
    r"""([ \t]*)("[^"\n]*"|'[^'\n]*'|[^\s"'#:?\-][^:\n]*?):([ \t]+)(\S.*?)[ \t]*\Z"""
)
FIELDS = ("name", "description", "metadata")  # serde's struct: only these can fail


def _trim_is_dashes(line: str) -> bool:
    return line.strip() == "---"  # Rust's `trim`: Unicode white space (not U+FEFF)


def codex_block(text: str) -> Block | None:
    """The block as Codex finds it, or None (`missing YAML frontmatter delimited by ---`)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _trim_is_dashes(first.removesuffix("\r")):
        return None
    open_at = first.find("-")
    if first_end < 0:
        return Block(Span(open_at, open_at + 3), Span(len(text), len(text)), None, len(text), False)
    content_start = pos = first_end + 1
    while pos < len(text):
        eol = text.find("\n", pos)
        line = text[pos : len(text) if eol < 0 else eol]
        if _trim_is_dashes(line.removesuffix("\r")):
            close_at = pos + line.find("-")
            body = len(text) if eol < 0 else eol + 1
            return Block(
                Span(open_at, open_at + 3),
                Span(content_start, pos),
                Span(close_at, close_at + 3),
                body,
                True,
            )
        if eol < 0:
            break
        pos = eol + 1
    return Block(Span(open_at, open_at + 3), Span(content_start, len(text)), None, len(text), False)


def _valid_flow(value: str) -> bool:
    r = parse(value)
    return r.error is None and isinstance(r.root, (YMap, YSeq)) and r.root.flow


def _needs_quotes(value: str) -> bool:
    if value[0] in "\"'|>":
        return False
    if ": " in value or value[0] in "@`":
        return True
    return value[0] in "[{" and not _valid_flow(value)


class Retry:
    """The block with Codex's quoting applied, and a map back to document offsets."""

    def __init__(self, text: str, base: int) -> None:
        out: list[str] = []
        self.rewritten: list[tuple[str, Span]] = []  # (key, the original value's span)
        # new offset -> (old offset, old end of a rewritten value or -1)
        starts: list[int] = [0]
        marks: list[tuple[int, int]] = [(0, -1)]
        new = old = 0
        for line in text.split("\n"):
            body = line.removesuffix("\r")
            m = _LINE.match(body)
            if m and _needs_quotes(m.group(4)):
                value = m.group(4)
                v_old = old + m.start(4)
                quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                new_line = body[: m.start(4)] + quoted + line[len(body) :]
                self.rewritten.append((m.group(2), Span(base + v_old, base + v_old + len(value))))
                starts.append(new + m.start(4))
                marks.append((v_old, v_old + len(value)))
                starts.append(new + m.start(4) + len(quoted))
                marks.append((v_old + len(value), -1))
                out.append(new_line)
                new += len(new_line) + 1
                starts.append(new)
                marks.append((old + len(line) + 1, -1))
            else:
                out.append(line)
                new += len(line) + 1
            old += len(line) + 1
        self.text = "\n".join(out)
        self._starts, self._marks, self._base = starts, marks, base

    def remap(self) -> Remap:
        starts, marks, base = self._starts, self._marks, self._base

        def remap(i: int) -> int:
            k = bisect_right(starts, i) - 1
            old, end = marks[k]
            if end >= 0:  # inside a quoted value: its text, the opening quote at its start
                return base + min(old + max(0, i - starts[k] - 1), end)
            return base + old + (i - starts[k])

        return remap


def _failure(r: ParseResult) -> str | None:
    """Why serde_yaml rejects this parse (None: Codex loads it)."""
    if r.error is not None:
        return r.error.message
    if r.limit is not None:
        return None  # beyond agentls's limits: not judged
    root = r.root
    if not isinstance(root, YMap):
        return "missing field `description`" if root is None or _null(root) else "not a map"
    for first, _dup in root.duplicates:
        if first.key_text in FIELDS:
            return f"duplicate field `{first.key_text}`"
    for e in root.entries:
        v = e.value
        if e.key_text in ("name", "description") and isinstance(v, (YMap, YSeq)):
            return f"{e.key_text}: invalid type"
        if e.key_text == "metadata" and not (isinstance(v, YMap) or _null(v)):
            return "metadata: invalid type"
    d = root.get("description")
    if d is None or _null(d.value) or not str(getattr(d.value, "value", "x")).strip():
        return "missing field `description`"
    return None


def _null(v: Any) -> bool:
    return isinstance(v, YScalar) and v.is_null


def read_block(ctx: Any) -> None:
    """Find and parse the block as Codex does; report what makes Codex drop the skill."""
    spec = ctx.spec
    text = ctx.text
    block = codex_block(text)
    if block is None or block.close_span is None or block.content.end == block.content.start:
        _no_front_matter(ctx, block)
        return
    ctx.block = block
    content = block.content
    if ctx.front_matter_text() is None:  # too large for agentls: reported, not checked
        return
    raw = text[content.start : content.end]  # as written: libyaml sees U+2028, controls...
    bom = re.search(r"(?m)^\ufeff", raw)
    if bom is not None:  # k0267: `deserializing from YAML containing more than one document`
        at = content.start + bom.start()
        seen = parse(raw, content.start)
        ctx.parse = ClaudeParse("failed", seen, None)
        ctx.root = seen.root if isinstance(seen.root, YMap) else None
        ctx.add(
            "AGL005",
            Span(at, at + 1),
            "A byte order mark (U+FEFF) starts this line: Codex's YAML parser takes it for the "
            "start of another document and refuses the block (`more than one document`). "
            "Delete it.",
            Severity.ERROR,
        )
        return
    first = parse(raw, content.start)
    if first.limit is not None:
        limit = first.limit
        ctx.add(
            "AGL020",
            Span(limit.offset, limit.offset + 1),
            f"The front matter has {limit.message}: agentls does not check it.",
        )
        ctx.unchecked = True
        return
    why = _failure(first)
    if why is None:
        ctx.parse = ClaudeParse("strict", first, first.root)  # type: ignore[arg-type]
        ctx.root = first.root
        return
    retry = Retry(raw, content.start)
    second = parse(retry.text, content.start, retry.remap()) if retry.rewritten else first
    if retry.rewritten and _failure(second) is None:
        ctx.parse = ClaudeParse("retry", first, second.root)  # type: ignore[arg-type]
        ctx.root = second.root
        _rescued(ctx, first, retry, raw)
        return
    # dropped: say why (the wrong types and a missing description are the generic rules')
    failed = ClaudeParse("failed", first, None)
    ctx.parse = failed
    for r in (second, first):
        if r.error is not None or r.limit is not None:
            continue
        if isinstance(r.root, YMap):
            ctx.root = r.root
            _duplicates(ctx, r.root)
        elif r.root is None or _null(r.root):  # only comments: rule_required says it
            ctx.root = YMap(content, False)
        else:
            ctx.parse = failed._replace(not_mapping=True)
            ctx.add(
                "AGL016",
                block.open_span,
                "The front matter is not a mapping of `key: value` lines (`invalid type`).",
                Severity.ERROR,
            )
        return
    explained = explain(failed, raw, content.start, ctx.version, spec.fields, retry=False)
    ctx.explained = explained
    ctx.root = explained.root
    rescued = {s.start for _, s in retry.rewritten if _line_alone_ok(ctx.text, s)}
    problems = [p for p in explained.problems if p.span.start not in rescued]
    for p in problems:
        ctx.add(
            "AGL019",
            p.span,
            f"Invalid YAML in `{p.key}` ({p.detail}), even after Codex's retry that quotes "
            "values with `: `. Quote the value or use a `|` block scalar.",
            Severity.ERROR,
            key=p.key,
        )
    if not problems and first.error is not None:
        err = first.error
        ctx.add(
            "AGL019",
            Span(err.offset, min(err.offset + 1, len(text))),
            f"Invalid YAML ({err.message}), even after Codex's retry.",
            Severity.ERROR,
        )


def _line_alone_ok(text: str, value: Span) -> bool:
    """The rewritten line parses on its own once quoted (it is not why the retry failed)."""
    ls = text.rfind("\n", 0, value.start) + 1
    le = text.find("\n", value.end)
    line = text[ls : len(text) if le < 0 else le].rstrip("\r").lstrip(" \t")
    return parse(Retry(line, 0).text).error is None


def _duplicates(ctx: Any, root: YMap) -> None:
    for first, dup in root.duplicates:
        if first.key_text not in FIELDS:
            continue  # serde ignores other keys, repeated or not
        line = ctx.text.count("\n", 0, first.key.span.start) + 1
        ctx.add(
            "AGL013",
            dup.key.span,
            f"`{dup.key_text}` is repeated (first on line {line}): Codex refuses a repeated "
            f"field (`duplicate field`). Keep one.",
            Severity.ERROR,
        )


def _rescued(ctx: Any, first: ParseResult, retry: Retry, raw: str) -> None:
    """Codex loads the block only through its retry: say so where strict YAML fails."""
    base = ctx.block.content.start
    if first.error is not None:
        failed = ClaudeParse("failed", first, None)
        explained = explain(failed, raw, base, ctx.version, ctx.spec.fields, retry=False)
        done = {s.start for _, s in retry.rewritten}
        for p in explained.problems:
            if p.span.start in done:
                _retry_note(ctx, p.span, p.key, p.detail)
        return
    root = first.root
    for key, span in retry.rewritten:
        e = root.get(key) if isinstance(root, YMap) else None
        if e is not None and key in FIELDS and isinstance(e.value, (YMap, YSeq)):
            _retry_note(ctx, span, key, f"a flow {'list' if isinstance(e.value, YSeq) else 'map'}")


def _retry_note(ctx: Any, span: Span, key: str, detail: str) -> None:
    ctx.add(
        "AGL100",
        span,
        f"Not valid YAML as `{key}` is written ({detail}): Codex reads the value as text only "
        "through its retry that quotes it; strict YAML parsers reject the file. Quote the value.",
        key=key,
    )


def _no_front_matter(ctx: Any, block: Block | None) -> None:
    text = ctx.text
    what = "`missing YAML frontmatter delimited by ---`"
    if block is not None and block.close_span is None:
        ctx.add(
            "AGL002",
            block.open_span,
            f"This `---` is never closed: Codex finds no front matter ({what}). Add a line "
            "`---` after the last key.",
            Severity.ERROR,
        )
    elif block is not None:
        ctx.add(
            "AGL206",
            block.open_span,
            f"The front matter is empty: Codex finds none ({what}). Add `description:`.",
            Severity.ERROR,
            key="description",
        )
    elif text.startswith(BOM):
        ctx.add(
            "AGL005",
            Span(0, 1),
            f"A byte order mark (U+FEFF) starts the file: Codex does not skip it and finds no "
            f"front matter ({what}). Save the file as UTF-8 without BOM.",
            Severity.ERROR,
        )
    elif "\n" not in text and "\r" in text:
        ctx.add(
            "AGL206",
            Span(0, 0),
            f"The lines end with a bare carriage return (CR): Codex splits lines on LF only and "
            f"finds no front matter ({what}). Save the file with LF or CRLF line endings.",
            Severity.ERROR,
        )
    elif text.lstrip(" \t\r\n").startswith("---"):
        ctx.add(
            "AGL001",
            Span(0, len(text) - len(text.lstrip(" \t\r\n"))),
            f"The first line must be `---`: Codex finds no front matter ({what}). Delete what "
            "comes before it.",
            Severity.ERROR,
        )
    else:
        ctx.add(
            "AGL206",
            Span(0, 0),
            f"Codex requires front matter ({what}): start the file with `---`, "
            "`description:`, `---`.",
            Severity.ERROR,
            key="description",
        )


def hidden_folder(ctx: Any) -> None:
    """Codex skips folders whose name starts with `.` below its skill roots (k0280)."""
    if ctx.path is None:
        return
    parts = path_parts(ctx.path)
    roots = [k for k in range(len(parts) - 1) if parts[k] in (".codex", ".agents")]
    roots = [k for k in roots if k + 1 < len(parts) and parts[k + 1] == "skills"]
    if not roots:
        return
    inner = parts[roots[-1] + 2 : -1]
    hidden = [p for p in inner if p.startswith(".")]
    if not hidden or (parts[roots[-1]] == ".codex" and inner[:1] == (".system",)):
        return
    ctx.add(
        "AGL711",
        ctx.block.open_span if ctx.block is not None else Span(0, 0),
        f"Codex skips folders whose name starts with `.` (`{hidden[0]}`): it never reads this "
        "skill. Rename the folder.",
    )
