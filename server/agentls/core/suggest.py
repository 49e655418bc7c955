"""Near-miss suggestions ("did you mean"), with rapidfuzz (imported only when needed)."""

from __future__ import annotations

import functools
from collections.abc import Iterable


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


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 70.0) -> str:
    s = closest(word, choices, cutoff)
    return f" Did you mean `{s}`?" if s else ""
