"""Each version gate of the Claude Code emulation on both sides, at the bisected versions.

The versions are the last published one without the change and the first with it, found with
``python -m tests.conformance.bisect`` on the generated conformance case named in each row (the
table in tests/conformance/README.md; the pinned matrix replays the recordings).
"""

from __future__ import annotations

import pytest

from agentls.core.analysis import Analysis
from agentls.core.findings import Severity
from agentls.core.received import received_description
from agentls.core.versions import Version
from agentls.core.yamltree import YScalar
from tests.helpers import doc, run

BASE = "name: r\ndescription: d\n"
SKILL = ".claude/skills/s/SKILL.md"
COMMAND = ".claude/commands/c.md"


def errors(a: Analysis) -> list[str]:
    return [f.code for f in a.findings if f.severity == Severity.ERROR]


def sized(n: int) -> str:
    head = doc(BASE, "")
    return head + "x" * (n - len(head.encode()))


HOOK = "hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: bogus\n"

# (case, text, path, last version without the change, first version with it, code)
GATES: list[tuple[str, str, str | None, str, str, str]] = [
    # repeated keys load (last value wins) from the first native build
    ("a0071-desc-key-twice", doc(BASE + "description: e\n"), None, "2.1.112", "2.1.113", ""),
    # `<<` merge keys supply `description`
    (
        "a0282-merge-key-description",
        doc("x-base: &base\n  description: m\nname: r\n<<: *base\n"),
        None,
        "2.1.112",
        "2.1.113",
        "",
    ),
    # tab indentation loads through the retry
    (
        "a0341-fmt-tab-indent-nested",
        doc(BASE + "metadata:\n\tauthor: me\n"),
        None,
        "2.1.162",
        "2.1.163",
        "",
    ),
    # a name starting with `-` skips the agent
    (
        "a0083-name-leading-dash",
        doc("name: -r\ndescription: d\n"),
        None,
        "2.1.170",
        "2.1.172",
        "AGL302",
    ),
    # a name containing `:` skips the agent
    (
        "a0081-name-colon",
        doc("name: r:sub\ndescription: d\n"),
        None,
        "2.1.217",
        "2.1.218",
        "AGL302",
    ),
    # SKILL.md over 1,000,000 bytes is not read
    ("s0212-fmt-size-under-1mib", sized(1_000_001), SKILL, "2.1.179", "2.1.181", "AGL021"),
    # agents and commands over 1 MiB are not read
    ("a0356-fmt-size-1mib-body", sized(1_048_577), None, "2.1.195", "2.1.196", "AGL021"),
    ("c0150-fmt-size-1mib-body", sized(1_048_577), COMMAND, "2.1.195", "2.1.196", "AGL021"),
    # a NUL in the front matter fails the parse
    (
        "a0345-fmt-nul-in-front-matter",
        doc(BASE + "x-extra: a\x00b\n"),
        None,
        "2.1.228",
        "2.1.229",
        "AGL010",
    ),
    # an unloadable hook under a guard event skips the agent
    ("a0299-hooks-bad-type", doc(BASE + HOOK), None, "2.1.252", "2.1.257", "AGL502"),
]


@pytest.mark.parametrize(
    ("case", "text", "path", "without", "with_", "code"), GATES, ids=[g[0] for g in GATES]
)
def test_gate_on_both_sides(
    case: str, text: str, path: str | None, without: str, with_: str, code: str
) -> None:
    kw = {"path": path} if path else {}
    old, new = run(text, without, **kw), run(text, with_, **kw)
    if code:  # the change: an error (the file is skipped) from the gate on
        assert code not in errors(old), case
        assert code in errors(new), case
    else:  # the change: the file loads from the gate on
        assert errors(old), case  # skipped, or loaded without a required key
        assert not errors(new) and new.runtime_loaded, case


def test_bom_front_matter_read_from_2_1_239() -> None:
    # a0314-fmt-bom: 2.1.238 does not see the block after a BOM (the agent has no name: not
    # listed; a skill lists `---` as its description); 2.1.239 reads it
    text = "\ufeff" + doc(BASE)
    assert not run(text, "2.1.238").runtime_loaded
    assert run(text, "2.1.239").runtime_loaded


