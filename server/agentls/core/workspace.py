"""Workspace index: every agent, skill, command and prompt by name (issue 5, navigation).

The scan is bounded (ignored folders, no symlinked folders, a file count and a size cap) and
cheap: it reads only the front matter's `name`, not a full analysis, so a 10,000-file
workspace indexes in well under the 2 s budget.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, NamedTuple

from agentls.core.dialects import DialectMatch, detect, name_of, parent_name_of, path_parts
from agentls.core.files import read_bytes
from agentls.core.text import LineIndex

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
        ".agentls_cache",  # agentls.cache.FOLDER
    }
)
Matcher = Callable[[str], DialectMatch | None]  # a file's dialect, None for none
MAX_FILES = 50_000  # files looked at
MAX_BYTES = 64 * 1024  # read at most this much of a file (the front matter is at the top)
MAX_MCP_BYTES = 1024 * 1024  # a `.mcp.json` larger than this is not read whole
MCP_CONFIG = ".mcp.json"
KINDS = {
    "claude-agent": "agent", "vscode-agent": "agent", "github-agent": "agent",
    "opencode-agent": "agent", "gemini-agent": "agent", "vscode-chatmode": "agent",
    "claude-skill": "skill", "agentskills": "skill", "codex-skill": "skill",
    "gemini-skill": "skill",
    "opencode-skill": "skill",
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
    length: int  # 0 when the name comes from the path
    scope: str = "project"  # DialectMatch.scope: project | user | plugin | portable | ...


def default_name(path: str, dialect: str) -> str:
    """The name a tool uses when the front matter has none (§3, §4.1, §5, §7.3, §9).

    Claude Code commands take their path below `commands/`, folders joined by `:` (§5)."""
    parts = path_parts(path)
    name = name_of(parts)
    if name.lower() == "skill.md":
        return parent_name_of(parts)
    for suffix in (".agent.md", ".chatmode.md", ".prompt.md", ".md", ".mdc"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if dialect == "claude-command" and "commands" in parts[:-1]:
        i = len(parts) - 1 - parts[::-1].index("commands")
        return ":".join((*parts[i + 1 : -1], name))
    return name


def entity(path: str, text: str, match: DialectMatch) -> Entity | None:
    kind = KINDS.get(match.dialect)
    if kind is None:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.startswith("---") and kind != "command":  # a command's name is its path (§5)
        end = text.find("\n---", 3)
        head = text[: end if end >= 0 else len(text)]
        m = _NAME.search(head)
        if m and m.group(1).strip():
            name = m.group(1).strip()
            # lines end in \n, \r\n or \r; only the text up to the name counts (300 KB heads)
            line, col = LineIndex(head[: m.end(1)]).position(m.start(1))
            return Entity(kind, name, path, match.dialect, line, col, len(name), match.scope)
    name = default_name(path, match.dialect)
    return Entity(kind, name, path, match.dialect, 0, 0, 0, match.scope)


def files(
    root: str, limit: int = MAX_FILES, match: Matcher = detect
) -> Iterator[tuple[str, DialectMatch | None]]:
    """Agent files under ``root`` (and `.mcp.json` files, with no match): folders in SKIP_DIRS
    and symlinked folders are not entered. ``match`` gives a file's dialect (under its
    settings: agentls.core.config.Layered.match)."""
    seen = 0
    for here, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for n in names:
            seen += 1
            if seen > limit:
                return
            if n == MCP_CONFIG:
                yield os.path.join(here, n), None
            if not n.endswith((".md", ".mdc")):
                continue
            path = os.path.join(here, n)
            m = match(path)
            if m is not None:
                yield path, m


def read_head(path: str, limit: int = MAX_BYTES) -> str | None:
    """The first ``limit`` bytes of a regular file, decoded; None for anything else (a FIFO
    named `x.md` is skipped, never waited on) or on an error."""
    try:
        return read_bytes(path, limit, head=True).decode("utf-8", "replace")
    except OSError:
        return None


def mcp_servers(text: str) -> frozenset[str] | None:
    """Server names of a `.mcp.json` (`{"mcpServers": {name: config}}`); None if not JSON
    of that shape (an unreadable configuration must not make every server look unknown)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    return frozenset(servers) if isinstance(servers, dict) else None


class Scan(NamedTuple):
    entities: dict[str, Entity]
    mcp: dict[str, frozenset[str]]  # `.mcp.json` path -> its server names


def collect(root: str, match: Matcher = detect) -> Scan:
    """Entities and MCP configurations under ``root`` (thread-safe when ``match`` is: give
    each thread its own)."""
    found = Scan({}, {})
    for path, m in files(root, match=match):
        if m is None:
            text = read_head(path, MAX_MCP_BYTES)
            servers = mcp_servers(text) if text is not None else None
            if servers is not None:
                found.mcp[path] = servers
            continue
        text = read_head(path)
        if text is not None:
            e = entity(path, text, m)
            if e is not None:
                found.entities[path] = e
    return found


