"""agentls against the recorded Gemini CLI 0.61.0, in the common shape (``tests/conformance/
agreement.py``): every recorded file analysed as ``diff.py`` does (same bytes, same path), and
agentls's view for Gemini CLI (``runtime_view(a, "gemini-cli")``) against what the runtime did.

Gemini CLI "loads" a file when it lists it (``<available_subagents>``, ``<available_skills>``)
and, for an agent, the agent also works when invoked (an agent with an empty system prompt is
listed but fails at once: the design counts that as an error). A file agentls does not think
Gemini CLI reads (no view) agrees with a file the runtime silently does not read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from agentls.core.dialects import gemini
from tests.conformance.agreement import Comparison, errors, runtime_view
from tests.conformance.gemini import cases as gcases
from tests.conformance.gemini import diff, driver
from tests.conformance.gemini.runtime import VERSION

JSON = dict[str, Any]
HERE = Path(__file__).resolve().parent
RUNTIME = "gemini-cli"
READERS = {gcases.AGENT: "gemini-agent", gcases.SKILL: "gemini-skill"}


def _works(r: JSON) -> bool:
    probe = r.get("probe")
    return r["verdict"] in ("loads", "loads-with-warnings") and not (
        isinstance(probe, dict) and "failed" in probe
    )


def _why(r: JSON) -> str:
    probe = r.get("probe")
    if isinstance(probe, dict) and "failed" in probe:
        return f"fails when invoked: {str(probe['failed'])[:120]}"
    return diff.reason(r)


@functools.cache
def compare() -> Comparison:
    c = Comparison("Gemini CLI", VERSION)
    t = diff.Tally()
    for r, a in diff.analysed(t):
        reader = READERS[r["dialect"]]
        rid = r["id"]
        view = runtime_view(a, RUNTIME)
        mine = errors(view or ())
        works = _works(r)
        if works:
            c.loads += 1
        # loads: the runtime drops, rejects or breaks on it <=> an agentls error for Gemini CLI
        if view is None:
            c.ask(
                rid,
                reader,
                "loads",
                not works,
                "runtime-reads-agentls-no-view",
                f"{r['file']} (agentls: dialect {a.dialect.dialect if a.dialect else None})",
            )
        elif works and mine:
            c.ask(rid, reader, "loads", False, "error-but-loads", _first(mine))
        elif not works and not mine:
            c.ask(rid, reader, "loads", False, "drops-no-error", _why(r))
        else:
            c.ask(rid, reader, "loads", True)
        if view is not None and works:
            c.ask(rid, reader, "errors", not mine, "error-on-loaded-file", _first(mine))
        # the values Gemini CLI lists, where both load
        if view is not None and works and not mine:
            got = gemini.reading(a.text, reader)
            for q in ("name", "description"):
                theirs = r.get(q)
                if theirs is None:
                    continue
                ours = getattr(got, q) if got is not None else None
                ours = driver._short(ours)  # long values are recorded as length and hash
                c.ask(
                    rid,
                    reader,
                    q,
                    ours == theirs,
                    "differs",
                    f"runtime {theirs!r:.80} vs agentls {ours!r:.80}",
                )
        # agents: the keys the runtime rejects as unknown
        if r["dialect"] == gcases.AGENT and view is not None:
            rt = diff.runtime_unknown(r)
            ours_keys = {
                a.text[f.span.start : f.span.end] for f in view or () if f.code == "AGL200"
            }
            if rt - ours_keys:
                c.ask(rid, reader, "unknown-keys", False, "runtime-rejects-key", str(sorted(rt)))
            elif ours_keys - rt and (works or rt):
                c.ask(
                    rid,
                    reader,
                    "unknown-keys",
                    False,
                    "agentls-rejects-key",
                    str(sorted(ours_keys)),
                )
            else:
                c.ask(rid, reader, "unknown-keys", True)
    c.files = t.files
    c.stale = list(t.stale)
    return c


def _first(fs: list[Any]) -> str:
    return f"{fs[0].code} {fs[0].message[:140]}" if fs else ""


def summary(c: Comparison) -> str:
    out = [f"{c.runtime} {c.version}: {c.files} files, {c.loads} load, {len(c.stale)} stale"]
    for (reader, q), t in sorted(c.tallies.items()):
        out.append(f"  {reader:14} {q:14} {t.agree}/{t.total}")
    return "\n".join(out)


if __name__ == "__main__":
    from collections import Counter

    comp = compare()
    print(summary(comp))
    cats = Counter((d.reader, d.question, d.category) for d in comp.differences)
    for k, n in cats.most_common():
        print(n, *k)
        for d in [d for d in comp.differences if (d.reader, d.question, d.category) == k][:6]:
            print("    ", d.id, d.detail[:150].replace("\n", "\\n"))
