"""Near-miss suggestions ("did you mean"), with rapidfuzz (imported only when needed)."""

from __future__ import annotations

import collections
import functools
import sys
from collections.abc import Iterable, Mapping, Sequence


def closest(word: str, choices: Iterable[str], cutoff: float = 70.0) -> str | None:
    """The choice most like ``word``: exact case-insensitive match first, then fuzzy."""
    return _closest(word, tuple(choices), cutoff)


@functools.lru_cache(maxsize=4096)
def _closest(word: str, options: tuple[str, ...], cutoff: float) -> str | None:
    low = word.lower()
    for c in options:
        if c.lower() == low:
            return c
    norm = low.replace("_", "").replace("-", "")
    for c in options:
        if c.lower().replace("_", "").replace("-", "") == norm:
            return c
    if not options or len(word) < 2:
        return None
    # the prefilter spares importing the fuzzy matcher; once it is loaded, it is the faster test
    if "rapidfuzz" not in sys.modules and not _may_reach(low, options, cutoff):
        return None
    try:
        from rapidfuzz import fuzz, process
    except ImportError:  # the pure-Python bundle of the VS Code extension on other platforms
        import difflib

        lowered = {c.lower(): c for c in options}
        hits = difflib.get_close_matches(low, list(lowered), n=1, cutoff=cutoff / 100)
        return lowered[hits[0]] if hits else None
    best = process.extractOne(
        low, {c: c.lower() for c in options}, scorer=fuzz.ratio, score_cutoff=cutoff
    )
    return best[2] if best else None


def _may_reach(low: str, options: tuple[str, ...], cutoff: float) -> bool:
    """Whether an option can score ``cutoff``: fuzz.ratio is 200 * LCS / (the two lengths),
    and the LCS is at most the characters the two share. A False is exact (no fuzzy matcher
    needed, nor imported); the margin covers rapidfuzz's rounding."""
    mine = collections.Counter(low)
    for c in options:
        o = c.lower()
        if 200 * min(len(low), len(o)) < (cutoff - 0.5) * (len(low) + len(o)):
            continue  # the lengths alone are too far apart (they bound the shared characters)
        shared = sum((mine & collections.Counter(o)).values())
        if 200 * shared >= (cutoff - 0.5) * (len(low) + len(o)):
            return True
    return False


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 70.0) -> str:
    s = closest(word, choices, cutoff)
    return f" Did you mean `{s}`?" if s else ""


def osa_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (Damerau: adjacent swaps count 1), as Claude Code's."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, prev2[j - 2] + 1)
            cur[j] = d
        prev2, prev = prev, cur
    return prev[len(b)]


def _separator_free(key: str) -> str:
    return key.replace("-", "").replace("_", "").lower()


def key_hint(
    key: str,
    candidates: Sequence[str],
    overrides: Mapping[str, str | None],
    max_distance: int = 2,
) -> str | None:
    """The key Claude Code's unknown-key warning suggests for ``key`` (None: no suggestion).

    A fixed hint for the key without `-`/`_`, lower-cased (a None hint: none at all); else the
    candidate equal under that normalisation; else the first candidate at the smallest edit
    distance (at most ``max_distance``, lengths differing by at most as much). The hint is shown
    only when it is a candidate.
    """
    norm = _separator_free(key)
    if norm in overrides:
        target = overrides[norm]
    else:
        target = next((c for c in candidates if _separator_free(c) == norm), None)
        if target is None:
            target = _nearest(key, tuple(candidates), max_distance)
    return target if target is not None and target in candidates else None


@functools.lru_cache(maxsize=1024)  # the same unknown keys recur across a project's files
def _nearest(key: str, candidates: tuple[str, ...], max_distance: int) -> str | None:
    """The first candidate at the smallest edit distance from ``key``, at most ``max_distance``."""
    best: tuple[int, str] | None = None
    for c in dict.fromkeys(candidates):
        if abs(len(c) - len(key)) > max_distance:
            continue
        d = osa_distance(key, c)
        if d <= max_distance and (best is None or d < best[0]):
            best = (d, c)
    return best[1] if best else None
