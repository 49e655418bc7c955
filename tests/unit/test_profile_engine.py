"""One rule engine: what a profile (catalogue) says drives the shared checks of ``generic``.

Claude Code agents use these catalogue knobs (``claude-agent.yaml``); the tests here build a
made-up runtime's profile from data alone, to show that adding a runtime or a key needs no code.
"""

from __future__ import annotations

from agentls.core.catalog import DialectSpec, Entry, FieldSpec, UnknownKeys
from agentls.core.dialects import DialectMatch, generic
from agentls.core.findings import Finding, Severity
from agentls.core.settings import Settings
from agentls.core.versions import Version


def _field(key: str, type_: str = "string", **extra: object) -> FieldSpec:
    values = extra.pop("values", None)
    return FieldSpec(
        key,
        type_,
        False,
        Entry(key, extra=dict(extra)),
        values=values,  # type: ignore[arg-type]
    )


SPEC = DialectSpec(
    id="x-agent",
    title="X agent",
    tool="X",
    sections="",
    confidence="high",
    parser="lenient",
    front_matter="optional",
    required=("description",),
    unknown_keys="warning",
    unknown_keys_effect="ignored",
    body="none",
    notes="",
    fields={
        "name": _field("name"),
        "description": _field(
            "description",
            value_rule="x-description",
            missing={"code": "AGL202", "message": "No description: X skips the agent."},
        ),
        "turns": _field("turns", "integer", recognized_since="2.1.200"),
        "tone": _field(
            "tone",
            "enum",
            invalid_effect="X drops it",
            values={
                "calm": Entry("calm"),
                "loud": Entry("loud", since=Version(2, 1, 250)),
                "shy": Entry("shy", status="legacy", until_docs="2026-01"),
            },
        ),
    },
    unknown_key_message="Unknown key `{key}`: {tool} ignores it.",
    recognized=UnknownKeys(
        warning_since=None,
        recognized=("name", "description", "turns", "tone"),
        plugin_recognized=("extra",),
        plugin_unhinted=(),
        hint_overrides={"nam": None},
        hint_max_distance=2,
    ),
    undocumented={"secret": Entry("secret", doc="A hidden flag.", until=Version(2, 1, 300))},
)


def check(
    text: str, version: str = "2.1.332", plugin: bool = False, spec: DialectSpec = SPEC
) -> list[Finding]:
    settings, problems = Settings.parse({"claudeCode.version": version})
    assert not problems
    match = DialectMatch("x-agent", plugin, "plugin" if plugin else "project")
    ctx = generic.DialectContext(text, "a.md", settings, match, spec)
    generic.check(ctx)
    return ctx.findings


def said(findings: list[Finding], code: str) -> list[str]:
    return [f.message for f in findings if f.code == code]


def test_unknown_keys_use_the_profiles_wording_and_its_runtimes_hints() -> None:
    fs = check("---\nname: a\ndescription: b\nnaem: c\nnam: d\nextra: 1\n---\n")
    assert said(fs, "AGL200") == [
        "Unknown key `naem`: X ignores it. Did you mean `name`?",
        "Unknown key `nam`: X ignores it.",  # the override: no hint at all
        "Unknown key `extra`: X ignores it.",
    ]
    # a key only a plugin's file may have
    assert said(check("---\ndescription: b\nextra: 1\n---\n", plugin=True), "AGL200") == []


def test_recognized_since_and_undocumented_keys_follow_the_target_version() -> None:
    text = "---\ndescription: b\nturns: 3\nsecret: 1\n---\n"
    old = check(text, "2.1.100")
    assert said(old, "AGL200") == [
        "Unknown key `turns`: X ignores it. X reads `turns` only since 2.1.200."
    ]
    assert said(old, "AGL204") == ["`secret` is undocumented: A hidden flag."]
    new = check(text)
    assert said(new, "AGL200") == [
        "Unknown key `secret`: X ignores it. `secret` was undocumented; X 2.1.300 and later do "
        "not read it."
    ]
    assert said(new, "AGL204") == []


def test_a_missing_required_key_says_what_the_profile_says_and_a_value_rule_owns_the_value() -> (
    None
):
    fs = check("---\nname: a\n---\n")
    assert [(f.code, f.severity, f.message) for f in fs] == [
        ("AGL202", Severity.ERROR, "No description: X skips the agent.")
    ]
    # an empty value is left to the field's named rule (`value_rule`): no generic AGL206
    assert check("---\nname: a\ndescription: ''\n---\n") == []
    # without `value_rule` the shared type check runs
    assert said(check("---\ndescription: b\nturns: many\n---\n"), "AGL300") == [
        "`turns` should be a whole number."
    ]


def test_enum_values_say_the_runtimes_effect_and_follow_the_target_version() -> None:
    assert said(check("---\ndescription: b\ntone: calmm\n---\n"), "AGL301") == [
        "`calmm` is not a valid `tone`. X drops it. Use one of: `calm`, `loud`. Did you mean "
        "`calm`?"
    ]
    assert said(check("---\ndescription: b\ntone: loud\n---\n", "2.1.200"), "AGL301") == [
        "`loud` is a valid `tone` only since X 2.1.250; the target version 2.1.200 does not "
        "accept it."
    ]
    assert said(check("---\ndescription: b\ntone: loud\n---\n"), "AGL301") == []
    assert said(check("---\ndescription: b\ntone: shy\n---\n"), "AGL301") == [
        "`shy` is no longer a valid `tone` (documented until 2026-01): X drops it."
    ]
    assert said(check("---\ndescription: b\ntone: [a]\n---\n"), "AGL300") == [
        "`tone` should be one of: `calm`, `loud`."
    ]


def test_every_claude_agent_value_rule_is_a_named_rule() -> None:
    from agentls.core.catalog import dialect
    from agentls.core.dialects import claude_agent, dialect_rules

    names = {r.__name__ for r in dialect_rules.RULES["claude-agent"]}
    assert dialect_rules.RULES["claude-agent"] == claude_agent.RULES
    for field in dialect("claude-agent").fields.values():
        rule = field.limit("value_rule")
        if rule and rule != "none":
            assert f"rule_{rule}" in names, field.key


def test_a_file_without_front_matter_is_what_the_profile_says() -> None:
    assert check("Just text.\n") == []
    spec = SPEC._replace(
        no_front_matter={"code": "AGL201", "severity": "information", "message": "Docs."}
    )
    fs = check("Just text.\n", spec=spec)
    assert [(f.code, f.severity, f.message) for f in fs] == [
        ("AGL201", Severity.INFORMATION, "Docs.")
    ]
