"""docs/rules.md: one section per finding code, and every example does what it says.

Each ``md bad`` block is a whole agent file that must make agentls report the section's code;
each ``md good`` block must not report it. A ``<!-- claude-version: X.Y.Z -->`` or
``<!-- path: P -->`` comment on the lines right before a block sets the target version or the
file path used for that block. A ``<lang> file <path>`` block (``md file docs/x.md``,
``json file .mcp.json``) is another file of the workspace the section's later examples are
checked in, with the workspace checks (AGL800 and up) run as the CLI runs them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agentls.cli import read_text
from agentls.core.analysis import Analysis, analyze, finish
from agentls.core.codes import CODES
from agentls.core.cost import Listings
from agentls.core.findings import Finding, Severity
from agentls.core.settings import Settings
from agentls.core.versions import Version
from agentls.core.workspace import Index, read_head
from agentls.core.workspace_checks import Workspace, check

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
DEFAULT_PATH = ".claude/agents/demo.md"

# Codes whose trigger cannot be written literally in a Markdown code block (byte order mark,
# CRLF line endings, control characters, U+2028, invalid UTF-8 or lone surrogates, a body longer
# than 30,000 characters): their sections describe the input in an "Example:" sentence instead
# of a `md bad` block. These are the only codes allowed to have no `md bad` block;
# test_unwritable_triggers builds the inputs.
NO_BAD_BLOCK = frozenset(
    {"AGL005", "AGL011", "AGL102", "AGL103", "AGL104", "AGL702", "AGL805", "AGL807"}
)

# Documented bad examples that do not report their code because of an analyser bug:
# code -> the bug. Each is an xfail(strict=True), so fixing the bug makes the test fail until
# its entry is removed.
XFAIL_BAD: dict[str, str] = {}

HEADING = re.compile(r"^## (AGL\d{3}) (\S+)$")
META = re.compile(
    r"^\*\*Default severity:\*\* (\w+) · \*\*Class:\*\* (\w+) · \*\*Since:\*\* agentls (\S+)$"
)
COMMENT = re.compile(r"^<!-- (claude-version|path): (\S+) -->$")
TOC_ROW = re.compile(r"^\| \[(AGL\d{3})\]\(#([^)]+)\) \| `([^`]+)` \| (\w+) \| (.+) \|$")


@dataclass
class Example:
    code: str
    kind: str  # "bad" or "good"
    text: str
    line: int  # 1-based line of the opening fence
    version: str | None = None
    path: str = DEFAULT_PATH
    files: dict[str, str] = field(default_factory=dict)  # other files of its workspace

    def analyze(self) -> Analysis:
        settings = Settings()
        if self.version is not None:
            settings = Settings(claude_version=Version.parse(self.version))
        if not self.files and not self.code.startswith("AGL8"):
            return analyze(self.path, self.text, settings)
        with tempfile.TemporaryDirectory() as root:
            for rel, text in {**self.files, self.path: self.text}.items():
                full = os.path.join(root, rel)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as fh:
                    fh.write(text)
            index = Index()
            index.scan(root)
            a = analyze(os.path.join(root, self.path), self.text, settings)
            listings = Listings(read_head)
            more = finish(
                check(
                    a,
                    Workspace(
                        index,
                        project=lambda a: listings.project(a.path or "", index, settings),
                    ),
                ),
                settings,
            )
        a.findings = tuple(sorted(a.findings + more, key=Finding.sort_key))
        return a


@dataclass
class Section:
    code: str
    name: str
    line: int
    lines: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def blocks(self, kind: str) -> list[Example]:
        return [e for e in self.examples if e.kind == kind]


def parse_doc(text: str) -> tuple[list[Section], list[str]]:
    """The ``## AGL…`` sections with their examples, and every other line outside fences."""
    sections: list[Section] = []
    outside: list[str] = []
    current: Section | None = None
    fence: str | None = None  # info string of the open fence
    body: list[str] = []
    start = 0
    comments: dict[str, str] = {}
    for no, line in enumerate(text.split("\n"), 1):
        if fence is not None:
            if line == "```":
                words = fence.split()
                if current is not None and len(words) == 3 and words[1] == "file":
                    current.files[words[2]] = "\n".join(body) + "\n"
                if current is not None and fence in ("md bad", "md good"):
                    current.examples.append(
                        Example(
                            current.code,
                            fence.split()[1],
                            "\n".join(body) + "\n",
                            start,
                            comments.get("claude-version"),
                            comments.get("path", DEFAULT_PATH),
                            dict(current.files),
                        )
                    )
                fence, body, comments = None, [], {}
            else:
                body.append(line)
            continue
        if line.startswith("```"):
            fence, start = line[3:].strip(), no
            continue
        m = COMMENT.match(line)
        if m:
            comments[m.group(1)] = m.group(2)
        else:
            comments = {}
        if line.startswith("## "):
            h = HEADING.match(line)
            current = Section(h.group(1), h.group(2), no) if h else None
            if current is not None:
                sections.append(current)
                continue
        if current is not None:
            current.lines.append(line)
        else:
            outside.append(line)
    assert fence is None, f"unclosed code block at line {start}"
    return sections, outside


