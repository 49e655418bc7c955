"""The shared regression corpus: no exception anywhere, and every error accounted for.

``expected_errors.json`` records the number of errors per code on the corpus; each one is
justified in docs/rules.md / the issue notes from formats.md. A change in the counts fails the
test until the file is updated on purpose (`AGENTLS_UPDATE_CORPUS=1 pytest tests/corpus`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from agentls.cli import iter_files, read_text
from agentls.core.analysis import analyze
from agentls.core.complete import complete
from agentls.core.findings import Severity
from agentls.core.hover import hover

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = Path(__file__).with_name("expected_errors.json")

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"regression corpus not found at {CORPUS}"
)


def test_every_corpus_file_analyses_and_errors_are_accounted_for() -> None:
    errors: Counter[str] = Counter()
    by_code: dict[str, list[str]] = {}
    dialects: Counter[str] = Counter()
    files = 0
    for path, match in iter_files([str(CORPUS)], None):
        text, extra = read_text(path)
        a = analyze(path, text, dialect=match, extra=extra)
        files += 1
        dialects[match.dialect] += 1
        for f in a.findings:
            assert 0 <= f.span.start <= f.span.end <= len(text)
            if f.severity == Severity.ERROR:
                errors[f.code] += 1
                by_code.setdefault(f.code, []).append(os.path.relpath(path, CORPUS))
        # completion and hover at every line start of the front matter must not raise
        if a.block is not None:
            for off in range(a.block.content.start, a.block.content.end, 97):
                complete(a, off)
                hover(a, off)
    assert files > 0
    got = {
        "files": files,
        "dialects": dict(sorted(dialects.items())),
        "errors": dict(sorted(errors.items())),
        "files_with_errors": by_code,
    }
    if os.environ.get("AGENTLS_UPDATE_CORPUS"):
        EXPECTED.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", "utf-8")
    expected = json.loads(EXPECTED.read_text("utf-8"))
    assert got == expected


def test_every_corpus_file_survives_as_an_agent() -> None:
    """Robustness: every file of the corpus, whatever it is, analysed as a Claude agent."""
    from agentls.core.dialects import DialectMatch

    forced = DialectMatch("claude-agent")
    count = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.stat().st_size > 4 * 1024 * 1024:
            continue
        text, _ = read_text(str(path))
        a = analyze(str(path), text, dialect=forced)
        for f in a.findings:
            assert 0 <= f.span.start <= f.span.end <= len(text)
        count += 1
    assert count > 1000
