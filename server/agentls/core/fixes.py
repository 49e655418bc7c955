"""Fixes for findings: a registry keyed by code (design.md §2), read by code actions and the CLI.

A fix is a list of text edits on code-point spans, and at most one file or folder rename.
``safe`` fixes keep what the tool reads (or only repair text that was clearly garbled) and are
applied by ``agentls check --fix`` and the editor's "fix all"; the others are offered one by
one. A fix with a rename is never safe and never applied here: only an editor that supports
resource operations can carry it out (``select`` and ``apply`` skip it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.findings import Finding
from agentls.core.frontmatter import BOM, delimiter_is_alone
from agentls.core.text import Span
from agentls.core.yamltree import BOOL, YEntry, YScalar


class Edit(NamedTuple):
    span: Span
    text: str


class Fix(NamedTuple):
    title: str
    edits: tuple[Edit, ...]  # on the document as it is now (before any rename)
    safe: bool
    finding: Finding
    rename: tuple[str, str] | None = None  # (old path, new path) of this file or a folder


Fixer = Callable[[Analysis, Finding], list[Fix]]
FIXERS: dict[str, Fixer] = {}


def fixer(*codes: str) -> Callable[[Fixer], Fixer]:
    def register(fn: Fixer) -> Fixer:
        for code in codes:
            FIXERS[code] = fn
        return fn

    return register


def quote(value: str) -> str:
    """Double-quote a value exactly as Claude Code's retry does, so it reads the same text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@fixer("AGL100", "AGL011", "AGL012")
def _quote_value(a: Analysis, f: Finding) -> list[Fix]:
    value = a.text[f.span.start : f.span.end]
    if not value or "\n" in value or value.startswith(("'", '"', "|", ">")):
        return []
    fixes = [
        Fix(
            f"Quote the value of `{f.data.get('key', 'this key')}`",
            (Edit(f.span, quote(value)),),
            True,
            f,
        )
    ]
    if f.code == "AGL011":
        fixes.append(_to_lf(a, f))
    return fixes


def _to_lf(a: Analysis, f: Finding) -> Fix:
    edits = []
    pos = a.text.find("\r\n")
    while pos >= 0:
        edits.append(Edit(Span(pos, pos + 2), "\n"))
        pos = a.text.find("\r\n", pos + 2)
    return Fix("Convert the file to LF line endings", tuple(edits), False, f)


@fixer("AGL105")
def _mojibake(a: Analysis, f: Finding) -> list[Fix]:
    good = f.data.get("replacement")
    if not good:
        return []
    return [Fix(f"Replace with `{good}`", (Edit(f.span, str(good)),), True, f)]


@fixer("AGL705", "AGL706")
def _quoted(a: Analysis, f: Finding) -> list[Fix]:
    repl = f.data.get("replacement")
    if not repl:
        return []
    return [
        Fix(f"Quote `{a.text[f.span.start : f.span.end]}`", (Edit(f.span, str(repl)),), True, f)
    ]


@fixer("AGL200", "AGL301", "AGL303", "AGL306", "AGL401", "AGL501", "AGL605")
def _suggestion(a: Analysis, f: Finding) -> list[Fix]:
    repl = f.data.get("suggestion")
    if not repl:
        return []
    old = a.text[f.span.start : f.span.end]
    if old == repl:
        return []
    # a change of case only keeps the intent
    safe = f.code == "AGL401" and old.lower() == str(repl).lower()
    what = "key" if f.code == "AGL200" else "value"
    return [Fix(f"Change the {what} to `{repl}`", (Edit(f.span, str(repl)),), safe, f)]


def _entry_lines(a: Analysis, offset: int) -> Span:
    """The lines of the top-level key at ``offset``, with its indented continuation lines."""
    lines = a.lines
    line, _ = lines.position(offset)
    start = lines.line_start(line)
    end_line = line + 1
    while end_line < lines.line_count and lines.line_text(end_line)[:1] in (" ", "\t"):
        end_line += 1
    end = lines.line_start(end_line) if end_line < lines.line_count else len(a.text)
    return Span(start, end)


@fixer("AGL013")
def _drop_duplicate(a: Analysis, f: Finding) -> list[Fix]:
    """Remove the repeated key's line (and its indented continuation lines)."""
    return [Fix("Remove this repeated key", (Edit(_entry_lines(a, f.span.start), ""),), False, f)]


# ---------------------------------------------------------------------------------------------
# deprecated keys (formats.md §7.3, §7.5, §9)