def test_synced_skill_folder_skipped_from_2_1_227() -> None:
    # s0236-file-synced-dir: 2.1.226 lists skills/synced/SKILL.md, 2.1.227 does not
    text = doc("name: synced\ndescription: d\n")
    path = ".claude/skills/synced/SKILL.md"
    assert "AGL021" not in errors(run(text, "2.1.226", path=path))
    assert "AGL021" in errors(run(text, "2.1.227", path=path))


def test_listing_flattened_and_escaped_from_2_1_300() -> None:
    # s0005-desc-double-escapes, s0068-desc-xml: 2.1.299 lists the description as written
    text = doc('description: "a <b>\\tc\\nd"\n')
    old, new = (
        received_description(run(text, v, path=SKILL), Version.parse(v))
        for v in ("2.1.299", "2.1.300")
    )
    assert old == "a <b>\tc\nd"
    assert new == "a &lt;b&gt; c d"


def test_line_separators_listed_as_written_before_2_1_300() -> None:
    # s0057-desc-u2028, s0059-desc-nel on 2.1.252: kept in the listed description
    for sep in ("\u2028", "\u2029", "\x85"):
        text = doc(f"description: line{sep}separator\n")
        got = received_description(run(text, "2.1.252", path=SKILL), Version.parse("2.1.252"))
        assert got == f"line{sep}separator"


def test_listing_cut_from_2_1_86() -> None:
    # s0053-desc-long: 2.1.85 lists all 1,605 characters, 2.1.86 cuts at 250
    text = doc("description: " + "e" * 1600 + "\n")
    old, new = (
        received_description(run(text, v, path=SKILL), Version.parse(v))
        for v in ("2.1.85", "2.1.86")
    )
    assert old == "e" * 1600
    assert new == "e" * 249 + "…"


# The Bun.YAML of 2.1.113-2.1.179 (runtime.old_bun_quirks): on 2.1.179 and 2.1.181, as recorded
# (a0340, a0030, a0011, a0373) and in the ad-hoc probes behind docs/errata.md.
def _model(a: Analysis) -> object:
    e = a.root.get("model") if a.root is not None else None
    return e.value.value if e is not None and isinstance(e.value, YScalar) else None


@pytest.mark.parametrize(
    ("front", "model"),
    [
        ("description: d\n\tmodel: haiku\n", "haiku"),  # after a plain value
        ("description: d\n\t\tmodel: haiku\n", "haiku"),
        ("description: d\n\t model: haiku\n", "haiku"),
        ("description: d\ntools:\n  - Read\n\tmodel: haiku\n", "haiku"),  # after a block
        ("description: >\n  d\n\tmodel: haiku\n", "haiku"),  # ends the block scalar
        ("description: d\n\n\tmodel: haiku\n", "haiku"),
        ("\tdescription: d\nmodel: haiku\n", "haiku"),  # the first line
        ("description: d\nmodel: ? haiku\n", "haiku"),  # `? text` is the text
    ],
)
def test_old_bun_yaml_reads_the_line(front: str, model: str) -> None:
    old, new = run(doc("name: r\n" + front), "2.1.179"), run(doc("name: r\n" + front), "2.1.181")
    assert not errors(old) and old.runtime_loaded and _model(old) == model
    assert errors(new)


@pytest.mark.parametrize(
    "front",
    [
        "description: 'd'\n\tmodel: haiku\n",  # after a quoted value
        "description: d\ntools: [Read]\n\tmodel: haiku\n",  # after a flow value
        "description: d # c\n\tmodel: haiku\n",  # after a comment
        "description: d\n# c\n\tmodel: haiku\n",
        "description: d\n \tmodel: haiku\n",  # a space before the tab
    ],
)
def test_old_bun_yaml_fails_on_a_tab_line(front: str) -> None:
    assert "AGL014" in errors(run(doc("name: r\n" + front), "2.1.179"))


def test_old_bun_yaml_ignores_the_indentation_indicator() -> None:
    text = doc("name: r\ndescription: >2\n   more\n")
    assert run(text, "2.1.179").description() == "more\n"
    assert run(text, "2.1.181").description() == " more\n"


def test_old_bun_yaml_rejects_a_multi_line_explicit_key() -> None:
    text = doc(BASE + "? x-complex\n: value\n")
    old = run(text, "2.1.179")
    assert errors(old) and not old.runtime_loaded
    assert not errors(run(text, "2.1.181"))
    assert not errors(run(doc(BASE + "? x-alone\n"), "2.1.179"))  # no `:` line: loads


