"""What every Claude Code file kind shares: finding and parsing the block (formats.md §0.2).

Reports on the block (misplaced, unterminated, cut short, BOM) and on the YAML as the runtime
reads it, then leaves ``ctx.root`` set to the tree the dialect's rules should check.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from agentls.core.context import MAX_FRONT_MATTER, Context
from agentls.core.dialects import name_of, parent_name_of, path_parts, stem_of
from agentls.core.findings import Severity
from agentls.core.frontmatter import Block, claude_block, delimiter_is_alone
from agentls.core.runtime import (
    DUPLICATE_KEYS_SINCE,
    NUL_FAILS_SINCE,
    TAB_INDENT_SINCE,
    parse_claude,
)
from agentls.core.text import Span
from agentls.core.textcheck import clean_for_yaml
from agentls.core.versions import Version
from agentls.core.yamlcheck import Problem, explain
from agentls.core.yamltree import YMap, YScalar, YSeq, parse

BOM_SINCE = Version(2, 1, 239)


def read_front_matter(ctx: Context, known_keys: Collection[str], subject: str = "agent") -> None:
    """Find and parse the block as Claude Code does; report; set ``ctx.root`` for the rules.

    ``subject`` names the file kind in messages ("agent", "skill", "command"...).
    """
    text = ctx.text
    file_verdict(ctx, subject)
    block = claude_block(text, bom_ok=ctx.version >= BOM_SINCE)
    ctx.block = block
    if block is None:
        return
    what = (
        "skips this agent" if subject == "agent" else f"loads this {subject} without its metadata"
    )
    skipped = f"Claude Code {what}"
    if block.leading is not None:
        blank = not text[block.leading.start : block.leading.end].strip("\ufeff \t\r\n")
        if not blank and not _looks_like_front_matter(text, block, known_keys):
            ctx.block = None  # a Markdown rule (`---`) in an ordinary document
            return
        what_before = "blank line(s)" if blank else "text"
        ctx.add(
            "AGL001",
            block.open_span,
            f"Front matter must start at the very first character: the {what_before} before "
            f"`---` mean Claude Code sees no front matter, so {what}. Delete "
            f"{'them' if blank else 'it, or move it below the closing `---`'}.",
        )
    if block.bom:
        old = ctx.version < BOM_SINCE
        ctx.add(
            "AGL005",
            Span(0, 1) if text.startswith("\ufeff") else block.open_span,
            "The file starts with a UTF-8 byte order mark: Claude Code before 2.1.239 sees no "
            "front matter"
            + (
                f", so with the target version {ctx.version} {what}"
                if old
                else " and skips the file; newer versions ignore the mark"
            )
            + ". Save the file as UTF-8 without BOM.",
            Severity.ERROR if old else None,
        )
    if block.close_span is None:
        ctx.add(
            "AGL002",
            block.open_span,
            "This `---` is never closed: Claude Code finds no front matter, so "
            f"{what}. Add a line `---` after the last key.",
        )
    else:
        starts, alone = delimiter_is_alone(text, block.close_span)
        if not starts:
            lost = _keys_after(text, block.close_span.end)
            lost_s = (
                ", ".join(f"`{k}`" for k in lost[:6]) + (" …" if len(lost) > 6 else "")
                if lost
                else ""
            )
            ctx.add(
                "AGL003",
                block.close_span,
                "Claude Code ends the front matter at the first `---`, even inside a value: "
                "everything after it becomes the prompt"
                + (f", and {lost_s} {'is' if len(lost) == 1 else 'are'} lost" if lost else "")
                + ". Rephrase the value without `---` (or quote it and use `—`).",
                lost_keys=lost,
            )
        elif not alone:
            ctx.add(
                "AGL004",
                block.close_span,
                "Text after the closing `---` on the same line becomes the first line of the "
                "prompt. Put `---` alone on its line.",
            )
    content = block.content
    yaml_text = ctx.front_matter_text()
    if yaml_text is None:
        return
    raw = text[content.start : content.end]
    parsed = parse_claude(yaml_text, content.start, ctx.version, raw, ctx.memo)
    ctx.parse = parsed
    for err in parsed.errors:
        if err.kind == "limit":
            ctx.unchecked = True
            ctx.add(
                "AGL020",
                Span(err.offset, err.offset + 1),
                f"The front matter has {err.message}: agentls does not check it. Claude "
                "Code's own parser fails on alias bombs and on nesting past about 4,000 levels, "
                "and then skips the file.",
            )
            return
    explained = explain(parsed, yaml_text, content.start, ctx.version, known_keys, raw=raw)
    ctx.explained = explained
    ctx.root = explained.root
    for p in explained.problems:
        _report(ctx, p, subject, parsed.loaded)
    if parsed.not_mapping:
        ctx.add(
            "AGL016",
            block.open_span,
            "The front matter is not a mapping of `key: value` lines, so Claude Code reads "
            f"no metadata and {what}.",
        )
    dups = parsed.strict.duplicates or (ctx.root.duplicates if ctx.root else [])
    for first, dup in dups:
        line = text.count("\n", 0, first.key.span.start) + 1
        said = f"`{dup.key_text}` is repeated (first on line {line}): Claude Code"
        severity: Severity | None = Severity.WARNING  # the file loads, last value wins
        if parsed.loaded and parsed.mode != "lines":
            message = (
                f"{said} {DUPLICATE_KEYS_SINCE} and later keep the last value and drop the "
                "earlier one; older versions and strict YAML parsers reject the file. Keep one."
            )
        elif parsed.mode == "lines":
            message = (
                f"{said} {ctx.version} keeps the last value, but 2.1.0 and later reject the "
                "file. Keep one."
            )
        else:
            message = f"{said}'s YAML parser rejects repeated keys, so {what}. Keep one."
            severity = None  # the code's own: an error
        ctx.add(
            "AGL013",
            dup.key.span,
            message,
            severity,
            first=[first.key.span.start, first.key.span.end],
        )
    fatal = [p for p in explained.problems if p.kind not in ("needs-retry", "retry-alters")]
    if parsed.mode == "failed" and parsed.errors and parsed.errors[0].kind == "nul":
        nul = parsed.errors[0].offset
        ctx.add(
            "AGL010",
            Span(nul, nul + 1),
            f"A NUL character in the front matter: from Claude Code {NUL_FAILS_SINCE} its YAML "
            f'parser fails on it ("Unexpected character"), and the quoting retry cannot repair '
            f"it: {skipped}. Delete it.",
        )
    elif parsed.mode == "failed" and not fatal and not dups and parsed.errors:
        err = parsed.errors[0]
        ctx.add(
            "AGL010",
            _line_at(text, err.offset),
            f"Invalid YAML ({err.message}), even after Claude Code's quoting retry: {skipped}.",
        )
    if parsed.mode == "lines" and not parsed.strict.ok and parsed.strict.error:
        err = parsed.strict.error
        ctx.add(
            "AGL100",
            _line_at(text, err.offset),
            f"Not valid YAML ({err.message}): Claude Code {ctx.version} reads it line by "
            "line, but newer versions and strict parsers reject it.",
        )
    _comments(ctx)
    conditional_skill(ctx)


# Files Claude Code does not read at all (observed in 2.1.332; gates bisected on the published
# builds: agents and commands from 2.1.196, SKILL.md from 2.1.181): over a byte limit, checked
# before parsing
FILE_SIZE_LIMIT_SINCE = Version(2, 1, 196)
MAX_FILE_BYTES = 1_048_576  # agents and commands: `exceeds 1048576 byte limit`
SKILL_SIZE_LIMIT_SINCE = Version(2, 1, 181)
MAX_SKILL_BYTES = 1_000_000  # SKILL.md: `exceeds 1000000 byte limit`
RESERVED_SKILL_FOLDERS = frozenset({"synced"})  # any case: the synced-skills store
SYNCED_SKILLS_SINCE = Version(2, 1, 227)  # bisected: 2.1.226 loads skills/synced/SKILL.md


def utf8_size(text: str, limit: int) -> int:
    """The file's size in UTF-8 bytes, exact only near ``limit`` (cheap for most files)."""
    if len(text) * 4 <= limit:
        return 0
    return len(text.encode("utf-8", "surrogatepass"))


