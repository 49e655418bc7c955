"""The project's config file: ``[tool.agentls]`` in ``pyproject.toml``, ``agentls.toml`` or
``.agentls.toml``, found from the checked file's folder upward (the nearest wins).

It holds what the editor settings hold (``claudeCode.version``, ``severity``, ``dialects``,
``targets``) plus ``exclude`` globs. Settings given by the editor or on the command line win
key by key (:func:`merge`). Bad values keep their default and yield a :class:`Problem` with the
file and the line (design.md §5: a friendly message, never a crash). No pygls imports.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from agentls.core.dialects import DialectMatch, detect, path_match
from agentls.core.settings import Settings

# in one folder, the first of these that configures agentls wins (ruff's order)
CONFIG_NAMES = (".agentls.toml", "agentls.toml", "pyproject.toml")
KEYS = ("claudeCode", "severity", "dialects", "targets", "budgets", "exclude")


class Problem(NamedTuple):
    path: str
    line: int  # 1-based; 0 when the file as a whole is at fault
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


class Config(NamedTuple):
    path: str  # the file
    raw: Mapping[str, Any]  # the agentls table, as Settings.parse reads it
    exclude: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def root(self) -> str:
        return os.path.dirname(self.path)

    def excludes(self, path: str) -> bool:
        """Whether ``path`` matches an ``exclude`` glob (relative to the config's folder)."""
        return excluded(path, self.root, self.exclude)


def excluded(path: str, root: str, globs: Sequence[str]) -> bool:
    """A glob matches the path relative to ``root`` or one of its folders (``vendor`` and
    ``vendor/`` exclude everything under vendor/); a glob without ``/`` matches at any depth
    (``*.draft.md``), one starting with ``./`` or ``/`` only at the root; ``*`` also crosses
    ``/``, ``**`` is allowed."""
    if not globs:
        return False
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive on Windows
        return False
    rel = rel.replace(os.sep, "/")
    if rel.startswith("../") or rel == "..":
        return False
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for g in globs:
        g = g.strip()
        anywhere = "/" not in g.rstrip("/")  # a leading "./" or "/" anchors it, as in .gitignore
        g = g.removeprefix("./").strip("/")
        if not g:
            continue
        for p in prefixes:
            if fnmatch.fnmatchcase(p, g) or (anywhere and path_match(p, g)):
                return True
            if g.endswith("/**") and fnmatch.fnmatchcase(p, g[:-3]):
                return True
    return False


# what a pyproject.toml with [tool.agentls] holds: `tool.agentls` (a table header or a dotted
# key), or a `[tool]` table or a `tool = {...}` inline table that may define it
_MAY_CONFIGURE = re.compile(
    r"""tool["']?\s*\.\s*["']?agentls\b|^\s*\[\s*["']?tool["']?\s*\]|^\s*["']?tool["']?\s*=""",
    re.M,
)


def _tomllib() -> Any:
    """The TOML parser, imported only when a config file is read (most runs read none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found]
    return tomllib


def __getattr__(name: str) -> Any:
    if name == "tomllib":  # `from agentls.core.config import tomllib`, as before
        return _tomllib()
    raise AttributeError(name)


def read(path: str) -> Config | None:
    """The config in ``path``; None for a ``pyproject.toml`` without ``[tool.agentls]``.
    Raises OSError when the file cannot be read."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    pyproject = os.path.basename(path) == "pyproject.toml"
    if pyproject and not _MAY_CONFIGURE.search(text):
        return None  # no `tool.agentls`, no `[tool]` table: not parsed at all
    tomllib = _tomllib()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        if pyproject and not re.search(r"^\s*\[\s*tool\s*\.\s*agentls\b", text, re.M):
            return None  # somebody else's broken pyproject.toml
        m = re.search(r"line (\d+)", str(e))
        msg = re.sub(r"\s*\(at [^)]*\)$", "", str(e))
        return Config(path, {}, (), (Problem(path, int(m.group(1)) if m else 0, msg),))
    table: Any = doc
    prefix: tuple[str, ...] = ()
    if pyproject:
        tool = doc.get("tool")
        if not isinstance(tool, dict) or "agentls" not in tool:
            return None
        table = tool["agentls"]
        prefix = ("tool", "agentls")
    problems: list[Problem] = []
    locate = Locator(text, prefix)
    if not isinstance(table, dict):
        problems.append(Problem(path, locate(()), "[tool.agentls] must be a table"))
        return Config(path, {}, (), tuple(problems))
    raw = {k: v for k, v in table.items() if k in KEYS}
    for k in table:
        if k not in KEYS:
            problems.append(
                Problem(path, locate((k,)), f"unknown key {k!r} (one of {', '.join(KEYS)})")
            )
    cc = raw.get("claudeCode")
    if cc is not None:
        if not isinstance(cc, dict):
            problems.append(Problem(path, locate(("claudeCode",)), "claudeCode must be a table"))
            raw.pop("claudeCode")
        else:
            for k in cc:
                if k != "version":
                    problems.append(
                        Problem(path, locate(("claudeCode", k)), f"unknown key 'claudeCode.{k}'")
                    )
    exclude: tuple[str, ...] = ()
    ex = raw.pop("exclude", None)
    if isinstance(ex, str):
        ex = [ex]
    if ex is not None:
        if isinstance(ex, list) and all(isinstance(g, str) for g in ex):
            exclude = tuple(ex)
        else:
            problems.append(
                Problem(path, locate(("exclude",)), "exclude must be a list of glob strings")
            )
    _, errors = Settings.parse(raw)
    for message in errors:
        problems.append(Problem(path, locate(_key_of(message)), message))
    return Config(path, raw, exclude, tuple(sorted(problems, key=lambda p: p.line)))


def _key_of(message: str) -> tuple[str, ...]:
    """The key a Settings.parse message is about ("severity.AGL200: ...", "severity: unknown
    code 'AGL999'", "dialects.x.patterns must be ...")."""
    m = re.match(r"([A-Za-z][\w.-]*?)(?::| must)", message)
    if not m:
        return ()
    key = m.group(1)
    for head in ("claudeCode.version",):
        if key == head:
            return tuple(head.split("."))
    parts = tuple(key.split(".", 2 if key.startswith("dialects.") else 1))
    named = re.search(r"unknown (?:code|dialect) '([^']+)'", message)
    if named and len(parts) == 1:
        parts = (*parts, named.group(1))
    return parts


class Locator:
    """The 1-based line of a key path in a TOML text (tables, dotted keys, inline tables);
    the nearest enclosing key's line when the key itself is not found."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(
        r"^\s*((?:\"[^\"]*\"|'[^']*'|[\w-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[\w-]+))*)\s*="
    )

    def __init__(self, text: str, prefix: tuple[str, ...]) -> None:
        self.prefix = prefix
        self.entries: list[tuple[tuple[str, ...], int, str]] = []  # key path, line, rest
        table: tuple[str, ...] = ()
        for n, line in enumerate(text.splitlines(), 1):
            h = self._HEADER.match(line)
            if h:
                table = _split(h.group(1))
                self.entries.append((table, n, ""))
                continue
            k = self._KEY.match(line)
            if k:
                self.entries.append(((*table, *_split(k.group(1))), n, line[k.end() :]))

    def __call__(self, key: tuple[str, ...]) -> int:
        want = (*self.prefix, *key)
        for size in range(len(want), 0, -1):
            head = want[:size]
            for path, n, _rest in self.entries:
                if path == head:
                    return n
            if size < len(want):  # an inline table or a one-line list holds the rest?
                inner = want[size]
                for path, n, rest in self.entries:
                    if path == head and re.search(rf"[{{,]\s*[\"']?{re.escape(inner)}\b", rest):
                        return n
        return 0


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", dotted))


class Finder:
    """The config for a file: the nearest config file from its folder upward, read once and
    read again when its modification time or size changes (``stat`` on every lookup, so that
    a server without file watching still sees an edit). With ``fixed=True`` (a command-line
    run, where nothing changes meanwhile) each folder's answer is kept: a walk over 50,000
    files looks at each folder once."""

    def __init__(self, fixed: bool = False) -> None:
        self._read: dict[str, tuple[tuple[int, int], Config | None]] = {}
        self._folders: dict[str, Config | None] | None = {} if fixed else None
        self._listed: dict[str, tuple[str, ...]] = {}  # folder -> its config files (saw)

    def clear(self) -> None:
        self._read.clear()
        self._listed.clear()
        if self._folders is not None:
            self._folders.clear()

    def saw(self, folder: str, names: Collection[str]) -> None:
        """A walk listed ``folder`` (absolute): only the config files among ``names`` are
        looked for there (with ``fixed``: nothing changes meanwhile)."""
        if self._folders is not None:
            self._listed[folder] = tuple(n for n in CONFIG_NAMES if n in names)

    def listed(self) -> dict[str, tuple[str, ...]]:
        """What walks saw (:meth:`saw`), for the finder of another process (:meth:`take`)."""
        return self._listed

    def take(self, listed: dict[str, tuple[str, ...]]) -> None:
        self._listed.update(listed)

    def find(self, path: str) -> Config | None:
        """The config of ``path``, a file or a folder."""
        return self.find_in(path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path)))

    def find_in(self, folder: str) -> Config | None:
        """The config of the files in ``folder``."""
        folder = os.path.abspath(folder)
        seen: list[str] = []
        found: Config | None = None
        while True:
            if self._folders is not None and folder in self._folders:
                found = self._folders[folder]
                break
            seen.append(folder)
            names = self._listed.get(folder, CONFIG_NAMES)
            found = next((c for n in names if (c := self.load(os.path.join(folder, n)))), None)
            parent = os.path.dirname(folder)
            if found is not None or parent == folder:
                break
            folder = parent
        if self._folders is not None:
            self._folders.update(dict.fromkeys(seen, found))
        return found

    def load(self, file: str) -> Config | None:
        try:
            st = os.stat(file)
        except OSError:
            self._read.pop(file, None)
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._read.get(file)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            config = read(file)
        except OSError as e:
            config = Config(file, {}, (), (Problem(file, 0, f"cannot read: {e.strerror or e}"),))
        except (UnicodeError, ValueError) as e:
            config = Config(file, {}, (), (Problem(file, 0, str(e)),))
        self._read[file] = (stamp, config)
        return config


def merge(base: Mapping[str, Any], over: Any) -> dict[str, Any]:
    """``over`` (editor or command-line settings) on top of ``base`` (a config's table), key by
    key: a code's severity, a dialect's ``enabled`` or ``patterns``, ``targets`` and
    ``claudeCode.version`` each come from ``over`` only when it sets them."""
    out = _canonical(base)
    for k, v in _canonical(over).items():
        if v is None or v == "":
            continue
        if (
            k in ("severity", "budgets")
            and isinstance(v, Mapping)
            and isinstance(out.get(k), Mapping)
        ):
            out[k] = {**out[k], **v}
        elif k == "dialects" and isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            d = dict(out[k])
            for name, conf in v.items():
                prev = d.get(name)
                if isinstance(conf, Mapping) and isinstance(prev, Mapping):
                    d[name] = {**prev, **{a: b for a, b in conf.items() if b is not None}}
                else:
                    d[name] = conf
            out[k] = d
        elif k == "targets" and v in ([], ()):
            continue  # an editor's empty list: not set
        else:
            out[k] = v
    return out


def _canonical(raw: Any) -> dict[str, Any]:
    """Settings as a flat dict: ``claudeCode.version``, ``severity``, ``dialects``, ``targets``."""
    if not isinstance(raw, Mapping):
        return {}
    if isinstance(raw.get("agentls"), Mapping):
        raw = raw["agentls"]
    out: dict[str, Any] = {}
    for k, v in raw.items():
        if k == "claudeCode" and isinstance(v, Mapping):
            for k2, v2 in v.items():
                out[f"claudeCode.{k2}"] = v2
        else:
            out[str(k)] = v
    return out


def settings_for(config: Config | None, over: Any) -> Settings:
    """The settings of a file: its config's, with ``over`` on top (problems are reported
    from the config and from ``over`` alone)."""
    settings, _ = Settings.parse(merge(config.raw if config else {}, over))
    return settings


class Layered:
    """Each file's settings: its config file's, with ``over`` (the command line's or the
    editor's) on top; and each file's dialect under them (``exclude``, ``patterns`` and
    ``enabled`` of the file's own config). The walks that check or index a tree use it, so a
    config's patterns decide the same way for the checked files and for the workspace index.
    Not shared between threads (its finder keeps what it looked up)."""

    def __init__(self, over: Any, finder: Finder | None = None, use_config: bool = True) -> None:
        self.over = over
        self.finder = finder or Finder(fixed=True)
        self.use_config = use_config
        self._settings: dict[str | None, Settings] = {}

    def config(self, path: str) -> Config | None:
        return self.finder.find(path) if self.use_config else None

    def settings(self, path: str) -> Settings:
        config = self.config(path)
        key = config.path if config else None
        found = self._settings.get(key)
        if found is None:
            found = self._settings[key] = self.adjust(settings_for(config, self.over))
        return found

    def adjust(self, settings: Settings) -> Settings:
        """A hook for what a caller adds to every file's settings."""
        return settings

    def excluded(self, path: str) -> bool:
        config = self.config(path)
        return config is not None and config.excludes(path)

    def dialect(self, path: str) -> DialectMatch | None:
        """The dialect of ``path`` with its settings' patterns: what the workspace index reads
        (a file that is not checked still exists for the runtimes, and for cross-file checks)."""
        return detect(path, patterns=self.settings(path).patterns)

    def match(self, path: str) -> DialectMatch | None:
        """The dialect of ``path`` if it is to be checked: None when excluded, of no dialect,
        or of a dialect its settings disable."""
        if self.excluded(path):
            return None
        m = self.dialect(path)
        return None if m is None or m.dialect in self.settings(path).disabled else m
