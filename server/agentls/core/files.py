"""Reading and writing the user's files: regular files only, size-capped, never blocking.

Every read of a user file goes through :func:`read_bytes` (the CLI, the workspace index, the
server's reads of closed files): a FIFO, a socket or a device named `x.md` is refused with a
reason instead of hanging the process, and a file is never read past its cap.
"""

from __future__ import annotations

import codecs
import errno
import operator
import os
import stat
from collections.abc import Callable, Collection, Iterator

from agentls.core.findings import Finding, Severity
from agentls.core.text import Span

MiB = 1024 * 1024
MAX_FILE_BYTES = 16 * MiB  # the CLI checks files up to this size
MAX_ENCODING_REPORTS = 20  # AGL104 findings per file; the rest are decoded without a report
_WINDOW = 64 * 1024  # bytes decoded at a time while invalid sequences are reported

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_WRITE_FLAGS = (
    os.O_WRONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO with no reader fails (ENXIO) instead of waiting
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class FileRefused(OSError):
    """Not read or written by design (not a regular file, too large): ``strerror`` says why."""


def kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _regular(st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(errno.EINVAL, f"not a regular file ({kind(st.st_mode)})")


def describe(path: str, e: OSError) -> str:
    """Why ``path`` could not be read, in words: a symbolic link loop or a broken link is
    named as such (the C library says "Too many levels of symbolic links" and "No such file
    or directory")."""
    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if e.errno == errno.ENOENT and os.path.islink(path):
        try:
            return f"broken symbolic link to {os.readlink(path)}"
        except OSError:
            return "broken symbolic link"
    if e.errno == errno.ENOENT:
        return "no such file or directory"
    return e.strerror or str(e)


def read_bytes(
    path: str, limit: int = MAX_FILE_BYTES, *, head: bool = False, walked: bool = False
) -> bytes:
    """The bytes of the regular file ``path`` (symbolic links followed).

    Raises :class:`FileRefused` for anything that is not a regular file (checked before
    opening, so a device is never opened, unless ``walked``: a walk saw a regular file there;
    and again on the opened descriptor) and, unless ``head``, for a file larger than
    ``limit``; with ``head`` the first ``limit`` bytes are returned. Never blocks: the file is
    opened with O_NONBLOCK.
    """
    if not walked:
        _regular(os.stat(path))
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        _regular(st)  # replaced between the two calls
        if not head and st.st_size > limit:
            raise _too_large(limit)
        want = limit if head else limit + 1  # one more byte: a file that grew is noticed
        chunks: list[bytes] = []
        got = 0
        while got < want:
            chunk = os.read(fd, min(want - got, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    if not head and got > limit:
        raise _too_large(limit)
    return b"".join(chunks)


def _too_large(limit: int) -> FileRefused:
    return FileRefused(errno.EFBIG, f"larger than {limit / MiB:g} MiB")


def write_text(path: str, text: str) -> None:
    """Replace the content of the regular file ``path`` with ``text`` in UTF-8 (in place, so a
    symbolic link keeps pointing at it); refuses a FIFO, a device or a directory."""
    data = text.encode("utf-8", "surrogatepass")
    _regular(os.stat(path))
    fd = os.open(path, _WRITE_FLAGS)
    try:
        _regular(os.fstat(fd))
        os.ftruncate(fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


_NAME = operator.attrgetter("name")


def regular_files(
    root: str,
    skip: frozenset[str],
    saw: Callable[[str, list[str]], None] | None = None,
    enter: Collection[str] | None = None,
) -> Iterator[str]:
    """Regular files under ``root`` (symbolic links to regular files included), depth first
    and sorted by name as `os.walk` with sorted lists would give them; folders named in
    ``skip`` and symlinked folders are not entered. FIFOs, sockets, devices, broken links and
    link loops are left out, as `grep -r`, ESLint and ruff leave them out of a walk.
    Holds one folder's entries at a time (and the paths of the folders still to visit).
    ``saw`` is told each folder's absolute path and the names in it, before its files;
    ``enter``: the only folders of ``root`` to walk (by name; its files are all given)."""
    stack = [root]
    absolute = os.path.isabs(root) and os.path.normpath(root) == root  # so are its folders
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=_NAME)
        except OSError:
            continue
        if saw is not None:
            saw(folder if absolute else os.path.abspath(folder), [e.name for e in entries])
        dirs: list[str] = []
        only = enter if folder is root else None
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    if e.name not in skip and (only is None or e.name in only):
                        dirs.append(e.path)
                elif e.is_file():
                    yield e.path
            except OSError:
                continue
        stack.extend(reversed(dirs))


def decode(data: bytes) -> tuple[str, tuple[Finding, ...]]:
    """Decode as Node.js does (each maximal invalid sequence becomes one U+FFFD), reporting
    where the first :data:`MAX_ENCODING_REPORTS` were. Linear in the size of ``data``: the
    invalid sequences are looked for window by window (an error's exception copies only its
    window), and past the last report the rest is decoded in one call."""
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    view = memoryview(data)
    parts: list[str] = []
    found: list[Finding] = []
    length = 0  # code points decoded so far
    pos = 0  # bytes decoded so far
    while pos < len(data):
        if len(found) == MAX_ENCODING_REPORTS:
            parts.append(codecs.utf_8_decode(view[pos:], "replace", True)[0])
            break
        window = view[pos : pos + _WINDOW]
        final = pos + _WINDOW >= len(data)  # else a sequence cut at the window's end waits
        try:
            text, used = codecs.utf_8_decode(window, "strict", final)
        except UnicodeDecodeError as e:
            text, used = codecs.utf_8_decode(window[: e.start], "strict", True)
            at = pos + e.start
            found.append(
                Finding(
                    "AGL104",
                    Severity.WARNING,
                    Span(length + len(text), length + len(text) + 1),
                    f"Byte 0x{data[at]:02X} at byte offset {at} is not valid UTF-8: the tool "
                    "reads U+FFFD (\ufffd) here. Save the file as UTF-8.",
                )
            )
            text += "\ufffd"
            used = e.end
        parts.append(text)
        length += len(text)
        pos += used
    return "".join(parts), tuple(found)


class CatalogError(RuntimeError):
    """A catalogue of the package is missing or unreadable: the installation is broken (never
    the user's file). Checking without it would report nothing, so it is an error, loudly."""
