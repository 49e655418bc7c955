"""How OpenCode 1.18.33 reads a Markdown file's front matter: gray-matter 4 finds the block,
js-yaml 3 parses it, and on a failure OpenCode's fallback rewrites colon values as block
scalars and tries again (tests/conformance/opencode/NOTES.md, "How the file is parsed").

Outcomes, per file (agents, mode files, commands and skills alike):

* the block is read (directly or through the fallback): the keys are checked;
* the fallback does not change the text: gray-matter's cache hands back the failed parse, so the
  front matter is *ignored*: no keys, the whole file is the prompt (a skill then has no name and
  is dropped);
* the fallback changes the text (any CRLF file) and it still fails: the file is *dropped*;
* no `---` at the very start (a blank line or text first, `----`): no front matter at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from agentls.core.findings import Severity
from agentls.core.frontmatter import BOM, Block, _misplaced_opening
from agentls.core.runtime import ClaudeParse, merge_keys
from agentls.core.text import Span
from agentls.core.textcheck import _YAML_BAD
from agentls.core.yamlcheck import explain
from agentls.core.yamltree import (
    BOOL,
    FLOAT,
    INT,
    NULL,
    STR,
    ParseResult,
    YamlError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    parse,
)

JS_MAX_SAFE = 2**53 - 1
BINARY = "tag:yaml.org,2002:binary"
# js-yaml 3's default_safe schema knows these tags; any other one fails the parse (a0067)
_JS_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "seq", "map", "null", "bool", "int", "float", "timestamp", "merge",
              "binary", "omap", "pairs", "set")
)  # fmt: skip
# U+2028, U+2029 and U+0085 are ordinary characters for js-yaml, line breaks for PyYAML: they
# are parsed as private-use stand-ins of the same length, then put back
_SEPS = {"\u2028": "\uf8f0", "\u2029": "\uf8f1", "\x85": "\uf8f2"}
_UNSEPS = {v: k for k, v in _SEPS.items()}
_SEP_RE = re.compile("[\u2028\u2029\x85]")
_UNSEP_RE = re.compile("[\uf8f0\uf8f1\uf8f2]")
# OpenCode's fallback (ConfigMarkdown.fallbackSanitization)
_FALLBACK_BLOCK = re.compile(r"---\r?\n([\s\S]*?)\r?\n---")
_FALLBACK_KEY = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*:\s*(.*)")
_JS_FLOAT = re.compile(
    r"[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_BASE60 = re.compile(r"(?::[0-5]?[0-9])+")


# ---------------------------------------------------------------------------------------------
# js-yaml 3 scalars


def _js_int(data: str) -> int | None:
    """js-yaml 3 ``resolveYamlInteger`` + ``constructYamlInteger`` (None: not an integer)."""
    if not data:
        return None
    i, n = 0, len(data)
    sign = 1
    if data[0] in "+-":
        sign = -1 if data[0] == "-" else 1
        i = 1
    if i < n and data[i] == "0":
        if i + 1 == n:
            return 0
        kind = data[i + 1]
        digits = data[i + 2 :] if kind in "bx" else data[i + 1 :]
        allowed = {"b": "01", "x": "0123456789abcdefABCDEF"}.get(kind, "01234567")
        if not digits or digits[-1] == "_" or any(c not in allowed + "_" for c in digits):
            return None
        if not digits.replace("_", ""):
            return None
        return sign * int(digits.replace("_", ""), {"b": 2, "x": 16}.get(kind, 8))
    rest = data[i:]
    if not rest or rest[0] == "_":
        return None
    head, colon, tail = rest.partition(":")
    if not head.replace("_", "").isdigit() or not head.replace("_", "").isascii():
        return None
    if head[-1] == "_":
        return None
    if not colon:
        return sign * int(head.replace("_", ""))
    if not _BASE60.fullmatch(":" + tail):
        return None
    value = 0
    for part in rest.replace("_", "").split(":"):
        value = value * 60 + int(part)
    return sign * value


def _js_float(data: str) -> float | None:
    if not _JS_FLOAT.fullmatch(data) or data.endswith("_"):
        return None
    v = data.replace("_", "").lower()
    sign = -1.0 if v[0] == "-" else 1.0
    if v[0] in "+-":
        v = v[1:]
    if v == ".inf":
        return sign * math.inf
    if v == ".nan":
        return math.nan
    if ":" in v:
        total = 0.0
        for part in v.split(":"):
            total = total * 60 + float(part)
        return sign * total
    return sign * float(v)


def resolve_js(raw: str) -> tuple[str, Any]:
    """(tag, value) of a plain scalar as js-yaml 3 reads it; numbers as JavaScript holds them
    (an integral finite number is an integer: `1e2`, `5.0`)."""
    if raw in ("~", "null", "Null", "NULL", ""):
        return NULL, None
    if raw in ("true", "True", "TRUE"):
        return BOOL, True
    if raw in ("false", "False", "FALSE"):
        return BOOL, False
    if raw[0] in "+-0123456789.":
        i = _js_int(raw)
        if i is not None:
            return INT, i
        f = _js_float(raw)
        if f is not None:
            if math.isfinite(f) and f.is_integer():
                return INT, int(f)
            return FLOAT, f
    return STR, raw


def _retype(text: str, node: YNode | None) -> None:
    """Give every scalar the type and value js-yaml 3 gives it (in place)."""
    if node is None:
        return
    stack: list[YNode] = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, YMap):
            for e in n.entries:
                stack += (e.key, e.value)
        elif isinstance(n, YSeq):
            stack += n.items
        elif isinstance(n, YScalar):
            if isinstance(n.value, str) and _UNSEP_RE.search(n.value):
                n.value = _UNSEP_RE.sub(lambda m: _UNSEPS[m.group()], n.value)
                n.raw = _UNSEP_RE.sub(lambda m: _UNSEPS[m.group()], n.raw)
            if n.tag == BINARY:
                n.value = n.raw.encode()  # type: ignore[assignment]  # a Buffer, not text
            elif n.style is None and not _tagged(text, n):
                n.tag, n.value = resolve_js(n.raw)


def _tagged(text: str, n: YScalar) -> bool:
    """The scalar has an explicit tag (`!!str 010`)."""
    head = text[n.span.start : n.span.start + 200]
    if head.startswith("&"):
        head = head.split(None, 1)[1] if len(head.split(None, 1)) > 1 else ""
    return head.startswith("!")


# ---------------------------------------------------------------------------------------------
# the block and the parse


def find_block(text: str) -> tuple[Block | None, str]:
    """gray-matter's block (one BOM skipped) and the language named on the opening line."""
    start = 1 if text.startswith(BOM) else 0
    if not text.startswith("---", start) or text[start + 3 : start + 4] == "-":
        return None, ""
    rest = start + 3
    m = re.search(r"\r?\n", text[rest:])
    raw_end = rest + m.start() if m else max(rest, len(text) - 1)
    language = text[rest:raw_end].strip()
    close = text.find("\n---", raw_end)
    if close < 0:
        block = Block(Span(start, rest), Span(raw_end, len(text)), None, len(text), True)
        return block, language
    body = close + 4
    if text[body : body + 1] == "\r":
        body += 1
    if text[body : body + 1] == "\n":
        body += 1
    block = Block(
        Span(start, rest),
        Span(raw_end, close),
        Span(close + 1, close + 4),
        body,
        True,
        bom=start > 0,
    )
    return block, language


