"""Agent Skills (`SKILL.md`) cases shared by the skills-ref and Codex drivers.

Every generated file is a mutation of one valid skill whose name and folder are its token
(``k0042``), so a runtime's output (a folder, a path, a listed name) maps back to the case.
Cases are built without a layout: ``generated(root)`` places each skill under ``root`` (for
skills-ref a plain ``skills/`` folder, for Codex ``.agents/skills/``); the bytes, the ids and the
tokens do not depend on the root, so one generator serves both runtimes.

Reuses the description and format mutations of the Claude Code suite (``tests.conformance.cases``,
read only) and adds the Agent Skills specification's own rules: the name's charset, length and
folder match, the description and compatibility limits, the six allowed keys and their types.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from tests.conformance.cases import (
    CORPUS,
    DESCRIPTIONS,
    FORMATS,
    Case,
    Doc,
    File,
    Mut,
    addl,
    attr,
    both,
    delk,
    fm_bytes,
    prep,
    rawb,
    setk,
)

DIALECT = "agentskills"
TOKEN = re.compile(r"\bk\d{4}\b")


def skill_base(t: str) -> Doc:
    return Doc(
        [f"name: {t}", f"description: {t} extracts tables from PDF files"],
        f"# {t}\n\nRead the PDF and extract every table.",
    )


def named(value: str, folder: str) -> Mut:
    """``name: value`` in a folder of the given name (so only the name's own rules apply)."""

    def f(d: Doc, t: str) -> Doc:
        v = value.replace("{T}", t.upper()).replace("{t}", t)
        return both(
            setk("name", v.replace("{", "{{").replace("}", "}}")),
            attr(filename=folder + "/SKILL.md"),
        )(d, t)

    return f


_NAMES: list[tuple[str, Mut]] = [
    ("name-hyphenated", named("{t}-pdf-tables", "{t}-pdf-tables")),
    ("name-upper", named("{T}", "{T}")),
    ("name-mixed-case", named("{t}-Pdf", "{t}-Pdf")),
    ("name-leading-hyphen", named("-{t}", "-{t}")),
    ("name-trailing-hyphen", named("{t}-", "{t}-")),
    ("name-double-hyphen", named("{t}--pdf", "{t}--pdf")),
    ("name-underscore", named("{t}_pdf", "{t}_pdf")),
    ("name-dot", named("{t}.pdf", "{t}.pdf")),
    ("name-space", named("{t} pdf", "{t} pdf")),
    ("name-colon", named('"{t}:pdf"', "{t}:pdf")),
    ("name-slash-like", named("{t}+pdf", "{t}+pdf")),
    ("name-unicode-lower", named("{t}-café", "{t}-café")),
    ("name-unicode-upper", named("{t}-CAFÉ", "{t}-CAFÉ")),
    ("name-cjk", named("{t}-日本", "{t}-日本")),
    ("name-fullwidth-nfkc", named("{t}-ｐｄｆ", "{t}-pdf")),
    ("name-fullwidth-folder-nfkc", named("{t}-pdf", "{t}-ｐｄｆ")),
    ("name-emoji", named("{t}-🚀", "{t}-🚀")),
    ("name-digits-only", named("12345", "12345")),
    ("name-64", named("{t}-" + "a" * 58, "{t}-" + "a" * 58)),
    ("name-65", named("{t}-" + "a" * 59, "{t}-" + "a" * 59)),
    ("name-long-200", named("{t}-" + "b" * 194, "{t}-" + "b" * 194)),
    ("name-double-quoted", setk("name", '"{t}"')),
    ("name-single-quoted", setk("name", "'{t}'")),
    ("name-trailing-spaces-quoted", setk("name", '"{t}  "')),
    ("name-leading-spaces-quoted", setk("name", '"  {t}"')),
    ("name-folder-differs", setk("name", "{t}-other")),
    ("name-folder-case", named("{t}", "{T}")),
    ("name-folder-suffix", named("{t}", "{t}-v2")),
    ("name-bool", named("true", "true")),
    ("name-number-float", named("1.5", "1.5")),
    ("name-null-tilde", setk("name", "~")),
    ("name-null-word", named("null", "null")),
    ("name-empty", setk("name", "")),
    ("name-empty-quoted", setk("name", '""')),
    ("name-whitespace-quoted", setk("name", '"   "')),
    ("name-list", setk("name", "\n  - {t}")),
    ("name-flow-list", setk("name", "[{t}]")),
    ("name-mapping", setk("name", "\n  id: {t}")),
    ("name-missing", delk("name")),
    ("name-missing-desc-missing", both(delk("name"), delk("description"))),
    ("name-key-upper", both(delk("name"), prep("Name: {t}"))),
    ("name-twice", addl("name: {t}")),
    ("name-twice-differs", addl("name: {t}-second")),
    ("name-block-literal", setk("name", "|\n  {t}")),
    ("name-tagged-str", setk("name", "!!str {t}")),
    ("name-anchor", both(setk("name", "&n {t}"), addl("x-copy: *n"))),
    ("name-comment-after", setk("name", "{t} # the name")),
]

_SPEC_DESCRIPTIONS: list[tuple[str, Mut]] = [
    ("desc-1024", setk("description", "{t} " + "d" * (1024 - 6))),
    ("desc-1025", setk("description", "{t} " + "d" * (1025 - 6))),
    ("desc-1024-multibyte", setk("description", "{t} " + "é" * (1024 - 6))),
    ("desc-1025-multibyte", setk("description", "{t} " + "é" * (1025 - 6))),
    ("desc-1024-plus-spaces-quoted", setk("description", '"{t} ' + "d" * (1024 - 6) + '   "')),
    ("desc-1024-block-newline", setk("description", "|\n  {t} " + "d" * (1024 - 6))),
    ("desc-lt", setk("description", "{t} use when x < 10")),
    ("desc-gt", setk("description", '"{t} use when x > 10"')),
    ("desc-angle-tag", setk("description", '"{t} <tables> from PDF"')),
    ("desc-angle-script", setk("description", '"{t} <script>alert(1)</script>"')),
    ("desc-ampersand", setk("description", "{t} tables & charts")),
    ("desc-leading-spaces-quoted", setk("description", '"   {t} padded"')),
    ("desc-multiline-quoted", setk("description", '"{t} first\n  second"')),
    ("desc-crlf-escape", setk("description", '"{t} a\\r\\nb"')),
    ("desc-short", setk("description", "{t}")),
]

_KEYS: list[tuple[str, Mut]] = [
    ("license-string", addl("license: MIT")),
    ("license-long", addl("license: Proprietary. LICENSE.txt has complete terms")),
    ("license-number", addl("license: 2")),
    ("license-empty", addl("license:")),
    ("license-list", addl("license:", "  - MIT", "  - Apache-2.0")),
    ("license-mapping", addl("license:", "  spdx: MIT")),
    ("compatibility-string", addl("compatibility: Requires Python 3.11 and network access")),
    ("compatibility-500", addl("compatibility: " + "c" * 500)),
    ("compatibility-501", addl("compatibility: " + "c" * 501)),
    ("compatibility-number", addl("compatibility: 3")),
    ("compatibility-empty", addl("compatibility:")),
    ("compatibility-empty-quoted", addl('compatibility: ""')),
    ("compatibility-list", addl("compatibility:", "  - claude-code", "  - codex")),
    ("compatibility-mapping", addl("compatibility:", "  python: '3.11'")),
    ("metadata-map", addl("metadata:", "  author: me", '  version: "1.0"')),
    ("metadata-number-values", addl("metadata:", "  version: 1.0", "  stars: 5")),
    ("metadata-bool-value", addl("metadata:", "  beta: true")),
    ("metadata-nested-map", addl("metadata:", "  author:", "    name: me")),
    ("metadata-list-value", addl("metadata:", "  tags:", "    - pdf", "    - tables")),
    ("metadata-string", addl("metadata: me")),
    ("metadata-empty", addl("metadata:")),
    ("metadata-list", addl("metadata:", "  - a", "  - b")),
    ("metadata-flow-map", addl("metadata: {{author: me}}")),
    ("metadata-short-description", addl("metadata:", "  short-description: {t} short")),
    ("allowed-tools-string", addl("allowed-tools: Bash(git:*) Read")),
    ("allowed-tools-comma", addl("allowed-tools: Read, Grep")),
    ("allowed-tools-list", addl("allowed-tools:", "  - Read", "  - Grep")),
    ("allowed-tools-flow-list", addl("allowed-tools: [Read, Grep]")),
    ("allowed-tools-empty", addl("allowed-tools:")),
    ("allowed-tools-mapping", addl("allowed-tools:", "  Read: true")),
    (
        "all-six-keys",
        addl(
            "license: MIT", "compatibility: any", "allowed-tools: Read", "metadata:", "  author: me"
        ),
    ),
    ("unknown-foo", addl("foo: bar")),
    ("unknown-two", addl("foo: bar", "baz: qux")),
    ("unknown-version", addl("version: 1.2.0")),
    ("unknown-when-to-use", addl("when_to_use: {t} when tables appear")),
    ("unknown-argument-hint", addl("argument-hint: <file>")),
    ("unknown-dmi", addl("disable-model-invocation: true")),
    ("unknown-user-invocable", addl("user-invocable: false")),
    ("unknown-model", addl("model: sonnet")),
    ("unknown-context", addl("context: fork")),
    ("unknown-allowed-tools-snake", addl("allowed_tools: Read")),
    ("unknown-license-upper", addl("License: MIT")),
    ("unknown-short-description", addl("short-description: {t} short")),
    ("unknown-tools", addl("tools: Read")),
    ("unknown-hooks", addl("hooks:", "  PreToolUse: []")),
    ("unknown-x-prefixed", addl("x-owner: me")),
    ("repeated-description", addl("description: {t} second description")),
    ("repeated-license", addl("license: MIT", "license: BSD")),
    ("anchor-unused", addl("license: &lic MIT")),
    ("merge-key-metadata", addl("x-base: &b", "  author: me", "metadata:", "  <<: *b")),
    ("flow-map-value", addl("x-extra: {{a: 1}}")),
    ("flow-list-value", addl("x-extra: [a, b]")),
    ("tag-on-unknown", addl("x-extra: !!int 5")),
    ("body-empty", attr(body="", tail="")),
    ("body-huge", attr(body="line of body text\n" * 30000)),
    ("body-dashes-early", attr(body="---\nnot yaml: [\n---\n")),
]

_FILES: list[tuple[str, Mut]] = [
    ("file-lowercase-skill-md", attr(filename="{t}/skill.md")),
    ("file-upper-ext", attr(filename="{t}/SKILL.MD")),
    ("file-mixed-case", attr(filename="{t}/Skill.md")),
    ("file-nested", attr(filename="group/{t}/SKILL.md")),
    ("file-nested-deep", attr(filename="a/b/{t}/SKILL.md")),
    ("file-readme-only", attr(filename="{t}/README.md")),
    ("file-top-level", attr(filename="{t}.md")),
    ("file-hidden-folder", named("{t}", ".{t}")),
]

_BOUNDARY: list[tuple[str, Mut]] = [
    ("fmt-blank-line-before-closer", fm_bytes(b"\n---\n#", b"\n\n---\n#")),
    ("fmt-closer-no-newline-eof", both(attr(body="", tail=""), rawb(lambda b: b.rstrip(b"\n")))),
    ("fmt-dashes-in-name", named("{t}---x", "{t}---x")),
    ("fmt-dashes-in-desc-quoted", setk("description", '"{t} a --- b"')),
    ("fmt-bom-utf8-sig-crlf", attr(bom=True, newline="\r\n")),
    ("fmt-bom-after-opener", fm_bytes(b"---\n", b"---\n\xef\xbb\xbf")),
    (
        "fmt-indent-4",
        lambda d, t: replace(d, lines=[*(d.lines or []), "metadata:", "    author: me"]),
    ),
    ("fmt-tab-in-metadata", addl("metadata:", "\tauthor: me")),
    ("fmt-opener-only", attr(lines=[], closer=None, body="")),
    ("fmt-three-dashes-only-file", rawb(lambda b: b"---\n")),
    ("fmt-empty-file", rawb(lambda b: b"")),
]


def _groups() -> Iterator[tuple[str, str, Mut, bool]]:
    """(group, label, mutation, isolate) in a fixed order: the tokens depend on it."""
    yield "base", "base", both(), False
    for label, m, iso in DESCRIPTIONS:
        yield "description", label, m, iso
    for label, m in _SPEC_DESCRIPTIONS:
        yield "description", label, m, False
    for label, m in _NAMES:
        yield "name", label, m, False
    for label, m in _KEYS:
        yield "keys", label, m, False
    for label, m, iso in FORMATS:
        yield "format", label, m, iso
    for label, m in _BOUNDARY:
        yield "format", label, m, False
    for label, m in _FILES:
        yield "file", label, m, False


def generated(root: str = "skills") -> list[Case]:
    """Every generated case, each one skill laid out under ``root``/<folder>/SKILL.md."""
    out: list[Case] = []
    for n, (group, label, mut, iso) in enumerate(_groups(), start=1):
        t = f"k{n:04d}"
        d = mut(skill_base(t), t)
        fname = (d.filename or "{t}/SKILL.md").replace("{T}", t.upper()).replace("{t}", t)
        f = File(f"{root}/{fname}", d.data(), t)
        out.append(
            Case(f"gen/{DIALECT}/{t}-{label}", "skill", "generated", (f,), iso, f"{group}: {label}")
        )
    return out


def token_of(case_id: str) -> str:
    m = TOKEN.search(case_id)
    return m.group(0) if m else ""


def corpus_files() -> list[Path]:
    """Every SKILL.md (any case) of the shared corpus, sorted."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.name.lower() == "skill.md" and p.is_file())


def corpus(root: str = "skills") -> list[Case]:
    """The corpus skills, each laid out as ``root``/<its folder>/SKILL.md (id: corpus path)."""
    out: list[Case] = []
    for p in corpus_files():
        rel = p.relative_to(CORPUS).as_posix()
        data = p.read_bytes()
        f = File(f"{root}/{p.parent.name}/{p.name}", data, p.parent.name, rel)
        out.append(Case(f"corpus/{rel}", "skill", "corpus", (f,), False, ""))
    return out
