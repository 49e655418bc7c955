"""Suppressions over stdio: the quick fix inserts one, the diagnostic goes, the hover still
says it, and a stale one is reported with a fix that removes it."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.conftest import agent_uri, change_doc, open_doc
from tests.e2e.test_actions import actions

DOC = "---\nname: a\ndescription: Reviews code\nx-team: platform\n---\nBody\n"


def _insert(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    assert edit.range.start == edit.range.end  # an insertion at a line start
    at = sum(len(ln) for ln in lines[: edit.range.start.line]) + edit.range.start.character
    return text[:at] + edit.new_text + text[at:]


async def test_quick_fix_suppresses_and_hover_still_says_it(client: LanguageClient) -> None:
    uri = agent_uri("suppress.md")
    diags = await open_doc(client, uri, DOC)
    (unknown,) = [d for d in diags if d.code == "AGL200"]
    found = await actions(client, uri, unknown.range, [unknown], ["quickfix"])
    titles = [a.title for a in found]
    assert "Suppress AGL200 on this line" in titles and "Suppress AGL200 in this file" in titles
    (line_fix,) = [a for a in found if a.title == "Suppress AGL200 on this line"]
    assert line_fix.kind == types.CodeActionKind.QuickFix and not line_fix.is_preferred
    assert line_fix.edit is not None and line_fix.edit.changes is not None
    (te,) = line_fix.edit.changes[uri]
    assert (te.range.start.line, te.new_text) == (3, "# agentls: ignore AGL200\n")

    text = _insert(DOC, te)
    diags = await change_doc(client, uri, text, 2)
    # the finding is gone; a hint asks for the reason
    assert [(d.code, d.severity, d.range.start.line) for d in diags] == [
        ("AGL901", types.DiagnosticSeverity.Hint, 3)
    ]
    text = text.replace("AGL200\n", "AGL200 -- read by our release tooling\n")
    assert await change_doc(client, uri, text, 3) == []

    h = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(4, 2))
    )
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    assert h.contents.value.startswith(
        "**AGL200 (warning, suppressed: read by our release tooling)** Unknown key `x-team`"
    )

    # the key is renamed away: the suppression is stale, and a quick fix removes it
    text = text.replace("x-team: platform\n", "model: sonnet\n")
    diags = await change_doc(client, uri, text, 4)
    (stale,) = diags
    assert (stale.code, stale.severity) == ("AGL900", types.DiagnosticSeverity.Information)
    found = await actions(client, uri, stale.range, [stale], ["quickfix"])
    assert [a.title for a in found] == ["Remove the unused suppression"]
    assert found[0].is_preferred


async def test_body_comment_suppresses(client: LanguageClient) -> None:
    uri = agent_uri("suppress-body.md")
    text = DOC.replace("x-team: platform\n", "") + "caf\u00c3\u00a9\n"
    diags = await open_doc(client, uri, text)
    (moji,) = [d for d in diags if d.code == "AGL105"]
    found = await actions(client, uri, moji.range, [moji], ["quickfix"])
    (fix,) = [a for a in found if a.title == "Suppress AGL105 on this line"]
    assert fix.edit is not None and fix.edit.changes is not None
    (te,) = fix.edit.changes[uri]
    assert te.new_text == "<!-- agentls-ignore-next-line AGL105 -->\n"
    diags = await change_doc(client, uri, _insert(text, te), 2)
    assert [d.code for d in diags] == ["AGL901"]
