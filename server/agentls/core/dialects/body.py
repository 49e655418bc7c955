"""Body syntax that changes what runs: arguments, shell lines, substitutions, references.

Each rule reads the Markdown body (after the front matter) with regular expressions and reports
at document offsets. Fenced code blocks are found once per text (``_fences``): rules that read
prose skip them, and Claude Code's ```` ```! ```` blocks are read as shell injections.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from agentls.core.suggest import closest
from agentls.core.text import Span
from agentls.core.versions import Version
from agentls.core.yamltree import YScalar

if TYPE_CHECKING:
    from agentls.core.catalog import Entry
    from agentls.core.dialects.generic import DialectContext

# ---------------------------------------------------------------------------------------------
# the body and its fenced code blocks


class Fence(NamedTuple):
    opening: Span  # the opening fence line, without its line break
    content: Span  # the lines between the fences
    end: int  # just after the closing fence line (or the end of the text)
    mark: str  # the fence characters: ``` or ~~~ (three or more)
    info: str  # the info string after the opening fence, stripped


MAX_FENCES = 10_000
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)$", re.M)
# the same, found from the line break before it: a pattern that starts with a literal is
# searched several times faster than one that starts with `^` (tried at every position)
_FENCE_OPEN_NL = re.compile(r"\n {0,3}(?:```|~~~)")


def line_search(
    line: re.Pattern[str], after_nl: re.Pattern[str], text: str, pos: int
) -> re.Match[str] | None:
    """``line.search(text, pos)`` for a ``^``-anchored multi-line pattern ``line``:
    ``after_nl`` finds a line break followed by the start of what ``line`` matches."""
    m = line.match(text, pos)
    while m is None:
        nl = after_nl.search(text, pos)
        if nl is None:
            return None
        pos = nl.start() + 1
        m = line.match(text, pos)
    return m


def _body_start(ctx: DialectContext) -> int:
    return ctx.block.body_start if ctx.block is not None else 0


@functools.lru_cache(maxsize=64)
def _closing(char: str, count: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The closing fence for an opening of ``count`` ``char``: as many or more, alone (and
    its start after a line break, for ``line_search``)."""
    mark = f"{re.escape(char)}{{{count},}}"
    return re.compile(rf"^ {{0,3}}{mark}[ \t\r]*$", re.M), re.compile(rf"\n {{0,3}}{mark}")


@functools.lru_cache(maxsize=4)
def _fences(text: str, start: int) -> tuple[Fence, ...]:
    """Fenced code blocks from ``start`` on (CommonMark: an unclosed fence runs to the end).

    Past ``MAX_FENCES`` blocks the rest of the text counts as one block (a bound on time)."""
    out: list[Fence] = []
    pos = start
    while True:
        m = line_search(_FENCE_OPEN, _FENCE_OPEN_NL, text, pos)
        if m is None:
            break
        mark, info = m.group(1), m.group(2).strip()
        if mark[0] == "`" and "`" in info:  # ```x``` on one line is inline code, not a fence
            pos = m.end() + 1
            continue
        opening = Span(m.start(), m.end() - (1 if m.group(2).endswith("\r") else 0))
        close, close_nl = _closing(mark[0], len(mark))
        body = min(m.end() + 1, len(text))
        c = line_search(close, close_nl, text, body) if len(out) < MAX_FENCES else None
        if c is None:
            out.append(Fence(opening, Span(body, len(text)), len(text), mark, info))
            break
        out.append(Fence(opening, Span(body, c.start()), c.end(), mark, info))
        pos = c.end() + 1
    return tuple(out)


def fences(ctx: DialectContext) -> tuple[Fence, ...]:
    """The body's fenced code blocks, in order."""
    return _fences(ctx.text, _body_start(ctx))


def prose(ctx: DialectContext) -> Iterator[tuple[int, int]]:
    """(start, end) of each part of the body outside fenced code blocks."""
    return prose_spans(ctx.text, _body_start(ctx))


