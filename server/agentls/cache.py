"""The cache of `agentls check`: each checked file's findings, keyed by what they depend on.

As ruff's ``.ruff_cache``: a folder in the current directory (``--cache-dir``,
``AGENTLS_CACHE_DIR``) holding a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``; deleting it
is always safe, ``--no-cache`` skips it. An entry is a small JSON file named by the hash of
its key: the file's path and bytes, its dialect and settings, and the agentls code and
catalogues (the name, size and modification time of every file of the package, so an upgrade
or an edited checkout never reads an old entry), the home folder and ``AGENTLS_STRICT``.

Workspace findings (AGL800-AGL804) also depend on other files: an entry keeps them with the
digest of the workspace index and the answer of every file-existence probe the checks made,
and they count only while both still hold. JSON, never pickle: a cache folder that came with a
repository must not run code. An entry that cannot be read or parsed is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
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


def parse_rows(rows: Any) -> list[tuple[Finding, dict[str, dict[str, int]]]]:
    """What :func:`rows` wrote; ValueError for anything else (a damaged entry)."""
    out = []
    for code, sev, start, end, message, *pos in rows:
        if not (isinstance(code, str) and isinstance(message, str) and len(pos) == 4):
            raise ValueError("not a cache row")
        if not all(type(n) is int for n in (start, end, *pos)):
            raise ValueError("not a cache row")
        f = Finding(code, Severity(sev), Span(start, end), message)
        r = {"start": {"line": pos[0], "character": pos[1]}}
        r["end"] = {"line": pos[2], "character": pos[3]}
        out.append((f, r))
    return out


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class Cache:
    """Entries under ``folder`` (made with its tag and .gitignore by :meth:`open`)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        home = os.path.expanduser("~")
        strict = os.environ.get("AGENTLS_STRICT", "")
        self.base = json.dumps([code_digest(), home, strict])

    @classmethod
    def open(cls, folder: str) -> Cache | None:
        """The cache in ``folder``, created if needed; None when it cannot be (read-only)."""
        try:
            os.makedirs(folder, exist_ok=True)
            for name, content in (("CACHEDIR.TAG", TAG), (".gitignore", "*\n")):
                path = os.path.join(folder, name)
                if not os.path.exists(path):
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(content)
            return cls(os.path.join(folder, __version__))
        except OSError:
            return None

    def key(
        self, path: str, content: bytes, settings: Settings, match: DialectMatch, workspace: bool
    ) -> str:
        """The entry's name: ``content`` is the :func:`digest` of the file's bytes."""
        h = hashlib.sha256(content)
        what = [self.base, path, os.path.abspath(path), list(match), settings_key(settings)]
        h.update(json.dumps([*what, workspace]).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key[2:])

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with open(self._path(key), "rb") as f:
                entry = json.loads(f.read())
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Write an entry atomically (a concurrent run reads the old one or the new one)."""
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            try:
                with open(tmp, "w", encoding="utf-8") as f:
                    json.dump(entry, f, ensure_ascii=True, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)  # not left behind, whatever went wrong
                raise
        except OSError:
            pass  # a full disk or a read-only folder: the run goes on uncached
