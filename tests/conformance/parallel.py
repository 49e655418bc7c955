"""The replays of test_replay.py and test_agreement.py, each computed once per test run: all of
them are started together in a process per core, their scratch files on a RAM disk when there is
one (writing and removing thousands of small files on a disk costs more than analysing them).
``AGENTLS_REPLAY_JOBS=1`` runs them one by one in the test process (e.g. for a debugger).

A job is ``("claude-code", VERSION)`` (``compare.compare_version``) or ``("runtime", PACKAGE)``
(``tests.conformance.PACKAGE.agreement.compare``). The results are the same objects as in one
process (pickled back), so the tests' outcomes do not depend on how the work was spread.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

Job = tuple[str, str]
RAM_DISK = "/dev/shm"

_futures: dict[Job, Future[Any]] = {}
_pool: ProcessPoolExecutor | None = None


def scratch() -> str | None:
    """Where temporary folders go: the RAM disk when it is writable, else the default."""
    return RAM_DISK if os.path.isdir(RAM_DISK) and os.access(RAM_DISK, os.W_OK) else None


def run(job: Job) -> Any:
    """One job, in this process."""
    before, tempfile.tempdir = tempfile.tempdir, scratch()
    try:
        kind, arg = job
        if kind == "claude-code":
            from tests.conformance.compare import compare_version

            return compare_version(arg)
        return importlib.import_module(f"tests.conformance.{arg}.agreement").compare()
    finally:
        tempfile.tempdir = before


def start(jobs: Iterable[Job]) -> None:
    """Start ``jobs`` (those not started yet) in a pool of one process per core."""
    global _pool
    new = sorted(set(jobs) - set(_futures))  # each takes 0.6-2 s of CPU
    workers = min(len(new), int(os.environ.get("AGENTLS_REPLAY_JOBS", 0)) or os.cpu_count() or 1)
    if workers < 2:
        return  # result() runs them here, one by one
    if _pool is None:
        # spawn: fresh processes (a fork would copy whatever locks the test run's threads hold),
        # children of this one (so that their CPU time counts in its rusage)
        ctx = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(workers, mp_context=ctx)
    for job in new:
        _futures[job] = _pool.submit(run, job)


def result(job: Job) -> Any:
    if job not in _futures:
        f: Future[Any] = Future()
        f.set_result(run(job))
        _futures[job] = f
    out = _futures[job].result()
    if all(f.done() for f in _futures.values()):
        stop(keep_results=True)  # the workers' memory back for the tests that follow
    return out


def stop(keep_results: bool = False) -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
    if not keep_results:
        _futures.clear()
