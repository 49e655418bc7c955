"""agentls's view for Copilot CLI against the Copilot CLI recordings: the common questions of
``tests/conformance/agreement.py``, plus ``reads`` and ``unknown-keys``.

Every recorded file is laid out and analysed as ``diff.py`` does (``diff.laid_out``,
``diff.analyse``); agentls's answers are its view for the runtime ``copilot-cli``
(``runtime_view``) and the values ``agentls.core.shown`` gives for the profile.

* ``reads``: Copilot CLI reads the path ⇔ agentls has a Copilot CLI view of the file;
* ``loads``: Copilot CLI drops the file ⇔ an error in the view. A file that leaves itself out
  (``excludeAgent: coding-agent``) agrees when the view says so (AGL711) without an error;
* ``name`` / ``description``: the agent's listed name and description, the skill's name and
  description in ``copilot skill list``, the instruction file's description (files both load);
* ``errors``: no error in the view on a file Copilot CLI loads;
* ``unknown-keys``: the keys Copilot CLI warns it ignores (agents) ⇔ AGL200 in the view.
"""

from __future__ import annotations

from agentls.core.shown import shown
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.copilot_cli import diff
from tests.conformance.copilot_cli.driver import sha16
from tests.conformance.copilot_cli.runtime import VERSION
from tests.conformance.copilot_cli.standin import JSON

RUNTIME = "copilot-cli"
# the recorded reader -> the profile agentls reads the file by for Copilot CLI (runtimes.yaml)
PROFILES = {
    "github-agent": "copilot-agent",
    "agentskills": "copilot-skill",
    "vscode-instructions": "copilot-instructions",
}


def compare() -> Comparison:
    c = Comparison("Copilot CLI", VERSION)
    for laid in diff.laid_out():
        if laid.data is None:
            if laid.state == "stale":
                c.stale.append(str(laid.rec["id"]))
            continue
        c.files += 1
        _one(c, laid.rec, diff.analyse(laid))
    return c


def _one(c: Comparison, rec: JSON, a: object) -> None:
    from agentls.core.analysis import Analysis

    assert isinstance(a, Analysis)
    rid = str(rec["id"])
    file = str(rec["file"])
    reader = PROFILES.get(str(rec.get("reader")), "none")
    view = runtime_view(a, RUNTIME)
    read = rec.get("read") is not False
    c.ask(
        rid,
        reader,
        "reads",
        read == (view is not None),
        "not-judged" if read else "not-read",
        f"{file} (agentls: {a.dialect.dialect if a.dialect else 'none'})",
    )
    verdict = str(rec["verdict"])
    if not read or view is None or verdict == "unknown":
        return
    errs = errors(view)
    loads = verdict.startswith("loads")
    c.loads += loads
    first = f"{errs[0].code}: {errs[0].message[:140]}" if errs else ""
    if rec.get("excluded"):
        said = any(f.code == "AGL711" for f in view)
        c.ask(rid, reader, "loads", said and not errs, "excluded", f"{file}: {first}")
    elif rec.get("shadowed"):
        c.ask(rid, reader, "loads", bool(errs), "shadowed", f"{file}: another file has the name")
    elif not loads:
        msgs = [p["message"] for p in rec.get("problems") or [] if p["severity"] == "error"]
        why = msgs[0].split("\n", 1)[0] if msgs else "(not listed)"
        if rec.get("shadowed_by_builtin"):
            why = "(not listed: a built-in agent has the name)"
        c.ask(rid, reader, "loads", bool(errs), "drops-no-error", f"{file}: {why}")
    else:
        c.ask(rid, reader, "loads", not errs, "error-but-loads", f"{file}: {first}")
        c.ask(rid, reader, "errors", not errs, "error-but-loads", f"{file}: {first}")
    if not loads or errs:
        return
    mine = next((shown(a, v) for v in a.readers if v.runtime == RUNTIME), None)
    for q in ("name", "description"):
        theirs = rec.get(q)
        if theirs is None or mine is None:
            continue
        if reader == "copilot-instructions" and q == "name":
            continue  # the label is the file name
        ours = getattr(mine, q)
        theirs = str(theirs)
        if theirs.startswith("<") and " chars sha256:" in theirs:
            same = (
                ours is not None
                and f"sha256:{sha16(ours.encode('utf-8', 'surrogatepass'))}" in theirs
            )
        else:
            same = ours == theirs
        c.ask(
            rid,
            reader,
            q,
            same,
            q,
            f"{file}: Copilot CLI {theirs[:70]!r} · agentls "
            + (repr(ours[:70]) if ours is not None else "none"),
        )
    if reader == "copilot-agent":
        theirs_unknown: set[str] = set()
        for p in rec.get("problems") or []:
            if p["severity"] == "warning" and "unknown field" in p["message"]:
                theirs_unknown |= set(p.get("fields") or [])
        ours_unknown = {
            a.text[f.span.start : f.span.end].strip().strip("\"'")
            for f in view
            if f.code == "AGL200"
        }
        missed, extra = theirs_unknown - ours_unknown, ours_unknown - theirs_unknown
        c.ask(
            rid,
            reader,
            "unknown-keys",
            not missed and not extra,
            "unknown-missed" if missed else "unknown-extra",
            f"{file}: " + ", ".join(f"`{k}`" for k in sorted(missed or extra)),
        )
