"""Colour swatches for `color:` values, and a picker limited to the names the tool accepts."""

from __future__ import annotations

import re
from typing import NamedTuple

from agentls.core.analysis import Analysis
from agentls.core.catalog import claude
from agentls.core.text import Span
from agentls.core.yamltree import YScalar, trim_end

_HEX = re.compile(r"#([0-9a-fA-F]{6})")


class Rgb(NamedTuple):
    red: float
    green: float
    blue: float


def _rgb(hex6: str) -> Rgb:
    return Rgb(*(int(hex6[i : i + 2], 16) / 255 for i in (0, 2, 4)))


def _named() -> dict[str, Rgb]:
    return {n: _rgb(str(e.extra.get("hex", "#000000"))[1:]) for n, e in claude().colors.items()}


def colors(a: Analysis) -> list[tuple[Span, Rgb]]:
    """The `color` value of a Claude agent (a name) or an OpenCode agent (`#RRGGBB`)."""
    if a.root is None or a.dialect is None:
        return []
    e = a.root.get("color")
    if e is None or not isinstance(e.value, YScalar) or not isinstance(e.value.value, str):
        return []
    value = e.value.value
    span = trim_end(a.text, e.value.span)
    if a.dialect.dialect == "claude-agent":
        rgb = _named().get(value)
        return [(span, rgb)] if rgb else []
    m = _HEX.fullmatch(value)
    if m and a.dialect.dialect == "opencode-agent":
        return [(span, _rgb(m.group(1)))]
    return []


def presentations(a: Analysis, picked: Rgb) -> list[str]:
    """What a picked colour may be written as: the accepted names, nearest first."""
    if a.dialect is not None and a.dialect.dialect == "opencode-agent":
        return ["#" + "".join(f"{round(c * 255):02x}" for c in picked)]
    named = _named()
    return sorted(
        named, key=lambda n: sum((x - y) ** 2 for x, y in zip(named[n], picked, strict=True))
    )