def js_parse(
    text: str, doc: str, base: int = 0, remap: Callable[[int], int] | None = None
) -> tuple[ParseResult, str, Span | None]:
    """Parse ``text`` (at ``base`` in ``doc``, or mapped into it by ``remap``) as js-yaml 3
    ``safeLoad`` does: (result, why it failed or "", where)."""
    bad = _YAML_BAD.search(text)

    def pos(i: int) -> int:
        return remap(i) if remap is not None else base + i

    if bad is not None:
        at = pos(bad.start())
        why = f"the character U+{ord(bad.group()):04X} is not allowed"
        return ParseResult(None, YamlError(why, at)), why, Span(at, at + 1)
    # js-yaml ends the last line of a block scalar with a line break (`|` at the very end
    # keeps one: s0010); gray-matter's block stops before it
    swapped = _SEP_RE.sub(lambda m: _SEPS[m.group()], text) + "\n"
    untabbed = _untab(swapped)
    if untabbed is not None:
        swapped, idx = untabbed
        result = parse(swapped, 0, lambda i: pos(idx[min(i, len(idx) - 1)]))
    else:
        result = parse(swapped, base, remap)
    if result.limit is not None:
        return result, "", None
    if result.error is not None:
        split = _same_line_entries(swapped) if untabbed is None else None
        again = parse(split, base, remap) if split is not None else None
        if again is None or again.error is not None or again.limit is not None:
            return result, result.error.message, Span(result.error.offset, result.error.offset)
        result = again
    if result.duplicates:
        _, dup = result.duplicates[0]
        return result, f"`{dup.key_text}` is repeated (duplicated mapping key)", dup.key.span
    tag = _unknown_tag(swapped) if "!" in swapped else None
    if tag is not None:
        at = pos(tag[1])
        return result, f"unknown tag `{tag[0]}`", Span(at, at + len(tag[0]))
    _retype(doc, result.root)
    return result, "", None


