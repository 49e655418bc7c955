"""The editor setups as the README prints them, for the editor tests to run verbatim.

Each test reads its snippet from README.md rather than keeping a copy, so what users paste and
what the tests run cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def readme_snippet(lang: str, marker: str) -> str:
    """The one fenced ``lang`` block of README.md that contains ``marker``."""
    found = [
        body
        for fence_lang, body in FENCE.findall(README.read_text(encoding="utf-8"))
        if fence_lang == lang and marker in body
    ]
    assert len(found) == 1, f"README.md has {len(found)} ```{lang} blocks with {marker!r}, not 1"
    return found[0]
