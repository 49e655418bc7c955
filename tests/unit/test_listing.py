"""agentls.core.listing: the skill listing, its cuts and its budget (issue 14).

The byte-for-byte comparison with the real runtime is tests/conformance/test_budget.py; these
pin the rules on small inputs.
"""

from __future__ import annotations

from agentls.core.analysis import analyze
from agentls.core.dialects import detect
from agentls.core.listing import (
    Item,
    Settings,
    budget,
    build,
    item_from,
    locale_key,
    lost_span,
    ordered,
    rules,
    text_width,
)
from agentls.core.versions import Version

V332 = Version(2, 1, 332)
V112 = Version(2, 1, 112)
V68 = Version(2, 1, 68)


def test_width_counts_columns_not_characters() -> None:
    assert text_width("abc") == 3
    assert text_width("日本") == 4  # wide
    assert text_width("e\u0301") == 1  # a combining accent
    assert text_width("a\nb") == 2  # a line break is of width 0
    assert text_width("—…") == 2  # East Asian ambiguous: narrow


def test_budget_formula() -> None:
    assert budget(V332, Settings()) == 30000  # 1M tokens x 3 bytes x 1 %
    assert budget(V332, Settings(model="claude-sonnet-4-5")) == 8000  # 200k x 4 x 1 %
    assert budget(V332, Settings(model="claude-sonnet-4-5[1m]")) == 40000
    assert budget(V332, Settings(fraction=0.02)) == 60000
    assert budget(V332, Settings(env_budget="12000")) == 12000
    assert budget(V332, Settings(disable_1m=True)) == 6000
    assert budget(V68, Settings()) == 16000  # 200k x 4 x 2 %, no setting
    assert budget(V68, Settings(fraction=0.5)) == 16000


def test_locale_order() -> None:
    names = ["zeta", "Mid", "b1", "b-y", "b_x", "B2", "a.b", "_u", "alpha"]
    assert sorted(names, key=locale_key) == [
        "_u",
        "a.b",
        "alpha",
        "b_x",
        "b-y",
        "b1",
        "B2",
        "Mid",
        "zeta",
    ]


def test_order_by_version() -> None:
    items = [
        Item("p", "x"),
        Item("u", "x", "user"),
        Item("c", "x", kind="command"),
        Item("init", "x", "builtin", "command"),
        Item("simplify", "x", "bundled"),
    ]
    assert [i.name for i in ordered(items, V332)] == ["u", "p", "c", "simplify", "init"]
    assert [i.name for i in ordered(items, V112)] == ["simplify", "u", "p", "c", "init"]


def test_first_fit_keeps_a_later_short_description() -> None:
    items = [Item("a", "x" * 50), Item("b", "y" * 500), Item("c", "short")]
    got = build(items, V332, Settings(env_budget="100"), with_builtins=False)
    assert got.over
    assert [e.status for e in got.entries] == ["whole", "dropped", "whole"]
    assert got.text == "- a: " + "x" * 50 + "\n- b\n- c: short"
    assert got.entries[1].lost == (0, 500)


def test_even_cut_before_first_fit() -> None:
    items = [Item("a", "x" * 100), Item("b", "y" * 100)]
    got = build(items, V68, Settings(env_budget="100"), with_builtins=False)
    # (100 - 2 x (1 + 4) - 1) // 2 = 44 each: 43 and "…"
    assert got.text == "- a: " + "x" * 43 + "…\n- b: " + "y" * 43 + "…"
    assert [e.reason for e in got.entries] == ["budget", "budget"]


def test_description_limit_and_setting() -> None:
    item = Item("a", "x" * 2000)
    got = build([item], V332, with_builtins=False)
    assert got.entries[0].status == "cut" and got.entries[0].shown == 1535
    assert got.text.endswith("x…") and len(got.text) == len("- a: ") + 1536
    got = build([item], V332, Settings(max_desc=300), with_builtins=False)
    assert got.entries[0].shown == 299


def test_builtins_come_from_the_catalogue() -> None:
    r = rules(V332)
    names = [b[0] for b in r.builtins]
    assert "init" in names and "simplify" in names
    got = build([], V332)
    assert got.text.startswith("- dataviz: ")


def test_lost_span_points_into_the_file() -> None:
    desc = "d" * 1600
    text = f"---\nname: s\ndescription: {desc}\n---\nbody\n"
    path = "/p/.claude/skills/s/SKILL.md"
    a = analyze(path, text, dialect=detect(path))
    item = item_from(a, V332)
    assert item is not None and item.name == "s" and item.description_chars == 1600
    entry = build([item], V332, with_builtins=False).entries[0]
    start, end = lost_span(a, entry) or (0, 0)
    assert text[start:end] == "d" * (1600 - 1535)


def test_gates_on_both_sides() -> None:
    """Each change of the listing rules at its bisected version (budget.py bisect)."""
    gates = [
        ("2.1.85", "2.1.86", "description_limit", None, 250),
        ("2.1.87", "2.1.88", "measure", "length", "width"),
        ("2.1.104", "2.1.105", "fraction_setting", False, True),
        ("2.1.104", "2.1.105", "description_limit", 250, 1536),
        ("2.1.128", "2.1.129", "over_budget", "even", "first-fit"),
        ("2.1.138", "2.1.139", "bytes_per_token_by_model", False, True),
        ("2.1.153", "2.1.154", "order", "builtin-first", "builtin-last"),
        ("2.1.153", "2.1.154", "sort", "code-units", "locale"),
        ("2.1.289", "2.1.290", "display_names", False, True),
    ]
    for last, first, attr, before, after in gates:
        assert getattr(rules(Version.parse(last)), attr) == before, (last, attr)
        assert getattr(rules(Version.parse(first)), attr) == after, (first, attr)
