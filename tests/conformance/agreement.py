"""What every runtime's suite reports, in one shape: agreement per question, the differences,
and the reviewed ones (``tests/conformance/<runtime>/known_differences.yaml``).

Each runtime package (``tests.conformance.<pkg>``) has a module ``agreement`` with

    def compare() -> Comparison

which analyses every recorded file with agentls (the same bytes at the same path) and answers
the common questions below, one ``Tally`` per (reader, question) and one ``Difference`` per
disagreement. ``docs/conformance.md`` shows the tallies (``python -m tests.conformance
report``); ``test_agreement.py`` fails for each package on a difference its known_differences.yaml
does not list, and on a listed one that no longer occurs (``assert_known``).

Common questions (a runtime answers those it can observe; add its own after them):

* ``loads``: the runtime drops, rejects or breaks on the file ⇔ agentls reports an error in that
  runtime's view of the file (``runtime_view``);
* ``description`` / ``name``: the value the runtime shows or sends equals agentls's reading
  (files both load);
* ``errors``: no agentls error (in that runtime's view) on a file the runtime loads with all its
  values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agentls.core.analysis import Analysis
from agentls.core.findings import Finding, Severity
from tests.conformance import compare
from tests.conformance.compare import Known, Tally, known_differences

COMMON_QUESTIONS = ("loads", "description", "name", "errors")


@dataclass(frozen=True)
class Difference:
    id: str  # case id or corpus path
    reader: str  # the agentls dialect / profile the runtime reads the file as
    question: str
    category: str  # short slug, e.g. "drops-no-error", "error-but-loads"
    detail: str


@dataclass
class Comparison:
    runtime: str  # display name, as in core/catalog/runtimes.yaml
    version: str
    files: int = 0
    loads: int = 0  # files the runtime loads
    stale: list[str] = field(default_factory=list)  # recordings whose input changed
    # (reader, question) -> agreement
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)

    def ask(
        self,
        id_: str,
        reader: str,
        question: str,
        agree: bool,
        category: str = "",
        detail: str = "",
    ) -> None:
        """Count one answer; a disagreement is also a Difference."""
        t = self.tallies.setdefault((reader, question), Tally())
        t.total += 1
        if agree:
            t.agree += 1
        else:
            self.differences.append(Difference(id_, reader, question, category or question, detail))


def runtime_view(a: Analysis, runtime: str) -> tuple[Finding, ...] | None:
    """agentls's findings about ``runtime`` (an id of core/catalog/runtimes.yaml) on the
    analysed file, or None when agentls does not think that runtime reads the path."""
    for view in a.readers:
        if view.runtime == runtime:
            return view.findings
    return None


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def known(package_dir: Path) -> Known:
    return known_differences(package_dir / "known_differences.yaml")


def _as_compare(d: Difference) -> compare.Difference:
    """The shape compare.Known matches (by question, category prefix and id)."""
    return compare.Difference("", "", d.reader, d.id, "", d.question, d.category, d.detail)


def unexpected(c: Comparison, k: Known) -> list[Difference]:
    return [d for d in c.differences if not k.covers(_as_compare(d))]


def stale_entries(c: Comparison, k: Known) -> list[object]:
    diffs = [_as_compare(d) for d in c.differences]
    return [e for e in k.entries if not any(Known([e]).covers(d) for d in diffs)]


def assert_known(c: Comparison, package_dir: Path) -> None:
    """Every difference is listed with a reason, and every listed one still occurs."""
    k = known(package_dir)
    new = unexpected(c, k)
    lines = "\n".join(f"  {d.question}/{d.category}: {d.id}: {d.detail}" for d in new[:20])
    assert not new, (
        f"{len(new)} differences from {c.runtime} {c.version} not in "
        f"{package_dir.name}/known_differences.yaml:\n{lines}"
    )
    old = stale_entries(c, k)
    assert not old, f"known differences that no longer occur (remove them): {old}"
