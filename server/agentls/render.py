"""How ``agentls check`` writes findings for people and for GitHub (no pygls imports).

- ``full``: grouped by file, each finding with its source line and a caret under the range
  (what ``--format text`` writes on a terminal, as ruff's and eslint's default output does);
- ``concise``: ``path:line:col: severity code message``, one line a finding (what
  ``--format text`` writes to a pipe or a file: design.md §4, for grep and problem matchers);
- ``github``: workflow commands, so that a GitHub Actions run shows each finding as an
  annotation on the pull request.

Colour is for terminals only: ``--color auto`` colours when the stream is a terminal, ``TERM``
is not ``dumb`` and ``NO_COLOR`` is unset or empty (https://no-color.org); ``always`` and
``never`` decide alone. Text from the checked file (its line, and the values quoted in
messages) is written with control characters replaced, so a file cannot drive the terminal.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from typing import Any, TextIO

from agentls.core.codes import CODES
from agentls.core.text import LineIndex, Span

SEVERITIES = ("error", "warning", "information", "hint")
WIDTH = 100  # cells of source shown at most; longer lines are cut around the range
TAB = 4

_RESET = "\x1b[0m"
_STYLE = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "information": "\x1b[1;34m",
    "hint": "\x1b[1;36m",
    "path": "\x1b[1;4m",
    "dim": "\x1b[2m",
    "gutter": "\x1b[34m",
}


def use_color(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    if choice in ("always", "never"):
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.on and text else text


# Bidirectional overrides and isolates reorder what follows them on the screen ("Trojan Source")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` with control characters (other than tab) and bidi controls replaced by U+FFFD."""
    return "".join(
        "\ufffd" if (ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch != "\t")) else ch
        for ch in text
    )


def _cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def snippet(lines: LineIndex, span: Span, width: int = WIDTH) -> tuple[int, str, str]:
    """(0-based line, the source line as shown, the caret line under the range).

    Tabs become spaces, wide characters take two cells, a range over several lines is marked
    to the end of its first line, an empty range gets one caret, and a line longer than
    ``width`` cells is cut (with "…") so that the start of the range stays in view."""
    line, c0 = lines.position(span.start)
    end_line, c1 = lines.position(span.end)
    raw = lines.line_text(line)
    if end_line != line:
        c1 = len(raw)
    c1 = max(c0, c1)
    pieces: list[str] = []
    at = [0]  # the cell where each character starts, then the line's width
    for ch in printable(raw):
        piece = " " * (TAB - at[-1] % TAB) if ch == "\t" else ch
        pieces.append(piece)
        at.append(at[-1] + (len(piece) if ch == "\t" else _cells(ch)))
    lo, hi = 0, len(pieces)
    if at[-1] > width:  # keep some context before the range, then as much as fits
        while lo < c0 and at[c0] - at[lo] > width // 3:
            lo += 1
        hi = lo
        while hi < len(pieces) and at[hi + 1] - at[lo] <= width - 2:
            hi += 1
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(pieces) else ""
    shown = head + "".join(pieces[lo:hi]) + tail
    start = at[max(lo, min(c0, hi))] - at[lo] + len(head)
    stop = at[max(lo, min(c1, hi))] - at[lo] + len(head)
    if c1 > hi:  # the range runs past the cut: under the "…" too
        stop += len(tail)
    return line, shown, " " * start + "^" * max(1, stop - start)


class FullWriter:
    """One file's findings, grouped under its path, each with its line and a caret."""

    def __init__(self, out: TextIO, color: bool) -> None:
        self.out = out
        self.paint = Paint(color)
        self.files = 0
        try:  # the source line fits the terminal; WIDTH in a pipe
            self.columns = os.get_terminal_size(out.fileno()).columns
        except (AttributeError, OSError, ValueError):
            self.columns = 0

    def file(self, path: str, lines: LineIndex, items: list[tuple[Span, dict[str, Any]]]) -> None:
        if not items:
            return
        p = self.paint
        w = self.out.write
        if self.files:
            w("\n")
        self.files += 1
        w(p("path", printable(path)) + "\n")
        gutter = len(str(max(lines.position(s.start)[0] for s, _ in items) + 1))
        for span, d in items:
            s = d["range"]["start"]
            sev = d["severity"]
            w(
                f"  {s['line'] + 1}:{s['character'] + 1}  {p(sev, sev)}  "
                f"{p('dim', d['code'])}  {printable(d['message'])}\n"
            )
            room = self.columns - gutter - 7 if self.columns else WIDTH
            line, shown, caret = snippet(lines, span, max(40, room))
            bar = p("gutter", "|")
            w(f"    {p('gutter', str(line + 1).rjust(gutter))} {bar} {shown}\n".rstrip() + "\n")
            w(f"    {' ' * gutter} {bar} {p(sev, caret)}\n")


def concise(d: dict[str, Any], color: bool) -> str:
    s = d["range"]["start"]
    sev = Paint(color)(d["severity"], d["severity"])
    message = printable(d["message"]) if color else d["message"]
    return f"{d['path']}:{s['line'] + 1}:{s['character'] + 1}: {sev} {d['code']} {message}\n"


def _escape_data(s: str) -> str:
    # as @actions/core's command.ts: escapeData
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    # as @actions/core's command.ts: escapeProperty
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


_GITHUB = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def github_path(path: str, environ: Mapping[str, str] | None = None) -> str:
    """The path as GitHub matches it to the pull request's files: relative to the workspace
    (``$GITHUB_WORKSPACE``) when under it, normalised (no ``./``), with ``/``."""
    workspace = (os.environ if environ is None else environ).get("GITHUB_WORKSPACE")
    path = os.path.normpath(path)
    if workspace and os.path.isabs(path):
        rel = os.path.relpath(path, workspace)
        if not rel.startswith(os.pardir):
            path = rel
    return path.replace(os.sep, "/")


def github(d: dict[str, Any]) -> str:
    """A workflow command: ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…``.

    Lines and columns are 1-based, columns in UTF-16 code units as in the SARIF output, and
    ``endColumn`` is the last column of the range. GitHub takes no columns for a range over
    several lines (toolkit: "cannot be sent when startLine and endLine are different")."""
    s, e = d["range"]["start"], d["range"]["end"]
    props = [("file", github_path(d["path"])), ("line", str(s["line"] + 1))]
    if s["line"] == e["line"]:
        props.append(("col", str(s["character"] + 1)))
        props.append(("endLine", str(e["line"] + 1)))
        props.append(("endColumn", str(max(e["character"], s["character"] + 1))))
    else:
        props.append(("endLine", str(e["line"] + 1)))
    code = d["code"]
    title = f"{code} ({CODES[code].name})" if code in CODES else code
    props.append(("title", title))
    head = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
    return f"::{_GITHUB[d['severity']]} {head}::{_escape_data(d['message'])}\n"


def summary(checked: int, counts: Mapping[str, int], color: bool) -> str:
    """``3 files checked: 2 errors, 1 warning`` (or ``…, no problems``)."""
    p = Paint(color)
    parts = [
        p(k, f"{n} {k}{'s' if n != 1 and k != 'information' else ''}")
        for k in SEVERITIES
        if (n := counts.get(k, 0))
    ]
    files = f"{checked} file{'s' if checked != 1 else ''} checked"
    return files + (f": {', '.join(parts)}" if parts else ", no problems")
