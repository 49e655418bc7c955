"""Which runtimes read a file, and by which profile (``catalog/runtimes.yaml``).

A file under ``.claude/agents/`` is read by Claude Code and by Copilot CLI, each its own way;
a ``SKILL.md`` under ``.github/skills/`` by Copilot CLI and VS Code. The dialect agentls detects
(``core.dialects``) names the file's own tool; this module adds the other readers, so that the
analysis can give one verdict per runtime. Data, not code: a new reader is a row in the YAML.
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

from agentls.core.catalog import _load
from agentls.core.dialects import DialectMatch


class Runtime(NamedTuple):
    id: str
    name: str
    version: str | None


class Reader(NamedTuple):
    runtime: Runtime
    profile: str  # the catalogue (`<profile>.yaml`) the runtime reads the file by


class _Rule(NamedTuple):
    runtime: str
    profile: str
    paths: re.Pattern[str]  # the paths it reads: its globs as one pattern
    ends: tuple[str, ...]  # what such a path ends with, one per glob (a quick test first)
    only_for: frozenset[str]  # dialect ids (or `dialect:scope`); empty: any
    not_paths: re.Pattern[str] | None = None  # paths the runtime does not read after all


def _globs(patterns: list[str]) -> re.Pattern[str]:
    """One pattern that matches a path when one of the globs does (compiled once)."""
    return re.compile("|".join(f"(?:{_regex(p)})" for p in patterns))


def _ending(pattern: str) -> str:
    """The text after the glob's last wildcard, which every path it matches ends with."""
    last = pattern.rfind("*")
    if last >= 1 and pattern.startswith("**/", last - 1):
        return pattern[last + 2 :]  # `**/` may match nothing, its `/` included
    return pattern[last + 1 :]


def _glob(pattern: str) -> re.Pattern[str]:
    """`**/` any folders (or none), `*` any characters but `/`, a leading `~/` the home."""
    return re.compile(_regex(pattern))


def _regex(pattern: str) -> str:
    """:func:`_glob`'s regular expression."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out) + r"\Z"


@functools.cache
def _registry() -> tuple[dict[str, Runtime], tuple[_Rule, ...], dict[str, str]]:
    d = _load("runtimes")
    runtimes = {
        rid: Runtime(rid, r["name"], None if r.get("version") is None else str(r["version"]))
        for rid, r in d["runtimes"].items()
    }
    rules = tuple(
        _Rule(
            r["runtime"],
            r["profile"],
            _globs(r["paths"]),
            tuple(_ending(p) for p in r["paths"]),
            frozenset(r.get("only_for") or ()),
            _globs(r["not_paths"]) if r.get("not_paths") else None,
        )
        for r in d["readers"]
    )
    return runtimes, rules, dict(d["dialects"])


def all_runtimes() -> list[Runtime]:
    return list(_registry()[0].values())


def own_runtime(match: DialectMatch) -> Runtime | None:
    """The runtime whose format the dialect is (its own tool)."""
    runtimes, _, own = _registry()
    rid = own.get(f"{match.dialect}:{match.scope}") or own.get(match.dialect)
    return runtimes.get(rid) if rid else None


def _home() -> str:
    return _home_of(os.environ.get("HOME"), os.environ.get("USERPROFILE"))


@functools.lru_cache(maxsize=4)
def _home_of(home: str | None, profile: str | None) -> str:
    """The home folder for these variables (what expanduser reads; it is slow per file)."""
    return os.path.expanduser("~").replace("\\", "/").rstrip("/")


def readers(path: str | None, match: DialectMatch) -> list[Reader]:
    """Every runtime that reads the file, its own tool first."""
    runtimes, rules, _ = _registry()
    out: list[Reader] = []
    own = own_runtime(match)
    if own is not None:
        out.append(Reader(own, match.dialect))
    if path is None:
        return out
    posix = path.replace("\\", "/")
    home = _home()
    # the path as written, and from `~` when it is under the home folder
    tilde = "~" + posix[len(home) :] if home and posix.startswith(home + "/") else None
    ids = (match.dialect, f"{match.dialect}:{match.scope}")
    taken = {r.runtime.id for r in out}  # one reading per runtime: its first matching rule
    for rule in rules:
        if rule.runtime in taken:
            continue
        if rule.only_for and rule.only_for.isdisjoint(ids):
            continue
        if not posix.endswith(rule.ends):
            continue
        if _matches(rule.paths, posix, tilde) and not (
            rule.not_paths is not None and _matches(rule.not_paths, posix, tilde)
        ):
            out.append(Reader(runtimes[rule.runtime], rule.profile))
            taken.add(rule.runtime)
    return out


def _matches(pattern: re.Pattern[str], posix: str, tilde: str | None) -> bool:
    return pattern.match(posix) is not None or (tilde is not None and bool(pattern.match(tilde)))