SECTIONS, OUTSIDE = parse_doc(DOC.read_text("utf-8"))
BY_CODE = {s.code: s for s in SECTIONS}


def _examples(kind: str) -> list[object]:
    params: list[object] = []
    for s in SECTIONS:
        for i, e in enumerate(s.blocks(kind)):
            marks = []
            if kind == "bad" and e.code in XFAIL_BAD:
                marks.append(pytest.mark.xfail(reason=XFAIL_BAD[e.code], strict=True))
            params.append(pytest.param(e, id=f"{e.code}-{kind}{i or ''}", marks=marks))
    return params


def _shown(a: Analysis) -> str:
    return "\n".join(
        f"{f.code} {f.severity.label} {a.text[f.span.start : f.span.end]!r}: {f.message}"
        for f in a.findings
    )


# ---------------------------------------------------------------------------------------------
# structure


def test_one_section_per_code_in_codes_order() -> None:
    counts = Counter(s.code for s in SECTIONS)
    assert [c for c, n in counts.items() if n > 1] == [], "codes with several sections"
    assert [s.code for s in SECTIONS if s.code not in CODES] == [], "headings of unknown codes"
    assert [c for c in CODES if c not in counts] == [], "codes without a section"
    assert [s.code for s in SECTIONS] == list(CODES), "sections not in codes.py order"


@pytest.mark.parametrize("code", list(CODES))
def test_section_heading_and_metadata(code: str) -> None:
    section = BY_CODE.get(code)
    assert section is not None, f"no section for {code}"
    assert section.name == CODES[code].name
    metas = [m for m in map(META.match, section.lines) if m]
    assert len(metas) == 1, f"{code}: expected one **Default severity:** line"
    severity, klass, since = metas[0].groups()
    assert severity == CODES[code].severity.label
    assert klass == CODES[code].klass
    assert re.fullmatch(r"\d+\.\d+\.\d+", since)
    for label in ("**What.**", "**Why.**", "**Fix.**"):
        assert sum(ln.startswith(label) for ln in section.lines) == 1, f"{code}: {label}"


def test_table_of_contents_lists_every_code() -> None:
    rows = [m.groups() for m in map(TOC_ROW.match, OUTSIDE) if m]
    assert [r[0] for r in rows] == list(CODES)
    for code, anchor, name, severity, summary in rows:
        c = CODES[code]
        assert anchor == f"{code.lower()}-{c.name}"
        assert (name, severity, summary) == (c.name, c.severity.label, c.summary)


def test_every_code_has_a_short_anchor() -> None:
    """`agentls check --format sarif` links each rule to ``docs/rules.md#<code>``."""
    text = DOC.read_text("utf-8")
    for code in CODES:
        assert text.count(f'<a id="{code.lower()}"></a>\n\n## {code} ') == 1, code


