"""agentls against OpenCode 1.18.33, in the common shape (``tests/conformance/agreement.py``).

Every recorded file (generated cases and corpus) is analysed as ``diff.py`` does (the same bytes
at the same path, ``~/`` under a fake HOME), and agentls's view for OpenCode
(``runtime_view(a, "opencode")``) is asked:

* ``reads``: OpenCode reads the path ⇔ agentls counts OpenCode among the file's readers;
* ``loads``: OpenCode drops the file, breaks the project on it (every command fails) or fails
  every prompt ⇔ an error in agentls's view for OpenCode;
* ``errors``: no such error on a file OpenCode loads with all its values (its front matter read);
* ``description`` / ``name``: the value OpenCode holds (``debug config`` / ``debug skill``)
  equals agentls's reading of the file as OpenCode's profile reads it (files both load);
* ``received``: the description the model is told (the Task tool's line, the skill listing),
  for the files OpenCode offers to the model.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from agentls.core.analysis import Analysis
from agentls.core.dialects import generic
from agentls.core.dialects.opencode import is_mode_file
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.cases import File
from tests.conformance.opencode import cases, recordings, runtime
from tests.conformance.opencode.diff import (
    NO_DESCRIPTION,
    VALUE_KEYS,
    analyse,
    inputs,
    reading,
    same_value,
    value_of,
)

HERE = Path(__file__).resolve().parent
RUNTIME = "opencode"
JSON = dict[str, Any]
_ROOTS = (".opencode", ".config/opencode")


def _breaks(row: JSON) -> bool:
    """OpenCode drops the file, fails the project on it, or every prompt fails."""
    rec = row.get("received") or {}
    return row["verdict"] in ("drops", "breaks-project") or (
        "listed" in rec and rec["listed"] is None
    )


def _default_name(rel: str, kind: str) -> str | None:
    """The name OpenCode gives an agent or command without a `name` key: its path below
    ``agent(s)/`` (``command(s)/``, ``mode(s)/``) without the last extension."""
    parts = PurePosixPath(rel).parts
    folders = ("agent", "agents", "mode", "modes") if kind == "agent" else ("command", "commands")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] in folders:
            inner = "/".join(parts[i + 1 :])
            return inner.rsplit(".", 1)[0]
    return None


def _name(ctx: generic.DialectContext | None, rel: str, kind: str) -> Any:
    """A `name` key wins, whatever its type, as a JavaScript object key (`null` too: a0209)."""
    v = value_of(ctx, "name")
    if kind == "skill":
        return v
    if ctx is None or ctx.get("name") is None or not generic.front_matter_used(ctx):
        return _default_name(rel, kind)
    if v is None:
        return "null"
    return v if isinstance(v, str) else json.dumps(v)


@functools.cache
def compare() -> Comparison:
    c = Comparison("OpenCode", runtime.VERSION)
    recs = recordings.load()
    data_of = inputs()
    with tempfile.TemporaryDirectory(prefix="agentls-oc-agree-") as tmp:
        n = 0
        for source, rows in recs.items():
            for row in rows:
                rid, rel = row["id"], row["file"]
                data = data_of.get(rid, {}).get(rel)
                if data is None or File(rel, data, None).sha != row["sha"]:
                    c.stale.append(rid)
                    continue
                c.files += 1
                n += 1
                a = analyse(Path(tmp) / f"{source}-{n}", rel, data)
                _judge(c, row, a)
    return c


def _judge(c: Comparison, row: JSON, a: Analysis) -> None:
    rid, rel, kind, verdict = row["id"], row["file"], row["kind"], row["verdict"]
    view = runtime_view(a, RUNTIME)
    read = cases.read_by_opencode(rel)
    reader = next((v.reader.profile for v in a.readers if v.runtime == RUNTIME), None)
    reader = reader or (f"opencode-{kind}" if kind != "skill" else "opencode-skill")
    c.ask(
        rid,
        reader,
        "reads",
        read == (view is not None),
        "agentls-reader-wider" if view is not None else "agentls-misses-reader",
        rel,
    )
    if not read or view is None or verdict == "unknown" or row.get("note"):
        return  # `note`: which of two files wins varies between runs (cases.py)
    if verdict in ("loads", "loads-with-warnings"):
        c.loads += 1
    errs = errors(view)
    breaks = _breaks(row)
    if breaks:
        how = (
            "breaks" if verdict == "breaks-project" else "drops" if verdict == "drops" else "fails"
        )
        msg = next((p.get("message", "") for p in row.get("problems", [])), "")
        c.ask(rid, reader, "loads", bool(errs), f"runtime-{how}-no-error", msg[:160])
        return
    detail = f"{errs[0].code} {errs[0].message[:140]}" if errs else ""
    c.ask(rid, reader, "loads", not errs, "error-but-loads", detail)
    if row.get("fm") != "ignored":
        c.ask(rid, reader, "errors", not errs, "error-but-loads", detail)
    if errs:
        return
    ctx = reading(a, reader)
    rd = row.get("description")
    ad = value_of(ctx, "description")
    c.ask(rid, reader, "description", rd == ad, "differs", f"OpenCode {rd!r} | agentls {ad!r}")
    rn = row.get("name")
    an = _name(ctx, rel, kind)
    c.ask(rid, reader, "name", rn == an, "differs", f"OpenCode {rn!r} | agentls {an!r}")
    if kind == "agent" and row.get("fm") == "read":
        rv = row.get("value") or {}
        for k in VALUE_KEYS:
            if k == "steps" and "maxSteps" in rv and value_of(ctx, "steps") is None:
                continue  # OpenCode copies `maxSteps` into `steps`
            if k not in rv and value_of(ctx, k) is None:
                continue
            av = value_of(ctx, k)
            want = "primary" if k == "mode" and is_mode_file(rel) else av
            c.ask(rid, reader, "values", same_value(want, rv.get(k)), k,
                  f"`{k}`: OpenCode {rv.get(k)!r} | agentls {want!r}")  # fmt: skip
    rec = row.get("received") or {}
    if rec.get("listed"):
        told = rec.get("description")
        want = ad if isinstance(ad, str) or kind == "skill" else None
        if kind == "agent" and want is None:
            want = NO_DESCRIPTION
        c.ask(
            rid, reader, "received", told == want, "differs", f"model {told!r} | agentls {want!r}"
        )
