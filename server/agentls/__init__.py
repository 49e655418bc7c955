"""agentls: language server and linter for AI agent files."""

__version__ = "0.1.0"
