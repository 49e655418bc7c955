"""Code actions over stdio: quick fixes for a diagnostic, and "fix all" as a source action."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.conftest import agent_uri, open_doc

DOC = "---\nname: a\ndescription: Use when: asked\ntools: read\ncolor: blu\n---\nBody\n"


async def actions(
    client: LanguageClient,
    uri: str,
    rng: types.Range,
    diags: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    res = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=rng,
            context=types.CodeActionContext(
                diagnostics=diags, only=[types.CodeActionKind(k) for k in only] if only else None
            ),
        )
    )
    return [a for a in res or [] if isinstance(a, types.CodeAction)]


async def test_quick_fixes_and_fix_all(client: LanguageClient) -> None:
    uri = agent_uri("actions.md")
    diags = await open_doc(client, uri, DOC)
    color = next(d for d in diags if d.code == "AGL301")
    found = await actions(client, uri, color.range, [color], ["quickfix"])
    assert [a.title for a in found] == ["Change the value to `blue`"]
    edit = found[0].edit
    assert edit is not None and edit.changes is not None
    (te,) = edit.changes[uri]
    assert (te.range.start.line, te.range.start.character, te.new_text) == (4, 7, "blue")
    whole = types.Range(types.Position(0, 0), types.Position(6, 0))
    fix_all = await actions(client, uri, whole, [], ["source.fixAll"])
    assert len(fix_all) == 1 and fix_all[0].kind == "source.fixAll.agentls"
    assert fix_all[0].edit is not None and fix_all[0].edit.changes is not None
    texts = sorted(e.new_text for e in fix_all[0].edit.changes[uri])
    assert texts == ['"Use when: asked"', "Read"]  # safe fixes only: not the colour guess