def under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it (plain paths, no file-system access)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def project_roots(paths: Sequence[str]) -> list[str]:
    """The projects the given files and folders belong to (the CLI's workspace): the nearest
    folder with `.git` above each, else the folder itself; nested roots fold into the outer."""
    roots: list[str] = []
    for p in paths:
        start = os.path.abspath(p)
        here = start if os.path.isdir(start) else os.path.dirname(start)
        found = here
        probe = here
        while True:
            if os.path.exists(os.path.join(probe, ".git")):
                found = probe
                break
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        roots.append(found)
    roots.sort(key=len)
    out: list[str] = []
    for r in roots:
        if not any(under(r, o) for o in out):
            out.append(r)
    return out


def user_dirs(home: str | None = None) -> list[str]:
    """The user-scope folders of Claude Code agents, skills and commands (§3.1, §4.1, §5)."""
    base = os.path.join(home or os.path.expanduser("~"), ".claude")
    return [os.path.join(base, d) for d in ("agents", "skills", "commands")]


class Index:
    """Entities by file, and the MCP servers the workspace configures; updated per file.

    ``ready`` turns True once the first scan is merged: checks that need the whole workspace
    (a missing skill, a duplicate name) wait for it rather than report from a partial index.
    """

    def __init__(self, roots: list[str] | None = None) -> None:
        self.by_path: dict[str, Entity] = {}
        self._by_name: dict[str, dict[str, Entity]] = {}  # name -> path -> entity
        self.mcp: dict[str, frozenset[str]] = {}
        self.roots: list[str] = list(roots or [])
        self.extra_roots: list[str] = []  # also scanned, not the workspace: ~/.claude/agents...
        self.ready = False
        self.generation = 0  # +1 on every change of ``by_path`` (for what is derived from it)

    def scan(self, root: str) -> int:
        """Index ``root`` now (CLI, tests); the server collects off-thread and merges."""
        if root not in self.roots:
            self.roots.append(root)
        n = self.merge(collect(root))
        self.ready = True
        return n

    def merge(self, found: Scan, keep: Collection[str] = ()) -> int:
        """Add scanned entities; the files in ``keep`` (open in the editor) keep theirs."""
        for path, e in found.entities.items():
            if path not in keep:
                self._put(path, e)
        self.mcp.update(found.mcp)
        return len(found.entities)

    def rebuild(self, scans: Sequence[Scan], keep: Collection[str] = ()) -> None:
        """Replace what was scanned with new scans (the dialect patterns changed); the files
        in ``keep`` (open in the editor) keep their entries."""
        for p in [p for p in (*self.by_path, *self.mcp) if p not in keep]:
            self._drop(p)
            self.mcp.pop(p, None)
        for found in scans:
            self.merge(found, keep)

    def ignored(self, path: str) -> bool:
        """Whether a file event for ``path`` is none of the index's business: outside every
        scanned folder, or below a SKIP_DIRS folder *inside* one (a workspace may itself sit
        under a folder called `build`)."""
        for root in (*self.roots, *self.extra_roots):
            if under(path, root):
                return bool(SKIP_DIRS.intersection(os.path.relpath(path, root).split(os.sep)))
        return True

    def remove_under(self, path: str) -> bool:
        """Forget a deleted file, or everything under a deleted folder."""
        gone = [p for p in (*self.by_path, *self.mcp) if under(p, path)]
        for p in gone:
            self._drop(p)
            self.mcp.pop(p, None)
        return bool(gone)

    def _put(self, path: str, e: Entity) -> None:
        self._drop(path)
        self.generation += 1
        self.by_path[path] = e
        self._by_name.setdefault(e.name, {})[path] = e

    def _drop(self, path: str) -> bool:
        old = self.by_path.pop(path, None)
        if old is None:
            return False
        self.generation += 1
        same = self._by_name.get(old.name)
        if same is not None:
            same.pop(path, None)
            if not same:
                del self._by_name[old.name]
        return True

    def update(self, path: str, text: str | None, match: DialectMatch | None) -> bool:
        """Index one file's new text (None: deleted); True when what the index holds changed."""
        if os.path.basename(path) == MCP_CONFIG:
            servers = mcp_servers(text) if text is not None else None
            if servers is None:
                return self.mcp.pop(path, None) is not None
            changed = self.mcp.get(path) != servers
            self.mcp[path] = servers
            return changed
        e = entity(path, text, match) if text is not None and match is not None else None
        if e is None:
            return self._drop(path)
        changed = self.by_path.get(path) != e
        if changed:
            self._put(path, e)
        return changed

    def named(self, name: str, kinds: tuple[str, ...] = ()) -> list[Entity]:
        same = self._by_name.get(name, {})
        return [e for e in same.values() if not kinds or e.kind in kinds]

    def names(self, kinds: tuple[str, ...]) -> set[str]:
        return {e.name for e in self.by_path.values() if e.kind in kinds}

    def mcp_names(self) -> frozenset[str] | None:
        """Servers configured by the workspace's `.mcp.json` files; None when there is none."""
        if not self.mcp:
            return None
        return frozenset().union(*self.mcp.values())

    def search(self, query: str, limit: int = 500) -> list[Entity]:
        q = query.lower()
        hits = [e for e in self.by_path.values() if q in e.name.lower()]
        return sorted(hits, key=lambda e: (e.name.lower().find(q), e.name))[:limit]


