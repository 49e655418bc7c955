"""Tests run the analysis in strict mode: a failing rule raises instead of being logged."""

import os

os.environ.setdefault("AGENTLS_STRICT", "1")