def _entry_at(a: Analysis, key_span: Span) -> YEntry | None:
    for e in a.root.entries if a.root is not None else ():
        if e.key.span == key_span or e.value.span.start == key_span.start != e.key.span.start:
            return e  # at its key, or at its value (VS Code reports `infer` on the value)
    return None


def _field_type(a: Analysis, key: str) -> str | None:
    from agentls.core.catalog import dialect

    if a.dialect is None:
        return None
    try:
        field = dialect(a.dialect.dialect).fields.get(key)
    except (OSError, KeyError, ValueError):
        return None
    return field.type if field is not None else None


@fixer("AGL207")
def _deprecated_key(a: Analysis, f: Finding) -> list[Fix]:
    """A deprecated key becomes its documented successor, where the value carries over."""
    repl = f.data.get("suggestion")
    e = _entry_at(a, f.span)
    if not repl or e is None or a.root is None:
        return []
    old, repl = e.key_text, str(repl)
    taken = a.root.get(repl) is not None
    if old == "infer":
        # §7.3: `infer: false` = `disable-model-invocation: true`, and the latter wins when both
        # are set. Other values (`all`, `user`, ...; one validator revision) have no equivalent.
        if taken:
            return [
                Fix(
                    f"Remove `infer` (`{repl}` is set and wins)",
                    (Edit(_entry_lines(a, e.key.span.start), ""),),
                    True,
                    f,
                )
            ]
        v = e.value
        if not (
            isinstance(v, YScalar)
            and v.tag == BOOL
            and v.style is None
            and a.text[v.span.start : v.span.end] == v.raw
        ):
            return []
        new = "false" if v.value else "true"
        return [
            Fix(
                f"Replace `infer: {v.raw}` with `{repl}: {new}`",
                (Edit(e.key.span, repl), Edit(v.span, new)),
                True,
                f,
            )
        ]
    if taken:
        # which of the two the tool reads is not documented: the user decides
        return [
            Fix(
                f"Remove the deprecated `{old}` (`{repl}` is set)",
                (Edit(_entry_lines(a, e.key.span.start), ""),),
                False,
                f,
            )
        ]
    old_type = _field_type(a, old)
    if old_type is None or old_type != _field_type(a, repl):
        return []  # the value has another shape (OpenCode `tools` -> `permission`, §9)
    return [Fix(f"Change the key to `{repl}`", (Edit(f.span, repl),), True, f)]


# ---------------------------------------------------------------------------------------------
# missing required keys: placeholders (formats.md §3.2, §4.3, §7.3, §10.1)

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NOT_STRINGS = frozenset(
    w
    for word in ("true", "false", "null", "yes", "no", "on", "off", "y", "n")
    for w in (word, word.title(), word.upper())
)
_NOUNS = {
    "agentskills": "skill",
    "codex-skill": "skill",
    "gemini-skill": "skill",
    "claude-skill": "skill",
    "claude-command": "command",
}


def _scalar(value: str) -> str:
    """``value`` as a YAML string that every tool reads as the same text."""
    if _PLAIN.fullmatch(value) and value not in _NOT_STRINGS:
        return value
    return quote(value)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _placeholder(a: Analysis, key: str) -> str | None:
    """A value for a missing required key, or None when nothing sensible fits."""
    from agentls.core.catalog import dialect
    from agentls.core.workspace import default_name

    if a.dialect is None:
        return None
    did = a.dialect.dialect
    if key == "description":
        noun = _NOUNS.get(did, "agent")
        return f"TODO describe what this {noun} does and when to use it"
    if key == "name":
        if not a.path:
            return None
        name = default_name(a.path, did)
        if did == "agentskills":
            return _scalar(name) if name else None  # must equal the folder (§4.3)
        pattern = None
        if did != "claude-agent":
            try:
                field = dialect(did).fields.get("name")
            except (OSError, KeyError, ValueError):
                field = None
            pattern = field.limit("pattern") if field is not None else None
        if did == "claude-agent" or (pattern and not re.search(str(pattern), name)):
            name = _slug(name)  # Claude agents: lowercase letters, digits and hyphens (§3.2)
            if pattern and not re.search(str(pattern), name):
                return None
        return _scalar(name) if name else None
    try:
        field = dialect(did).fields.get(key)
    except (OSError, KeyError, ValueError):
        return None
    # a closed set of values with a documented default: that default
    if field is not None and field.values and field.default in field.values:
        return _scalar(str(field.default))
    return None


def _eol(text: str, at: int) -> str:
    """The line ending of the line that ends at or after ``at`` (LF when there is none)."""
    nl = text.find("\n", at)
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def _missing_keys(f: Finding) -> tuple[str, ...]:
    if f.code == "AGL201":
        return ("name",)
    if f.code == "AGL202":
        return ("description",)
    key = f.data.get("key")
    return (str(key),) if key else ()


