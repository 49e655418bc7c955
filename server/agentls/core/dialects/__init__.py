"""Dialects: which tool reads a file, decided from its path (formats.md §0.1)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import NamedTuple


class DialectMatch(NamedTuple):
    dialect: str
    plugin: bool = False  # a plugin's agent (formats.md §3.4)
    scope: str = "project"  # project | user | plugin


@functools.lru_cache(maxsize=4096)
def is_plugin_root(directory: str) -> bool:
    """A Claude Code plugin root has ``.claude-plugin/plugin.json``."""
    return os.path.isfile(os.path.join(directory, ".claude-plugin", "plugin.json"))


PluginOracle = Callable[[str], bool]


def detect(path: str, plugin_root: PluginOracle | None = is_plugin_root) -> DialectMatch | None:
    """The dialect of the file at ``path`` (a filesystem path, any separators)."""
    p = PurePosixPath(path.replace("\\", "/"))
    if p.suffix.lower() != ".md":
        return None
    parts = p.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] != "agents":
            continue
        if i >= 1 and parts[i - 1] == ".claude":
            home = os.path.expanduser("~").replace("\\", "/")
            parent = str(PurePosixPath(*parts[: i - 1])) if i > 1 else ""
            return DialectMatch("claude-agent", False, "user" if parent == home else "project")
        root = str(PurePosixPath(*parts[:i])) if i else "."
        if plugin_root is not None and plugin_root(root):
            return DialectMatch("claude-agent", True, "plugin")
        # without the plugin manifest on disk: a marketplace layout `plugins/<name>/agents/`
        if i >= 2 and parts[i - 2] == "plugins" and not os.path.isdir(root):
            return DialectMatch("claude-agent", True, "plugin")
    return None
