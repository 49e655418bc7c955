"""Recordings on disk: ``recordings/copilot-cli/<version>/{meta.json,<source>.jsonl}``.

One JSON object per line and file, sorted by id (then file); only what was observed.
"""

from __future__ import annotations

from pathlib import Path

from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON
from tests.conformance.runtimes_common import RECORDINGS as _ALL
from tests.conformance.runtimes_common import SOURCES, Recordings, prefix

RECORDINGS = _ALL / "copilot-cli"
__all__ = ["SOURCES", "folder", "load", "prefix", "recordings", "write"]


def recordings(version: str = VERSION) -> Recordings:
    return Recordings("copilot-cli", version)


def folder(version: str = VERSION) -> Path:
    return recordings(version).folder


def write(meta: JSON, rows: list[JSON], sources: tuple[str, ...], version: str = VERSION) -> Path:
    return recordings(version).write(meta, rows, sources)


def load(version: str = VERSION) -> tuple[JSON, dict[str, list[JSON]]]:
    return recordings(version).load()
