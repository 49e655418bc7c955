"""Workspace index benchmark: a synthetic 10,000-file workspace, scanned cold (n=5).

Usage: .venv/bin/python bench/index_bench.py [--files 10000] [--body-kb 0]
Target (issue 5): index ready in <= 2 s.

This times ``Index().scan()`` in process. ``bench/index_edit_bench.py`` starts the real server
on the same workspace (see :func:`make`) and times edits while the server scans it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

BODY_LINE = (
    "- Review the change for correctness, error handling and test coverage; report each finding"
    " with its file, line and a concrete fix.\n"
)


def body(n_bytes: int) -> str:
    """About ``n_bytes`` of Markdown body (headings and bullet lines)."""
    if n_bytes <= 0:
        return ""
    out, size, k = [], 0, 0
    while size < n_bytes:
        line = f"\n## Section {k}\n\n" if k % 8 == 0 else BODY_LINE
        out.append(line)
        size += len(line)
        k += 1
    return "".join(out)


def make(root: str, n: int, body_bytes: int = 0) -> None:
    """``n`` files under ``root``: 20 % agents, 20 % skills, the rest other source files.

    With ``body_bytes`` 0 (the default) the agents and skills are a bare front matter and the
    other files are 120 bytes. Otherwise every agent and skill has a realistic front matter
    (name, description, tools, model) followed by about ``body_bytes`` of Markdown, and the
    other files are about ``body_bytes`` long too.
    """
    text = body(body_bytes)
    for i in range(n):
        d = os.path.join(root, f"pkg{i % 50}", f"sub{i % 7}")
        if i % 5 == 0:
            p = f"{d}/.claude/agents/agent{i}.md"
            if body_bytes:
                t = (
                    f"---\nname: agent-{i}\ndescription: Use this agent to review changes to"
                    f" package {i % 50}, module {i % 7}.\ntools: Read, Grep, Glob, Bash\n"
                    f"model: sonnet\n---\n\nYou are the reviewer of package {i % 50}.\n{text}"
                )
            else:
                t = f"---\nname: agent-{i}\ndescription: d\n---\n"
        elif i % 5 == 1:
            p = f"{d}/.claude/skills/skill{i}/SKILL.md"
            if body_bytes:
                t = (
                    f"---\nname: skill{i}\ndescription: Build and test package {i % 50}; use"
                    f" when the user asks to build it.\n---\n\n# Skill {i}\n{text}"
                )
            else:
                t = "---\ndescription: d\n---\n"
        else:
            p = f"{d}/src/file{i}.{('py', 'md', 'txt')[i % 3]}"
            t = "x = 1\n" * max(20, body_bytes // 6)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as fh:
            fh.write(t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--body-kb", type=float, default=0, help="body of each agent/skill, in KB")
    args = ap.parse_args()
    from agentls.core.workspace import Index  # here: index_edit_bench.py imports make() only

    with tempfile.TemporaryDirectory() as root:
        make(root, args.files, int(args.body_kb * 1024))
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
