"""The cache of `agentls check`: each checked file's findings, keyed by what they depend on.

As ruff's ``.ruff_cache``: a folder in the current directory (``--cache-dir``,
``AGENTLS_CACHE_DIR``) holding a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``; deleting it
is always safe, ``--no-cache`` skips it. A project's entries are in one file, a line each (its
key, then JSON texts), each found by the hash of its key: the file's path and bytes, its dialect
and settings, and the agentls code and catalogues (the name, size and modification time of
every file of the package, so an upgrade or an edited checkout never reads an old entry), the
home folder and ``AGENTLS_STRICT``.

Workspace findings (AGL800-AGL804) also depend on other files: an entry keeps them with the
digest of the workspace index and the answer of every file-existence probe the checks made,
and they count only while both still hold. JSON, never pickle: a cache folder that came with a
repository must not run code. An entry that cannot be read or parsed is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from agentls import __version__
from agentls.core.dialects import DialectMatch
from agentls.core.findings import Finding, Severity
from agentls.core.settings import Settings
from agentls.core.text import Span

FOLDER = ".agentls_cache"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by agentls.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

Row = list[Any]  # [code, severity, start, end, message, line, character, end line, end character]


def default_dir() -> str:
    return os.environ.get("AGENTLS_CACHE_DIR") or FOLDER


def code_digest(root: str = os.path.dirname(os.path.abspath(__file__))) -> str:
    """agentls itself: its version and every file of the package (code and catalogues) by
    name, size and modification time."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for here, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            st = os.stat(os.path.join(here, n))
            h.update(f"{os.path.relpath(here, root)}/{n}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def settings_key(s: Settings) -> list[Any]:
    """The settings as JSON, in an order that does not depend on hashing."""
    return [
        str(s.claude_version),
        sorted((c, None if v is None else int(v)) for c, v in s.severity.items()),
        sorted((d, list(g)) for d, g in s.patterns.items()),
        sorted(s.disabled),
        None if s.targets is None else sorted(s.targets),
        s.suppressions,
    ]


def rows(found: Iterable[Finding], diags: Iterable[dict[str, Any]]) -> list[Row]:
    """Findings (without their data) and their LSP ranges, as JSON."""
    out = []
    for f, d in zip(found, diags, strict=True):
        s, e = d["range"]["start"], d["range"]["end"]
        pos = (s["line"], s["character"], e["line"], e["character"])
        out.append([f.code, int(f.severity), f.span.start, f.span.end, f.message, *pos])
    return out


_JSON = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode  # no tab, no newline


def diags_of(rows: Any, path: str) -> list[dict[str, Any]]:
    """The LSP diagnostics of what :func:`rows` wrote, for the file at ``path``; ValueError
    for anything else (a damaged entry)."""
    out = []
    for code, sev, start, end, message, *pos in rows:
        if not (isinstance(code, str) and isinstance(message, str) and len(pos) == 4):
            raise ValueError("not a cache row")
        if {type(start), type(end), *map(type, pos)} != {int}:
            raise ValueError("not a cache row")
        out.append(
            {
                "path": path,
                "range": {
                    "start": {"line": pos[0], "character": pos[1]},
                    "end": {"line": pos[2], "character": pos[3]},
                },
                "severity": Severity(sev).label,
                "code": code,
                "message": message,
                "source": "agentls",
            }
        )
    return out


def findings_of(rows: Any) -> list[Finding]:
    """The findings (without their data) of rows that :func:`diags_of` read."""
    return [
        Finding(code, Severity(sev), Span(start, end), msg)
        for code, sev, start, end, msg, *_ in rows
    ]


def entry(path: str, value: dict[str, Any]) -> str:
    """What the cache keeps for a file (at ``path``, absolute): its path and ``value`` as JSON
    texts, joined by a tab (a line of the cache file after its key)."""
    return _JSON(path) + "\t" + _JSON(value)


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


FACTS = "#files"  # the cache file's line of Facts (no key is a hex digest)
HEADER = "agentls cache 2"  # the first line of a cache file
RACY_NS = 2_000_000_000  # a file changed this close before the cache was written is read again


class Facts:
    """What a walk read of each file, by the file's status (modification and change times, size,
    inode: as git's index keeps them), so that the next run reads an unchanged file neither to
    know its digest nor for the index. A file whose change time falls less than ``RACY_NS``
    before the cache was written is read again: a second change within its file system's time
    resolution would not show."""

    def __init__(self, old: Any, written_ns: int) -> None:
        self.old: dict[str, Any] = old if isinstance(old, dict) else {}
        self.new: dict[str, list[Any]] = {}
        self.written_ns = written_ns

    @staticmethod
    def status(st: os.stat_result) -> list[int]:
        return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]

    def get(self, path: str, st: os.stat_result) -> tuple[bytes, str | None, Any] | None:
        """(the file's digest, its head's digest, its index entity as a list) if unchanged."""
        fact: Any = self.old.get(path)
        if not (isinstance(fact, list) and len(fact) == 4 and fact[0] == self.status(st)):
            return None  # absent, changed, or damaged
        if max(st.st_mtime_ns, st.st_ctime_ns) >= self.written_ns - RACY_NS:
            return None  # (on Windows the change time is the creation time)
        whole, head, row = fact[1:]
        if not (isinstance(whole, str) and len(whole) == 64 and isinstance(head, str | None)):
            return None
        if row is not None and not _entity_row(row):
            return None
        try:
            found = bytes.fromhex(whole), head, row
        except ValueError:
            return None
        self.new[path] = fact
        return found

    def put(
        self, path: str, st: os.stat_result, whole: bytes, head: str | None, entity: Any
    ) -> None:
        """What was read of ``path`` (``st``: its status before it was read)."""
        self.new[path] = [self.status(st), whole.hex(), head, entity]


