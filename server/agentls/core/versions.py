"""Tool versions: parse and compare ``2.1.69``-style strings."""

from __future__ import annotations

import re
from typing import NamedTuple

_VERSION = re.compile(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*")


class Version(NamedTuple):
    """A version; compares as the tuple (major, minor, patch)."""

    major: int
    minor: int = 0
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> Version:
        m = _VERSION.fullmatch(text)
        if not m:
            raise ValueError(f"not a version: {text!r} (expected e.g. 2.1.69)")
        return cls(int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


# the newest release the conformance suite records (tests/conformance/versions.py)
CLAUDE_LATEST = Version(2, 1, 332)