def test_only_allow_listed_codes_lack_a_bad_example() -> None:
    without = {s.code for s in SECTIONS if not s.blocks("bad")}
    assert without <= NO_BAD_BLOCK, f"add a `md bad` block to {sorted(without - NO_BAD_BLOCK)}"
    for code in NO_BAD_BLOCK:
        assert any(ln.startswith("Example: ") for ln in BY_CODE[code].lines), code


def test_sections_with_a_bad_example_also_have_a_good_one() -> None:
    for s in SECTIONS:
        if s.blocks("bad"):
            assert len(s.blocks("bad")) == 1 and len(s.blocks("good")) == 1, s.code


def test_version_comments_parse() -> None:
    for s in SECTIONS:
        for e in s.examples:
            if e.version is not None:
                Version.parse(e.version)


# ---------------------------------------------------------------------------------------------
# examples


@pytest.mark.parametrize("example", _examples("bad"))
def test_bad_example_reports_its_code(example: Example) -> None:
    a = example.analyze()
    assert example.code in {f.code for f in a.findings}, (
        f"docs/rules.md:{example.line}: {example.code} not reported; got:\n{_shown(a)}"
    )


@pytest.mark.parametrize("example", _examples("good"))
def test_good_example_does_not_report_its_code(example: Example) -> None:
    a = example.analyze()
    assert example.code not in {f.code for f in a.findings}, (
        f"docs/rules.md:{example.line}: {example.code} reported:\n{_shown(a)}"
    )


@pytest.mark.parametrize("example", _examples("good"))
def test_good_example_is_clean(example: Example) -> None:
    a = example.analyze()
    assert a.findings == (), f"docs/rules.md:{example.line}:\n{_shown(a)}"


def _codes(text: str, version: str | None = None, path: str = DEFAULT_PATH) -> dict[str, Severity]:
    settings = Settings(claude_version=Version.parse(version)) if version else Settings()
    return {f.code: f.severity for f in analyze(path, text, settings).findings}


GOOD = "---\nname: code-reviewer\ndescription: Reviews code\n---\nYou review code.\n"


def test_unwritable_triggers(tmp_path: Path) -> None:
    """The inputs that the "Example:" sentences of the allow-listed sections describe."""
    assert _codes("\ufeff" + GOOD) == {"AGL005": Severity.WARNING}
    assert _codes("\ufeff" + GOOD, "2.1.200") == {"AGL005": Severity.ERROR}
    crlf = "---\nname: code-reviewer\ndescription: Use when: code changes\n---\n"
    assert _codes(crlf.replace("\n", "\r\n")) == {"AGL011": Severity.ERROR}
    for ch in ("\x1b", "\x07"):
        # Claude Code reads it (a portability warning); Copilot CLI, which reads
        # `.claude/agents/` too, refuses the front matter (g0666-g0668)
        assert _codes(GOOD.replace("Reviews", f"Reviews{ch}")) == {"AGL102": Severity.ERROR}
    # Claude Code reads it as one line; Copilot CLI's parser breaks the line there, and
    # `Then` alone on a line is a YAML error: it drops the agent (g0602-g0604)
    assert _codes(GOOD.replace("Reviews code", "Reviews code.\u2028Then")) == {
        "AGL103": Severity.INFORMATION,
        "AGL019": Severity.ERROR,
    }
    assert _codes(GOOD.replace("Reviews code", "Reviews caf\udce9 code")) == {
        "AGL104": Severity.WARNING
    }
    github = "---\ndescription: Reviews pull requests\ntarget: github-copilot\n---\n"
    agent = ".github/agents/demo.md"
    assert _codes(github + "x" * 30_000, path=agent) == {}
    assert _codes(github + "x" * 30_001, path=agent) == {"AGL702": Severity.WARNING}
    cp1252 = tmp_path / "demo.md"
    cp1252.write_bytes(GOOD.replace("Reviews code", "Reviews café code").encode("cp1252"))
    _, extra = read_text(str(cp1252))
    assert [f.code for f in extra] == ["AGL104"]
