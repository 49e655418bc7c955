"""A map over forked worker processes, in order, for ``agentls check`` (Linux).

multiprocessing's Pool costs the main process about a fifth of the workers' CPU on the corpus:
three handler threads, locks and condition waits around every chunk. Here the main process
forks the workers and then only reads results: the chunks' bounds wait in a pipe, each worker
takes the next (a read of 8 bytes from a pipe is atomic), and writes its results to a pipe of
its own. The workers inherit the function and its state; the items too, or (workers started
before the items are known, so that they load what they need meanwhile) they read them from a
memory file once the main process has written it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import selectors
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK = 8  # bytes of a chunk's bounds (two 4-byte numbers) in the task pipe
_MAX_CHUNKS = 65536 // _TASK  # every chunk's bounds fit a pipe's default buffer (Linux)


class WorkerError(Exception):
    """A worker died, or raised an exception that could not be sent back."""


def fork_map(func: Callable[[T], R], items: Sequence[T], jobs: int, chunk: int) -> Iterator[R]:
    """``map(func, items)`` in ``jobs`` forked processes, ``chunk`` items at a time, in order.
    An exception that ``func`` raises is raised here, when its item's turn comes."""
    return Workers(func, jobs, items).map(items, chunk)


class Workers(Generic[T, R]):
    """``jobs`` processes that run ``func`` over the items of one :meth:`map`. With ``items``
    (known now), they are forked now and inherit them. Without, one worker is forked now: it
    runs ``start`` (say, imports what ``func`` needs) while the main process finds the items,
    then receives them, and ``extra`` for ``receive``, and forks the other workers, which
    inherit what it loaded."""

    def __init__(
        self,
        func: Callable[[T], R],
        jobs: int,
        items: Sequence[T] | None = None,
        start: Callable[[], None] | None = None,
        receive: Callable[[Any], None] | None = None,
    ) -> None:
        self._items = -1 if items is not None else os.memfd_create("agentls-items")
        tasks_r, self._tasks = os.pipe()
        self._pids: list[int] = []
        self._finished = False
        self._group = items is None  # the first worker forks the others: one process group
        self._sel = selectors.DefaultSelector()
        pipes = [os.pipe() for _ in range(jobs)]
        opened = {fd for pair in pipes for fd in pair} | {tasks_r}  # this process's, to close
        try:
            for k, (r, w) in enumerate(pipes):
                if k == 0 or not self._group:
                    pid = os.fork()  # OSError (no more processes): closed, then raised
                    if pid == 0:  # a worker: never returns
                        _child(k, pipes, self._group, self._tasks)
                        outs = [w2 for _, w2 in pipes] if self._group else [w]
                        _work(func, items, self._items, start, receive, tasks_r, outs)
                    if self._group:
                        with contextlib.suppress(OSError):  # (the worker does it too: no race)
                            os.setpgid(pid, pid)
                    self._pids.append(pid)
                os.close(w)
                opened.discard(w)
                self._sel.register(r, selectors.EVENT_READ, _Reader(r))
                opened.discard(r)  # (the selector's now)
        except BaseException:
            for fd in opened:
                os.close(fd)
            self.close()
            raise
        os.close(tasks_r)

    def map(
        self,
        items: Sequence[T],
        chunk: int,
        extra: Any = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> Iterator[R]:
        """The results in order (``extra``: for the workers' ``receive``; ``meanwhile``: run
        here once the workers have their tasks)."""
        try:
            yield from self._map(items, chunk, extra, meanwhile)
        finally:
            self.close()

    def _map(
        self, items: Sequence[T], chunk: int, extra: Any, meanwhile: Callable[[], None] | None
    ) -> Iterator[R]:
        if self._items >= 0:
            _write(self._items, pickle.dumps((items, extra), pickle.HIGHEST_PROTOCOL))
        chunk = max(chunk, -(-len(items) // _MAX_CHUNKS), 1)
        starts = range(0, len(items), chunk)
        _write(self._tasks, b"".join(_bounds(i, i + chunk) for i in starts))
        os.close(self._tasks)  # the workers read until the pipe is empty, then see its end
        self._tasks = -1
        if meanwhile is not None:
            meanwhile()
        done: dict[int, Any] = {}
        for want in starts:
            while want not in done:
                if not self._sel.get_map():
                    raise WorkerError("a worker process of `agentls check` stopped unexpectedly")
                for key, _ in self._sel.select():
                    if not key.data.read(done):
                        self._sel.unregister(key.fd)
                        os.close(key.fd)
            got = done.pop(want)
            if isinstance(got, BaseException):
                raise got
            yield from got
        self._finished = True  # the workers exit on their own: the task pipe is empty

    def close(self) -> None:
        """Stop the workers (done, or stopped early: an exception, Ctrl-C, no map)."""
        for fd in (self._tasks, self._items):
            if fd >= 0:
                os.close(fd)
        self._tasks = self._items = -1
        if self._sel.get_map() is not None:  # (None: closed before)
            for key in list(self._sel.get_map().values()):
                os.close(key.fd)
            self._sel.close()
        for pid in self._pids:  # no worker outlives us
            if not self._finished:  # (else they exit on their own: no task is left)
                kill = os.killpg if self._group else os.kill
                with contextlib.suppress(ProcessLookupError):
                    kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._pids = []


def _child(k: int, pipes: list[tuple[int, int]], group: bool, tasks_w: int) -> None:
    """In worker ``k`` just forked: close what is not its own (an error: out at once)."""
    try:
        os.close(tasks_w)
        for j, (r, w) in enumerate(pipes):
            os.close(r)
            if j > k and not group:  # (the main process closed those before k)
                os.close(w)
    except BaseException:
        os._exit(1)


def _bounds(start: int, stop: int) -> bytes:
    return start.to_bytes(4, "little") + stop.to_bytes(4, "little")


class _Reader:
    """The messages of one worker: a chunk's start and its results (or an exception),
    pickled, after their length."""

    __slots__ = ("buf", "fd")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def read(self, done: dict[int, Any]) -> bool:
        """Read what is there; False at the end of the pipe."""
        data = os.read(self.fd, 1 << 20)
        if not data:
            return False
        buf = self.buf
        buf += data
        while len(buf) >= 8:
            size = int.from_bytes(buf[:8], "little")
            if len(buf) < 8 + size:
                break
            i, value = pickle.loads(memoryview(buf)[8 : 8 + size])
            del buf[: 8 + size]
            done[i] = value
        return True


def _work(
    func: Callable[[T], R],
    items: Sequence[T] | None,
    items_fd: int,
    start: Callable[[], None] | None,
    receive: Callable[[Any], None] | None,
    tasks: int,
    outs: list[int],
) -> None:
    """A worker's life. With no ``items``: the first worker, that forks the others (one for
    each of ``outs`` after its own) once the items are written."""
    code = 0
    children: list[int] = []
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the main process stops us
        if items is None:
            os.setpgid(0, 0)  # the main process stops the group
        if start is not None:
            start()
        out = outs[0]
        if items is None:  # the items are written before the first task
            select.select([tasks], [], [])
            size = os.fstat(items_fd).st_size
            if not size:
                return  # closed without a map
            items, extra = pickle.loads(os.pread(items_fd, size, 0))
            if receive is not None:
                receive(extra)
            for w in outs[1:]:
                try:
                    pid = os.fork()
                except OSError:
                    break  # no more processes: fewer workers
                if pid == 0:
                    children = []
                    out = w
                    break
                children.append(pid)
            for w in outs:
                if w != out:
                    os.close(w)
        while True:
            b = os.read(tasks, _TASK)
            if len(b) < _TASK:
                break
            i, stop = int.from_bytes(b[:4], "little"), int.from_bytes(b[4:], "little")
            value: object
            try:
                value = [func(x) for x in items[i:stop]]  # type: ignore[index]
            except Exception as e:
                value = e
            try:
                blob = pickle.dumps((i, value), pickle.HIGHEST_PROTOCOL)
            except Exception:
                blob = pickle.dumps((i, WorkerError(traceback.format_exc())))
            _write(out, len(blob).to_bytes(8, "little") + blob)
    except BaseException:
        code = 1
    finally:
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        os._exit(code)  # no atexit handlers, no flush of buffers the parent owns


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