def file_verdict(ctx: Context, subject: str) -> None:
    """What the runtime decides from the path and the size, before reading the front matter."""
    if ctx.path is None or ctx.match.dialect not in (
        "claude-agent",
        "claude-command",
        "claude-skill",
    ):
        return
    text = ctx.text
    first = text.find("\n")
    anchor = Span(0, len(text) if first < 0 else len(text[:first].rstrip("\r")))
    kind = f"{subject}s"
    parts = path_parts(ctx.path)
    if ctx.match.dialect == "claude-skill":
        limit, since = MAX_SKILL_BYTES, SKILL_SIZE_LIMIT_SINCE
        folder = parent_name_of(parts)
        if (
            not ctx.match.plugin
            and folder.lower() in RESERVED_SKILL_FOLDERS
            and ctx.version >= SYNCED_SKILLS_SINCE
        ):
            ctx.add(
                "AGL021",
                anchor,
                f"Claude Code skips a skill in a folder named `{folder}`: the name is reserved "
                "for synced skills. Rename the folder.",
            )
    else:
        limit, since = MAX_FILE_BYTES, FILE_SIZE_LIMIT_SINCE
        name = name_of(parts)
        stem = stem_of(name)
        suffix = name[len(stem) :]
        if suffix != ".md" and suffix.lower() == ".md":
            ctx.add(
                "AGL021",
                anchor,
                f"Claude Code reads only `*.md` {kind} (lower case): it skips `{name}`. "
                f"Rename it to `{stem}.md`.",
            )
    if ctx.version >= since and (size := utf8_size(text, limit)) > limit:
        ctx.add(
            "AGL021",
            anchor,
            f"The file is {size:,} bytes: Claude Code {since} and later skip {kind} over "
            f"{limit:,} bytes (`exceeds {limit} byte limit` in the debug log). Move long "
            "reference text to other files.",
        )


