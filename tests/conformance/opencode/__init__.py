"""Conformance driver for OpenCode (``opencode-ai``): what the real runtime does with agent,
command and skill files, recorded offline (see NOTES.md)."""
