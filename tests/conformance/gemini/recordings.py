"""Recordings on disk: ``recordings/gemini-cli/<version>/{meta.json,<source>.jsonl}``."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.gemini.runtime import VERSION
from tests.conformance.runtimes_common import JSON, Recordings, prefix

RECORDINGS = Recordings("gemini-cli", VERSION)
FOLDER = RECORDINGS.folder
SOURCES = RECORDINGS.sources
__all__ = ["FOLDER", "JSON", "SOURCES", "load", "prefix", "write"]


def write(meta: JSON, rows: list[JSON], sources: tuple[str, ...]) -> Path:
    return RECORDINGS.write(meta, rows, sources)


def load() -> tuple[JSON, dict[str, list[JSON]]]:
    return RECORDINGS.load()
