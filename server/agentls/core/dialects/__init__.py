"""Dialects: which tool reads a file, decided from its path (formats.md §0.1)."""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple


class DialectMatch(NamedTuple):
    dialect: str
    plugin: bool = False  # a plugin's file (formats.md §3.4)
    scope: str = "project"  # project | user | plugin | portable | copilot | loose


@functools.lru_cache(maxsize=4096)
def is_plugin_root(directory: str) -> bool:
    """A Claude Code plugin root has ``.claude-plugin/plugin.json``."""
    return os.path.isfile(os.path.join(directory, ".claude-plugin", "plugin.json"))


PluginOracle = Callable[[str], bool]

# Claude Code's folders under `.claude/` (and a plugin's root) -> dialect
_CLAUDE_DIRS = {
    "agents": "claude-agent",
    "commands": "claude-command",
    "rules": "claude-rule",
    "output-styles": "claude-output-style",
}
# `*.<kind>.md` suffixes read by VS Code / GitHub Copilot (§7.1)
_SUFFIXES = (
    (".agent.md", "vscode-agent"),
    (".chatmode.md", "vscode-chatmode"),
    (".prompt.md", "vscode-prompt"),
    (".instructions.md", "vscode-instructions"),
)
# plain Markdown that tools read without front matter
_PLAIN = frozenset({"agents.md", "claude.md", "copilot-instructions.md"})
# the dialects with a catalogue of their own (agentls.core.catalog), besides claude-agent
DIALECT_FILES = (
    "claude-skill", "claude-command", "claude-rule", "claude-output-style", "agentskills",
    "vscode-agent", "github-agent", "vscode-chatmode", "vscode-prompt", "vscode-instructions",
    "cursor-rule", "opencode-agent", "gemini-agent", "codex-prompt", "copilot-agent",
    "copilot-skill", "codex-skill", "opencode-command", "opencode-skill", "gemini-skill",
    "copilot-instructions", "vscode-skill", "vscode-claude-agent",
)  # fmt: skip

# what Claude Code lists in every request: skills and commands (the skill listing); with agents,
# the files of its listings (agentls.core.cost, agentls.core.received)
LISTED_DIALECTS = frozenset({"claude-skill", "claude-command"})
CLAUDE_FILES = LISTED_DIALECTS | {"claude-agent"}


def _in_claude_agents(parts: tuple[str, ...]) -> bool:
    """Under `.claude/agents/`: Claude Code loads `x.agent.md` there as an agent (2.1.332,
    conformance case a0382), and VS Code reads the folder in Claude's format (formats.md §0.1)."""
    return any(parts[k] == ".claude" and parts[k + 1] == "agents" for k in range(len(parts) - 2))


def _in_opencode_agents(parts: tuple[str, ...]) -> bool:
    """Under `.opencode/agent(s)/`: OpenCode reads `x.agent.md` there as its agent `x.agent`
    (tests/conformance/opencode a0312)."""
    return any(
        parts[k] == ".opencode" and parts[k + 1] in ("agent", "agents")
        for k in range(len(parts) - 2)
    )


def _opencode_folder(parts: tuple[str, ...], i: int) -> bool:
    """``parts[i]`` is in an OpenCode config folder: `.opencode/` (project or HOME) or
    `~/.config/opencode/`; not `opencode/` elsewhere (tests/conformance/opencode a0320)."""
    up = parts[i - 1] if i >= 1 else ""
    return up == ".opencode" or (up == "opencode" and i >= 2 and parts[i - 2] == ".config")


def _home() -> str:
    return os.path.expanduser("~").replace("\\", "/")


