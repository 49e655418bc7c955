"""skills-ref 0.1.1 against agentls, in the common shape of ``tests/conformance/agreement.py``.

Every recorded file (generated cases and corpus) is analysed as ``driver.diff`` does: the same
bytes at the same laid-out path (``skills/<folder>/SKILL.md``, a portable Agent Skill), and
agentls's view *for skills-ref* (``runtime_view(a, "skills-ref")``) answers:

* ``loads``: ``validate`` fails (rc 1: its error list, or a traceback: it crashes on invalid
  UTF-8 and control characters, so the skill never validates) ⇔ an error in skills-ref's view;
* ``description`` / ``name``: ``read-properties`` (stripped) ⇔ agentls's strictyaml reading
  (``received.skills_ref_text``), files both accept;
* ``errors``: no agentls error in skills-ref's view on a file skills-ref validates.

``reader`` is the profile agentls reads the file by for skills-ref (``agentskills``), or
``none`` (agentls gives the path no dialect, or no skills-ref view).
"""

from __future__ import annotations

from pathlib import Path

from agentls.core.analysis import Analysis
from agentls.core.received import skills_ref_text
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.skills_ref import driver
from tests.conformance.skills_ref.common import JSON, analyses, sha16

HERE = Path(__file__).resolve().parent
RUNTIME = "skills-ref"


def compare() -> Comparison:
    c = Comparison("skills-ref", driver.VERSION)
    now = driver.inputs()
    rows = [r for r in driver.all_rows() if r["id"] in now and now[r["id"]][0] == r["file"]]
    c.stale = [r["id"] for r in rows if sha16(now[r["id"]][1]) != r["sha"]]
    stale = set(c.stale)
    done = analyses([now[r["id"]] for r in rows if r["id"] not in stale])
    for r in rows:
        if r["id"] not in stale:
            _ask(c, r, done[r["file"]])
    return c


def _ask(c: Comparison, r: JSON, a: Analysis) -> None:
    rid = r["id"]
    view = runtime_view(a, RUNTIME)
    reader = next((v.reader.profile for v in a.readers if v.runtime == RUNTIME), "none")
    c.files += 1
    loads = r["verdict"] == "loads"
    c.loads += loads
    errs = errors(view or ())
    # a path agentls gives no dialect (`SKILL.MD`, `README.md`): not a skill for agentls, and
    # skills-ref finds no SKILL.md in the folder (`Missing required file`)
    agentls_loads = view is not None and not errs
    if loads:
        cat = "error-but-loads" if errs else "not-judged-but-loads"
        detail = ", ".join(sorted({f.code for f in errs})) or "agentls reads no skill here"
    else:
        cat = "crash-no-error" if r["verdict"] == "unknown" else "drops-no-error"
        detail = "; ".join(p["message"] for p in r["problems"]) or "; ".join(r["log"])
    c.ask(rid, reader, "loads", loads == agentls_loads, cat, detail[:200])
    if loads:
        c.ask(rid, reader, "errors", not errs, "error-but-loads", detail[:200])
    if not loads or not agentls_loads:
        return
    for key in ("description", "name"):
        theirs = r[key]
        if theirs is None:
            continue
        mine = skills_ref_text(a, key)
        c.ask(
            rid,
            reader,
            key,
            mine == theirs,
            f"{key}-differs",
            f"skills-ref {str(theirs)[:80]!r} / agentls {str(mine)[:80]!r}",
        )
