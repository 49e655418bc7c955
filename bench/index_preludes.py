"""Diagnostic preludes for ``bench/index_edit_bench.py --prelude NAME`` (not server changes).

A prelude is Python code that the server process runs before ``agentls serve``. It patches the
server in memory for one benchmark run, so that a suspected cause or a candidate fix can be
measured without editing ``server/``:

- ``trace``: records, with ``time.perf_counter()`` (CLOCK_MONOTONIC, comparable with the
  client's timestamps), when each message body is back on the event loop thread (pygls reads
  stdin with ``run_in_executor(readline)`` / ``run_in_executor(read)``, so a message takes
  several hops to a reader thread and back), when ``handle_message`` starts and ends for each
  ``didChange``, when ``collect()`` runs, and every garbage collection. Written as JSON to
  ``$AGENTLS_TRACE`` at exit. ``--trace`` adds it (last, so it wraps the other preludes).
- ``switch-0.5ms``: ``sys.setswitchinterval(0.0005)`` (the default is 5 ms).
- ``gc-off``: ``gc.disable()``.
- ``scan-in-a-process``: the index scan (``collect``) runs in a worker process
  (``ProcessPoolExecutor``, forkserver) instead of a thread of the server process, so that it
  does not share the GIL with the edit path. A prototype of a fix: the pool is created lazily
  on the event loop thread, so its start-up blocks the loop once. Not with ``trace`` (which
  wraps ``collect``, and the wrapper cannot be sent to another process).
- ``async-stdin``: pygls' stdin reader reads through an asyncio pipe transport
  (``loop.connect_read_pipe``) on the event loop thread instead of a thread pool, so a message
  needs no hop to another thread (and no GIL hand-over) before it is handled.
- ``throttle-scan``: the scan thread sleeps 1 ms after each 1 ms of work (it then holds the GIL
  for at most about 1 ms at a time).
"""

from __future__ import annotations

TRACE = """
import atexit as _atexit, gc as _gc, json as _json, os as _os, threading as _threading, time as _t
_T = []
_gcs = [0.0]
def _on_gc(phase, info):
    if phase == "start":
        _gcs[0] = _t.perf_counter()
    else:
        _T.append(["gc", info["generation"], _gcs[0], _t.perf_counter(),
                   _threading.current_thread().name])
_gc.callbacks.append(_on_gc)
import agentls.core.workspace as _W
_collect = _W.collect
def _traced_collect(*a, **k):
    t = _t.perf_counter()
    try:
        return _collect(*a, **k)
    finally:
        _T.append(["collect", None, t, _t.perf_counter(), _threading.current_thread().name])
_W.collect = _traced_collect
import pygls.io_ as _io
_readexactly = _io.StdinAsyncReader.readexactly
async def _traced_readexactly(self, n):
    b = await _readexactly(self, n)
    _T.append(["read", n, _t.perf_counter(), None, None])
    return b
_io.StdinAsyncReader.readexactly = _traced_readexactly
import pygls.protocol.json_rpc as _J
_hm = _J.JsonRPCProtocol.handle_message
def _handle_message(self, message):
    t = _t.perf_counter()
    try:
        return _hm(self, message)
    finally:
        try:
            v = message.params.text_document.version
        except Exception:
            v = None
        _T.append(["msg", [getattr(message, "method", None), v], t, _t.perf_counter(), None])
_J.JsonRPCProtocol.handle_message = _handle_message
def _dump():
    with open(_os.environ["AGENTLS_TRACE"], "w") as f:
        _json.dump(_T, f)
_atexit.register(_dump)
"""

SCAN_IN_A_PROCESS = """
import asyncio as _asyncio, concurrent.futures as _cf, multiprocessing as _mp
_pool = []
_run_in_executor = _asyncio.BaseEventLoop.run_in_executor
def _patched(self, executor, func, *args):
    if executor is None and getattr(func, "__name__", "") == "collect":
        if not _pool:
            _pool.append(_cf.ProcessPoolExecutor(1, mp_context=_mp.get_context("forkserver")))
        executor = _pool[0]
        args = tuple(dict(a) if type(a).__name__ == "mappingproxy" else a for a in args)
    return _run_in_executor(self, executor, func, *args)
_asyncio.BaseEventLoop.run_in_executor = _patched
"""

THROTTLE_SCAN = """
import time as _t
import agentls.core.workspace as _W
_files = _W.files
def _throttled(*a, **k):
    last = _t.perf_counter()
    for item in _files(*a, **k):
        yield item
        if _t.perf_counter() - last > 0.001:
            _t.sleep(0.001)
            last = _t.perf_counter()
_W.files = _throttled
"""

ASYNC_STDIN = """
import asyncio as _asyncio
import pygls.io_ as _io
async def _stream(self):
    sr = getattr(self, "_bench_stream", None)
    if sr is None:
        sr = _asyncio.StreamReader(limit=2**26)
        loop = _asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: _asyncio.StreamReaderProtocol(sr), self.stdin)
        self._bench_stream = sr
    return sr
async def _readline(self):
    return await (await _stream(self)).readline()
async def _readexactly(self, n):
    return await (await _stream(self)).readexactly(n)
_io.StdinAsyncReader.readline = _readline
_io.StdinAsyncReader.readexactly = _readexactly
"""

PRELUDES = {
    "trace": TRACE,
    "switch-0.5ms": "import sys\nsys.setswitchinterval(0.0005)\n",
    "gc-off": "import gc\ngc.disable()\n",
    "scan-in-a-process": SCAN_IN_A_PROCESS,
    "throttle-scan": THROTTLE_SCAN,
    "async-stdin": ASYNC_STDIN,
}
