"""The pinned Claude Code versions, newest first (the one place that lists them)."""

from __future__ import annotations

PACKAGE = "@anthropic-ai/claude-code"

# Recorded and compared; the first is the latest (re-recorded in CI).
CLAUDE_CODE_VERSIONS: tuple[str, ...] = ("2.1.332",)

# Installable and runnable but not (yet) recorded: the native build starts at 2.1.113, older
# ones ship cli.js for Node.
CLAUDE_CODE_EXTRA: tuple[str, ...] = ("2.1.112", "2.1.69")

LATEST = CLAUDE_CODE_VERSIONS[0]
