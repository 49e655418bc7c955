"""The stdio fuzzer with a fixed seed and a small budget (`make fuzz` runs it for 10 minutes)."""

from __future__ import annotations

from tests.fuzz.__main__ import run, summary
from tests.fuzz.lsp import Lines, check_range
from tests.fuzz.session import Options

SEED = 9
SESSIONS = 15
ABUSE = True  # a quarter of the sessions write protocol abuse frames (issue 9 §3)


def test_fuzz_fixed_seed() -> None:
    results = run(seconds=60, seed=SEED, jobs=1, opts=Options(abuse=ABUSE), sessions=SESSIONS)
    failures = [
        f"session {r.seed} ({r.encoding}): {f}\n  reproducer: {r.reproducer}"
        for r in results
        for f in r.failures
    ]
    assert not failures, summary(results) + "\n" + "\n".join(failures)


def test_lsp_lines_and_ranges() -> None:
    """The fuzzer's own position model: \\n, \\r\\n and \\r end lines, nothing else does."""
    text = "a\r\nb\rc\nd\u2028e\x85f\x0cg🚀"
    lines = Lines(text)
    assert lines.count == 4
    assert lines.line(3) == "d\u2028e\x85f\x0cg🚀"
    assert lines.position(len(text), "utf-16") == {"line": 3, "character": 9}
    assert lines.position(len(text), "utf-8") == {"line": 3, "character": 14}
    assert lines.position(2, "utf-8") == {"line": 0, "character": 1}  # inside \r\n: before it
    end = {"line": 3, "character": 8}
    assert check_range(lines, {"start": {"line": 0, "character": 0}, "end": end}, "utf-16")
    end = {"line": 0, "character": 2}
    assert check_range(lines, {"start": {"line": 0, "character": 0}, "end": end}, "utf-32")
