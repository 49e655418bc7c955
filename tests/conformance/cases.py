"""Conformance cases: generated mutations, the project's examples, the shared corpus.

A ``Case`` is one or more files laid out under a project's ``.claude/`` tree. Cases that cannot
affect each other share one run of the runtime (a *batch*); a case marked ``isolate`` (same name
twice, hooks, a name that hides the case's token, a huge file...) gets a run of its own.

Generated files carry a unique token (``a0042``, ``s0042``, ``c0042``) in their listed name so the
listing maps back to files; the generator is deterministic (fixed order, seeded combinations), so
recordings keep only the case id and a content hash.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = 20261205

KINDS = ("agent", "skill", "command")


@dataclass(frozen=True)
class File:
    rel: str  # path under the project root, e.g. ".claude/agents/a0001.md"
    data: bytes
    name: str | None  # the name the listing should show; None: unknown (the case is isolated)
    origin: str = ""  # examples/... or the corpus path

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # agent | skill | command
    source: str  # generated | examples | corpus
    files: tuple[File, ...]
    isolate: bool = False
    note: str = ""


# --------------------------------------------------------------------------- documents


@dataclass
class Doc:
    """A file to render: front matter lines (None: no block), body, and boundary variants."""

    lines: list[str] | None
    body: str
    before: str = ""
    opener: str = "---"
    closer: str | None = "---"  # None: never closed
    after_closer: str = ""
    newline: str = "\n"
    bom: bool = False
    tail: str = "\n"  # after the body
    raw: Callable[[bytes], bytes] | None = None  # last step, on the encoded bytes
    filename: str | None = None  # replaces the default file name (e.g. "x.MD")

    def text(self) -> str:
        parts = [self.before]
        if self.lines is not None:
            parts.append(self.opener + "\n")
            parts.extend(line + "\n" for line in self.lines)
            if self.closer is not None:
                parts.append(self.closer + self.after_closer + "\n")
        parts.append(self.body + self.tail)
        text = "".join(parts)
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ("\ufeff" if self.bom else "") + text

    def data(self) -> bytes:
        b = self.text().encode("utf-8", "surrogatepass")
        return self.raw(b) if self.raw else b


Mut = Callable[[Doc, str], Doc]  # (document, token) -> document


def _key_index(lines: list[str], key: str) -> int | None:
    for i, line in enumerate(lines):
        if re.match(re.escape(key) + r"[ \t]*:", line):
            return i
    return None


def setk(key: str, value: str) -> Mut:
    """Set ``key: value`` (value is raw YAML text; may span lines); add the key when absent."""

    def f(d: Doc, t: str) -> Doc:
        lines = list(d.lines or [])
        new = f"{key}:{'' if value == '' or value.startswith(chr(10)) else ' '}{value}".format(t=t)
        i = _key_index(lines, key)
        if i is None:
            lines.append(new)
        else:
            lines[i] = new
        return replace(d, lines=lines)

    return f


def delk(key: str) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        lines = [x for x in d.lines or [] if not re.match(re.escape(key) + r"[ \t]*:", x)]
        return replace(d, lines=lines)

    return f


def addl(*extra: str) -> Mut:
    """Append raw front-matter lines."""

    def f(d: Doc, t: str) -> Doc:
        return replace(d, lines=[*(d.lines or []), *(x.format(t=t) for x in extra)])

    return f


def prep(*extra: str) -> Mut:
    """Prepend raw front-matter lines."""

    def f(d: Doc, t: str) -> Doc:
        return replace(d, lines=[*(x.format(t=t) for x in extra), *(d.lines or [])])

    return f


def _fmt(v: object, t: str) -> object:
    if isinstance(v, str):
        return v.format(t=t, T=t.upper())
    if isinstance(v, list):
        return [x.format(t=t, T=t.upper()) if isinstance(x, str) else x for x in v]
    return v


def attr(**kw: object) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        return replace(d, **{k: _fmt(v, t) for k, v in kw.items()})  # type: ignore[arg-type]

    return f


def rawb(fn: Callable[[bytes], bytes]) -> Mut:
    return attr(raw=fn)


def both(*ms: Mut) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        for m in ms:
            d = m(d, t)
        return d

    return f


def lines_map(fn: Callable[[str], str]) -> Mut:
    def f(d: Doc, t: str) -> Doc:
        return replace(d, lines=[fn(x) for x in d.lines or []])

    return f


def fm_bytes(old: bytes, new: bytes) -> Mut:
    """Replace bytes in the rendered file (first occurrence)."""
    return rawb(lambda b: b.replace(old, new, 1))


# ------------------------------------------------------------------ shared mutations

LONG = "Reviews code for correctness and style. " * 40  # ~1,600 chars

# (label, mutation, isolate) applied to the description of any kind
DESCRIPTIONS: list[tuple[str, Mut, bool]] = [
    ("desc-plain", setk("description", "{t} plain description"), False),
    ("desc-single-quoted", setk("description", "'{t} single quoted'"), False),
    ("desc-double-quoted", setk("description", '"{t} double quoted"'), False),
    ("desc-double-escapes", setk("description", '"{t} tab\\there\\nnewline \\u00e9"'), False),
    ("desc-single-doubled-quote", setk("description", "'{t} it''s fine'"), False),
    ("desc-literal-block", setk("description", "|\n  {t} literal\n  second line\n\n  para"), False),
    ("desc-literal-keep", setk("description", "|+\n  {t} keep\n\n"), False),
    ("desc-literal-strip", setk("description", "|-\n  {t} strip\n"), False),
    ("desc-folded-block", setk("description", ">\n  {t} folded\n  second line\n\n  para"), False),
    ("desc-folded-indent-indicator", setk("description", ">2\n   {t} indented more"), False),
    ("desc-colon-space", setk("description", "{t} Use when: reviewing code"), False),
    ("desc-colon-space-quoted-start", setk("description", '"{t}" and: more'), False),
    (
        "desc-examples-one-line",
        setk(
            "description",
            "{t} Use this. Examples:\\n\\n<example>\\nContext: x\\n"
            'user: "hi"\\nassistant: "ok"\\n</example>',
        ),
        False,
    ),
    ("desc-literal-backslash-n", setk("description", "{t} first\\nsecond"), False),
    ("desc-literal-backslash-n-regex", setk("description", "{t} matches ^a\\n$ and \\\\n"), False),
    ("desc-hash-comment", setk("description", "{t} fixes issue #123 quickly"), False),
    ("desc-hash-no-space", setk("description", "{t} C#sharp expert"), False),
    ("desc-bracket-start", setk("description", "[{t}] draft reviewer"), False),
    ("desc-brace-start", setk("description", "{{{t}}} braces"), False),
    ("desc-star-start", setk("description", "*{t}* bold reviewer"), False),
    ("desc-amp-start", setk("description", "&{t} anchor-like"), False),
    ("desc-bang-start", setk("description", "!{t} tag-like"), False),
    ("desc-pipe-inside", setk("description", "{t} a | b"), False),
    ("desc-gt-inside", setk("description", "{t} a > b"), False),
    ("desc-percent-start", setk("description", "%{t} percent"), False),
    ("desc-at-start", setk("description", "@{t}: mention"), False),
    ("desc-backtick", setk("description", "`{t}` code reviewer"), False),
    ("desc-dash-start", setk("description", "- {t} item"), False),
    ("desc-question-start", setk("description", "? {t} question"), False),
    ("desc-inner-quotes", setk("description", '"{t} Reviewer" for "code"'), False),
    ("desc-apostrophe-single", setk("description", "'{t} It's broken'"), False),
    ("desc-unquoted-apostrophe", setk("description", "{t} it's fine"), False),
    (
        "desc-continuation-unindented",
        setk("description", "{t} first line\nsecond line\nContext: more"),
        False,
    ),
    ("desc-continuation-indented", setk("description", "{t} first line\n  second line"), False),
    (
        "desc-continuation-indented-colon",
        setk("description", "{t} first line\n  Context: more"),
        False,
    ),
    ("desc-mid-dashes", setk("description", "{t} text---more"), False),
    ("desc-mid-dashes-spaced", setk("description", "{t} text --- more"), False),
    ("desc-number", setk("description", "3000"), True),
    ("desc-float", setk("description", "1.5"), True),
    ("desc-bool", setk("description", "true"), True),
    ("desc-yes", setk("description", "yes"), True),
    ("desc-null-tilde", setk("description", "~"), True),
    ("desc-null-word", setk("description", "null"), True),
    ("desc-empty", setk("description", ""), True),
    ("desc-empty-quoted", setk("description", '""'), True),
    ("desc-whitespace-quoted", setk("description", '"   "'), True),
    ("desc-list", setk("description", "\n  - {t} one\n  - two"), True),
    ("desc-flow-list", setk("description", "[{t}, two]"), True),
    ("desc-mapping", setk("description", "\n  text: {t}"), True),
    ("desc-flow-mapping", setk("description", "{{a: {t}}}"), True),
    ("desc-date", setk("description", "2024-01-01"), True),
    ("desc-long", setk("description", "{t} " + LONG), False),
    ("desc-very-long", setk("description", "{t} " + LONG * 4), False),
    ("desc-unicode", setk("description", "{t} Prüft Code — schnell ✓ 日本語"), False),
    ("desc-emoji", setk("description", "{t} 🚀 reviewer 👩‍💻"), False),
    ("desc-u2028", setk("description", "{t} line\u2028separator"), False),
    ("desc-u2029", setk("description", "{t} para\u2029separator"), False),
    ("desc-nel", setk("description", "{t} next\u0085line"), False),
    ("desc-zero-width", setk("description", "{t} zero\u200bwidth"), False),
    ("desc-nbsp", setk("description", "{t}\u00a0non breaking"), False),
    ("desc-tab-inside", setk("description", "{t} tab\there"), False),
    ("desc-trailing-spaces", setk("description", "{t} trailing   "), False),
    ("desc-anchor-alias", both(setk("description", "&d {t} anchored"), addl("x-copy: *d")), False),
    (
        "desc-alias-to-anchor",
        both(prep("x-base: &d {t} via alias"), setk("description", "*d")),
        False,
    ),
    ("desc-tagged-str", setk("description", "!!str {t} tagged"), False),
    ("desc-custom-tag", setk("description", "!custom {t} tagged"), False),
    ("desc-xml", setk("description", "{t} <example>user: hi</example>"), False),
    ("desc-html-comment", setk("description", "{t} <!-- hidden --> shown"), False),
    ("desc-dollar-args", setk("description", "{t} uses $ARGUMENTS and $1"), False),
    (
        "desc-key-twice",
        both(setk("description", "{t} first"), addl("description: {t} second")),
        False,
    ),
    ("desc-missing", delk("description"), True),
    ("desc-key-upper", both(delk("description"), addl("Description: {t} capitalised key")), True),
    ("desc-key-quoted", both(delk("description"), addl('"description": {t} quoted key')), False),
    (
        "desc-key-space-before-colon",
        both(delk("description"), addl("description : {t} spaced")),
        False,
    ),
    ("desc-key-tab-after-colon", both(delk("description"), addl("description:\t{t} tab")), False),
    ("desc-key-no-space", both(delk("description"), addl("description:{t} nospace")), True),
]

# boundary, line-ending, indentation, encoding and size variants (any kind)
FORMATS: list[tuple[str, Mut, bool]] = [
    ("fmt-crlf", attr(newline="\r\n"), False),
    ("fmt-cr", attr(newline="\r"), False),
    (
        "fmt-crlf-colon-space",
        both(setk("description", "{t} Use when: reviewing"), attr(newline="\r\n")),
        False,
    ),
    ("fmt-crlf-bracket", both(setk("description", "[{t}] draft"), attr(newline="\r\n")), False),
    ("fmt-mixed-crlf", fm_bytes(b"\n", b"\r\n"), False),
    ("fmt-bom", attr(bom=True), False),
    ("fmt-bom-crlf", attr(bom=True, newline="\r\n"), False),
    ("fmt-double-bom", rawb(lambda b: b"\xef\xbb\xbf\xef\xbb\xbf" + b), False),
    ("fmt-leading-blank", attr(before="\n"), False),
    ("fmt-leading-space", attr(before=" "), False),
    ("fmt-leading-text", attr(before="# Title\n\n"), False),
    ("fmt-opener-trailing-space", attr(opener="---   "), False),
    ("fmt-opener-tab", attr(opener="---\t"), False),
    ("fmt-opener-four", attr(opener="----"), False),
    ("fmt-opener-text", attr(opener="--- yaml"), False),
    ("fmt-closer-trailing-space", attr(closer="---  "), False),
    ("fmt-closer-four", attr(closer="----"), False),
    ("fmt-closer-text", attr(after_closer=" body starts here"), False),
    ("fmt-closer-dots", attr(closer="..."), False),
    ("fmt-closer-indented", attr(closer="  ---"), False),
    ("fmt-unterminated", attr(closer=None), False),
    ("fmt-no-body", attr(body="", tail=""), False),
    ("fmt-no-final-newline", attr(tail=""), False),
    ("fmt-closer-eof", both(attr(body="", tail=""), rawb(lambda b: b.rstrip(b"\n"))), False),
    ("fmt-body-dashes", attr(body="Body.\n\n---\n\nmore: text\n---\n"), False),
    ("fmt-comment-lines", prep("# a comment", "  # indented comment"), False),
    ("fmt-blank-lines", prep("", ""), False),
    ("fmt-doc-end-marker", addl("..."), False),
    ("fmt-yaml-directive", prep("%YAML 1.2", "---"), False),
    ("fmt-second-document", addl("---", "other: doc"), False),
    ("fmt-tab-after-colon", lines_map(lambda x: x.replace(": ", ":\t", 1)), False),
    ("fmt-tab-before-key", addl("\tx-extra: 1"), False),
    ("fmt-tab-indent-nested", addl("metadata:", "\tauthor: me"), False),
    ("fmt-space-indent-nested", addl("metadata:", "  author: me"), False),
    ("fmt-trailing-whitespace", lines_map(lambda x: x + "  "), False),
    ("fmt-indented-keys", lines_map(lambda x: "  " + x), False),
    ("fmt-nul-in-front-matter", addl("x-extra: a\x00b"), False),
    ("fmt-nul-in-body", attr(body="Body\x00with NUL."), False),
    (
        "fmt-invalid-utf8-in-front-matter",
        both(addl("x-extra: MARK"), fm_bytes(b"MARK", b"\xff\xfe")),
        False,
    ),
    ("fmt-invalid-utf8-in-description", fm_bytes(b"DESCMARK", b"caf\xe9"), False),
    (
        "fmt-invalid-utf8-in-body",
        both(attr(body="Body BODYMARK."), fm_bytes(b"BODYMARK", b"caf\xe9")),
        False,
    ),
    (
        "fmt-latin1-file",
        both(
            setk("description", "{t} caf\u00e9 cr\u00e8me"),
            rawb(lambda b: b.decode("utf-8").encode("latin-1", "replace")),
        ),
        False,
    ),
    (
        "fmt-utf16le-bom",
        rawb(lambda b: b"\xff\xfe" + b.decode("utf-8", "replace").encode("utf-16-le")),
        False,
    ),
    ("fmt-control-char", addl("x-extra: a\x07b"), False),
    ("fmt-escape-char", addl("x-extra: a\x1bb"), False),
    ("fmt-del-char", addl("x-extra: a\x7fb"), False),
    ("fmt-u2028-line", addl("x-extra: a\u2028other: b"), False),
    ("fmt-size-1mib-body", attr(body="x" * (1024 * 1024 + 10)), True),
    ("fmt-size-under-1mib", attr(body="y" * (1024 * 1024 - 4096)), True),
    ("fmt-size-1mib-front-matter", addl("x-extra: " + "z" * (1024 * 1024 + 10)), True),
    ("fmt-size-big-description", setk("description", "{t} " + "w" * 200_000), True),
    ("fmt-many-keys", addl(*[f"x-k{i}: v{i}" for i in range(500)]), False),
    ("fmt-deep-nesting", addl("x-deep: " + "[" * 300 + "]" * 300), False),
    (
        "fmt-alias-bomb",
        addl(
            "x-a: &a [x, x, x, x, x, x, x, x, x]",
            *[
                f"x-{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
                for i in range(9)
            ],
        ),
        True,
    ),
    ("fmt-merge-key", both(prep("x-base: &base", "  x-color: red"), addl("<<: *base")), False),
    ("fmt-merge-key-inline", addl("<<: {{x-merged: 1}}"), False),
    ("fmt-repeated-unknown-key", addl("x-user: a", "x-user: b", "x-user: c"), False),
    ("fmt-not-mapping-list", attr(lines=["- a", "- b"]), True),
    ("fmt-not-mapping-scalar", attr(lines=["just text"]), True),
    ("fmt-empty-front-matter", attr(lines=[]), True),
    ("fmt-only-comment", attr(lines=["# nothing"]), True),
    ("fmt-no-front-matter", attr(lines=None, body="{t} body only\n\nSecond paragraph."), True),
    ("fmt-yaml-error-late", addl("x-bad: [unclosed"), False),
    ("fmt-yaml-error-indent", addl("x-bad:", "  a: 1", " b: 2"), False),
    ("fmt-complex-key", addl("? x-complex", ": value"), False),
    ("fmt-flow-map-front-matter", attr(lines=["{{name: {t}, description: {t} flow}}"]), True),
]


def _desc_marker(d: Doc, t: str) -> Doc:
    return setk("description", "{t} DESCMARK description")(d, t)


FORMATS = [
    (label, both(_desc_marker, m) if label == "fmt-invalid-utf8-in-description" else m, iso)
    for label, m, iso in FORMATS
]


# ------------------------------------------------------------------------------ agents


def agent_base(t: str) -> Doc:
    return Doc(
        [
            f"name: {t}",
            f"description: {t} reviews code for bugs",
            "tools: Read, Grep, Glob",
            "model: sonnet",
        ],
        f"You are {t}. Review the code you are given.",
    )


AGENT_NAMES: list[tuple[str, Mut, bool]] = [
    ("name-upper", setk("name", "{t}-Reviewer"), False),
    ("name-underscore", setk("name", "{t}_reviewer"), False),
    ("name-digits-only", setk("name", "12345"), True),
    ("name-colon", setk("name", "{t}:sub"), False),
    ("name-colon-space", setk("name", "{t}: sub"), False),
    ("name-leading-dash", setk("name", "-{t}"), True),
    ("name-leading-dash-quoted", setk("name", '"-{t}"'), True),
    ("name-trailing-dash", setk("name", "{t}-"), False),
    ("name-space", setk("name", "{t} reviewer"), False),
    ("name-slash", setk("name", "{t}/sub"), False),
    ("name-dot", setk("name", "{t}.v2"), False),
    ("name-quoted", setk("name", '"{t}"'), False),
    ("name-single-quoted", setk("name", "'{t}'"), False),
    ("name-unicode", setk("name", "{t}-prüfer"), False),
    ("name-long", setk("name", "{t}-" + "x" * 200), False),
    ("name-number", setk("name", "123"), True),
    ("name-float", setk("name", "1.5"), True),
    ("name-bool", setk("name", "true"), True),
    ("name-yes", setk("name", "yes"), True),
    ("name-null", setk("name", "null"), True),
    ("name-empty", setk("name", ""), True),
    ("name-empty-quoted", setk("name", '""'), True),
    ("name-list", setk("name", "[{t}]"), True),
    ("name-mapping", setk("name", "{{a: {t}}}"), True),
    ("name-missing", delk("name"), True),
    ("name-key-upper", both(delk("name"), prep("Name: {t}")), True),
    ("name-twice", both(setk("name", "{t}"), addl("name: {t}-second")), True),
    ("name-builtin-explore", setk("name", "Explore"), True),
    ("name-builtin-general", setk("name", "general-purpose"), True),
    ("name-trailing-space-quoted", setk("name", '"{t} "'), False),
    ("name-hash", setk("name", "{t} #comment"), False),
    ("name-brackets", setk("name", "{t}[x]"), False),
]

AGENT_TOOLS: list[tuple[str, Mut, bool]] = [
    ("tools-comma", setk("tools", "Read, Grep"), False),
    ("tools-comma-nospace", setk("tools", "Read,Grep"), False),
    ("tools-space", setk("tools", "Read Grep"), False),
    ("tools-list", setk("tools", "\n  - Read\n  - Grep"), False),
    ("tools-flow-list", setk("tools", "[Read, Grep]"), False),
    ("tools-list-one-string", setk("tools", '["Read, Grep"]'), False),
    ("tools-list-nonstring", setk("tools", "[Read, 1, true]"), False),
    ("tools-list-nested", setk("tools", "[[Read], Grep]"), False),
    ("tools-mapping", setk("tools", "{{Read: true, Grep: true}}"), False),
    ("tools-mapping-block", setk("tools", "\n  Read: true"), False),
    ("tools-number", setk("tools", "5"), False),
    ("tools-bool", setk("tools", "true"), False),
    ("tools-empty", setk("tools", ""), False),
    ("tools-empty-string", setk("tools", '""'), False),
    ("tools-empty-list", setk("tools", "[]"), False),
    ("tools-star", setk("tools", "'*'"), False),
    ("tools-star-unquoted", setk("tools", "*"), False),
    ("tools-lowercase", setk("tools", "read, grep"), False),
    ("tools-unknown-only", setk("tools", "Nope"), False),
    ("tools-unknown-mixed", setk("tools", "Read, Nope"), False),
    ("tools-typo", setk("tools", "Read, Grepp"), False),
    ("tools-bash-spec", setk("tools", "Bash(git diff:*), Read"), False),
    ("tools-bash-spec-only", setk("tools", "Bash(npm test)"), False),
    ("tools-read-spec", setk("tools", "Read(./src/**)"), False),
    ("tools-agent-spec", setk("tools", "Agent(explorer, planner), Read"), False),
    ("tools-task", setk("tools", "Task, Read"), False),
    ("tools-task-spec", setk("tools", "Task(explorer), Read"), False),
    ("tools-killshell", setk("tools", "KillShell"), False),
    ("tools-killshell-mixed", setk("tools", "KillShell, Read"), False),
    ("tools-taskstop", setk("tools", "TaskStop"), False),
    ("tools-ls", setk("tools", "LS, Read"), False),
    ("tools-multiedit", setk("tools", "MultiEdit, Read"), False),
    ("tools-todowrite", setk("tools", "TodoWrite, Read"), False),
    (
        "tools-all-main",
        setk("tools", "Bash, Edit, Write, WebFetch, WebSearch, NotebookEdit, Glob, Grep, Read"),
        False,
    ),
    ("tools-skill", setk("tools", "Skill, Read"), False),
    ("tools-agent", setk("tools", "Agent"), False),
    ("tools-exitplanmode", setk("tools", "ExitPlanMode, Read"), False),
    ("tools-mcp-server", setk("tools", "mcp__github, Read"), False),
    ("tools-mcp-tool", setk("tools", "mcp__github__create_issue"), False),
    ("tools-mcp-star", setk("tools", "mcp__github__*, Read"), False),
    ("tools-mcp-all", setk("tools", "mcp__*, Read"), False),
    ("tools-duplicate", setk("tools", "Read, Read, Grep"), False),
    ("tools-trailing-comma", setk("tools", "Read, Grep,"), False),
    ("tools-semicolon", setk("tools", "Read; Grep"), False),
    ("tools-key-typo-tool", both(delk("tools"), addl("tool: Read")), False),
    ("tools-key-allowed-tools", both(delk("tools"), addl("allowed-tools: Read")), False),
    ("tools-key-allowed_tools", both(delk("tools"), addl("allowed_tools: Read")), False),
    ("tools-key-allowedTools", both(delk("tools"), addl("allowedTools: Read")), False),
    ("tools-key-Tools", both(delk("tools"), addl("Tools: Read")), False),
    ("tools-missing", delk("tools"), False),
    ("disallowed-comma", addl("disallowedTools: Bash, Write"), False),
    ("disallowed-list", addl("disallowedTools: [Bash]"), False),
    ("disallowed-kebab", addl("disallowed-tools: Bash"), False),
    ("disallowed-all-tools", addl("disallowedTools: Read, Grep, Glob"), False),
    ("disallowed-mcp-all", addl("disallowedTools: mcp__*"), False),
    ("disallowed-unknown", addl("disallowedTools: Nope"), False),
    ("disallowed-number", addl("disallowedTools: 3"), False),
]

AGENT_MODELS: list[tuple[str, Mut, bool]] = [
    *[
        (f"model-{m}", setk("model", m), False)
        for m in ("sonnet", "opus", "haiku", "fable", "inherit")
    ],
    ("model-Sonnet", setk("model", "Sonnet"), False),
    ("model-HAIKU", setk("model", "HAIKU"), False),
    ("model-Opus", setk("model", "Opus"), False),
    ("model-INHERIT", setk("model", "INHERIT"), False),
    ("model-quoted", setk("model", '"haiku"'), False),
    ("model-padded-quoted", setk("model", '" haiku "'), False),
    ("model-opus-4-1-id", setk("model", "claude-opus-4-1-20250805"), False),
    ("model-sonnet-4-5-id", setk("model", "claude-sonnet-4-5-20250929"), False),
    ("model-sonnet-4-5", setk("model", "claude-sonnet-4-5"), False),
    ("model-haiku-3-5-id", setk("model", "claude-3-5-haiku-20241022"), False),
    ("model-opus-4-id", setk("model", "claude-opus-4-20250514"), False),
    ("model-haiku-5-5", setk("model", "claude-haiku-5-5"), False),
    ("model-unknown-claude-id", setk("model", "claude-fancy-9"), False),
    ("model-gpt-4", setk("model", "gpt-4"), False),
    ("model-gpt-5-codex", setk("model", "gpt-5-codex"), False),
    ("model-word", setk("model", "fast"), False),
    ("model-default", setk("model", "default"), False),
    ("model-best", setk("model", "best"), False),
    ("model-opusplan", setk("model", "opusplan"), False),
    ("model-sonnet-1m", setk("model", "sonnet[1m]"), False),
    ("model-sonnet-1m-quoted", setk("model", '"sonnet[1m]"'), False),
    ("model-bedrock-id", setk("model", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"), False),
    ("model-vertex-id", setk("model", "claude-sonnet-4-5@20250929"), False),
    ("model-number", setk("model", "4"), False),
    ("model-bool", setk("model", "true"), False),
    ("model-empty", setk("model", ""), False),
    ("model-empty-quoted", setk("model", '""'), False),
    ("model-list", setk("model", "[sonnet]"), False),
    ("model-key-upper", both(delk("model"), addl("Model: haiku")), False),
    ("model-missing", delk("model"), False),
]

AGENT_KEYS: list[tuple[str, Mut, bool]] = [
    *[
        (f"color-{c}", addl(f"color: {c}"), False)
        for c in ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")
    ],
    ("color-magenta", addl("color: magenta"), False),
    ("color-Red", addl("color: Red"), False),
    ("color-hex", addl("color: '#ff0000'"), False),
    ("color-number", addl("color: 3"), False),
    ("color-colour", addl("colour: red"), False),
    *[
        (f"permission-{m}", addl(f"permissionMode: {m}"), False)
        for m in (
            "default",
            "acceptEdits",
            "auto",
            "dontAsk",
            "bypassPermissions",
            "plan",
            "manual",
        )
    ],
    ("permission-invalid", addl("permissionMode: yolo"), False),
    ("permission-case", addl("permissionMode: AcceptEdits"), False),
    ("permission-kebab-key", addl("permission-mode: plan"), False),
    ("permission-number", addl("permissionMode: 1"), False),
    ("maxturns-5", addl("maxTurns: 5"), False),
    ("maxturns-string", addl('maxTurns: "5"'), False),
    ("maxturns-zero", addl("maxTurns: 0"), False),
    ("maxturns-negative", addl("maxTurns: -1"), False),
    ("maxturns-float", addl("maxTurns: 1.5"), False),
    ("maxturns-word", addl("maxTurns: many"), False),
    ("maxturns-snake", addl("max_turns: 5"), False),
    ("maxturns-kebab", addl("max-turns: 5"), False),
    *[
        (f"effort-{e}", addl(f"effort: {e}"), False)
        for e in ("low", "medium", "high", "xhigh", "max")
    ],
    ("effort-HIGH", addl("effort: HIGH"), False),
    ("effort-int", addl("effort: 3"), False),
    ("effort-invalid", addl("effort: extreme"), False),
    ("isolation-worktree", addl("isolation: worktree"), False),
    ("isolation-remote", addl("isolation: remote"), False),
    ("isolation-invalid", addl("isolation: sandbox"), False),
    *[(f"memory-{m}", addl(f"memory: {m}"), False) for m in ("user", "project", "local")],
    ("memory-invalid", addl("memory: global"), False),
    ("memory-bool", addl("memory: true"), False),
    ("background-true", addl("background: true"), False),
    ("background-false", addl("background: false"), False),
    ("background-yes", addl("background: yes"), False),
    ("background-string", addl('background: "true"'), False),
    ("background-int", addl("background: 1"), False),
    ("skills-list", addl("skills: [pdf, review]"), False),
    ("skills-string", addl("skills: pdf, review"), False),
    ("skills-number", addl("skills: 3"), False),
    ("mcpservers-names", addl("mcpServers: [github]"), False),
    (
        "mcpservers-inline",
        addl("mcpServers:", "  - local:", "      type: stdio", "      command: echo"),
        False,
    ),
    ("mcpservers-mapping", addl("mcpServers:", "  github: {{}}"), False),
    ("mcpservers-string", addl("mcpServers: github"), False),
    ("initialprompt-string", addl("initialPrompt: Start by reading the README"), False),
    ("initialprompt-number", addl("initialPrompt: 3"), False),
    ("observer-true", addl("observer: true"), False),
    ("omitclaudemd-true", addl("omitClaudeMd: true"), False),
    ("forkcontext", addl('forkContext: "true"'), False),
    ("unknown-outputstyle", addl("outputStyle: concise"), False),
    ("unknown-foo", addl("foo: bar"), False),
    ("unknown-several", addl("foo: 1", "bar: 2", "descripton: typo"), False),
    ("unknown-when-to-use", addl("when_to_use: sometimes"), False),
    ("unknown-argument-hint", addl("argument-hint: '[x]'"), False),
    ("unknown-version", addl("version: 1.0.0"), False),
    ("unknown-tags", addl("tags: [a, b]"), False),
    ("unknown-camel-typo", addl("disallowTools: Bash"), False),
    ("unknown-key-with-digit", addl("k1: v"), False),
    ("unknown-key-unicode", addl("schlüssel: v"), False),
    ("unknown-key-upper-description", addl("DESCRIPTION: x"), False),
    ("unknown-metadata", addl("metadata:", "  author: me"), False),
    ("repeated-user-key", addl("user: a", "user: b", "user: c"), False),
    ("repeated-tools", addl("tools: Read"), False),
    ("repeated-model", addl("model: haiku"), False),
    (
        "merge-key-description",
        both(
            delk("description"),
            prep("x-base: &base", "  description: {t} merged description"),
            addl("<<: *base"),
        ),
        False,
    ),
    (
        "merge-key-model",
        both(delk("model"), prep("x-base: &base", "  model: haiku"), addl("<<: *base")),
        False,
    ),
    ("yaml11-bool-background-on", addl("background: on"), False),
    ("yaml11-octal", addl("maxTurns: 010"), False),
    ("yaml-timestamp", addl("x-date: 2024-01-01T00:00:00Z"), False),
    ("yaml-tag-int", addl("maxTurns: !!int '5'"), False),
]

_HOOK_OK = [
    "hooks:",
    "  PreToolUse:",
    "    - matcher: Bash",
    "      hooks:",
    "        - type: command",
    "          command: echo ok",
]
HOOKS: list[tuple[str, Mut, bool]] = [
    ("hooks-valid", addl(*_HOOK_OK), True),
    (
        "hooks-valid-stop",
        addl(
            "hooks:",
            "  Stop:",
            "    - hooks:",
            "        - type: command",
            "          command: echo stop",
        ),
        True,
    ),
    ("hooks-string", addl("hooks: echo hi"), True),
    ("hooks-list", addl("hooks: [a]"), True),
    ("hooks-number", addl("hooks: 1"), True),
    ("hooks-empty", addl("hooks:"), True),
    ("hooks-empty-map", addl("hooks: {{}}"), True),
    ("hooks-event-string", addl("hooks:", "  PreToolUse: echo"), True),
    ("hooks-unknown-event", addl("hooks:", "  NotAnEvent: []"), True),
    (
        "hooks-unknown-event-valid-shape",
        addl(
            "hooks:",
            "  OnSave:",
            "    - hooks:",
            "        - type: command",
            "          command: echo",
        ),
        True,
    ),
    (
        "hooks-event-lowercase",
        addl(
            "hooks:",
            "  pretooluse:",
            "    - hooks:",
            "        - type: command",
            "          command: echo",
        ),
        True,
    ),
    (
        "hooks-bad-type",
        addl(
            "hooks:",
            "  PreToolUse:",
            "    - matcher: Bash",
            "      hooks:",
            "        - type: bogus",
        ),
        True,
    ),
    (
        "hooks-missing-command",
        addl("hooks:", "  PreToolUse:", "    - hooks:", "        - type: command"),
        True,
    ),
    ("hooks-missing-hooks", addl("hooks:", "  PreToolUse:", "    - matcher: Bash"), True),
    (
        "hooks-matcher-number",
        addl(
            "hooks:",
            "  PreToolUse:",
            "    - matcher: 1",
            "      hooks:",
            "        - type: command",
            "          command: echo",
        ),
        True,
    ),
    (
        "hooks-prompt-type",
        addl(
            "hooks:", "  Stop:", "    - hooks:", "        - type: prompt", "          prompt: check"
        ),
        True,
    ),
    (
        "hooks-http-type",
        addl(
            "hooks:",
            "  Stop:",
            "    - hooks:",
            "        - type: http",
            "          url: http://127.0.0.1:9/x",
        ),
        True,
    ),
    (
        "hooks-timeout-string",
        addl(
            "hooks:",
            "  Stop:",
            "    - hooks:",
            "        - type: command",
            "          command: echo",
            "          timeout: soon",
        ),
        True,
    ),
    (
        "hooks-once",
        addl(
            "hooks:",
            "  Stop:",
            "    - hooks:",
            "        - type: command",
            "          command: echo",
            "          once: true",
        ),
        True,
    ),
    (
        "hooks-tab-indent",
        addl(
            "hooks:",
            "\tPreToolUse:",
            "\t\t- hooks:",
            "\t\t\t\t- type: command",
            "\t\t\t\t  command: echo",
        ),
        True,
    ),
    (
        "hooks-extra-key",
        addl(
            "hooks:",
            "  Stop:",
            "    - hooks:",
            "        - type: command",
            "          command: echo",
            "          extra: 1",
        ),
        True,
    ),
]

AGENT_FILES: list[tuple[str, Mut, bool]] = [
    ("file-upper-ext", attr(filename="{t}.MD"), False),
    ("file-markdown-ext", attr(filename="{t}.markdown"), False),
    ("file-txt-ext", attr(filename="{t}.txt"), False),
    ("file-no-ext", attr(filename="{t}"), False),
    ("file-hidden", attr(filename=".{t}.md"), False),
    ("file-nested", attr(filename="sub/deeper/{t}.md"), False),
    ("file-space-name", attr(filename="{t} copy.md"), False),
    ("file-agent-suffix", attr(filename="{t}.agent.md"), False),
    ("file-name-differs", attr(filename="other-{t}.md"), False),
]


# ------------------------------------------------------------------------------ skills


def skill_base(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} extracts tables from PDF files"],
        f"# {t}\n\nRead the PDF and extract every table. Arguments: $ARGUMENTS",
    )


def command_base(t: str) -> Doc:
    return Doc(
        [f"description: {t} runs the test suite", "allowed-tools: Bash(npm test:*)"],
        "Run the tests and summarise failures for $ARGUMENTS.",
    )


SKILL_KEYS: list[tuple[str, Mut, bool]] = [
    ("when-to-use", addl("when_to_use: {t} when tables appear"), False),
    ("when-to-use-kebab", addl("when-to-use: when tables appear"), False),
    ("when-to-use-camel", addl("whenToUse: when tables appear"), False),
    ("when-to-use-only", both(delk("description"), addl("when_to_use: {t} when only")), False),
    ("when-to-use-number", addl("when_to_use: 5"), False),
    ("when-to-use-long", addl("when_to_use: {t} " + LONG), False),
    ("when-to-use-multiline", addl("when_to_use: |", "  {t} line one", "  line two"), False),
    ("argument-hint", addl("argument-hint: <file>"), False),
    ("argument-hint-list", addl("argument-hint: [file]"), False),
    ("argument-hint-quoted", addl("argument-hint: '[file]'"), False),
    ("arguments-string", addl("arguments: file mode"), False),
    ("arguments-list", addl("arguments: [file, mode]"), False),
    *[
        (f"dmi-{v}", addl(f"disable-model-invocation: {v}"), False)
        for v in (
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "1",
            "0",
            "True",
            "TRUE",
            '"true"',
            "maybe",
        )
    ],
    ("user-invocable-false", addl("user-invocable: false"), False),
    ("user-invocable-no", addl("user-invocable: no"), False),
    ("allowed-tools-string", addl("allowed-tools: Read, Grep"), False),
    ("allowed-tools-list", addl("allowed-tools: [Read, Grep]"), False),
    ("allowed-tools-spec", addl("allowed-tools: Bash(git status:*)"), False),
    ("allowed-tools-snake", addl("allowed_tools: Read"), False),
    ("allowed-tools-camel", addl("allowedTools: Read"), False),
    ("disallowed-tools", addl("disallowed-tools: Bash"), False),
    ("model-alias", addl("model: haiku"), False),
    ("model-upper", addl("model: HAIKU"), False),
    ("model-unknown", addl("model: gpt-4"), False),
    ("model-inherit", addl("model: inherit"), False),
    ("effort-high", addl("effort: high"), False),
    ("effort-invalid", addl("effort: extreme"), False),
    ("context-fork", addl("context: fork"), False),
    ("context-invalid", addl("context: separate"), False),
    ("agent-explore", addl("context: fork", "agent: Explore"), False),
    ("background-false", addl("context: fork", "background: false"), False),
    ("paths-string", addl("paths: '**/*.pdf'"), False),
    ("paths-list", addl("paths: ['**/*.pdf', docs/**]"), False),
    ("paths-unquoted-star", addl("paths: *.pdf"), False),
    ("shell-bash", addl("shell: bash"), False),
    ("shell-powershell", addl("shell: powershell"), False),
    ("shell-invalid", addl("shell: zsh"), False),
    ("metadata-map", addl("metadata:", "  author: me", "  version: 1"), False),
    ("metadata-string", addl("metadata: me"), False),
    ("license", addl("license: MIT"), False),
    ("compatibility", addl("compatibility: Requires Python 3.11"), False),
    ("version", addl("version: 1.2.0"), False),
    ("display-name", addl("display-name: PDF tables"), False),
    ("display-name-camel", addl("displayName: PDF tables"), False),
    ("default-enabled", addl("default-enabled: false"), False),
    ("fallback", addl("fallback: true"), False),
    ("hooks-valid", addl(*_HOOK_OK), True),
    ("hooks-string", addl("hooks: echo"), True),
    (
        "hooks-bad-type",
        addl("hooks:", "  PreToolUse:", "    - hooks:", "        - type: bogus"),
        True,
    ),
    ("unknown-foo", addl("foo: bar"), False),
    ("unknown-typo", addl("descripton: typo"), False),
    ("unknown-tools", addl("tools: Read"), False),
    ("repeated-key", addl("x-k: a", "x-k: b"), False),
    ("name-differs", setk("name", "{t}-other"), False),
    ("name-upper", setk("name", "{t}-PDF"), False),
    ("name-spaces", setk("name", "{t} pdf tables"), False),
    ("name-colon", setk("name", "{t}:x"), False),
    ("name-number", setk("name", "123"), False),
    ("name-bool", setk("name", "true"), False),
    ("name-empty", setk("name", ""), False),
    ("name-list", setk("name", "[a]"), False),
    ("name-missing", delk("name"), False),
    (
        "body-fallback-paragraph",
        both(
            delk("description"),
            attr(body="{t} first paragraph\nsecond line of it\n\nSecond paragraph."),
        ),
        False,
    ),
    (
        "body-fallback-heading",
        both(delk("description"), attr(body="# {t} Heading\n\nParagraph after heading.")),
        False,
    ),
    (
        "body-fallback-list",
        both(delk("description"), attr(body="- {t} list item\n- second")),
        False,
    ),
    (
        "body-fallback-code",
        both(delk("description"), attr(body="```\n{t} code\n```\n\nText.")),
        False,
    ),
    ("body-fallback-long", both(delk("description"), attr(body="{t} " + LONG)), False),
    ("body-fallback-empty", both(delk("description"), attr(body="", tail="")), False),
    (
        "body-fallback-blank-first",
        both(delk("description"), attr(body="\n\n{t} after blanks")),
        False,
    ),
    (
        "body-fallback-html-comment",
        both(delk("description"), attr(body="<!-- {t} comment -->\n\nText {t}.")),
        False,
    ),
    ("yaml-fails-fallback", both(addl("x-bad: [unclosed"), attr(body="{t} body paragraph")), False),
    (
        "desc-and-when-long",
        both(setk("description", "{t} " + LONG), addl("when_to_use: " + LONG)),
        False,
    ),
    ("desc-exact-1536", setk("description", "{t} " + "e" * (1536 - 6)), False),
    ("desc-1537", setk("description", "{t} " + "e" * (1537 - 6)), False),
    (
        "desc-1535-plus-when",
        both(setk("description", "{t} " + "e" * (1530 - 6)), addl("when_to_use: abcdefgh")),
        False,
    ),
]

SKILL_FILES: list[tuple[str, Mut, bool]] = [
    ("file-lowercase-skill-md", attr(filename="{t}/skill.md"), False),
    ("file-upper-ext", attr(filename="{t}/SKILL.MD"), False),
    ("file-nested", attr(filename="group/{t}/SKILL.md"), False),
    ("file-upper-dir", attr(filename="{T}/SKILL.md"), False),
    ("file-dir-space", attr(filename="{t} tables/SKILL.md"), False),
    ("file-dir-dot", attr(filename="{t}.v2/SKILL.md"), False),
    ("file-synced-dir", attr(filename="synced/SKILL.md"), True),
    ("file-synced-dir-upper", attr(filename="Synced/SKILL.md"), True),
    ("file-readme-only", attr(filename="{t}/README.md"), False),
    ("file-top-level", attr(filename="{t}.md"), False),
]

COMMAND_KEYS: list[tuple[str, Mut, bool]] = [
    (
        "no-front-matter",
        attr(lines=None, body="{t} first line of the body\nsecond line\n\nmore"),
        False,
    ),
    ("no-front-matter-heading", attr(lines=None, body="# {t} Heading\n\nText."), False),
    ("no-front-matter-blank-first", attr(lines=None, body="\n\n{t} after blank"), False),
    (
        "desc-missing-body",
        both(delk("description"), attr(body="{t} body line one\nline two")),
        False,
    ),
    ("argument-hint", addl("argument-hint: <file>"), False),
    ("argument-hint-list", addl("argument-hint: [message]"), False),
    ("allowed-tools-list", setk("allowed-tools", "[Bash, Read]"), False),
    ("allowed-tools-missing", delk("allowed-tools"), False),
    ("model-alias", addl("model: haiku"), False),
    ("model-id", addl("model: claude-opus-4-1-20250805"), False),
    ("model-unknown", addl("model: gpt-4"), False),
    ("dmi-true", addl("disable-model-invocation: true"), False),
    ("dmi-yes", addl("disable-model-invocation: yes"), False),
    ("user-invocable-false", addl("user-invocable: false"), False),
    ("when-to-use", addl("when_to_use: {t} when tests fail"), False),
    ("name-field", addl("name: {t}-renamed"), False),
    ("name-field-other", addl("name: totally-different"), False),
    ("context-fork", addl("context: fork"), False),
    ("effort", addl("effort: low"), False),
    ("hooks-valid", addl(*_HOOK_OK), True),
    ("hooks-string", addl("hooks: x"), True),
    ("unknown-key", addl("foo: bar"), False),
    ("unknown-tools", addl("tools: Read"), False),
    ("shell-inject-readonly", attr(body="Status: !`git status`\n\n{t}"), False),
    ("shell-inject-write", attr(body="Do: !`rm -rf build`\n\n{t}"), False),
]

COMMAND_FILES: list[tuple[str, Mut, bool]] = [
    ("file-nested", attr(filename="{t}/sub.md"), False),
    ("file-nested-deep", attr(filename="{t}/a/b.md"), False),
    ("file-upper-ext", attr(filename="{t}.MD"), False),
    ("file-markdown-ext", attr(filename="{t}.markdown"), False),
    ("file-no-ext", attr(filename="{t}"), False),
    ("file-hidden", attr(filename=".{t}.md"), False),
    ("file-space", attr(filename="{t} run.md"), False),
    ("file-colon", attr(filename="{t}:x.md"), False),
    ("file-skill-md", attr(filename="{t}/SKILL.md"), False),
    ("file-upper-name", attr(filename="{T}.md"), False),
]


# ---------------------------------------------------------------------------- generator


@dataclass
class _Counter:
    n: dict[str, int] = field(default_factory=dict)

    def token(self, kind: str) -> str:
        self.n[kind] = self.n.get(kind, 0) + 1
        return f"{kind[0]}{self.n[kind]:04d}"


def _agent_file(t: str, d: Doc) -> File:
    fname = (d.filename or "{t}.md").replace("{T}", t.upper()).replace("{t}", t)
    names = [x[5:].strip(" \t\"'") for x in d.lines or [] if x.startswith("name:")]
    name = t if len(names) == 1 and names[0].startswith(t) else None
    return File(f".claude/agents/{fname}", d.data(), name)


def _skill_file(t: str, d: Doc) -> File:
    fname = (d.filename or "{t}/SKILL.md").replace("{T}", t.upper()).replace("{t}", t)
    listed = fname.rsplit("/", 2)[-2] if "/" in fname else t
    return File(f".claude/skills/{fname}", d.data(), listed)


def _command_file(t: str, d: Doc) -> File:
    fname = (d.filename or "{t}.md").replace("{T}", t.upper()).replace("{t}", t)
    stem = re.sub(r"\.(md|MD|markdown)$", "", fname)
    return File(f".claude/commands/{fname}", d.data(), stem.replace("/", ":"))


_BUILD = {
    "agent": (agent_base, _agent_file),
    "skill": (skill_base, _skill_file),
    "command": (command_base, _command_file),
}


def _make(counter: _Counter, kind: str, label: str, mut: Mut, isolate: bool, group: str) -> Case:
    base, to_file = _BUILD[kind]
    t = counter.token(kind)
    d = mut(base(t), t)
    f = to_file(t, d)
    # the listing maps back through the token: a name that hides it needs a run of its own
    iso = isolate or f.name is None or not f.name.lower().startswith(t)
    return Case(f"gen/{kind}/{t}-{label}", kind, "generated", (f,), iso, f"{group}: {label}")


def _duplicates(counter: _Counter) -> Iterator[Case]:
    for label, second in (
        ("dup-name-same-folder", ".claude/agents/{t}-b.md"),
        ("dup-name-subfolder", ".claude/agents/sub/{t}.md"),
    ):
        t = counter.token("agent")
        second = second.format(t=t)
        a = Doc([f"name: {t}", f"description: {t} FIRST file"], "First.")
        b = Doc([f"name: {t}", f"description: {t} SECOND file"], "Second.")
        yield Case(
            f"gen/agent/{t}-{label}",
            "agent",
            "generated",
            (File(f".claude/agents/{t}-a.md", a.data(), t), File(second, b.data(), t)),
            True,
            f"same name twice: {label}",
        )
    s = counter.token("skill")
    yield Case(
        f"gen/skill/{s}-skill-and-command-same-name",
        "skill",
        "generated",
        (
            File(f".claude/skills/{s}/SKILL.md", skill_base(s).data(), s),
            File(f".claude/commands/{s}.md", command_base(s).data(), s),
        ),
        True,
        "a skill and a command with the same name",
    )


def generated() -> list[Case]:
    """Every generated case, in a fixed order (tokens depend on it)."""
    c = _Counter()
    out: list[Case] = []
    out.append(_make(c, "agent", "base", both(), False, "base"))
    for group, table in (
        ("description", DESCRIPTIONS),
        ("name", AGENT_NAMES),
        ("tools", AGENT_TOOLS),
        ("model", AGENT_MODELS),
        ("keys", AGENT_KEYS),
        ("hooks", HOOKS),
        ("format", FORMATS),
        ("file", AGENT_FILES),
    ):
        out.extend(_make(c, "agent", label, m, iso, group) for label, m, iso in table)
    out.append(_make(c, "skill", "base", both(), False, "base"))
    for group, table in (
        ("description", DESCRIPTIONS),
        ("keys", SKILL_KEYS),
        ("format", FORMATS),
        ("file", SKILL_FILES),
    ):
        out.extend(_make(c, "skill", label, m, iso, group) for label, m, iso in table)
    out.append(_make(c, "command", "base", both(), False, "base"))
    for group, table in (
        ("description", DESCRIPTIONS),
        ("keys", COMMAND_KEYS),
        ("format", FORMATS),
        ("file", COMMAND_FILES),
    ):
        out.extend(_make(c, "command", label, m, iso, group) for label, m, iso in table)
    out.extend(_duplicates(c))
    # seeded combinations: a value mutation and a format mutation together
    rng = random.Random(SEED)
    values = {
        "agent": DESCRIPTIONS + AGENT_NAMES + AGENT_TOOLS + AGENT_MODELS + AGENT_KEYS,
        "skill": DESCRIPTIONS + SKILL_KEYS,
        "command": DESCRIPTIONS + COMMAND_KEYS,
    }
    light = [f for f in FORMATS if not f[2] and not f[0].startswith("fmt-size")]
    for kind, n in (("agent", 80), ("skill", 40), ("command", 30)):
        for _ in range(n):
            v = rng.choice(values[kind])
            f = rng.choice(light)
            out.append(
                _make(c, kind, f"{v[0]}+{f[0]}", both(v[1], f[1]), v[2] or f[2], "combination")
            )
    # added later: appended so that the ids of the cases above do not move
    out.extend(_make(c, "agent", label, m, iso, "vocabulary") for label, m, iso in VOCABULARY)
    out.extend(_make(c, "skill", label, m, iso, "listing") for label, m, iso in LISTING_SKILL)
    out.extend(_make(c, "command", label, m, iso, "listing") for label, m, iso in LISTING_COMMAND)
    out.extend(_make(c, "skill", label, m, iso, "shell") for label, m, iso in SHELL_SKILL)
    return out


# Claude Code 2.1.332's own hook-event list (its binary), one handler each
HOOK_EVENTS_2_1_332 = (
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PostToolBatch",
    "Notification",
    "UserPromptSubmit",
    "UserPromptExpansion",
    "SessionStart",
    "SessionEnd",
    "Stop",
    "StopFailure",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "PreModelSwitch",
    "PostModelSwitch",
    "PermissionRequest",
    "PermissionDenied",
    "Setup",
    "TeammateIdle",
    "TaskCreated",
    "TaskCompleted",
    "Elicitation",
    "ElicitationResult",
    "ConfigChange",
    "WorktreeCreate",
    "WorktreeRemove",
    "InstructionsLoaded",
    "CwdChanged",
    "FileChanged",
    "DirectoryAdded",
    "MessageDisplay",
    "PreSkillShellCommand",
)

# vocabularies (issue 10, item 4): tools the session leaves out, undocumented keys, every event
VOCABULARY: list[tuple[str, Mut, bool]] = [
    ("tools-todowrite-only", setk("tools", "TodoWrite"), False),
    (
        "tools-glob-bash-disallowed",
        both(setk("tools", "Bash, Glob, Read"), addl("disallowedTools: Bash")),
        False,
    ),
    ("tools-glob-grep-only", setk("tools", "Glob, Grep"), False),
    ("tools-killbash", setk("tools", "KillBash, Read"), False),
    ("tools-ls-only", setk("tools", "LS"), False),
    (
        "keys-undocumented-runtime",
        addl(
            "autoCompactWindow: 100000",
            "experimental:",
            "  cacheTtl: 1h",
            "observeToolResults: false",
            "observerMessage: note",
            "observeSubagents: false",
        ),
        False,
    ),
    ("model-Best", setk("model", "Best"), False),
    ("model-opus-4-1-short", setk("model", "claude-opus-4-1"), False),
    (
        "hooks-every-event",
        addl(
            "hooks:",
            *[
                line
                for e in HOOK_EVENTS_2_1_332
                for line in (
                    f"  {e}:",
                    "    - hooks:",
                    "        - type: command",
                    "          command: 'true'",
                )
            ],
        ),
        True,
    ),
]


# the description as listed (issue 10, item 3): what the runtime's sanitiser keeps or flattens,
# and how it prints values that are not strings
LISTING_SKILL: list[tuple[str, Mut, bool]] = [
    (
        "desc-emoji-sequences",
        setk(
            "description",
            "{t} fam \U0001f468\u200d\U0001f469\u200d\U0001f467 flag \U0001f3f4\U000e0067"
            "\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f key 1\ufe0f\u20e3 heart "
            "\u2764\ufe0f",
        ),
        False,
    ),
    ("desc-ansi-escape", setk("description", '"{t} \\e[31mred\\e[0m end"'), False),
    (
        "desc-zwnj-persian",
        setk("description", "{t} \u0645\u06cc\u200c\u062e\u0648 x\u200dy"),
        False,
    ),
    ("desc-amp-quotes", setk("description", "'{t} a & b \"q\" ''s'''"), False),
    ("desc-nbsp-ideographic-space", setk("description", "{t} a\u00a0b\u3000c"), False),
    ("desc-soft-hyphen", setk("description", "{t} soft\u00adhyphen"), False),
    ("desc-big-integer", setk("description", "12345678901234567890"), False),
    ("desc-exponent", setk("description", "1e3"), False),
    ("desc-hex", setk("description", "0x1F"), False),
    ("desc-small-float", setk("description", "0.0000001"), False),
    ("when-to-use-list", addl("when_to_use: [a, b]"), False),
    (
        "body-fallback-heading-u2028",
        both(delk("description"), attr(body="# {t} head\u2028tail\n\nText.")),
        False,
    ),
]
LISTING_COMMAND: list[tuple[str, Mut, bool]] = [
    ("when-to-use-mapping", addl("when_to_use: {{a: 1}}"), False),
    ("when-to-use-float", addl("when_to_use: 1.50"), False),
]


# `!` commands in a skill body without `allowed-tools` (issue 10, item 5): which ones the
# runtime's read-only check lets run, and which abort the invocation
def _inject(command: str) -> Mut:
    return attr(body=f"Out: !`{command}`\n\n{{t}}")


SHELL_SKILL: list[tuple[str, Mut, bool]] = [
    ("inject-git-status", _inject("git status --short"), False),
    ("inject-ls", _inject("ls"), False),
    ("inject-echo", _inject("echo hi"), False),
    ("inject-pipe", _inject("ls | head -1"), False),
    ("inject-and", _inject("pwd && echo x"), False),
    ("inject-cat", _inject("head -c 4 .git/HEAD"), False),
    ("inject-git-log", _inject("git rev-parse --is-inside-work-tree"), False),
    ("inject-git-diff", _inject("git diff --stat"), False),
    ("inject-wc", _inject("wc -l .git/HEAD"), False),
    ("inject-grep", _inject("grep -r zzz ."), False),
    ("inject-find", _inject("find . -name x"), False),
    ("inject-date", _inject("uname -s"), False),
    ("inject-rm", _inject("rm -rf build"), False),
    ("inject-touch", _inject("touch x"), False),
    ("inject-redirect", _inject("echo hi > out.txt"), False),
    ("inject-find-delete", _inject("find . -name x -delete"), False),
    ("inject-git-commit", _inject("git commit -m x"), False),
    ("inject-npm-test", _inject("npm test"), False),
    ("inject-subshell", _inject("echo $(rm x)"), False),
    ("inject-and-write", _inject("ls && rm x"), False),
    ("inject-block-readonly", attr(body="```!\ngit status --short\nls\n```\n\n{t}"), False),
    ("inject-block-write", attr(body="```!\nls\nmkdir zz\n```\n\n{t}"), False),
    ("inject-in-fence", attr(body="```sh\necho !`rm -rf build`\n```\n\n{t}"), False),
    (
        "inject-in-code-span",
        attr(body="Keep `.gitignore !`-rules (`a/.keep`) as is.\n\n{t}"),
        False,
    ),
    ("inject-two-lines", attr(body="Out: !`rm -rf\nbuild`\n\n{t}"), False),
    ("inject-block-mid-line", attr(body="Run ```!\nrm -rf build\n``` now.\n\n{t}"), False),
]


# ------------------------------------------------------------------ examples and corpus

_NAME = re.compile(rb"""(?m)^name[ \t]*:[ \t]*["']?([^"'\r\n#]*?)["']?[ \t]*\r?$""")


def front_matter_name(data: bytes) -> str | None:
    """The agent name, read roughly (to batch and attribute); None when unsure."""
    if not data.startswith(b"---"):
        return None
    end = data.find(b"\n---", 3)
    head = data[: end if end > 0 else 4096]
    found = _NAME.findall(head)
    if len(found) != 1:
        return None
    try:
        name = found[0].decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return name or None


def _kind_of(rel: str) -> str | None:
    parts = rel.split("/")
    if rel.endswith("/SKILL.md") and len(parts) >= 3 and parts[-3] == "skills":
        return "skill"
    if (
        len(parts) >= 2
        and parts[-2] == "agents"
        and rel.endswith(".md")
        and not rel.endswith(".agent.md")
    ):
        return "agent"
    if len(parts) >= 2 and parts[-2] == "commands" and rel.endswith(".md"):
        return "command"
    return None


def kind_of_file(rel: str) -> str:
    """The kind of a laid-out file, from its folder under ``.claude/``."""
    folder = rel.split("/")[1] if rel.startswith(".claude/") else ""
    return {"agents": "agent", "skills": "skill", "commands": "command"}.get(folder, "agent")


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-") or "x"


def _external(source: str, root: Path, prefix: str) -> list[Case]:
    out: list[Case] = []
    if not root.is_dir():
        return out
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root).as_posix()
        kind = _kind_of(rel)
        if kind is None or not p.is_file():
            continue
        data = p.read_bytes()
        parts = rel.split("/")
        origin = f"{prefix}{rel}"
        if rel.startswith(".claude/"):  # already laid out as a project (the examples)
            name = front_matter_name(data) if kind == "agent" else None
            if kind != "agent":
                name = parts[-2] if kind == "skill" else rel.split("/", 2)[2][: -len(".md")]
            f = File(rel, data, name, origin)
        elif kind == "agent":
            group = _slug("-".join(parts[:-2])) if len(parts) > 2 else "top"
            name = front_matter_name(data)
            f = File(f".claude/agents/{group}/{parts[-1]}", data, name, origin)
        elif kind == "skill":
            f = File(f".claude/skills/{parts[-2]}/SKILL.md", data, parts[-2], origin)
        else:
            group = _slug(parts[-3]) if len(parts) > 2 else "top"
            stem = parts[-1][: -len(".md")]
            f = File(f".claude/commands/{group}/{parts[-1]}", data, f"{group}:{stem}", origin)
        out.append(Case(f"{source}/{rel}", kind, source, (f,), f.name is None, ""))
    return out


def examples() -> list[Case]:
    return _external("examples", EXAMPLES, "examples/")


def corpus() -> list[Case]:
    return _external("corpus", CORPUS, "")


def all_cases(sources: tuple[str, ...] = ("generated", "examples", "corpus")) -> list[Case]:
    out: list[Case] = []
    if "generated" in sources:
        out += generated()
    if "examples" in sources:
        out += examples()
    if "corpus" in sources:
        out += corpus()
    return out
