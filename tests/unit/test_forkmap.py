"""agentls.forkmap: `agentls check`'s map over forked workers (issue 13)."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from agentls.forkmap import WorkerError, Workers, fork_map

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="`check` forks on Linux only")


def square(x: int) -> int:
    return x * x


def test_results_come_in_order_whatever_the_chunks() -> None:
    items = list(range(1000))
    for jobs, chunk in ((2, 1), (2, 7), (3, 64), (2, 5000)):
        assert list(fork_map(square, items, jobs, chunk)) == [x * x for x in items]
    assert list(fork_map(square, [], 2, 8)) == []


def fail_on_13(x: int) -> int:
    if x == 13:
        raise ValueError("thirteen")
    return x


def test_an_exception_is_raised_when_its_item_comes() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="thirteen"):
        got.extend(fork_map(fail_on_13, list(range(100)), 2, 4))
    assert got == list(range(12))  # the chunk of 13 holds 12 too


def die_on_7(x: int) -> int:
    if x == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_dead_worker_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkerError, match="stopped unexpectedly"):
        list(fork_map(die_on_7, list(range(50)), 2, 1))


class Counter:
    """A worker started before the items exist: ``start`` runs once in the first worker
    (the others inherit what it did), ``receive`` gets what the map sends with the items."""

    def __init__(self) -> None:
        self.started = 0
        self.base = 0

    def start(self) -> None:
        self.started += 1

    def receive(self, base: int) -> None:
        self.base = base

    def __call__(self, x: int) -> tuple[int, int, int]:
        time.sleep(0.01)  # (so that both workers get items)
        return x + self.base, self.started, os.getpid()


def test_workers_started_before_their_items() -> None:
    c = Counter()
    w = Workers(c, 2, start=c.start, receive=c.receive)
    c.base = -1  # too late for the workers: they were forked before
    got = list(w.map(list(range(40)), 1, 1000))
    assert [x for x, _, _ in got] == [x + 1000 for x in range(40)]
    assert {s for _, s, _ in got} == {1}  # started once, then forked
    assert len({pid for _, _, pid in got}) == 2 and os.getpid() not in {p for _, _, p in got}


def test_workers_closed_without_a_map_stop() -> None:
    c = Counter()
    w = Workers(c, 2, start=c.start, receive=c.receive)
    pids = list(w._pids)
    w.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_failed_fork_stops_the_workers_made_and_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fork
    made: list[int] = []

    def fork() -> int:
        if made:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    fds = len(os.listdir("/proc/self/fd"))
    with pytest.raises(OSError):
        Workers(square, 2, list(range(10)))
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(made[0], 0)
    assert len(os.listdir("/proc/self/fd")) == fds  # no pipe left open