def prose_spans(text: str, start: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each part of ``text`` from ``start`` on outside fenced code blocks."""
    pos = start
    for f in _fences(text, start):
        yield pos, f.opening.start
        pos = f.end
    yield pos, len(text)


def shell_blocks(ctx: DialectContext) -> Iterator[Fence]:
    """Claude Code's multi-line shell injections: fenced blocks opened with ```` ```! ````."""
    for f in fences(ctx):
        if f.mark[0] == "`" and f.info.startswith("!"):
            yield f


def _scan(ctx: DialectContext, pattern: re.Pattern[str], code: bool) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in the body; with ``code`` False, outside fenced code blocks."""
    if code:
        yield from pattern.finditer(ctx.text, _body_start(ctx))
        return
    for a, b in prose(ctx):
        yield from pattern.finditer(ctx.text, a, b)


MAX_REPORTS = 100  # findings per code and document: a flood of one mistake is only noise


class _Budget:
    """How many more findings of each code a rule may add to this document."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def take(self, code: str) -> bool:
        n = self.used.get(code, 0)
        self.used[code] = n + 1
        return n < MAX_REPORTS


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` inside one of ``spans`` (sorted, not overlapping)?"""
    i = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# ---------------------------------------------------------------------------------------------
# claude-command (commands and skills): shell injections (§5, §11.7)

# `!` at a line start or after whitespace, i.e. not after a non-space (the literal first: a
# pattern that starts with a look-behind is tried at every position, many times slower)
_INJECTION = re.compile(r"!(?<!\S!)`([^`\n]+)`")


def _subject(ctx: DialectContext) -> str:
    return "skill" if ctx.spec.id == "claude-skill" else "command"


def _shell_tool(ctx: DialectContext) -> str:
    e = ctx.get("shell")
    if e is not None and isinstance(e.value, YScalar) and e.value.value == "powershell":
        return "PowerShell"
    return "Bash"


def _shell_rules(ctx: DialectContext, tool: str) -> list[str] | None:
    """Specifiers of the ``tool`` rules in ``allowed-tools`` (`*` for the bare tool); None when
    the front matter has no ``allowed-tools``."""
    from agentls.core.toollist import tool_items

    e = ctx.get("allowed-tools")
    if e is None:
        return None
    rules: list[str] = []
    for item in tool_items(ctx.text, e.value):
        m = re.fullmatch(rf"{tool}(?:\((.*)\))?", item.text, re.S)
        if m is not None:
            rules.append("*" if m.group(1) is None else m.group(1).strip())
    return rules


def _glob(pattern: str, command: str) -> bool:
    regex = ".*".join(re.escape(p) for p in pattern.split("*"))
    return re.fullmatch(regex, command, re.S) is not None


def allows(rule: str, command: str) -> bool:
    """Does the Bash/PowerShell specifier ``rule`` allow ``command`` (§11.7)? `*` is a glob
    anywhere; a trailing `:*` equals a trailing ` *`, which also matches the bare prefix."""
    if rule.endswith(":*"):
        rule = rule[:-2] + " *"
    if rule.endswith(" *") and _glob(rule[:-2], command):
        return True
    return _glob(rule, command)


def _rule_for(tool: str, command: str) -> str:
    """A narrow rule that would allow ``command``: its first words, then ` *`."""
    words: list[str] = []
    for w in command.split()[:2]:
        if not re.fullmatch(r"[\w.+@%/=-]+", w) or w.startswith("-"):
            break
        words.append(w)
    return f"{tool}({' '.join(words) or command.split()[0]} *)"


# shell syntax that no read-only command may contain (substitutions, redirections, groups)
_NOT_READ_ONLY = re.compile(r"[$`<>(){}]|(?<!&)&(?!&)")
_LIST_SEPARATOR = re.compile(r"\|\||&&|[|;\n]")


def _refused(argument: str, refused: tuple[str, ...]) -> bool:
    for r in refused:
        if argument == r or argument.startswith(r + "="):
            return True
        # a short flag inside a cluster (`-ni` is `-n -i`) or with its value (`-i.bak`)
        if len(r) == 2 and re.fullmatch(rf"-[A-Za-z]*{re.escape(r[1])}.*", argument):
            return True
    return False


def read_only(command: str) -> bool:
    """Does Claude Code's Bash permission check treat ``command`` as read-only, so that it runs
    from a body without an `allowed-tools` rule (catalogue `read_only_shell`)? Every part of a
    pipe or list must be a listed command; shell syntax that could write or run others is not."""
    from agentls.core.catalog import claude

    ro = claude().read_only_shell
    if _NOT_READ_ONLY.search(command):
        return False
    parts = [p.strip() for p in _LIST_SEPARATOR.split(command)]
    parts = [p for p in parts if p and not p.startswith("#")]
    if not parts:
        return False
    for part in parts:
        words = part.split()
        whole = " ".join(words)
        if whole in ro.exact:
            continue
        prefix = next(
            (" ".join(words[:n]) for n in (3, 2, 1) if " ".join(words[:n]) in ro.commands), None
        )
        if prefix is None:
            return False
        refused = ro.refused_arguments.get(prefix, ())
        if any(_refused(w.strip("'\""), refused) for w in words[1:]):
            return False
    return True


def _denied(rules: list[str] | None, command: str, tool: str = "Bash") -> bool:
    if tool == "Bash" and read_only(command):
        return False
    return not any(allows(r, command) for r in rules or ())


def _report_shell(
    ctx: DialectContext, span: Span, command: str, tool: str, rules: list[str] | None
) -> None:
    rule = _rule_for(tool, command)
    missing = (
        "there is no `allowed-tools`" if rules is None else "`allowed-tools` does not allow it"
    )
    ctx.add(
        "AGL600",
        span,
        f"Claude Code runs `{command}` with {tool} before sending the {_subject(ctx)}, but "
        f"{missing}. Injected shell commands never prompt: unless your settings allow it, the "
        f"permission check fails and the whole invocation aborts. Add `{rule}` (or a rule "
        "that matches this command) to `allowed-tools`.",
        rule=rule,
    )


def rule_shell_allowed(ctx: DialectContext) -> None:
    """`` !`cmd` `` and ```` ```! ```` blocks need `allowed-tools` to allow the command."""
    tool = _shell_tool(ctx)
    rules = _shell_rules(ctx, tool)
    if rules is not None and "*" in rules:
        return
    budget = _Budget()
    for span, command in runtime_injections(ctx):
        lines = command.splitlines()  # a line break separates commands, as `;` does
        commands = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
        first = next((c for c in commands if _denied(rules, c, tool)), None)
        if first is not None:
            if not budget.take("AGL600"):
                return
            _report_shell(ctx, span, first, tool, rules)


# Claude Code 2.1.332's own extraction (conformance gen/skill/s0313-s0318): ```` ```! ```` blocks
# anywhere (one command each), then `` !`cmd` `` after a line start or whitespace, in ordinary
# fenced blocks too, once every code span not right after `!` or a backquote is blanked
_RUNTIME_BLOCK = re.compile(r"```!\s*\n?([\s\S]*?)\n?```")
_RUNTIME_INLINE = re.compile(r"!(?<!\S!)`([^`]+)`")  # as _INJECTION, across lines
_CODE_SPAN = re.compile(r"`[^`\n]+`")


def runtime_injections(ctx: DialectContext) -> list[tuple[Span, str]]:
    """The shell commands Claude Code runs from the body, in its order: (where, command)."""
    start = _body_start(ctx)
    body = ctx.text[start:]
    out: list[tuple[Span, str]] = []
    for m in _RUNTIME_BLOCK.finditer(body):
        command = m.group(1).strip()
        if command:
            out.append((Span(start + m.start(), start + m.start() + 4), command))
    if "!`" not in body:
        return out

    def blank(m: re.Match[str]) -> str:
        before = body[m.start() - 1] if m.start() > 0 else ""
        return m.group(0) if before in ("!", "`") else "`" + " " * (len(m.group(0)) - 2) + "`"

    for m in _RUNTIME_INLINE.finditer(_CODE_SPAN.sub(blank, body)):
        command = m.group(1).strip()
        if command:
            out.append((Span(start + m.start(), start + m.end()), command))
    return out


# ---------------------------------------------------------------------------------------------
# claude-command: arguments (§5)

# `$1`–`$9` not escaped (`\$1`), not in a word (`US$1`), not an amount (`$10`, `$1,000`, `$1.50`,
# `$2M`)
# (each starts with its literal `$`, the look-behind after it: see _INJECTION)
_POSITIONAL = re.compile(r"\$(?<![\\\w]\$)([1-9])(?![0-9])(?![.,][0-9])(?![KkMmBb]\b)")
_FIRST_ARGUMENT = re.compile(r"\$(?<!\\\$)(?:0(?![0-9])(?![.,][0-9])|ARGUMENTS\[0\])")
_OLD_INDEX = re.compile(r"\$(?<!\\\$)ARGUMENTS\.([0-9]+)")


def rule_argument_index(ctx: DialectContext) -> None:
    """`$1` without `$0`: since 2.1.19 indices are 0-based, so `$1` is the second argument."""
    if ctx.version < Version(2, 1, 19):
        return
    if ctx.root is not None and ctx.root.get("arguments") is not None:
        return
    if next(_scan(ctx, _FIRST_ARGUMENT, code=False), None) is not None:
        return
    first = next(_scan(ctx, _POSITIONAL, code=False), None)
    if first is None:
        return
    ctx.add(
        "AGL601",
        Span(first.start(), first.end()),
        f"Since Claude Code 2.1.19 argument indices start at 0: `$0` is the first argument, so "
        f"`{first.group(0)}` is argument number {int(first.group(1)) + 1}. If the body numbers "
        "arguments from `$1`, renumber them from `$0` (or name them with `arguments:` and use "
        "`$name`).",
    )


def rule_old_argument_syntax(ctx: DialectContext) -> None:
    """`$ARGUMENTS.0` is the old indexed form (§5)."""
    budget = _Budget()
    for m in _scan(ctx, _OLD_INDEX, code=False):
        if not budget.take("AGL602"):
            return
        new = f"$ARGUMENTS[{m.group(1)}]"
        ctx.add(
            "AGL602",
            Span(m.start(), m.end()),
            f"`{m.group(0)}` is the old indexed form: Claude Code documents `{new}` (or "
            f"`${m.group(1)}`) now, counting from 0; whether the old form is still expanded is "
            f"unverified. Write `{new}`.",
            suggestion=new,
        )


# ---------------------------------------------------------------------------------------------
# claude-command: `${CLAUDE_...}` substitutions (§5)

SUBSTITUTIONS = (
    "CLAUDE_SESSION_ID",
    "CLAUDE_SKILL_DIR",
    "CLAUDE_PROJECT_DIR",
    "CLAUDE_EFFORT",
    "CLAUDE_PLUGIN_ROOT",
    "CLAUDE_PLUGIN_DATA",
)
PLUGIN_SUBSTITUTIONS = frozenset({"CLAUDE_PLUGIN_ROOT", "CLAUDE_PLUGIN_DATA"})
_SINCE = {"CLAUDE_PROJECT_DIR": Version(2, 1, 196)}
_SUBSTITUTION = re.compile(r"\$\{((?i:claude)_[A-Za-z0-9_]*)\}")


def _code_spans(ctx: DialectContext) -> list[tuple[int, int]]:
    """Where the body is code: fenced blocks and `` !`…` `` shell lines."""
    spans = [(f.opening.start, f.end) for f in fences(ctx)]
    spans += [m.span() for m in _scan(ctx, _INJECTION, code=False)]
    return sorted(spans)


def rule_substitutions(ctx: DialectContext) -> None:
    """Unknown `${CLAUDE_...}` names (AGL603) and plugin ones outside plugins (AGL604)."""
    code: list[tuple[int, int]] | None = None
    budget = _Budget()
    for m in _scan(ctx, _SUBSTITUTION, code=True):
        name, span = m.group(1), Span(m.start(), m.end())
        since = _SINCE.get(name)
        if name in PLUGIN_SUBSTITUTIONS and not ctx.match.plugin:
            if budget.take("AGL604"):
                _plugin_only(ctx, name, span)
        elif since is not None and ctx.version < since:
            if not budget.take("AGL603"):
                continue
            ctx.add(
                "AGL603",
                span,
                f"`${{{name}}}` is substituted since Claude Code {since}; with the target "
                f"version {ctx.version} it is not replaced (probably left as written: "
                "unverified).",
            )
        elif name not in SUBSTITUTIONS:
            if code is None:
                code = _code_spans(ctx)
            in_code = _inside(code, m.start())
            guess = _closest_substitution(name, 85.0 if in_code else 70.0)
            if in_code and guess is None:
                continue  # in shell code it may be an environment variable
            if not budget.take("AGL603"):
                continue
            ctx.add(
                "AGL603",
                span,
                f"`${{{name}}}` is not a substitution Claude Code knows: it is not replaced "
                "(probably left as written: unverified). Known: "
                + ", ".join(f"`${{{s}}}`" for s in SUBSTITUTIONS)
                + "."
                + (f" Did you mean `${{{guess}}}`?" if guess else ""),
                suggestion=f"${{{guess}}}" if guess else None,
            )


@functools.lru_cache(maxsize=256)
def _closest_substitution(name: str, cutoff: float) -> str | None:
    """The known substitution ``name`` most likely misspells (compared without `CLAUDE_`)."""
    tails = {s[len("CLAUDE_") :]: s for s in SUBSTITUTIONS}
    tail = closest(name[len("CLAUDE_") :], tails, cutoff)
    return tails[tail] if tail is not None else None


def _plugin_only(ctx: DialectContext, name: str, span: Span) -> None:
    alt = (
        " For files next to this skill use `${CLAUDE_SKILL_DIR}`."
        if ctx.spec.id == "claude-skill"
        else ""
    )
    ctx.add(
        "AGL604",
        span,
        f"`${{{name}}}` is substituted only in a plugin's skills and commands; this file is not "
        f"in a plugin, so it is not replaced (probably left as written: unverified).{alt}",
    )


# ---------------------------------------------------------------------------------------------
# VS Code: `#tool:` references (§7.2, §7.3) and prompt variables (§7.5)

_TOOL_REF = re.compile(r"#tool:([\w.\-/]+)", re.I)  # VS Code's pattern
_MD_LINK = re.compile(r"\[[^[\]\n]*\]\([^()\n]*\)")


@functools.cache
def _vscode_tools() -> dict[str, Entry]:
    from agentls.core.catalog import dialect

    return dict(dialect("vscode-agent").fields["tools"].values or {})


def rule_tool_references(ctx: DialectContext) -> None:
    """`#tool:<name>` naming a tool VS Code does not have built in, or an old name."""
    tools = _vscode_tools()
    links: list[tuple[int, int]] | None = None
    budget = _Budget()
    for m in _scan(ctx, _TOOL_REF, code=True):
        name = m.group(1).rstrip("./")  # a sentence's full stop; `set/*` (the whole set)
        entry = tools.get(name)
        if not name or (entry is not None and entry.status == "current"):
            continue
        first = name.split("/", 1)[0]
        if entry is None and "/" in name and first not in tools:
            continue  # an MCP server's or an extension's tool
        if links is None:  # VS Code reads `#tool:` inside a Markdown link as part of the link
            links = [k.span() for k in _MD_LINK.finditer(ctx.text, _body_start(ctx))]
        if _inside(links, m.start()):
            continue
        if not budget.take("AGL605"):
            return
        span = Span(m.start(1), m.start(1) + len(name))
        new = next((n for n in tools if n.endswith("/" + name)), None)
        if new is not None:
            msg = (
                f"`{name}` is the old name of `{new}`: VS Code still resolves it and reports "
                f"the rename. Write `#tool:{new}`."
            )
        elif entry is not None:
            msg = f"`{name}` is a {entry.status} tool name: {entry.doc}"
        else:
            new = _closest_tool(name)
            msg = (
                f"`{name}` is not a tool VS Code has built in: VS Code warns about the "
                "reference unless an extension or MCP server provides the tool (the tool list "
                "is dynamic)." + (f" Did you mean `{new}`?" if new else "")
            )
        ctx.add("AGL605", span, msg, suggestion=new)


@functools.lru_cache(maxsize=256)
def _closest_tool(name: str) -> str | None:
    """The current tool ``name`` most likely misspells, by full name or by its last segment."""
    current = [n for n, e in _vscode_tools().items() if e.status == "current"]
    tails = {n.rsplit("/", 1)[-1]: n for n in current}
    guess = closest(name, current)
    if guess is None:
        tail = closest(name.rsplit("/", 1)[-1], tails)
        guess = tails[tail] if tail is not None else None
    return guess


PROMPT_VARIABLES = (
    "workspaceFolder",
    "workspaceFolderBasename",
    "selection",
    "selectedText",
    "file",
    "fileBasename",
    "fileDirname",
    "fileBasenameNoExtension",
)
_VARIABLE = re.compile(r"\$\{([^{}\n]*)\}")
_INPUT = re.compile(r"input:[^:{}\s]+(?::[^{}]*)?")
# VS Code variables of launch and task configurations, which prompt files do not define
_OTHER_VARIABLES = frozenset(
    {
        "userHome",
        "workspaceRoot",
        "relativeFile",
        "relativeFileDirname",
        "fileWorkspaceFolder",
        "fileExtname",
        "fileDirnameBasename",
        "lineNumber",
        "columnNumber",
        "cwd",
        "execPath",
        "pathSeparator",
        "/",
        "defaultBuildTask",
    }
)
_OTHER_PREFIXES = ("env:", "config:", "command:")


@functools.lru_cache(maxsize=256)
def _variable_problem(name: str) -> tuple[str, str | None] | None:
    """Why VS Code will not replace ``${name}``, and the likely variable; None for a name
    that reads as the author's own placeholder for the model (`${PROJECT_TYPE}`)."""
    if name == "input" or name.startswith("input:"):
        return "An input variable needs a name: `${input:name}`.", None
    if name in _OTHER_VARIABLES or name.startswith(_OTHER_PREFIXES):
        return "VS Code resolves it in launch and task configurations only.", None
    guess = closest(name, PROMPT_VARIABLES, 88.0)
    if guess is None:
        return None
    return f"Did you mean `${{{guess}}}`? (Names are case-sensitive.)", guess


def rule_prompt_variables(ctx: DialectContext) -> None:
    """`${name}` in a prompt file body that looks meant for VS Code but is not one of its
    prompt variables: a misspelling, a launch/task variable, a malformed `${input:...}`."""
    budget = _Budget()
    for m in _scan(ctx, _VARIABLE, code=False):
        name = m.group(1)
        if name in PROMPT_VARIABLES or _INPUT.fullmatch(name):
            continue
        problem = _variable_problem(name)
        if problem is None:
            continue
        if not budget.take("AGL606"):
            return
        why, guess = problem
        ctx.add(
            "AGL606",
            Span(m.start(), m.end()),
            f"`${{{name}}}` is not a prompt-file variable, so VS Code does not replace it "
            "(probably left as written: unverified). Prompt files define "
            + ", ".join(f"`${{{v}}}`" for v in PROMPT_VARIABLES)
            + f", `${{input:name}}` and `${{input:name:placeholder}}`. {why}",
            suggestion=f"${{{guess}}}" if guess else None,
        )


# ---------------------------------------------------------------------------------------------

Rule = Callable[["DialectContext"], None]
_VSCODE_REFS: tuple[Rule, ...] = (rule_tool_references,)

RULES: dict[str, tuple[Rule, ...]] = {
    "claude-command": (
        rule_shell_allowed,
        rule_argument_index,
        rule_old_argument_syntax,
        rule_substitutions,
    ),
    "vscode-prompt": (rule_tool_references, rule_prompt_variables),
    "vscode-agent": _VSCODE_REFS,
    "vscode-instructions": _VSCODE_REFS,
}
