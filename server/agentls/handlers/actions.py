"""Code actions: quick fixes for diagnostics, and "fix all" as a source action."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from lsprotocol import types

from agentls.convert import Converter, diagnostic
from agentls.core.analysis import Analysis
from agentls.core.fixes import Fix, fixes_for, select, suppression_fixes
from agentls.server import AgentLanguageServer, guarded

FIX_ALL = types.CodeActionKind.SourceFixAll.value + ".agentls"


def register(server: AgentLanguageServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    @guarded
    def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        found = server.agent_file(uri)
        if found is None:
            return None
        a, conv = found
        want = [str(getattr(k, "value", k)) for k in params.context.only or []]
        lo = conv.offset(params.range.start)
        hi = conv.offset(params.range.end)
        actions: list[types.CodeAction] = []
        fixes = fixes_for(a)
        if not want or any(k.startswith("quickfix") for k in want):
            renames = server.can_rename_files
            for fix in fixes:
                span = fix.finding.span
                if not (span.start <= hi and lo <= span.end):
                    continue
                if fix.rename is None:
                    actions.append(_action(uri, conv, fix))
                elif renames:
                    action = _rename_action(server, uri, a, conv, fix)
                    if action is not None:
                        actions.append(action)
            for f in a.findings:  # then: suppress it, on its line or in the file
                if f.span.start <= hi and lo <= f.span.end:
                    actions.extend(_action(uri, conv, fix) for fix in suppression_fixes(a, f))
        safe = select(f for f in fixes if f.safe)
        if safe and (not want or any(FIX_ALL.startswith(k) for k in want)):
            edits = _edits(conv, safe)
            actions.append(
                types.CodeAction(
                    title=f"Fix all safe agentls findings in this file ({len(safe)})",
                    kind=FIX_ALL,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
        return actions


def _edits(conv: Converter, fixes: list[Fix]) -> list[types.TextEdit]:
    return [types.TextEdit(conv.range(e.span), e.text) for fix in fixes for e in fix.edits]


def _action(uri: str, conv: Converter, fix: Fix) -> types.CodeAction:
    return types.CodeAction(
        title=fix.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(fix.finding, conv)],
        is_preferred=fix.safe,
        edit=types.WorkspaceEdit(changes={uri: _edits(conv, [fix])}),
    )


def _rename_action(
    server: AgentLanguageServer, uri: str, a: Analysis, conv: Converter, fix: Fix
) -> types.CodeAction | None:
    """The fix's text edits (on the current version), then the rename; None if it would fail."""
    assert fix.rename is not None
    old, new = fix.rename
    if urlsplit(uri).scheme.lower() != "file" or not a.path:
        return None
    if not os.path.exists(old) or os.path.exists(new):
        return None  # nothing to rename, or the client would refuse to overwrite
    changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    if fix.edits:
        doc = server.document(uri)
        version = doc.version if doc is not None else None
        changes.append(
            types.TextDocumentEdit(
                types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                list(_edits(conv, [fix])),
            )
        )
    changes.append(
        types.RenameFile(
            old_uri=server.uris.uri(old),
            new_uri=server.uris.uri(new),
            options=types.RenameFileOptions(overwrite=False, ignore_if_exists=False),
        )
    )
    return types.CodeAction(
        title=fix.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(fix.finding, conv)],
        is_preferred=False,
        edit=types.WorkspaceEdit(document_changes=changes),
    )