# js-yaml 3 reads on after a top-level value that ends before its line does: `key: "q" more: v`
# is `key: "q"` and `more: v` (a0013, a0236); `key: ? text` is `key: null` and an explicit key
# `text` (a0030)
_QUOTED_THEN_KEY = re.compile(
    r"""(?m)^[^\s#"'?:-][^:\n]*:[ \t]+(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ \t]*([ \t])"""
    r"""(?=[^\s#][^\n]*:(?:[ \t]|$))"""
)
_KEY_THEN_QUESTION = re.compile(r"(?m)^[^\s#\"'?:-][^:\n]*:[ \t]*([ \t])\?[ \t]")


def _same_line_entries(text: str) -> str | None:
    """The text with a line break (same length) where js-yaml starts a new entry on the line."""
    cuts = [m.start(1) for m in _QUOTED_THEN_KEY.finditer(text)]
    cuts += [m.start(1) for m in _KEY_THEN_QUESTION.finditer(text)]
    if not cuts:
        return None
    chars = list(text)
    for c in cuts:
        chars[c] = "\n"
    return "".join(chars)


_TAB_LEAD = re.compile(r"(?m)^( *)\t[ \t]*")


def _untab(text: str) -> tuple[str, list[int]] | None:
    """js-yaml counts only spaces as indentation and then skips tabs: `\tkey: v` is a key at
    column 0 (a0272, a0273). The text without those tabs, and each character's old offset."""
    if _TAB_LEAD.search(text) is None:
        return None
    out: list[str] = []
    idx: list[int] = []
    last = 0
    for m in _TAB_LEAD.finditer(text):
        cut = m.end(1)
        out.append(text[last:cut])
        idx += range(last, cut)
        last = m.end()
    out.append(text[last:])
    idx += range(last, len(text) + 1)
    return "".join(out), idx


def _unknown_tag(text: str) -> tuple[str, int] | None:
    import yaml

    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(tok, yaml.TagToken):
                handle, suffix = tok.value
                if handle is None and suffix == "!":
                    continue
                full = f"tag:yaml.org,2002:{suffix}" if handle == "!!" else None
                if full not in _JS_TAGS:
                    return f"{handle or ''}{suffix}", tok.start_mark.index
    except yaml.YAMLError:
        return None
    return None