@fixer("AGL201", "AGL202", "AGL206")
def _add_required(a: Analysis, f: Finding) -> list[Fix]:
    """Insert ``key: placeholder`` as the last line of the front matter (or a whole block)."""
    block = a.block
    text = a.text
    if block is None:
        return _add_front_matter(a, f)
    keys = _missing_keys(f)
    if (
        len(keys) != 1
        or f.span != block.open_span  # AGL206 on an empty value: the key is there
        or block.close_span is None
        or not delimiter_is_alone(text, block.close_span)[0]
        or (a.root is not None and (a.root.flow or a.root.get(keys[0]) is not None))
    ):
        return []
    (key,) = keys
    value = _placeholder(a, key)
    if value is None:
        return []
    line = f"{key}: {value}{_eol(text, block.open_span.end)}"
    at = block.close_span.start
    return [Fix(f"Add `{key}: {value}`", (Edit(Span(at, at), line),), False, f)]


def _add_front_matter(a: Analysis, f: Finding) -> list[Fix]:
    """No front matter where the tool needs it: a block with every required key."""
    from agentls.core.catalog import dialect

    if a.dialect is None or f.span != Span(0, 0) or a.text.startswith(BOM):
        return []
    did = a.dialect.dialect
    if did == "claude-agent":
        if f.code != "AGL201":
            return []
        keys: tuple[str, ...] = ("name", "description")
    else:
        try:
            spec = dialect(did)
        except (OSError, KeyError, ValueError):
            return []
        if f.code != "AGL206" or spec.front_matter != "required" or not spec.required:
            return []
        keys = spec.required
    values = [(k, _placeholder(a, k)) for k in keys]
    if any(v is None for _, v in values):
        return []
    eol = _eol(a.text, 0)
    block = f"---{eol}" + "".join(f"{k}: {v}{eol}" for k, v in values) + f"---{eol}"
    names = " and ".join(f"`{k}`" for k in keys)
    return [Fix(f"Add front matter with {names}", (Edit(Span(0, 0), block),), False, f)]


# ---------------------------------------------------------------------------------------------
# renames (formats.md §4.3, §7.1, §7.4)


def _skill_name_ok(name: str) -> bool:
    from agentls.core.catalog import dialect

    try:
        field = dialect("agentskills").fields["name"]
    except (OSError, KeyError, ValueError):
        return False
    from agentls.core.dialects.dialect_rules import skill_name_problems

    return 0 < len(name) <= int(field.limit("max_length") or 64) and not skill_name_problems(name)


@fixer("AGL700")
def _skill_name_folder(a: Analysis, f: Finding) -> list[Fix]:
    """`name` and folder differ: change the name, or rename the folder (valid names only).

    The folder is renamed only in the usual layout, `.../skills/<folder>/SKILL.md`: a `SKILL.md`
    elsewhere may sit in a repository's root folder.
    """
    e = a.root.get("name") if a.root is not None else None
    folder = f.data.get("suggestion")
    if e is None or not isinstance(e.value, YScalar) or not a.path or not folder:
        return []
    name, folder = e.value.value, str(folder)
    fixes = []
    if _skill_name_ok(folder):
        fixes.append(
            Fix(f"Change `name` to `{folder}`", (Edit(f.span, _scalar(folder)),), False, f)
        )
    old = os.path.dirname(a.path)
    in_skills = os.path.basename(os.path.dirname(old)) == "skills"
    if in_skills and isinstance(name, str) and _skill_name_ok(name):
        new = os.path.join(os.path.dirname(old), name)
        fixes.append(Fix(f"Rename the folder to `{name}`", (), False, f, (old, new)))
    return fixes


CHATMODE = ".chatmode.md"


@fixer("AGL703")
def _chat_mode_to_agent(a: Analysis, f: Finding) -> list[Fix]:
    """`x.chatmode.md` -> `x.agent.md`, from `.github/chatmodes/` to `.github/agents/` (§7.1).

    A chat mode's keys (`description`, `tools`, `model`, §7.4) mean the same in an agent, so
    the text stays as it is.
    """
    if not a.path:
        return []
    folder, name = os.path.split(a.path)
    if not name.endswith(CHATMODE) or len(name) == len(CHATMODE):
        return []
    new_name = name[: -len(CHATMODE)] + ".agent.md"
    parent, here = os.path.split(folder)
    where = ""
    if here == "chatmodes" and os.path.basename(parent) == ".github":
        folder = os.path.join(parent, "agents")
        where = " in `.github/agents/`"
    new = os.path.join(folder, new_name)
    return [Fix(f"Rename to `{new_name}`{where}", (), False, f, (a.path, new))]