# bisected on gen/skill/s0121: up to 2.1.83 only a string `paths` makes a skill conditional (a
# list is ignored and the skill listed from the start); from 2.1.84 a list does too
PATHS_LIST_SINCE = Version(2, 1, 84)


def conditional_skill(ctx: Context) -> None:
    """A skill with `paths` is listed only once a file matching them is read (2.1.332)."""
    e = ctx.get("paths")
    if e is None or ctx.match.dialect != "claude-skill":
        return
    v = e.value
    if isinstance(v, YSeq) and ctx.version < PATHS_LIST_SINCE:
        return
    values = [v] if isinstance(v, YScalar) else (v.items if isinstance(v, YSeq) else [])
    globs: list[str] = []
    for item in values:
        if isinstance(item, YScalar) and isinstance(item.value, str):
            globs += [g.strip() for g in _split_globs(item.value)]
    globs = [g[:-3] if g.endswith("/**") else g for g in globs]
    globs = [g for g in globs if g]
    if not globs or all(g == "**" for g in globs):
        return
    ctx.add(
        "AGL709",
        ctx.value_span(v, e.key),
        "Claude Code lists this skill, and lets Claude invoke it, only once a file matching "
        "`paths` has been read in the session; until then it is not available.",
    )


def _split_globs(value: str) -> list[str]:
    """Commas outside braces separate globs (`{a,b}` is one brace expansion)."""
    out, cur, depth = [], "", 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += ch
    out.append(cur)
    return out


def _looks_like_front_matter(text: str, block: Block, known_keys: Collection[str]) -> bool:
    """Whether a block found after some text is meant as front matter (it has known keys)."""
    content = block.content
    if content.end - content.start > MAX_FRONT_MATTER:
        return False
    result = parse(clean_for_yaml(text[content.start : content.end]), content.start)
    root = result.root
    if isinstance(root, YMap):
        return bool(set(root.key_names()) & set(known_keys))
    return bool(re.search(r"(?m)^(name|description)[ \t]*:", text[content.start : content.end]))


