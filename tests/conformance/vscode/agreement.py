"""VS Code 1.139.1 against agentls, in the common shape of ``tests/conformance/agreement.py``.

What VS Code's verdict is here (NOTES.md, "How it is run"): the editor cannot show whether chat
uses a file, only the markers of its prompt validator (owner ``prompts-diagnostics-provider``).
An *error* marker is the validator saying the file is broken for VS Code: a YAML error of its
own parser, a header that is not a mapping (no metadata read), a value of the wrong type, an
empty required value, an invalid `target`, `infer`, a skill name VS Code refuses. So:

* ``loads``: VS Code *does not load* the file ⇔ it shows at least one error marker on it (the
  recorded ``verdict`` is ``unknown``); agentls agrees when its view for VS Code
  (``runtime_view(a, "vscode")``) has an error exactly then. A file agentls thinks VS Code does
  not read at all (no VS Code view) counts as loaded by agentls: it reports no error for VS Code.
* ``errors``: on a file VS Code validates without any error or warning marker (verdict
  ``loads``: every value read), agentls's view for VS Code has no error.
* ``description`` / ``name``: not asked: the editor shows neither (the rows hold null).

``reader`` is the profile agentls reads the file by for VS Code (the view's catalogue; ``none``
when agentls has no VS Code view of the path). The analysis is diff.py's (the same bytes at the
same laid-out path), cached per process.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from agentls.core.analysis import Analysis
from agentls.core.findings import Finding
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.vscode import runtime
from tests.conformance.vscode.diff import analyse, inputs

RUNTIME = "vscode"


def _line(f: Finding, a: Analysis) -> str:
    line, col = a.lines.position(f.span.start)
    return f"{f.code} {line}:{col} {f.message[:100]}"


@functools.cache
def compare() -> Comparison:
    c = Comparison("VS Code", runtime.VSCODE_VERSION)
    with tempfile.TemporaryDirectory(prefix="agentls-vscode-agreement-") as tmp:
        root = Path(tmp)
        for source, rec, data in inputs():
            rid = rec["id"]
            if data is None:
                c.stale.append(rid)
                continue
            c.files += 1
            a, _ = analyse(root / source, rec["file"], data)
            view = runtime_view(a, RUNTIME)
            reader = "none"
            if view is not None:
                reader = next(v.reader.profile for v in a.readers if v.runtime == RUNTIME)
            mine = errors(view or ())
            theirs = [p for p in rec["problems"] if p["severity"] == "error"]
            loads = not theirs
            c.loads += loads
            if loads:
                c.ask(
                    rid,
                    reader,
                    "loads",
                    not mine,
                    "error-but-loads",
                    "; ".join(_line(f, a) for f in mine[:2]),
                )
                if rec["verdict"] == "loads":
                    c.ask(
                        rid,
                        reader,
                        "errors",
                        not mine,
                        "error-on-clean-file",
                        "; ".join(_line(f, a) for f in mine[:2]),
                    )
            else:
                detail = "; ".join(f"{p['range']} {p['message'][:80]}" for p in theirs[:2])
                c.ask(rid, reader, "loads", bool(mine), "drops-no-error", detail)
    return c
