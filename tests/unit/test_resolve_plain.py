"""resolve_plain's word lookup types plain scalars as the core schema's patterns do."""

from __future__ import annotations

import itertools
import math
import re

from agentls.core.yamltree import BOOL, NULL, STR, resolve_plain

_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_NULL_RE = re.compile(r"~|null|Null|NULL|")


def _first_written(value: str) -> tuple[str, object]:
    if not value or value[0] in "~nNtTfF":
        if _NULL_RE.fullmatch(value):
            return NULL, None
        if _BOOL_RE.fullmatch(value):
            return BOOL, value[0] in "tT"
        return STR, value
    return resolve_plain(value)  # numbers and strings: unchanged


def test_words_match_the_patterns() -> None:
    words = ["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]
    words += ["", "n", "no", "nulL", "tRue", "t", "f", "name", "tools", "~~", "~ ", "null "]
    words += ["".join(p) for p in itertools.product("~nNtTfFuelrsaL", repeat=2)]
    for w in words:
        got, want = resolve_plain(w), _first_written(w)
        assert got == want and type(got[1]) is type(want[1]), w


def test_numbers_unchanged() -> None:
    assert resolve_plain("12") == ("tag:yaml.org,2002:int", 12)
    _tag, v = resolve_plain(".nan")
    assert isinstance(v, float) and math.isnan(v)