def _report(ctx: Context, p: Problem, subject: str, loaded: bool) -> None:
    skipped = (
        "the agent is skipped"
        if subject == "agent"
        else f"the {subject} loads without its metadata"
    )
    key = f"`{p.key}`"
    if p.kind == "needs-retry" and p.cause == "tab":
        ctx.add(
            "AGL014",
            p.span,
            f"YAML does not allow tabs for indentation ({p.detail}): Claude Code "
            f"{TAB_INDENT_SINCE} and later load {key} only through their quoting retry, which "
            "turns the tabs into spaces; older versions and strict YAML parsers (PyYAML, skills "
            "tooling) reject the file. Indent with spaces.",
            Severity.WARNING,
            key=p.key,
        )
    elif p.kind == "needs-retry":
        ctx.add(
            "AGL100",
            p.span,
            f"Not valid YAML ({p.detail}). Claude Code loads {key} only through its quoting "
            "retry; Copilot CLI, PyYAML and skills tooling reject the file. Quote the value "
            "or use a `|` block scalar.",
            key=p.key,
        )
    elif p.kind == "retry-alters":
        ctx.add(
            "AGL018",
            p.span,
            f"Another line makes Claude Code rerun the parse with its quoting retry, which also "
            f"rewrites {key}: its value becomes {p.detail!r}. Fix the line that needs the retry "
            "(see AGL100) so that this one is read as written.",
            key=p.key,
        )
    elif p.kind == "crlf-gap":
        ctx.add(
            "AGL011",
            p.span,
            f"This value needs Claude Code's quoting retry, which cannot repair lines ending "
            f"in CRLF (#80890): {skipped}. Quote the value or save the file with LF line "
            "endings.",
            key=p.key,
        )
    elif p.kind == "colon-old":
        ctx.add(
            "AGL012",
            p.span,
            f"An unquoted `: ` in {key}: Claude Code before 2.1.69 cannot repair it, so with "
            f"the target version {ctx.version} {skipped}. Quote the value.",
            key=p.key,
        )
    elif p.cause == "tab":
        ctx.add(
            "AGL014",
            p.span,
            f"YAML does not allow tabs for indentation ({p.detail}): {skipped}. Indent with "
            "spaces.",
            key=p.key,
        )
    elif p.cause == "inner-quotes":
        ctx.add(
            "AGL015",
            p.span,
            f"The value of {key} starts with a quote, so YAML reads a quoted string and then "
            f"fails on the text after it; Claude Code's retry leaves quoted values alone: "
            f"{skipped}. Quote the whole value with the other quote character, or use `|`.",
            key=p.key,
        )
    elif p.cause == "retry-breaks":
        ctx.add(
            "AGL010",
            p.span,
            f"Another line makes Claude Code rerun the parse with its quoting retry, which "
            f"rewrites {key} into a quoted string, so the lines below it no longer parse "
            f"({p.detail}): {skipped}. Fix the line that needs the retry (see AGL100).",
            key=p.key,
            yaml=p.detail,
        )
    else:
        why = {
            "dash": "a value starting with `- ` is read as a list and the retry does not repair it",
            "continuation": "a line below it is not indented, so YAML cannot tell it belongs "
            "to this value",
        }.get(p.cause, p.detail)
        ctx.add(
            "AGL010",
            p.span,
            f"Invalid YAML in {key} ({why}), even after Claude Code's quoting retry: "
            f"{skipped}. Quote the value or use a `|` block scalar with indented lines.",
            key=p.key,
            yaml=p.detail,
        )


def _line_at(text: str, offset: int) -> Span:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    line = text[start:end].rstrip("\r")
    s = start + len(line) - len(line.lstrip())
    e = start + len(line.rstrip())
    return Span(s, e) if e > s else Span(offset, offset)


def _keys_after(text: str, start: int) -> list[str]:
    """Top-level keys between a premature ``---`` and the real closing line."""
    keys = []
    pos = text.find("\n", start)
    while pos >= 0:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : nxt if nxt >= 0 else len(text)].rstrip("\r")
        if line.strip() == "---":
            break
        head = line.split(":", 1)
        if (
            len(head) == 2
            and head[0]
            and not head[0][0].isspace()
            and head[0].replace("-", "").replace("_", "").isalnum()
        ):
            keys.append(head[0])
        pos = nxt
    return keys


_PROSE_KEYS = frozenset({"description", "name", "initialPrompt"})


def _comments(ctx: Context) -> None:
    """A plain value followed by ` #...` is cut there without any message (§3.6.1)."""
    root = ctx.root
    if root is None or ctx.parse is None or ctx.parse.mode != "strict":
        return
    text = ctx.text
    for e in root.entries:
        v = e.value
        if not isinstance(v, YScalar) or v.style is not None or v.is_null:
            continue
        end = v.span.end
        eol = text.find("\n", end)
        rest = text[end : eol if eol >= 0 else len(text)].rstrip("\r")
        if not rest.startswith(" #"):
            continue
        after = rest[2:3]
        if e.key_text in _PROSE_KEYS or (after and not after.isspace()):
            ctx.add(
                "AGL017",
                Span(end + 1, end + len(rest.rstrip())),
                f"` #` starts a YAML comment: Claude Code reads `{e.key_text}` as "
                f"{v.raw!r} and drops {rest.strip()!r}. Quote the whole value to keep it.",
                key=e.key_text,
                full=v.raw + rest,
            )
