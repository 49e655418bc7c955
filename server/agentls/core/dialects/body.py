"""Body syntax that changes what runs: arguments, shell lines, substitutions, references."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RULES: dict[str, tuple[Callable[[Any], None], ...]] = {}
