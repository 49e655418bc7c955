"""Recordings on disk: ``recordings/copilot-cli/<version>/{meta.json,<source>.jsonl}``.

One JSON object per line and file, sorted by id (then file); only what was observed.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON

HERE = Path(__file__).resolve().parent
RECORDINGS = HERE.parent / "recordings" / "copilot-cli"
SOURCES = ("generated", "examples", "corpus")


def folder(version: str = VERSION) -> Path:
    return RECORDINGS / version


def prefix(source: str) -> str:
    return "gen" if source == "generated" else source


def write(meta: JSON, rows: list[JSON], sources: tuple[str, ...], version: str = VERSION) -> Path:
    d = folder(version)
    d.mkdir(parents=True, exist_ok=True)
    old: JSON = {}
    if (d / "meta.json").is_file():
        old = json.loads((d / "meta.json").read_text("utf-8"))
    merged = {**old, **meta}
    for k in ("sources", "seconds"):
        merged[k] = {**old.get(k, {}), **meta.get(k, {})}
    (d / "meta.json").write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    for source in sources:
        mine = [r for r in rows if r["id"].split("/", 1)[0] == prefix(source)]
        mine.sort(key=lambda r: (r["id"], r["file"]))
        text = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in mine
        )
        (d / f"{source}.jsonl").write_text(text, "utf-8")
    return d


def load(version: str = VERSION) -> tuple[JSON, dict[str, list[JSON]]]:
    d = folder(version)
    meta: JSON = json.loads((d / "meta.json").read_text("utf-8"))
    out: dict[str, list[JSON]] = {}
    for source in SOURCES:
        p = d / f"{source}.jsonl"
        if p.is_file():
            out[source] = [json.loads(line) for line in p.read_text("utf-8").split("\n") if line]
    return meta, out
