"""PyYAML, imported with its one slow pattern compiled faster.

``yaml.reader`` compiles a negated character class over all of Unicode when it is imported:
4.5 ms of CPython's regular-expression compiler, at the start of every worker, server and
one-file check (agentls parses with libyaml, and that pattern only serves PyYAML's own
reader). The same set of characters, written as the ones it excludes, compiles in 0.7 ms; put
in ``re``'s cache under PyYAML's text, the import takes it (tests/unit/test_yamltree.py holds
the two to the same characters). Another PyYAML's pattern, or another ``re``, is compiled as
it comes.
"""

from __future__ import annotations

import re
import sys

# yaml.reader.Reader.NON_PRINTABLE (PyYAML 6), and the characters it matches, listed
PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"

_cache = getattr(re, "_cache", None)  # CPython 3.10-3.13: (type, pattern, flags) -> compiled
if "yaml" not in sys.modules and isinstance(_cache, dict):
    _cache.setdefault((str, PYYAML_NON_PRINTABLE, 0), re.compile(NON_PRINTABLE))

import yaml  # noqa: E402

__all__ = ["yaml"]