def _claude_match(parts: tuple[str, ...], i: int, kind: str, plugin: bool) -> DialectMatch | None:
    """``parts[i]`` is a Claude Code folder (agents, commands, skills...) of a scope."""
    name = parts[-1]
    scope = "plugin" if plugin else "project"
    if not plugin and i >= 1 and _join(parts[: i - 1]) == _home():
        scope = "user"
    if kind == "skills":
        # <skills>/<dir>/SKILL.md exactly (other Markdown in a skill folder is reference text)
        if name == "SKILL.md" and len(parts) - i == 3:
            return DialectMatch("claude-skill", plugin, scope)
        if name == "SKILL.md" and len(parts) - i > 3 and not plugin:
            # a nested `.claude/skills/<group>/<dir>/SKILL.md`: Claude Code does not read it,
            # OpenCode does (any depth: tests/conformance/opencode s0043), Copilot CLI one level
            return DialectMatch("opencode-skill", scope=scope)
        return None
    dialect = _CLAUDE_DIRS.get(kind)
    if dialect is None:
        return None
    if kind == "output-styles" and len(parts) - i != 2:
        return None
    return DialectMatch(dialect, plugin, scope)


# the folders whose subfolders :func:`detect` looks at, and the folders it looks at anywhere
_TOOL_FOLDERS = frozenset(
    (".claude", ".github", ".copilot", ".opencode", "opencode", ".gemini", ".codex")
)
_KIND_FOLDERS = frozenset(("agents", "commands", "skills"))


def _parts(posix: str) -> tuple[str, ...]:
    """``PurePosixPath(posix).parts``; a plain split when there is nothing to normalise (a
    walk's paths), which is several times faster (and needs no pathlib: 3 ms to import)."""
    if "//" in posix or "/./" in posix or posix.startswith("./") or posix.endswith(("/", "/.")):
        from pathlib import PurePosixPath

        return PurePosixPath(posix).parts
    if posix in ("", "."):
        return ()
    parts = posix.split("/")
    if not parts[0]:
        parts[0] = "/"
    return tuple(parts)


def path_parts(path: str) -> tuple[str, ...]:
    """``PurePosixPath(path).parts``, with a `\\` read as `/` (a Windows path)."""
    return _parts(path.replace("\\", "/"))


def name_of(parts: Sequence[str]) -> str:
    """``PurePosixPath(...).name`` of a path's :func:`path_parts`."""
    return parts[-1] if parts and parts[-1] not in ("/", "//") else ""


def parent_name_of(parts: Sequence[str]) -> str:
    """``PurePosixPath(...).parent.name`` of a path's :func:`path_parts`."""
    return name_of(parts[:-1]) if len(parts) > 1 else ""


def stem_of(name: str) -> str:
    """``PurePosixPath(name).stem``: without its last suffix (a dot file is all stem)."""
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _join(parts: Sequence[str]) -> str:
    """``str(PurePosixPath(*parts))`` for parts of a path (the root first, if any)."""
    if not parts:
        return "."
    if parts[0] in ("/", "//"):
        return parts[0] + "/".join(parts[1:])
    return "/".join(parts)


def path_match(posix: str, glob: str) -> bool:
    """``PurePosixPath(posix).match(glob)`` (pathlib imported when a config has patterns)."""
    from pathlib import PurePosixPath

    return PurePosixPath(posix).match(glob)