def fallback(text: str) -> tuple[str, list[int]] | None:
    """OpenCode's rewrite of the whole file, and for each character of it the offset it comes
    from; None when the text does not change."""
    m = _FALLBACK_BLOCK.match(text)
    if m is None:
        return None
    fm = m.group(1)
    out: list[str] = []
    where: list[int] = []
    pos = m.start(1)
    lines = re.split(r"\r?\n", fm)
    starts = []
    p = pos
    for line in lines:
        starts.append(p)
        p += len(line)
        p += 2 if text.startswith("\r\n", p) else 1
    for k, (line, at) in enumerate(zip(lines, starts, strict=True)):
        if k:
            out.append("\n")
            where.append(at - 1)
        km = _FALLBACK_KEY.fullmatch(line)
        value = km.group(2).strip() if km else ""
        if (
            km is None
            or not line.strip()
            or line.strip().startswith("#")
            or line[:1].isspace()
            or value in ("", ">", "|")
            or value[0] in "\"'"
            or ":" not in value
        ):
            out.append(line)
            where += range(at, at + len(line))
            continue
        key = km.group(1)
        vstart = at + km.start(2) + (len(km.group(2)) - len(km.group(2).lstrip()))
        head = f"{key}: |-\n  "
        out.append(head + value)
        # the key and the value keep their places: `: ` is the colon, `|-` + indent the value
        where += range(at, at + len(key))
        where += [at + len(key)] * 2 + [vstart] * (len(head) - len(key) - 2)
        where += range(vstart, vstart + len(value))
    new_fm = "".join(out)
    if new_fm == fm:
        return None
    new = text[: m.start(1)] + new_fm + text[m.end(1) :]
    mapping = list(range(m.start(1))) + where + list(range(m.end(1), len(text) + 1))
    return new, mapping


def _effect(ctx: Any, how: str) -> tuple[str, Severity]:
    """What OpenCode does with the file when its front matter is ignored or it is dropped."""
    kind = {"opencode-command": "command", "opencode-skill": "skill"}.get(ctx.spec.id, "agent")
    if how == "drops" or kind == "skill":
        what = "skill (it has no `name` then)" if how != "drops" and kind == "skill" else kind
        return f"OpenCode drops this {what} silently", Severity.ERROR
    prompt = "template" if kind == "command" else "prompt"
    extra = (
        ""
        if kind == "command"
        else " (no description: the model is told only that the user calls it)"
    )
    return (
        f"OpenCode then ignores the whole front matter: the {kind} loads with no keys{extra} "
        f"and the whole file, front matter included, as its {prompt}",
        Severity.WARNING,
    )


MODE_DROP_EFFECT = "OpenCode drops this mode file silently"


def is_mode_file(path: str | None) -> bool:
    """A legacy mode file, `.opencode/mode(s)/x.md`: always a primary agent (a0314, a0325)."""
    if not path:
        return False
    parts = path.replace("\\", "/").split("/")
    return len(parts) >= 3 and parts[-2] in ("mode", "modes")


