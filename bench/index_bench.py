"""Workspace index benchmark: a synthetic 10,000-file workspace, scanned cold (n=5).

Usage: .venv/bin/python bench/index_bench.py [--files 10000]
Target (issue 5): index ready in <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from agentls.core.workspace import Index


def make(root: str, n: int) -> None:
    for i in range(n):
        d = os.path.join(root, f"pkg{i % 50}", f"sub{i % 7}")
        if i % 5 == 0:
            p, t = f"{d}/.claude/agents/agent{i}.md", f"---\nname: agent-{i}\ndescription: d\n---\n"
        elif i % 5 == 1:
            p, t = f"{d}/.claude/skills/skill{i}/SKILL.md", "---\ndescription: d\n---\n"
        else:
            p, t = f"{d}/src/file{i}.{('py', 'md', 'txt')[i % 3]}", "x = 1\n" * 20
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as fh:
            fh.write(t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as root:
        make(root, args.files)
        times, found = [], 0
        for _ in range(5):
            t = time.perf_counter()
            found = Index().scan(root)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"index of {args.files} files ({found} entities): median {statistics.median(times):.0f}"
            f" ms, max {max(times):.0f} ms (target <= 2000 ms)"
        )


if __name__ == "__main__":
    main()