# what a check asks of the index: ("ref", name, kinds), ("mcp", servers), ("clash", entity)
# (agentls.core.workspace_checks.Workspace.asked)
Question = tuple[str, Any, Any]


def unsettled(asked: list[Question], path: str, index: Index) -> bool:
    """Whether the answers to a file's questions (:attr:`Workspace.asked`) could make findings:
    then the file is checked again with the whole index."""
    for q in asked:
        if q[0] == "ref":
            if not index.named(q[1], q[2]):
                return True
        elif q[0] == "mcp":
            configured = index.mcp_names()
            if configured is not None and not q[1] <= configured:
                return True
        else:
            e = index.by_path.get(path) or q[1]
            if any(clash(e, o, index) for o in index.named(e.name)):
                return True
    return False


def _tree(path: str) -> str | None:
    """The `.claude/agents` folder a project or user agent belongs to (identity is per tree);
    None for an agent elsewhere (made one by a config's `patterns`)."""
    parts = path.split(os.sep)
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "agents" and parts[i - 1] == ".claude":
            return os.sep.join(parts[: i + 1])
    return None


def _same_folder(e: Entity, o: Entity) -> bool:
    """Whether two agents are in one agents folder: one `.claude/agents` tree, or (agents that
    a config's `patterns` name) one folder."""
    mine = _tree(e.path)
    if mine is None:
        return _tree(o.path) is None and os.path.dirname(e.path) == os.path.dirname(o.path)
    return mine == _tree(o.path)


def _nested(mine: str | None, other: str | None) -> bool:
    """Whether one agents folder's project contains the other's: Claude Code reads the
    `.claude/agents` of every folder from its working directory up (§3.1), so only then can
    both be seen at once (sibling packages never are)."""
    if mine is None or other is None:
        return False
    a, b = (os.path.dirname(os.path.dirname(t)) for t in (mine, other))
    return under(a, b) or under(b, a)


def _rel(path: str, index: Index) -> str:
    for r in index.roots:
        if under(path, r):
            return os.path.relpath(path, r)
    return path.replace(os.path.expanduser("~"), "~", 1)


def _agent_clash(e: Entity, o: Entity, index: Index) -> tuple[str, str] | None:
    """The code and message for Claude agent ``e`` when agent ``o`` has the same name (§3.1)."""
    where = _rel(o.path, index)
    if _same_folder(e, o):
        return "AGL802", (
            f"`{where}` is also named `{e.name}` in the same agents folder: Claude Code loads "
            "only one of them, whichever the file system lists first (`/doctor` reports it). "
            "Rename one."
        )
    if e.scope == "project" and o.scope == "user":
        return "AGL803", (
            f"Overrides your user agent `{e.name}` (`{where}`): project agents take precedence "
            "in this project."
        )
    if e.scope == "user" and o.scope == "project":
        return "AGL803", (
            f"The project agent `{where}` has the same name and takes precedence over this user "
            "agent in that project."
        )
    if e.scope == o.scope == "project" and _nested(_tree(e.path), _tree(o.path)):
        return "AGL803", (
            f"`{where}` in another `.claude/agents` folder is also named `{e.name}`: the one "
            "closest to Claude Code's working directory wins (since 2.1.178)."
        )
    return None


def clash(e: Entity, o: Entity, index: Index) -> tuple[str, str] | None:
    """The code and message for ``e`` when ``o`` has the same name (None: no clash)."""
    if o.path == e.path or o.scope == "plugin":
        return None
    if e.dialect == o.dialect == "claude-agent":
        return _agent_clash(e, o, index)
    if e.dialect == "claude-command" and o.dialect == "claude-skill" and o.scope == e.scope:
        return "AGL803", (
            f"The skill `{_rel(o.path, index)}` has the same name: the skill wins and "
            f"`/{e.name}` runs it, not this command."
        )
    return None