def read(ctx: Any) -> None:
    """Read the block as OpenCode does; sets ``ctx.block``, ``ctx.parse``, ``ctx.root`` and
    ``ctx.ignored``, and reports what OpenCode makes of a block it cannot read."""
    text = ctx.text
    if is_mode_file(ctx.path) and ctx.spec.id == "opencode-agent":
        # an invalid mode file is dropped, never breaking the project (a0324)
        ctx.spec = ctx.spec._replace(drop_effect=MODE_DROP_EFFECT)
    block, language = find_block(text)
    ctx.block = block
    if block is None:
        start = 1 if text.startswith(BOM) else 0
        opening = _misplaced_opening(text[start:])
        four = text.startswith("----", start)
        if opening is None and not four:
            return
        effect, sev = _effect(ctx, "ignores")
        span = Span(start, start + 4) if four else Span(start, start + opening)  # type: ignore[operator]
        why = (
            "`----` is not an opening `---` for OpenCode"
            if four
            else "OpenCode reads front matter only when `---` is the very first line"
        )
        ctx.ignored = True
        ctx.add(
            "AGL001",
            span,
            f"{why}: it sees none here. {effect[0].upper()}{effect[1:]}.",
            sev,
            own_effect=True,
        )
        return
    content = block.content
    yaml_text = text[content.start : content.end]
    if len(yaml_text) > 1024 * 1024:
        ctx.front_matter_text()  # reports the limit
        return
    if language not in ("", "yaml"):
        why = f"the opening line names the language `{language}`, which OpenCode cannot parse"
        result = ParseResult(None, YamlError(why, block.open_span.end))
        where: Span | None = Span(block.open_span.end, content.start)
    else:
        stripped = re.sub(r"(?m)^\s*#[^\n]+", "", yaml_text).strip()
        if not stripped:
            ctx.parse = ClaudeParse("strict", ParseResult(None, None), YMap(content, False))
            ctx.root = YMap(content, False)
            return
        result, why, where = js_parse(yaml_text, text, content.start)
        if result.limit is not None:
            ctx.add(
                "AGL020",
                Span(result.limit.offset, result.limit.offset + 1),
                f"The front matter has {result.limit.message}: agentls does not check it.",
            )
            ctx.unchecked = True
            return
        if not why:
            root = result.root
            if isinstance(root, YMap):
                root = merge_keys(root)  # js-yaml applies `<<` (a0239, a0295)
                ctx.parse = ClaudeParse("strict", result, root)
                ctx.root = root
            elif root is not None and not (isinstance(root, YScalar) and root.is_null):
                ctx.parse = ClaudeParse("strict", result, None, not_mapping=True)
                skill = ctx.spec.id == "opencode-skill"
                ctx.add(
                    "AGL016",
                    block.open_span,
                    "The front matter is not a mapping of `key: value` lines: OpenCode spreads "
                    "it into numbered keys (`0`, `1`, …) and reads no known key from it"
                    + (
                        ": OpenCode drops this skill silently (it has no `name`)." if skill else "."
                    ),
                    Severity.ERROR if skill else Severity.WARNING,
                    own_effect=True,
                )
            return
    # the parse failed: OpenCode's fallback
    failed = ClaudeParse("failed", result, None)
    ctx.parse = failed
    rewritten = fallback(text[1:] if text.startswith(BOM) else text)
    if rewritten is not None:
        new, mapping = rewritten
        shift = 1 if text.startswith(BOM) else 0
        nb, nlang = find_block(new)
        if nb is not None and nlang in ("", "yaml"):
            seg = new[nb.content.start : nb.content.end]
            off = nb.content.start
            r2, why2, _ = js_parse(seg, text, remap=lambda i: mapping[off + i] + shift)
            if not why2 and r2.limit is None and isinstance(r2.root, YMap):
                root2 = merge_keys(r2.root)
                ctx.parse = failed._replace(mode="retry", root=root2)
                ctx.root = root2
                _report_retry(ctx, yaml_text, content.start)
                return
    how = "drops" if rewritten is not None else "ignores"
    effect, sev = _effect(ctx, how)
    ctx.ignored = how == "ignores"
    crlf = " (in a CRLF file the fallback always rewrites the text)" if "\r\n" in yaml_text else ""
    fix = "Quote the value or use a `|` block scalar."
    if how == "drops":
        lead = f"Invalid YAML for OpenCode ({why}), which its fallback cannot repair{crlf}"
    else:
        lead = f"Invalid YAML for OpenCode ({why})"
    code = "AGL013" if "duplicated mapping key" in why else "AGL019"
    assert where is not None
    span = where if where.end > where.start else _line_span(text, where.start)
    tail = fix if code == "AGL019" else "Keep one."
    ctx.add(code, span, f"{lead}: {effect}. {tail}", sev, own_effect=True)


def _line_span(text: str, at: int) -> Span:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    while end > start and text[end - 1] in "\r ":
        end -= 1
    return Span(start, max(end, start + 1)) if end > start else Span(at, at)


def _report_retry(ctx: Any, yaml_text: str, base: int) -> None:
    """The fallback repaired the block: say which values only it makes readable."""
    exp = explain(ctx.parse, yaml_text, base, ctx.version, ctx.spec.fields, retry=False)
    for p in exp.problems:
        ctx.add(
            "AGL100",
            p.span,
            f"Not valid YAML ({p.detail}). OpenCode loads `{p.key}` only through its fallback "
            "that turns colon values into block scalars; other tools reject the file. Quote the "
            "value or use a `|` block scalar.",
            key=p.key,
        )