def detect(
    path: str,
    plugin_root: PluginOracle | None = is_plugin_root,
    patterns: Mapping[str, Sequence[str]] | None = None,
) -> DialectMatch | None:
    """The dialect of the file at ``path`` (a filesystem path, any separators).

    ``patterns`` maps a dialect id to extra glob patterns (user settings); they win.
    """
    posix = path.replace("\\", "/")
    if patterns:
        for dialect, globs in patterns.items():
            if any(fnmatch.fnmatch(posix, g) or path_match(posix, g) for g in globs):
                return DialectMatch(dialect, scope="configured")
    parts = _parts(posix)
    name = parts[-1] if parts and parts[-1] not in ("/", "//") else ""
    lower = name.lower()
    if lower.endswith(".mdc"):
        in_rules = any(
            parts[k] == ".cursor" and parts[k + 1] == "rules" for k in range(len(parts) - 2)
        )
        return DialectMatch("cursor-rule", scope="project" if in_rules else "loose")
    if not lower.endswith(".md") or lower in _PLAIN:
        return None
    for suffix, dialect in _SUFFIXES:
        if lower.endswith(suffix) and not (
            suffix == ".agent.md"
            and (
                _in_claude_agents(parts)
                or _in_opencode_agents(parts)
                or (len(parts) >= 3 and parts[-3:-1] == (".gemini", "agents"))
            )
        ):
            return DialectMatch(dialect)
    # folders, innermost first
    for i in range(len(parts) - 2, -1, -1):
        d = parts[i]
        up = parts[i - 1] if i >= 1 else ""
        if up not in _TOOL_FOLDERS and d not in _KIND_FOLDERS:
            continue  # (most folders: nothing below applies)
        if up == ".claude":
            m = _claude_match(parts, i, d, plugin=False)
            if m is not None or d in ("agents", "commands", "rules", "output-styles", "skills"):
                return m
        if up == ".github" and d == "agents" and len(parts) - i == 2:
            return DialectMatch("vscode-agent")
        if up == ".copilot" and d == "agents" and len(parts) - i == 2:
            return DialectMatch("vscode-agent", scope="user")
        if _opencode_folder(parts, i) and name.endswith(".md"):  # case-sensitive (a0310)
            if d in ("agent", "agents") or (d in ("mode", "modes") and len(parts) - i == 2):
                return DialectMatch("opencode-agent")  # mode(s)/ is not recursive (a0316)
            if d in ("command", "commands"):
                return DialectMatch("opencode-command")
            if d in ("skill", "skills") and name == "SKILL.md":
                return DialectMatch("opencode-skill")
        if up == ".gemini" and d == "agents" and len(parts) - i == 2:
            # Gemini CLI 0.61.0 reads `*.md` (case-sensitive) not starting with `_`, `x.agent.md`
            # too (tests/conformance/gemini g0357, g0359, g0360)
            if not name.endswith(".md") or name.startswith("_"):
                return None
            return DialectMatch("gemini-agent")
        # `SKILL.md` and `*/SKILL.md` in a skills folder (not in dot folders: k0168, k0173)
        depth = len(parts) - i
        in_skills = up == ".gemini" and d == "skills" and name == "SKILL.md"
        if in_skills and (depth == 2 or (depth == 3 and not parts[-2].startswith("."))):
            return DialectMatch("gemini-skill")
        if up == ".codex" and d == "prompts" and len(parts) - i == 2:
            return DialectMatch("codex-prompt")
        if d in ("agents", "commands", "skills"):
            root = _join(parts[:i])
            on_disk = plugin_root is not None and plugin_root(root)
            # without the manifest on disk: a marketplace layout `plugins/<name>/<kind>/`
            layout = i >= 2 and parts[i - 2] == "plugins" and not os.path.isdir(root)
            if on_disk or layout:
                m = _claude_match(parts, i, d, plugin=True)
                if m is not None:
                    return m
    if name == "SKILL.md" and any(
        parts[k] in (".codex", ".agents") and parts[k + 1] == "skills"
        for k in range(len(parts) - 2)
    ):
        return DialectMatch("codex-skill")  # Codex's skill roots (tests/conformance/codex)
    if name in ("SKILL.md", "skill.md"):
        parent = _join(parts[:-1]) if name else _join(parts)
        if plugin_root is not None and plugin_root(parent):
            return DialectMatch("claude-skill", True, "plugin")  # a plugin-root SKILL.md
        copilot = any(
            parts[k] in (".github", ".copilot") and parts[k + 1] == "skills"
            for k in range(len(parts) - 1)
        )
        return DialectMatch("agentskills", scope="copilot" if copilot else "portable")
    return None
