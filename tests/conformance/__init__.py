"""Conformance suite: agentls checked against the real runtimes (pinned, offline, recorded).

``python -m tests.conformance --help`` lists the commands (install, record, report).
"""
