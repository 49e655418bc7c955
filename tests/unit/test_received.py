"""The description as Claude Code delivers it (agentls.core.received), pinned by the recordings
of 2.1.332 (tests/conformance) and by the runtime's code for the version gates."""

from __future__ import annotations

import pytest

from agentls.core.analysis import analyze
from agentls.core.received import (
    LISTING_CAP_SINCE,
    LISTING_SANITISED_SINCE,
    flatten,
    js_number,
    js_string,
    listed_description,
)
from agentls.core.settings import Settings
from agentls.core.versions import CLAUDE_LATEST, Version

SKILL = "/p/.claude/skills/pdf/SKILL.md"
COMMAND = "/p/.claude/commands/test.md"
AGENT = "/p/.claude/agents/rev.md"
BODY = "# PDF tables\n\nRead the PDF.\n"


def received(path: str, text: str, version: str | None = None) -> str | None:
    settings = Settings()
    if version is not None:
        settings, problems = Settings.parse({"claudeCode.version": version})
        assert not problems
    return analyze(path, text, settings).description()


def skill(front: str, body: str = BODY, version: str | None = None) -> str | None:
    return received(SKILL, f"---\nname: pdf\n{front}---\n{body}", version)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("description: Extracts tables\n", "Extracts tables"),
        # flattened: a block scalar's line breaks, tabs, zero-width characters
        ("description: |\n  literal\n  second line\n\n  para\n", "literal second line para"),
        ('description: "tab\\there\\nnewline"\n', "tab here newline"),
        ("description: zero\u200bwidth\n", "zero width"),
        ("description: |+\n  keep\n\n\n", "keep"),  # trimmed before flattening
        ("description: >2\n   indented more\n", "indented more"),
        # escaped
        ("description: <example>user: hi</example>\n", "&lt;example&gt;user: hi&lt;/example&gt;"),
        ("description: a > b & c\n", "a &gt; b & c"),
        # a literal backslash-n stays (the agent-only rule turns it into a line break)
        ("description: first\\nsecond\n", "first\\nsecond"),
        # numbers and booleans as JavaScript prints them
        ("description: 3000\n", "3000"),
        ("description: 1.5\n", "1.5"),
        ("description: true\n", "true"),
        # when_to_use joined with " - ", flattened but not trimmed
        (
            "description: Extracts\nwhen_to_use: when tables appear\n",
            "Extracts - when tables appear",
        ),
        ("description: Extracts\nwhen_to_use: 5\n", "Extracts - 5"),
        (
            "description: Extracts\nwhen_to_use: |\n  line one\n  line two\n",
            "Extracts - line one line two ",
        ),
        ("description: Extracts\nwhen_to_use: ''\n", "Extracts"),
        ("when_to_use: only this\n", "PDF tables - only this"),
    ],
)
def test_skill_listing(front: str, expected: str) -> None:
    assert skill(front) == expected


@pytest.mark.parametrize(
    "front",
    [
        "",  # missing
        "description:\n",
        "description: ''\n",
        "description: '   '\n",
        "description: [a, b]\n",
        "description: {a: b}\n",
        "description: - item\n",  # invalid YAML: the runtime drops the whole front matter
    ],
)
def test_body_fallback(front: str) -> None:
    assert skill(front) == "PDF tables"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("\n\n  after blank\nmore\n", "after blank"),
        ("- list item\n", "- list item"),
        ("```\ncode\n```\n", "```"),
        ("<!-- note -->\n", "&lt;!-- note --&gt;"),
        ("## Two <b>\n", "Two &lt;b&gt;"),
        ("#NoSpace\n", "#NoSpace"),
        ("x" * 101 + "\n", "x" * 97 + "..."),
        ("x" * 100 + "\n", "x" * 100),
        ("", "Skill"),
        ("  \n\t\n", "Skill"),
    ],
)
def test_body_first_line(body: str, expected: str) -> None:
    assert skill("", body) == expected


def test_command_defaults_and_no_front_matter() -> None:
    assert received(COMMAND, "---\nallowed-tools: Read\n---\n") == "Custom command"
    assert received(COMMAND, "# Heading\n\nText.\n") == "Heading"
    # text before `---`: the runtime sees no front matter, the whole file is the body
    assert received(COMMAND, "Title\n---\ndescription: d\n---\nBody\n") == "Title"
    # lone CR line ends: the whole file is one line, cut at 100 and flattened
    text = "---\rdescription: d\r---\r" + "Run the tests and summarise the failures. " * 3 + "\r"
    got = received(COMMAND, text)
    assert got is not None and got.startswith("--- description: d --- Run the tests")
    assert got.endswith("...") and len(got) == 100


def test_the_cut() -> None:
    head = "description: s "
    assert skill(head + "e" * 1534 + "\n") == "s " + "e" * 1534  # 1,536: as is
    got = skill(head + "e" * 1535 + "\n")  # 1,537
    assert got == "s " + "e" * 1533 + "…" and len(got) == 1536
    got = skill(head + "e" * 1528 + "\nwhen_to_use: abcdefghij\n")
    assert got is not None and got.endswith(" - ab…") and len(got) == 1536


