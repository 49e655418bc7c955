"""The pinned Claude Code versions, newest first (the one place that lists them)."""

from __future__ import annotations

PACKAGE = "@anthropic-ai/claude-code"

# Recorded and compared; the first is the latest (re-recorded in CI). The others form the version
# matrix: each is the last published version before one or more bisected gates of the emulation,
# so every gate has a recorded version on each side (the table in README.md). The native build
# starts at 2.1.113; 2.1.112 ships cli.js, run with node.
CLAUDE_CODE_VERSIONS: tuple[str, ...] = (
    "2.1.332",
    "2.1.252",  # before the hooks skip (2.1.257)
    "2.1.238",  # before the BOM change (2.1.239)
    "2.1.217",  # before `:` names skipped (2.1.218) and a NUL failing the parse (2.1.229)
    "2.1.179",  # before the SKILL.md size limit and strict tab-before-key (2.1.181), the agent
    # and command size limit (2.1.196)
    "2.1.162",  # before tab indentation through the retry (2.1.163) and names starting with
    # `-` skipped (2.1.172)
    "2.1.112",  # before repeated and merge keys (2.1.113, the native build)
    "2.1.68",  # before the `: ` retry trigger and skills listed by their body (2.1.69), models
    # beyond the fixed list (2.1.74), `paths` lists (2.1.84) and the listing cut (2.1.86)
)

# What older versions record (the corpus is recorded on the latest only: CI time)
OLDER_SOURCES: tuple[str, ...] = ("generated", "examples")

# Installable and runnable but not recorded
CLAUDE_CODE_EXTRA: tuple[str, ...] = ()

LATEST = CLAUDE_CODE_VERSIONS[0]