@fixer("AGL900")
def _remove_suppression(a: Analysis, f: Finding) -> list[Fix]:
    if not f.data.get("remove"):
        return []
    lines = a.lines
    line, _ = lines.position(f.span.start)
    start, end = lines.line_start(line), lines.line_end(line)
    span = f.span
    if not a.text[start : span.start].strip() and not a.text[span.end : end].strip():
        nxt = lines.line_start(line + 1) if line + 1 < lines.line_count else len(a.text)
        span = Span(start, nxt)
    return [Fix("Remove the unused suppression", (Edit(span, ""),), True, f)]


def suppression_fixes(a: Analysis, f: Finding) -> list[Fix]:
    """Quick fixes that insert a suppression of ``f``: on its line when a directive can go on
    the line before, and for the whole file. Never safe (never applied by ``--fix``); the
    inserted comment has no reason yet (AGL901 asks for one)."""
    from agentls.core.suppress import NO_REASON, UNUSED, directive_text, in_code, in_value

    if f.code in (UNUSED, NO_REASON):
        return []
    text, lines, block = a.text, a.lines, a.block
    line, _ = lines.position(f.span.start)
    at = lines.line_start(line)
    out: list[Fix] = []
    indent = lines.line_text(line)[
        : len(lines.line_text(line)) - len(lines.line_text(line).lstrip())
    ]
    eol = _eol(text, at)
    if block is not None and block.content.start <= f.span.start < block.body_start:
        # a line of the front matter, or its closing `---`; not a line inside a value (a comment
        # there would end a plain value or become part of a block one)
        if at >= block.content.start and not in_value(a, at):
            comment = indent + directive_text("yaml", [f.code], False)
            out.append(
                Fix(
                    f"Suppress {f.code} on this line",
                    (Edit(Span(at, at), comment + eol),),
                    False,
                    f,
                )
            )
    elif (block is None or f.span.start >= block.body_start) and not in_code(a, line):
        comment = indent + directive_text("html", [f.code], False)
        out.append(
            Fix(f"Suppress {f.code} on this line", (Edit(Span(at, at), comment + eol),), False, f)
        )
    if block is not None:
        open_line, _ = lines.position(block.open_span.start)
        if open_line + 1 < lines.line_count:
            where = lines.line_start(open_line + 1)
            comment = directive_text("yaml", [f.code], True) + _eol(text, block.open_span.start)
            out.append(
                Fix(
                    f"Suppress {f.code} in this file",
                    (Edit(Span(where, where), comment),),
                    False,
                    f,
                )
            )
    else:
        where = 1 if text.startswith(BOM) else 0
        comment = directive_text("html", [f.code], True) + _eol(text, 0)
        out.append(
            Fix(f"Suppress {f.code} in this file", (Edit(Span(where, where), comment),), False, f)
        )
    return out


def fixes_for(a: Analysis, findings: Iterable[Finding] | None = None) -> list[Fix]:
    """Every fix of the findings, once: two runtimes that miss the same key (Claude Code's
    AGL202 and Copilot CLI's AGL206 on `description`) offer one fix, not two."""
    out: list[Fix] = []
    seen: set[tuple[str, tuple[Edit, ...], tuple[str, str] | None]] = set()
    for f in a.findings if findings is None else findings:
        fn = FIXERS.get(f.code)
        if fn is None:
            continue
        for fix in fn(a, f):
            key = (fix.title, fix.edits, fix.rename)
            if key not in seen:
                seen.add(key)
                out.append(fix)
    return out


def select(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes whose edits do not overlap those of an earlier fix (first come, first kept).

    Fixes that rename a file or folder are never selected: they need the editor.
    """
    taken: list[Span] = []
    out: list[Fix] = []
    for fix in fixes:
        if fix.rename is not None:
            continue
        if any(
            (e.span.start < t.end and t.start < e.span.end) or e.span == t
            for e in fix.edits
            for t in taken
        ):
            continue
        taken.extend(e.span for e in fix.edits)
        out.append(fix)
    return out


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping text-only fixes; returns (new text, number of fixes applied).

    Renames are not performed (nor the edits of a fix that has one).
    """
    chosen = select(fixes)
    edits = sorted(
        (e for fix in chosen for e in fix.edits), key=lambda e: e.span.start, reverse=True
    )
    for e in edits:
        text = text[: e.span.start] + e.text + text[e.span.end :]
    return text, len(chosen)