def test_version_gates() -> None:
    before = str(Version(*LISTING_SANITISED_SINCE[:2], LISTING_SANITISED_SINCE.patch - 1))
    assert skill("description: a <b>\tc\n", version=before) == "a <b>\tc"
    assert skill("description: a <b>\tc\n", version=str(LISTING_SANITISED_SINCE)) == "a &lt;b&gt; c"
    old = str(Version(*LISTING_CAP_SINCE[:2], LISTING_CAP_SINCE.patch - 1))
    got = skill("description: " + "e" * 300 + "\n", version=old)
    assert got == "e" * 249 + "…"


def test_agent_keeps_line_separators() -> None:
    for sep in ("\u2028", "\u2029", "\x85"):
        text = f"---\nname: rev\ndescription: line{sep}separator\n---\nYou review.\n"
        assert received(AGENT, text) == f"line{sep}separator"
    text = "---\nname: rev\ndescription: a\\nb <x>\n---\nYou review.\n"
    assert received(AGENT, text) == "a\nb <x>"  # agents: \n converted, nothing escaped


def test_flatten_keeps_emoji_joiners() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert flatten(f"a {family}\u200bb") == f"a {family} b"
    assert flatten("a\x1b[31mred\x1b[0m\n\tb") == "ared b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (float("inf"), "Infinity"),
        (123.456, "123.456"),
    ],
)
def test_js_number(value: float, expected: str) -> None:
    assert js_number(value) == expected


def test_js_string() -> None:
    assert js_string([1, "a", None, [True, 2.0]]) == "1,a,,true,2"
    assert js_string({"a": 1}) == "[object Object]"
    assert js_string(2**60) == "1152921504606847000"  # as JavaScript prints 2 ** 60


def test_listed_description_direct() -> None:
    assert listed_description(None, None, "", CLAUDE_LATEST, "Custom command") == "Custom command"
    assert listed_description("  x  ", ["a", "b"], "", CLAUDE_LATEST) == "x - a,b"


def test_hover_shows_the_listed_description() -> None:
    from agentls.core.hover import hover

    text = "---\nname: pdf\ndescription: |\n  Extracts <tables>\n  fast\nwhen_to_use: tables\n---\n"
    a = analyze(SKILL, text)
    for at in (text.index("description") + 2, text.index("Extracts")):
        h = hover(a, at)
        assert h is not None
        assert "skill listing of Claude Code" in h.markdown
        assert "```text\nExtracts &lt;tables&gt; fast - tables\n```" in h.markdown
    text = "---\ndescription: ''\n---\n# Run the tests\n"
    h = hover(analyze(COMMAND, text), 5)
    assert h is not None and "first line of the body" in h.markdown
    assert "```text\nRun the tests\n```" in h.markdown


def test_flatten_keeps_emoji_sequences_and_joining_letters() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert flatten(f"go {england}!") == f"go {england}!"
    assert flatten("1\ufe0f\u20e3 \u2764\ufe0f") == "1\ufe0f\u20e3 \u2764\ufe0f"
    assert flatten("\u0645\u200c\u0646") == "\u0645\u200c\u0646"  # ZWNJ between Arabic letters
    assert flatten("a\u200db") == "a b"  # a joiner between Latin letters is flattened


# Observed on Claude Code 2.1.332 (conformance cases s0281-s0292, c0209-c0210): the listing
# showed exactly these texts.
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        (
            f"description: fam {FAMILY} flag {ENGLAND} key 1\ufe0f\u20e3 heart \u2764\ufe0f\n",
            BODY,
            f"fam {FAMILY} flag {ENGLAND} key 1\ufe0f\u20e3 heart \u2764\ufe0f",
        ),
        ('description: "x \\e[31mred\\e[0m end"\n', BODY, "x red end"),
        ("description: d\nwhen_to_use: [a, b]\n", BODY, "d - a,b"),
        ("", "# head\u2028tail\n", "# head tail"),  # `.` stops at U+2028: no heading match
        (
            "description: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 x\u200dy\n",
            BODY,
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 x y",
        ),
        ("description: 'a & b \"q\" ''s'''\n", BODY, "a & b \"q\" 's'"),
        ("description: a\u00a0b\u3000c\n", BODY, "a\u00a0b\u3000c"),
        ("description: soft\u00adhyphen\n", BODY, "soft hyphen"),
        ("description: 12345678901234567890\n", BODY, "12345678901234567000"),
        ("description: 1e3\n", BODY, "1000"),
        ("description: 0x1F\n", BODY, "31"),
        ("description: 0.0000001\n", BODY, "1e-7"),
        ("description: d\nwhen_to_use: {a: 1}\n", BODY, "d - [object Object]"),
        ("description: d\nwhen_to_use: 1.50\n", BODY, "d - 1.5"),
    ],
)
def test_observed_listing_details(front: str, body: str, expected: str) -> None:
    assert skill(front, body) == expected
