"""Workspace index: every agent, skill, command and prompt by name (issue 5, navigation).

The scan is bounded (ignored folders, no symlinked folders, a file count and a size cap) and
cheap: it reads only the front matter's `name`, not a full analysis, so a 10,000-file
workspace indexes in well under the 2 s budget.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from agentls.core.dialects import DialectMatch, detect

SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".hg",
        ".svn",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "dist",
        "build",
        "target",
        ".next",
        ".cache",
    }
)
MAX_FILES = 50_000  # files looked at
MAX_BYTES = 64 * 1024  # read at most this much of a file (the front matter is at the top)
KINDS = {
    "claude-agent": "agent", "vscode-agent": "agent", "github-agent": "agent",
    "opencode-agent": "agent", "gemini-agent": "agent", "vscode-chatmode": "agent",
    "claude-skill": "skill", "agentskills": "skill",
    "claude-command": "command", "vscode-prompt": "prompt", "codex-prompt": "prompt",
}  # fmt: skip
_NAME = re.compile(r"""^name[ \t]*:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(?:#.*)?\r?$""", re.M)


class Entity(NamedTuple):
    kind: str  # agent | skill | command | prompt
    name: str
    path: str
    dialect: str
    line: int  # 0-based line of the `name:` key (0 when the name comes from the path)
    column: int  # code points
    length: int


def default_name(path: str, dialect: str) -> str:
    """The name a tool uses when the front matter has none (§3, §4.1, §5, §7.3, §9)."""
    p = PurePosixPath(path.replace("\\", "/"))
    if p.name.lower() == "skill.md":
        return p.parent.name
    name = p.name
    for suffix in (".agent.md", ".chatmode.md", ".prompt.md", ".md", ".mdc"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def entity(path: str, text: str, match: DialectMatch) -> Entity | None:
    kind = KINDS.get(match.dialect)
    if kind is None:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.startswith("---"):
        end = text.find("\n---", 3)
        head = text[: end if end >= 0 else len(text)]
        m = _NAME.search(head)
        if m and m.group(1).strip():
            name = m.group(1).strip()
            line = head.count("\n", 0, m.start(1))
            col = m.start(1) - (head.rfind("\n", 0, m.start(1)) + 1)
            return Entity(kind, name, path, match.dialect, line, col, len(name))
    return Entity(kind, default_name(path, match.dialect), path, match.dialect, 0, 0, 0)


def files(root: str, limit: int = MAX_FILES) -> Iterator[tuple[str, DialectMatch]]:
    """Agent files under ``root``: folders in SKIP_DIRS and symlinked folders are not entered."""
    seen = 0
    for here, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for n in names:
            seen += 1
            if seen > limit:
                return
            if not n.endswith((".md", ".mdc")):
                continue
            path = os.path.join(here, n)
            m = detect(path)
            if m is not None:
                yield path, m


def read_head(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return None


def collect(root: str) -> dict[str, Entity]:
    """Entities of the agent files under ``root`` (touches no shared state: thread-safe)."""
    found: dict[str, Entity] = {}
    for path, m in files(root):
        text = read_head(path)
        if text is not None:
            e = entity(path, text, m)
            if e is not None:
                found[path] = e
    return found


class Index:
    """Entities by file; rebuilt per file on change (file events or edits)."""

    def __init__(self) -> None:
        self.by_path: dict[str, Entity] = {}

    def scan(self, root: str) -> int:
        """Index ``root`` now (CLI, tests); the server collects off-thread and merges."""
        return self.merge(collect(root))

    def merge(self, found: dict[str, Entity]) -> int:
        """Add scanned entities; files already known from an editor buffer keep theirs."""
        for path, e in found.items():
            self.by_path.setdefault(path, e)
        return len(found)

    def update(self, path: str, text: str | None, match: DialectMatch | None) -> None:
        e = entity(path, text, match) if text is not None and match is not None else None
        if e is None:
            self.by_path.pop(path, None)
        else:
            self.by_path[path] = e

    def named(self, name: str, kinds: tuple[str, ...] = ()) -> list[Entity]:
        return [
            e for e in self.by_path.values() if e.name == name and (not kinds or e.kind in kinds)
        ]

    def search(self, query: str, limit: int = 500) -> list[Entity]:
        q = query.lower()
        hits = [e for e in self.by_path.values() if q in e.name.lower()]
        return sorted(hits, key=lambda e: (e.name.lower().find(q), e.name))[:limit]
