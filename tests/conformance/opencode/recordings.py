"""Recordings on disk: ``recordings/opencode/<version>/{meta.json,<source>.jsonl}``."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

from tests.conformance.opencode import runtime

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent / "recordings" / "opencode" / runtime.VERSION
SOURCES = ("generated", "examples", "corpus")
JSON = dict[str, Any]


def prefix(source: str) -> str:
    return "gen" if source == "generated" else source


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
    d = FOLDER
    d.mkdir(parents=True, exist_ok=True)
    old: JSON = {}
    if (d / "meta.json").is_file():
        old = json.loads((d / "meta.json").read_text("utf-8"))
    merged = {**old, **m}
    (d / "meta.json").write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    for source in sources:
        rows = [r for r in records if r["id"].split("/", 1)[0] == prefix(source)]
        rows.sort(key=lambda r: (r["id"], r["file"]))
        text = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows
        )
        (d / f"{source}.jsonl").write_text(text, "utf-8")
    return d


def load() -> dict[str, list[JSON]]:
    out: dict[str, list[JSON]] = {}
    for source in SOURCES:
        p = FOLDER / f"{source}.jsonl"
        if p.is_file():
            out[source] = [json.loads(line) for line in p.read_text("utf-8").split("\n") if line]
    return out


def load_meta() -> JSON:
    p = FOLDER / "meta.json"
    return json.loads(p.read_text("utf-8")) if p.is_file() else {}
