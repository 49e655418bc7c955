"""Codex skills and portable Agent Skills as Codex 0.169.0 and skills-ref 0.1.1 read them
(tests/conformance/codex and skills_ref: NOTES.md, with the case each behaviour comes from)."""

from __future__ import annotations

import pytest

from agentls.core.analysis import Analysis, analyze
from agentls.core.files import decode
from agentls.core.findings import Severity
from agentls.core.received import codex_listed_name, skills_ref_text

CODEX = "/w/.agents/skills/pdf/SKILL.md"
PORTABLE = "/w/skills/pdf/SKILL.md"


def view(a: Analysis, runtime: str) -> list[tuple[str, str]]:
    (findings,) = [v.findings for v in a.readers if v.runtime == runtime]
    return [(f.code, f.severity.label) for f in findings]


def codex_errors(text: str, path: str = CODEX) -> list[str]:
    a = analyze(path, text)
    return [c for c, s in view(a, "codex") if s == "error"]


@pytest.mark.parametrize(
    "text",
    [
        "---\nname: pdf\ndescription: Use when: reviewing\n---\n",  # k0012: the retry quotes it
        "---\ndescription: '@x' \n---\n",
        "---\ndescription: @mention first\n---\n",  # k0027
        "---\ndescription: [k0019] draft\n---\n",  # k0019: not a valid flow list
        "---\ndescription: {a: k0051}\n---\n",  # a flow map holding `: `: text
        "---\ndescription: 3000\n---\n",  # k0039: text as written
        " ---\ndescription: d\n---\n",  # k0205: the opener is trimmed
        "---\ndescription: d\n  ---\n",  # k0215
        "---\r\ndescription: d\r\n---\r\n",  # CRLF
        "---\ndescription: d\nlicense: MIT\nlicense: BSD\n---\n",  # k0187: not a field
        "---\ndescription: d\nname: ~\n---\n",  # the folder's name
        "---\ndescription: d\nx-bad: [unclosed\n---\n",  # k0258: rescued
    ],
)
def test_codex_loads(text: str) -> None:
    assert codex_errors(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ufeff---\ndescription: d\n---\n", "AGL005"),  # k0201: the BOM is not skipped
        ("---\n\ufeffdescription: d\n---\n", "AGL005"),  # k0267: another document
        ("---\rdescription: d\r---\r", "AGL206"),  # k0197: one line
        ("\n---\ndescription: d\n---\n", "AGL001"),  # k0204
        ("---\ndescription: d\n", "AGL002"),  # k0216
        ("---\n---\nbody\n", "AGL206"),  # k0132: an empty block
        ("---\ndescription: a\u2028b\n---\n", "AGL019"),  # k0057: a line break for libyaml
        ("---\ndescription: [a, b]\n---\n", "AGL300"),  # k0049: a valid list stays a list
        ("---\ndescription: '\"q\" and: more'\n---\n".replace("'", ""), "AGL019"),  # k0013
        ("---\ndescription: *x\n---\n", "AGL019"),  # k0021: an alias
        ("---\ndescription: d\ndescription: e\n---\n", "AGL013"),  # k0071
        ("---\ndescription: ~\n---\n", "AGL206"),  # k0043
        ("---\ndescription: d\nmetadata: me\n---\n", "AGL300"),  # k0159
        ("---\ndescription: d\nname: " + "a" * 65 + "\n---\n", "AGL311"),  # k0112
        ("---\n- a\n---\n", "AGL016"),  # k0253
    ],
)
def test_codex_drops(text: str, code: str) -> None:
    assert code in codex_errors(text)


def test_codex_retry_is_said_not_an_error() -> None:
    a = analyze(CODEX, "---\ndescription: Use when: reviewing\n---\n")
    assert ("AGL100", "warning") in view(a, "codex")
    assert a.description() == "Use when: reviewing"


def test_codex_listing_flattens_and_cuts() -> None:
    a = analyze(CODEX, "---\ndescription: |\n  a\n    b\tc\n---\n")
    assert a.description() == "a b c"
    a = analyze(CODEX, "---\ndescription: " + "x" * 1025 + "\n---\n")
    assert a.description() == "x" * 1021 + "..."
    a = analyze(CODEX, "---\ndescription: " + "x" * 1024 + "\n---\n")
    assert a.description() == "x" * 1024


