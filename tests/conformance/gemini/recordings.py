"""Recordings on disk: ``recordings/gemini-cli/<version>/{meta.json,<source>.jsonl}``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conformance.gemini.runtime import VERSION

JSON = dict[str, Any]
HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent / "recordings" / "gemini-cli" / VERSION
SOURCES = ("generated", "examples", "corpus")


def prefix(source: str) -> str:
    return "gen" if source == "generated" else source


def write(meta: JSON, rows: list[JSON], sources: tuple[str, ...]) -> Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    old: JSON = {}
    if (FOLDER / "meta.json").is_file():
        old = json.loads((FOLDER / "meta.json").read_text("utf-8"))
    merged = {**old, **meta, "sources": {**old.get("sources", {}), **meta.get("sources", {})}}
    (FOLDER / "meta.json").write_text(
        json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8"
    )
    for source in sources:
        mine = sorted(
            (r for r in rows if r["id"].split("/", 1)[0] == prefix(source)),
            key=lambda r: (r["id"], r["file"]),
        )
        text = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in mine
        )
        (FOLDER / f"{source}.jsonl").write_text(text, "utf-8")
    return FOLDER


def load() -> tuple[JSON, dict[str, list[JSON]]]:
    meta: JSON = json.loads((FOLDER / "meta.json").read_text("utf-8"))
    out: dict[str, list[JSON]] = {}
    for source in SOURCES:
        p = FOLDER / f"{source}.jsonl"
        if p.is_file():
            out[source] = [json.loads(x) for x in p.read_text("utf-8").split("\n") if x]
    return meta, out
