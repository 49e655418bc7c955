"""``ORDER`` (the fields read in C) sorts findings as ``Finding.sort_key`` does."""

from __future__ import annotations

import random

from agentls.core.findings import ORDER, Finding, Severity
from agentls.core.text import Span


def test_order_is_sort_key() -> None:
    rng = random.Random(13)
    for _ in range(200):
        found = [
            Finding(
                rng.choice(["AGL100", "AGL200", "AGL019"]),
                rng.choice(list(Severity)),
                Span(rng.randrange(4), rng.randrange(6)),
                rng.choice(["a", "b", "a b"]),
            )
            for _ in range(rng.randrange(12))
        ]
        assert sorted(found, key=ORDER) == sorted(found, key=Finding.sort_key)
