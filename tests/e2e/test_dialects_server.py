"""Other dialects through the server: the tool that reads the file decides the rules."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.conftest import ROOT, open_doc

FIX = ROOT / "tests" / "fixtures"


def uri(rel: str) -> str:
    return (FIX / rel).as_uri()


async def labels(client: LanguageClient, u: str, line: int, ch: int) -> list[str]:
    res = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(u), types.Position(line, ch))
    )
    assert res is not None
    items = res.items if isinstance(res, types.CompletionList) else res
    return [i.label for i in items]


async def hover(client: LanguageClient, u: str, line: int, ch: int) -> str:
    h = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(u), types.Position(line, ch))
    )
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    return h.contents.value


async def test_claude_skill(client: LanguageClient) -> None:
    u = uri(".claude/skills/pdf/SKILL.md")
    text = "---\nname: pdf\ndescription: d\ncontext: forked\nallowed-tools: Reed\neffort: \n\n---\n"
    diags = await open_doc(client, u, text)
    assert sorted((d.range.start.line, d.code) for d in diags) == [
        (3, "AGL301"),
        (4, "AGL401"),
        (5, "AGL019"),  # VS Code reads `.claude/skills` too: `effort:` is its `Missing value`
    ]
    assert "fork" in await labels(client, u, 3, 9)
    assert "high" in await labels(client, u, 5, 8)
    keys = await labels(client, u, 6, 0)
    assert "when_to_use" in keys and "name" not in keys and "tools" not in keys
    assert "Reed" not in await hover(client, u, 4, 1)


async def test_vscode_prompt(client: LanguageClient) -> None:
    u = uri(".github/prompts/fix.prompt.md")
    text = "---\ndescription: Fix\nagent: \nmode: agent\n---\nFix ${file}\n"
    diags = await open_doc(client, u, text)
    # `agent:` with no value: VS Code's `Missing value` (g0276); `mode`: deprecated
    assert [(d.range.start.line, d.code) for d in diags] == [(2, "AGL019"), (3, "AGL207")]
    assert {"ask", "agent", "plan"} <= set(await labels(client, u, 2, 7))
    assert "**agent**" in await hover(client, u, 2, 1)


async def test_agent_skill_name_must_match_folder(client: LanguageClient) -> None:
    u = uri("skills/pdf-tool/SKILL.md")
    diags = await open_doc(client, u, "---\nname: pdf\ndescription: d\n---\n")
    assert [(d.code, d.severity) for d in diags] == [("AGL700", types.DiagnosticSeverity.Error)]


async def test_cursor_rule(client: LanguageClient) -> None:
    u = uri(".cursor/rules/ts.mdc")
    diags = await open_doc(client, u, "---\ndescription: TS\nglobs: **/*.ts\n---\n")
    assert [(d.range.start.line, d.range.start.character, d.code) for d in diags] == [
        (2, 7, "AGL705")
    ]
