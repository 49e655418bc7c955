"""Code actions over stdio: quick fixes for a diagnostic, and "fix all" as a source action."""

from __future__ import annotations

from pathlib import Path

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
    assert [a.title for a in found] == [
        "Change the value to `blue`",
        "Suppress AGL301 on this line",  # then the suppressions (tests/e2e/test_suppress.py)
        "Suppress AGL301 in this file",
    ]
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


def _diag(diags: list[types.Diagnostic], code: str) -> types.Diagnostic:
    return next(d for d in diags if d.code == code)


def _renames_supported(client: LanguageClient) -> bool:
    caps = client.capabilities
    we = caps.workspace.workspace_edit if caps and caps.workspace else None
    return bool(we and we.document_changes and "rename" in (we.resource_operations or []))


async def test_missing_description_placeholder(client: LanguageClient) -> None:
    uri = agent_uri("placeholder.md")
    diags = await open_doc(client, uri, "---\r\nname: a\r\n---\r\nBody\r\n")
    missing = _diag(diags, "AGL202")
    found = await actions(client, uri, missing.range, [missing], ["quickfix"])
    desc = "TODO describe what this agent does and when to use it"
    (add,) = [a for a in found if a.title == f"Add `description: {desc}`"]
    assert not add.is_preferred and add.edit is not None and add.edit.changes is not None
    (te,) = add.edit.changes[uri]
    assert (te.range.start.line, te.range.start.character) == (2, 0)
    assert te.range.end == te.range.start and te.new_text == f"description: {desc}\r\n"


async def test_skill_name_edit_and_folder_rename(client: LanguageClient, tmp_path: Path) -> None:
    folder = tmp_path / "skills" / "pdf-tools"
    folder.mkdir(parents=True)
    text = "---\nname: pdf\ndescription: Fill PDF forms\n---\nBody\n"
    (folder / "SKILL.md").write_text(text, "utf-8")
    uri = (folder / "SKILL.md").as_uri()
    diags = await open_doc(client, uri, text)
    mismatch = _diag(diags, "AGL700")
    found = await actions(client, uri, mismatch.range, [mismatch], ["quickfix"])
    by_title = {a.title: a for a in found}
    edit = by_title["Change `name` to `pdf-tools`"].edit
    assert edit is not None and edit.changes is not None
    (te,) = edit.changes[uri]
    assert (te.range.start.line, te.range.start.character, te.new_text) == (1, 6, "pdf-tools")
    rename = by_title.get("Rename the folder to `pdf`")
    if not _renames_supported(client):
        assert rename is None  # Neovim does not announce `documentChanges`
        return
    assert rename is not None and rename.edit is not None and rename.edit.changes is None
    (op,) = rename.edit.document_changes or []
    assert isinstance(op, types.RenameFile)
    assert (op.old_uri, op.new_uri) == (folder.as_uri(), (tmp_path / "skills" / "pdf").as_uri())
    assert op.options is not None and not op.options.overwrite


async def test_chat_mode_moves_to_agents(client: LanguageClient, tmp_path: Path) -> None:
    modes = tmp_path / ".github" / "chatmodes"
    modes.mkdir(parents=True)
    text = "---\ndescription: Plan first\ntools: ['codebase']\n---\nPlan.\n"
    (modes / "plan.chatmode.md").write_text(text, "utf-8")
    uri = (modes / "plan.chatmode.md").as_uri()
    diags = await open_doc(client, uri, text)
    legacy = _diag(diags, "AGL703")
    found = await actions(client, uri, legacy.range, [legacy], ["quickfix"])
    titles = [a.title for a in found if not a.title.startswith("Suppress ")]
    if not _renames_supported(client):
        assert titles == []
        return
    assert titles == ["Rename to `plan.agent.md` in `.github/agents/`"]
    assert found[0].edit is not None
    (op,) = found[0].edit.document_changes or []
    assert isinstance(op, types.RenameFile) and op.old_uri == uri
    assert op.new_uri == (tmp_path / ".github" / "agents" / "plan.agent.md").as_uri()
    # once the target exists the rename would fail: it is no longer offered
    (tmp_path / ".github" / "agents").mkdir()
    (tmp_path / ".github" / "agents" / "plan.agent.md").write_text(text, "utf-8")
    again = await actions(client, uri, legacy.range, [legacy], ["quickfix"])
    assert [a.title for a in again] == ["Suppress AGL703 in this file"]
