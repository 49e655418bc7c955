"""Recordings on disk: ``recordings/claude-code/<version>/{meta.json,<source>.jsonl}``.

One JSON object per line and file, sorted by case id, only the observed fields. Generated cases
are regenerated from their id; examples and corpus files are read from their origin; the
``sha`` (first 16 hex digits of SHA-256 of the bytes) tells whether the input still matches.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conformance.standin import JSON

HERE = Path(__file__).resolve().parent
RECORDINGS = HERE / "recordings" / "claude-code"
SOURCES = ("generated", "examples", "corpus")


def folder(version: str) -> Path:
    return RECORDINGS / version


def recorded_versions() -> list[str]:
    if not RECORDINGS.is_dir():
        return []
    return sorted(
        (p.name for p in RECORDINGS.iterdir() if (p / "meta.json").is_file()),
        key=lambda v: tuple(int(x) for x in v.split(".")),
        reverse=True,
    )


def write(version: str, meta: JSON, records: list[JSON], sources: tuple[str, ...]) -> Path:
    d = folder(version)
    d.mkdir(parents=True, exist_ok=True)
    old: JSON = {}
    if (d / "meta.json").is_file():
        old = json.loads((d / "meta.json").read_text("utf-8"))
    merged = {**old, **meta}
    merged["sources"] = {**old.get("sources", {}), **meta.get("sources", {})}
    (d / "meta.json").write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    for source in sources:
        rows = [r for r in records if r["id"].split("/", 1)[0] == prefix(source)]
        rows.sort(key=lambda r: (r["id"], r["file"]))
        text = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows
        )
        (d / f"{source}.jsonl").write_text(text, "utf-8")
    return d


def prefix(source: str) -> str:
    return "gen" if source == "generated" else source


def load(version: str) -> tuple[JSON, dict[str, list[JSON]]]:
    d = folder(version)
    meta: JSON = json.loads((d / "meta.json").read_text("utf-8"))
    out: dict[str, list[JSON]] = {}
    for source in SOURCES:
        p = d / f"{source}.jsonl"
        if p.is_file():
            out[source] = [json.loads(line) for line in p.read_text("utf-8").split("\n") if line]
    return meta, out