@pytest.mark.parametrize(
    ("tool", "withheld", "given"),
    [
        ("TodoWrite", ["2.1.142", "2.1.217"], ["2.1.112", "2.1.141"]),
        ("Agent", ["2.1.170", "2.1.217", "2.1.218"], ["2.1.172", "2.1.216", "2.1.219"]),
        ("TaskStop", ["2.1.114"], ["2.1.116"]),
    ],
)
def test_tools_withheld_from_subagents(tool: str, withheld: list[str], given: list[str]) -> None:
    text = doc(BASE + f"tools: Read, {tool}\n")
    for v in withheld:
        assert "AGL405" in [f.code for f in run(text, v).findings], (tool, v)
    for v in given:
        assert "AGL405" not in [f.code for f in run(text, v).findings], (tool, v)
    only = run(doc(BASE + f"tools: {tool}\n"), "2.1.217" if tool != "TaskStop" else "2.1.114")
    assert "AGL402" in [f.code for f in only.findings]  # the only tool: zero tools


def test_skill_without_description_listed_from_2_1_69() -> None:
    # s0225-fmt-no-front-matter, s0012: 2.1.68 does not list a skill with no front-matter
    # description (it still runs as /name); 2.1.69 lists the body's first line
    for text in ("Body only.\n", doc("name: s\n"), doc("description: a: b\n")):
        old, new = run(text, "2.1.68", path=SKILL), run(text, "2.1.69", path=SKILL)
        assert "AGL710" in [f.code for f in old.findings]
        assert old.description() is None
        assert "AGL710" not in [f.code for f in new.findings] and new.description()
    when = doc("name: s\nwhen_to_use: w\n")  # s0081: `when_to_use` alone is listed
    assert "AGL710" not in [f.code for f in run(when, "2.1.68", path=SKILL).findings]
    cmd = run("Body only.\n", "2.1.68", path=COMMAND)  # c0012: commands fall back throughout
    assert "AGL710" not in [f.code for f in cmd.findings] and cmd.description()


@pytest.mark.parametrize("model", ["HAIKU", "Sonnet", " haiku ", "fable", "gpt-4"])
def test_model_outside_the_fixed_list_replaced_before_2_1_74(model: str) -> None:
    # a0170, a0173, a0177: 2.1.73 logs `has invalid model` and runs the session's model
    text = doc(BASE + f"model: '{model}'\n")
    old = [f for f in run(text, "2.1.73").findings if f.code == "AGL306"]
    new = [f for f in run(text, "2.1.74").findings if f.code == "AGL306"]
    assert old and old[0].severity == Severity.WARNING
    assert all(f.severity == Severity.INFORMATION for f in new)
    assert not [
        f for f in run(doc(BASE + "model: opusplan\n"), "2.1.73").findings if f.code == "AGL306"
    ]


def test_paths_list_conditional_from_2_1_84() -> None:
    # s0121-paths-list: 2.1.83 lists the skill from the start; a string `paths` (s0120) is
    # conditional on both
    listed = doc("description: d\npaths: ['**/*.pdf', docs/**]\n")
    string = doc("description: d\npaths: '**/*.pdf'\n")
    codes = {v: [f.code for f in run(listed, v, path=SKILL).findings] for v in ("2.1.83", "2.1.84")}
    assert "AGL709" not in codes["2.1.83"] and "AGL709" in codes["2.1.84"]
    assert "AGL709" in [f.code for f in run(string, "2.1.83", path=SKILL).findings]


def test_an_agent_named_explore_runs_on_haiku_from_2_1_152_to_2_1_177() -> None:
    # a0105-name-builtin-explore: 2.1.150 and 2.1.178 honour `model: sonnet`
    text = doc("name: Explore\ndescription: d\nmodel: sonnet\n")
    warned = {
        v: "AGL306" in [f.code for f in run(text, v).findings]
        for v in ("2.1.150", "2.1.152", "2.1.177", "2.1.178")
    }
    assert warned == {"2.1.150": False, "2.1.152": True, "2.1.177": True, "2.1.178": False}
    assert "AGL306" not in [
        f.code
        for f in run(doc("name: Explore\ndescription: d\nmodel: haiku\n"), "2.1.162").findings
    ]
