from agentls.cli import entry

entry()
