"""Rules particular to one dialect, beyond what its catalogue expresses (formats.md §4–§10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RULES: dict[str, tuple[Callable[[Any], None], ...]] = {}