_ENTITY_ROW = [str, str, str, str, int, int, int, str]


def _entity_row(row: Any) -> bool:
    """An index entity (agentls.core.workspace.Entity) as a list: 4 strings, 3 numbers, 1."""
    return type(row) is list and list(map(type, row)) == _ENTITY_ROW


class Cache:
    """The entries of one project (the folders a run indexes), in one file under ``folder``:
    read whole when the run starts, written once when it ends (creating a file per entry costs
    more than checking it). Entries of files this run did not check are kept while the files
    exist; an entry replaced or unused by its file's check is dropped."""

    def __init__(self, folder: str, roots: Sequence[str]) -> None:
        home = os.path.expanduser("~")
        strict = os.environ.get("AGENTLS_STRICT", "")
        self.base = json.dumps([code_digest(), home, strict])
        name = hashlib.sha256(json.dumps([self.base, list(roots)]).encode()).hexdigest()
        self.file = os.path.join(folder, __version__, name[:32] + ".tsv")
        # key -> the file's absolute path and the entry, as JSON texts joined by a tab
        # (:func:`entry`): an entry is parsed only when it is used, so a project's cache costs
        # about its size in memory
        self.old: dict[str, str] = {}
        self.new: dict[str, str] = {}
        self.changed = False  # an entry was made
        self._made: dict[int, tuple[Settings, bytes]] = {}  # id(settings) -> (it, its key)
        written = 0
        facts: Any = None
        try:
            with open(self.file, "rb") as f:
                written = os.fstat(f.fileno()).st_mtime_ns
                lines = f.read().decode("utf-8").split("\n")
            if lines[0] == HEADER:  # one line a file: its key, a tab, then what entry() made
                self.old = dict(x.split("\t", 1) for x in lines[1:] if "\t" in x)
            facts = json.loads(self.old.pop(FACTS, "null"))
        except (OSError, ValueError):
            self.old = {}  # none yet, or damaged: every file is checked again
        self.facts = Facts(facts, written)

    @classmethod
    def open(cls, folder: str, roots: Sequence[str]) -> Cache | None:
        """The cache in ``folder``, created if needed; None when it cannot be (read-only)."""
        try:
            os.makedirs(os.path.join(folder, __version__), exist_ok=True)
            for name, content in (("CACHEDIR.TAG", TAG), (".gitignore", "*\n")):
                path = os.path.join(folder, name)
                if not os.path.exists(path):
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(content)
        except OSError:
            return None
        return cls(folder, roots)

    def key(
        self,
        path: str,
        content: bytes,
        settings: Settings,
        match: DialectMatch,
        workspace: bool,
        absolute: str | None = None,
    ) -> str:
        """The entry's name: ``content`` is the :func:`digest` of the file's bytes
        (``absolute``: ``path``'s absolute path, if known)."""
        h = hashlib.sha256(content)
        what = (path, absolute or os.path.abspath(path), *map(str, match), str(workspace))
        h.update("\0".join(what).encode("utf-8", "surrogatepass"))  # no NUL in a path
        h.update(self._settings(settings))
        return h.hexdigest()

    def _settings(self, settings: Settings) -> bytes:
        """What the key takes of the run and of a file's settings (made once per settings)."""
        made = self._made.get(id(settings))
        if made is None or made[0] is not settings:
            text = json.dumps([self.base, settings_key(settings)])
            made = self._made[id(settings)] = (settings, text.encode("utf-8", "surrogatepass"))
        return made[1]

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self.old[key].partition("\t")[2])
        except (KeyError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, entry: str | None = None) -> None:
        """Keep ``entry`` (:func:`entry`) for the next run; None: the one read was used."""
        if entry is None:
            self.new[key] = self.old[key]
        else:
            self.new[key] = entry
            self.changed = True

    def save(self, checked: Collection[str]) -> None:
        """Write the entries of this run, and the old ones of files not ``checked`` (absolute
        paths) that still exist; atomically (a concurrent run reads the old file or this)."""
        keep = dict(self.new)
        for k, e in self.old.items():
            if k in keep:
                continue
            try:
                path = json.loads(e.partition("\t")[0])
            except ValueError:
                continue
            if isinstance(path, str) and path not in checked and os.path.exists(path):
                keep[k] = e
        facts = self.facts.new
        if not self.changed and keep.keys() == self.old.keys() and facts == self.facts.old:
            return  # nothing changed
        tmp = f"{self.file}.{os.getpid()}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(f"{HEADER}\n{FACTS}\t{_JSON(facts)}\n")
                f.writelines(f"{k}\t{e}\n" for k, e in keep.items())
            os.replace(tmp, self.file)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # a full disk or a read-only folder: nothing is kept
