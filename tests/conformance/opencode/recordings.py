"""Recordings on disk: ``recordings/opencode/<version>/{meta.json,<source>.jsonl}``."""

from __future__ import annotations

import platform
from pathlib import Path

from tests.conformance.opencode import runtime
from tests.conformance.runtimes_common import JSON, Recordings, prefix

RECORDINGS = Recordings("opencode", runtime.VERSION)
FOLDER = RECORDINGS.folder
SOURCES = RECORDINGS.sources
__all__ = ["FOLDER", "JSON", "SOURCES", "load", "load_meta", "meta", "prefix", "write"]


def meta(seconds: float, rows: int) -> JSON:
    return {
        "runtime": "opencode",
        "package": f"{runtime.PACKAGE}@{runtime.VERSION}",
        "version": runtime.version_of(),
        "binary": "node_modules/opencode-linux-x64/bin/opencode (Bun-compiled)",
        "platform": platform.machine(),
        "how": (
            "fresh git-inited project and fresh HOME per run; ~/.config/opencode/opencode.json "
            "names a loopback openai-compatible provider (model mock/mock-model), share disabled, "
            "autoupdate false; `unshare -n opencode debug config --print-logs --log-level WARN` "
            "(agents, commands) or `... debug skill ...` (skills), with PWD=project and "
            "OPENCODE_DISABLE_MODELS_FETCH=1; no network at all"
        ),
        "last_record": {"seconds": round(seconds), "rows": rows},
    }


def write(m: JSON, records: list[JSON], sources: tuple[str, ...]) -> Path:
    return RECORDINGS.write(m, records, sources)


def load() -> dict[str, list[JSON]]:
    return {s: RECORDINGS.source(s) for s in SOURCES if (FOLDER / f"{s}.jsonl").is_file()}


def load_meta() -> JSON:
    return RECORDINGS.meta()
