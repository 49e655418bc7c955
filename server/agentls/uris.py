"""URIs <-> paths, in one place.

The URI string a client sends is the identity of an open document: the server answers and
publishes under exactly that string, never under a decoded or re-encoded spelling of it (VS Code
sends `file:///home/u/my%20proj/a.md`, `caf%C3%A9`, `a%23b`, `file:///c%3A/Users/...`; other
clients send `é`, `+` or `C:` as they are). The core and the index work on paths. A path turns
back into a URI through :class:`OpenUris`: the client's own URI while the file is open, else a
properly encoded one (:func:`from_path`).
"""

from __future__ import annotations

import os
import re
import sys
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

WINDOWS = sys.platform == "win32"
_DRIVE = re.compile(r"^/[A-Za-z]:")  # `/c:/...`, once decoded
_DRIVE_BYTES = re.compile(rb"^/[A-Za-z]:")


def to_path(uri: str) -> str | None:
    """The file-system path of a `file:` URI; None for other schemes.

    A Windows drive URI keeps its drive on every system (`file:///c%3A/x` is `c:\\x` on Windows
    and `/c:/x` elsewhere), with the letter in lower case as VS Code writes it.
    """
    parts = urlsplit(uri)
    if parts.scheme.lower() != "file":
        return None
    # on POSIX, bytes that are not UTF-8 come back as the same file name (surrogateescape)
    path = unquote(parts.path) if WINDOWS else os.fsdecode(unquote_to_bytes(parts.path))
    host = unquote(parts.netloc)
    if host and host.lower() != "localhost":
        path = f"//{host}{path}"  # a UNC share: file://server/share/x
    elif _DRIVE.match(path):
        path = "/" + path[1].lower() + path[2:]
        if WINDOWS:
            path = path[1:]
    elif not path:
        return None
    if WINDOWS:
        path = path.replace("/", "\\")
    return os.path.normpath(path)


def document_path(uri: str) -> str | None:
    """The path a document is judged by: its file's path, or for another scheme (`untitled:`,
    `vscode-vfs:`) the decoded path part of the URI, which still names a dialect."""
    path = to_path(uri)
    if path is not None:
        return path
    return unquote(urlsplit(uri).path) or None


def from_path(path: str) -> str:
    """A properly encoded `file:` URI for ``path``, spelt as VS Code spells it (`%20`, `%C3%A9`,
    `%23`, `%2B`; a drive letter in lower case with its colon as `%3A`)."""
    if WINDOWS:
        data = path.replace("\\", "/").encode("utf-8", "surrogatepass")
    else:
        data = os.fsencode(path)
    if data.startswith(b"//") and not data.startswith(b"///"):  # a UNC share: //server/share
        host, _, rest = data[2:].partition(b"/")
        return "file://" + quote(host) + quote(b"/" + rest, safe="/")
    if not data.startswith(b"/"):
        data = b"/" + data
    if _DRIVE_BYTES.match(data):
        data = b"/" + data[1:2].lower() + data[2:]
    return "file://" + quote(data, safe="/")


class OpenUris:
    """The URI the client uses for each open document, by the document's path."""

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[str, str]] = {}  # normcase(path) -> (path, uri)

    def opened(self, uri: str) -> None:
        path = document_path(uri)
        if path:
            self._by_path[os.path.normcase(path)] = (path, uri)

    def closed(self, uri: str) -> None:
        """Forget ``uri`` (unless the same file was opened again under another spelling)."""
        key = os.path.normcase(document_path(uri) or "")
        if self._by_path.get(key, ("", ""))[1] == uri:
            del self._by_path[key]

    def get(self, path: str) -> str | None:
        """The client's URI of ``path`` if it is open."""
        hit = self._by_path.get(os.path.normcase(path))
        return hit[1] if hit else None

    def uri(self, path: str) -> str:
        """How to name ``path`` to the client: its own URI when open, else an encoded one."""
        return self.get(path) or from_path(path)

    def paths(self) -> set[str]:
        return {path for path, _ in self._by_path.values()}
