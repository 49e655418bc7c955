"""Conformance driver for VS Code's prompt-file validation (code-server + headless Chromium)."""
