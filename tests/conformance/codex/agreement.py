"""Codex 0.169.0 against agentls, in the common shape of ``tests/conformance/agreement.py``.

Every recorded file (the generated cases and the corpus) is analysed as ``driver.diff`` does:
the same bytes at the same laid-out path (``.agents/skills/<folder>/SKILL.md``), and agentls's
view *for Codex* (``runtime_view(a, "codex")``) answers:

* ``loads``: Codex drops the file (an entry of ``skills/list``'s errors, or never discovered) ⇔
  agentls says Codex does not load it: an error in Codex's view, AGL711 (Codex does not read
  the file), or no Codex view at all (agentls does not think Codex reads the path);
* ``description``: what the model receives in Codex's skill list ⇔ agentls's received
  description for Codex (``Analysis.description()``: whitespace flattened, cut at 1,024);
* ``name``: the skill's name in that list ⇔ agentls's reading (the `name` value flattened, or
  the folder name);
* ``errors``: no agentls error in Codex's view on a file Codex loads.

``reader`` is the profile agentls reads the file by for Codex (``codex-skill``), or ``none``.
"""

from __future__ import annotations

from pathlib import Path

from agentls.core.analysis import Analysis
from agentls.core.received import codex_listed_name
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.codex import driver
from tests.conformance.skills_ref.common import LONG_DESCRIPTION, analyses, sha16, short

HERE = Path(__file__).resolve().parent
RUNTIME = "codex"
UNREAD = "AGL711"  # agentls: the runtime does not read this file


def _codes(findings: tuple[object, ...] | None) -> str:
    return ", ".join(sorted({getattr(f, "code", "") for f in findings or ()}))


def compare() -> Comparison:
    c = Comparison("Codex", driver.VERSION)
    now = {
        cs.id: (cs.files[0].rel, cs.files[0].data) for cs in driver.cases(("generated", "corpus"))
    }
    rows = [r for r in driver.all_rows() if r["id"] in now and now[r["id"]][0] == r["file"]]
    c.stale = [r["id"] for r in rows if sha16(now[r["id"]][1]) != r["sha"]]
    stale = set(c.stale)
    files = [now[r["id"]] for r in rows if r["id"] not in stale]
    done = analyses(files)
    for r in rows:
        if r["id"] in stale or r["verdict"] == "unknown":
            continue
        a: Analysis = done[r["file"]]
        _ask(c, r, a)
    return c


def _ask(c: Comparison, r: dict[str, object], a: Analysis) -> None:
    rid = str(r["id"])
    view = runtime_view(a, RUNTIME)
    reader = next((v.reader.profile for v in a.readers if v.runtime == RUNTIME), "none")
    c.files += 1
    loads = r["verdict"] == "loads"
    c.loads += loads
    errs = errors(view or ())
    unread = view is None or any(f.code == UNREAD for f in view)
    agentls_loads = not errs and not unread
    problems = "; ".join(str(p["message"]) for p in r["problems"])  # type: ignore[index, union-attr]
    log = "; ".join(str(x) for x in r["log"])  # type: ignore[union-attr]
    if loads:
        cat = "error-but-loads" if errs else "unread-but-loads"
        detail = _codes(errs) if errs else "agentls: Codex does not read this file"
    else:
        cat, detail = "drops-no-error", (problems or log)[:200]
    c.ask(rid, reader, "loads", loads == agentls_loads, cat, detail)
    if loads:
        c.ask(rid, reader, "errors", not errs, "error-but-loads", _codes(errs))
    if not loads or not agentls_loads:
        return
    listed = r["description"]
    if listed is not None:
        mine = a.description()
        mine_cmp = short(mine, LONG_DESCRIPTION) if str(listed).startswith("sha256:") else mine
        c.ask(
            rid,
            reader,
            "description",
            mine_cmp == listed,
            "description-differs",
            f"Codex {str(listed)[:80]!r} / agentls {str(mine)[:80]!r}",
        )
    if r["name"] is not None:
        name = codex_listed_name(a)
        c.ask(
            rid,
            reader,
            "name",
            name == r["name"],
            "name-differs",
            f"Codex {str(r['name'])[:60]!r} / agentls {str(name)[:60]!r}",
        )