def test_codex_name_is_the_value_or_the_folder() -> None:
    assert codex_listed_name(analyze(CODEX, "---\ndescription: d\n---\n")) == "pdf"
    assert codex_listed_name(analyze(CODEX, "---\nname: ' A  b '\ndescription: d\n---\n")) == "A b"
    assert codex_listed_name(analyze(CODEX, "---\nname: true\ndescription: d\n---\n")) == "true"


def test_codex_skips_hidden_folders_but_not_its_system_skills() -> None:
    a = analyze("/w/.agents/skills/.old/pdf/SKILL.md", "---\ndescription: d\n---\n")
    assert ("AGL711", "warning") in view(a, "codex")
    a = analyze("/h/.codex/skills/.system/imagegen/SKILL.md", "---\ndescription: d\n---\n")
    assert view(a, "codex") == []


def test_invalid_utf8_drops_for_codex_and_skills_ref() -> None:
    text, extra = decode(b"---\nname: pdf\ndescription: caf\xe9\n---\n")
    for path, runtime in ((CODEX, "codex"), (PORTABLE, "skills-ref")):
        a = analyze(path, text, extra=extra)
        assert ("AGL104", "error") in view(a, runtime)
    assert decode(b"---\ndescription: ok\n---\n")[1] == ()


@pytest.mark.parametrize(
    "name",
    ["pdf", "café", "日本", "ｐｄｆ", "  pdf  "],  # k0104, k0106, k0107 (NFKC), k0116 (stripped)
)
def test_skills_ref_name_forms_it_accepts(name: str) -> None:
    import unicodedata

    folder = unicodedata.normalize("NFKC", name.strip())
    a = analyze(f"/w/skills/{folder}/SKILL.md", f'---\nname: "{name}"\ndescription: d\n---\n')
    assert [c for c, s in view(a, "skills-ref") if s == "error"] == []


@pytest.mark.parametrize("name", ["PDF", "pdf_x", "-pdf", "pdf--x", "1.5", "~"])
def test_skills_ref_name_forms_it_rejects(name: str) -> None:
    a = analyze(f"/w/skills/{name}/SKILL.md", f"---\nname: {name}\ndescription: d\n---\n")
    assert ("AGL312", "error") in view(a, "skills-ref")


@pytest.mark.parametrize(
    "text",
    [
        "---\nname: pdf\ndescription: a\tb\n---\n",  # k0062
        "---\nname: pdf\ndescription:\tb\n---\n",  # k0076
        "---\t\nname: pdf\ndescription: b\n---\n",  # k0208: the opener's rest is YAML
        "---\n{name: pdf, description: b}\n---\n",  # k0261
        "---\n\ufeffname: pdf\ndescription: b\n---\n",  # k0267
    ],
)
def test_skills_ref_rejects(text: str) -> None:
    a = analyze(PORTABLE, text)
    assert [c for c, s in view(a, "skills-ref") if s == "error"], view(a, "skills-ref")


def test_skills_ref_reads_a_lone_cr_file_and_text_as_written() -> None:
    a = analyze(PORTABLE, "---\rname: pdf\rdescription: 3000\r---\rbody\r")
    assert [c for c, s in view(a, "skills-ref") if s == "error"] == []
    assert skills_ref_text(a, "description") == "3000"
    a = analyze(PORTABLE, "---\nname: pdf\ndescription: a\u2028b\x85c\n---\n")
    assert skills_ref_text(a, "description") == "a\u2028b c"


def test_codex_prompt_names_what_codex_does() -> None:
    a = analyze("/h/.codex/prompts/review.md", "---\ndescription: r\n---\nReview $1\n")
    (f,) = a.findings
    assert f.code == "AGL711" and f.severity == Severity.WARNING
    assert "by 0.169.0" in f.message and "/presets" in f.message


def test_codex_verdict() -> None:
    from agentls.core.verdict import verdict

    v = verdict(analyze(CODEX, "---\nname: ' a  b'\ndescription: |\n  x\n  y\n---\n"))
    assert (v.verdict, v.kind, v.name, v.description) == ("loads", "skill", "a b", "x y")
    v = verdict(analyze(CODEX, "---\ndescription: d\nmetadata: me\n---\n"))
    assert v.verdict == "skipped"
    v = verdict(analyze("/h/.codex/prompts/review.md", "---\ndescription: r\n---\nx\n"))
    assert v.verdict == "skipped"
