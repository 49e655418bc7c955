"""Codex-only SKILL.md cases: the quoting retry of its loader (see NOTES.md rule 4).

Each is the shared base skill (``tests.conformance.skills_ref.cases.skill_base``) with one line
changed or added; tokens ``x0001``... (name and folder), ids ``gen/agentskills/xNNNN-label``.
"""

from __future__ import annotations

from tests.conformance.cases import Case, File, Mut, addl, both, setk
from tests.conformance.skills_ref.cases import DIALECT, skill_base

# (label, mutation): values that fail serde_yaml, and whether the retry quotes them
RETRY: list[tuple[str, Mut]] = [
    *[
        (f"retry-desc-start-{name}", setk("description", c + "{t} text"))
        for name, c in (
            ("at", "@"),
            ("backtick", "`"),
            ("bracket", "["),
            ("brace", "{{"),
            ("star", "*"),
            ("percent", "%"),
            ("pipe", "|"),
            ("gt", ">"),
            ("comma", ","),
            ("close-bracket", "]"),
            ("close-brace", "}}"),
            ("dquote-open", '"'),
            ("squote-open", "'"),
        )
    ],
    ("retry-desc-flow-seq-valid", setk("description", "[{t}, two]")),
    ("retry-desc-flow-seq-colon", setk("description", "[{t}: two]")),
    ("retry-desc-flow-map-no-colon", setk("description", "{{{t} text}}")),
    ("retry-desc-flow-map-colon", setk("description", "{{a: {t}}}")),
    ("retry-desc-brackets-twice", setk("description", "[{t}] [b]")),
    ("retry-desc-star-colon", setk("description", "*{t} star: colon")),
    ("retry-desc-squoted-then-colon", setk("description", "'{t}' b: c")),
    ("retry-desc-colons-twice", setk("description", "{t} a: b: c")),
    ("retry-unknown-star-colon", addl("x-k: *a: b")),
    ("retry-unknown-pipe-colon", addl("x-k: |x: b")),
    ("retry-unknown-dquoted-colon", addl('x-k: "q": b')),
    ("retry-unknown-alias", addl("x-k: *alias")),
    ("retry-unknown-unclosed-squote", addl("x-k: 'unclosed")),
    ("retry-unknown-indented", addl("  x-k: indented")),
    ("retry-unknown-no-colon-line", addl("a line without a colon")),
    ("retry-unknown-two-spaces", addl("x-k:  [y")),
    ("retry-quoted-key", addl('"x-k": [y')),
    ("retry-nested-short-description", addl("metadata:", "  short-description: [{t} x")),
    ("retry-comment-line", addl("# comment: x", "x-k: [y")),
    ("retry-name-flow-valid", setk("name", "[a]")),
    ("retry-name-unclosed", both(setk("name", "[{t}"), addl("x-k: a: b"))),
    ("short-description-long", addl("metadata:", "  short-description: " + "s" * 600)),
    ("short-description-alias", addl("metadata:", "  shortDescription: {t} camel")),
    ("short-description-empty", addl("metadata:", "  short-description:")),
]


def generated(root: str) -> list[Case]:
    out: list[Case] = []
    for n, (label, mut) in enumerate(RETRY, start=1):
        t = f"x{n:04d}"
        d = mut(skill_base(t), t)
        out.append(
            Case(
                f"gen/{DIALECT}/{t}-{label}",
                "skill",
                "generated",
                (File(f"{root}/{t}/SKILL.md", d.data(), t),),
                False,
                f"codex retry: {label}",
            )
        )
    return out
