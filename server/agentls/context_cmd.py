"""`agentls context`: the listings Claude Code puts into every request, exactly as the model
receives them, with each entry's size (issue 14); and the project totals of `check
--statistics`."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from typing import Any, TextIO

from agentls.core import listing
from agentls.core.analysis import Analysis
from agentls.core.cost import (
    AGENTS_HEAD,
    TOKENS_NOTE,
    Cost,
    Listings,
    Project,
    build,
    project_of,
)
from agentls.core.dialects import CLAUDE_FILES
from agentls.core.settings import Settings
from agentls.core.text import js_len
from agentls.core.workspace import Index, project_roots, read_head, user_dirs
from agentls.core.workspace_checks import needs_listings


def index_of(roots: Sequence[str]) -> Index:
    """The index of ``roots`` and of the user's Claude Code folders."""
    index = Index(list(roots))
    for root in [*roots, *(d for d in user_dirs() if os.path.isdir(d))]:
        index.scan(root)
    return index


def projects(
    paths: Sequence[str], settings: Settings, index: Index | None = None
) -> list[tuple[str, Project]]:
    """Each project under ``paths`` with Claude Code files (its `.claude/` folder's parent),
    with its listings (the user's skills, commands and agents included); ``index``: one made
    already (the check's), else the projects of ``paths`` are indexed."""
    index = index if index is not None else index_of(project_roots(paths))
    home = os.path.expanduser("~")
    found = sorted(
        {
            p
            for path, e in index.by_path.items()
            if e.dialect in CLAUDE_FILES and (p := project_of(path)) is not None and p != home
        }
    )
    listings = Listings(read_head)
    return [(p, listings.of(p, index, settings)) for p in found]


def _budget_line(p: Project, version: str) -> str:
    s = p.skills
    state = "over" if s.over else "within"
    return (
        f"{len(s.entries)} entries, {s.total:,} of a {s.budget:,} budget ({state}; "
        f"Claude Code {version}, per description at most "
        f"{f'{s.limit:,}' if s.limit else 'unlimited'})"
    )


def to_json(root: str, p: Project, settings: Settings) -> dict[str, Any]:
    def rel(path: str | None) -> str | None:
        return os.path.relpath(path, root) if path else None

    return {
        "project": root,
        "claude_version": str(settings.claude_version),
        "skills": {
            "text": listing.HEADING + p.skills.text,
            "total": p.skills.total,
            "budget": p.skills.budget,
            "over": p.skills.over,
            "limit": p.skills.limit,
            "entries": [
                {
                    "name": e.item.name,
                    "path": rel(e.item.path),
                    "source": e.item.source,
                    "status": e.status,
                    "reason": e.reason,
                    "chars": e.chars,
                    "size": e.size,
                }
                for e in p.skills.entries
            ],
        },
        "agents": {
            "text": AGENTS_HEAD + p.agents_text,
            "entries": [{"path": rel(path), "chars": js_len(line)} for path, line in p.agents],
        },
        "totals": p.totals(),
    }


def cmd_context(args: argparse.Namespace, out: TextIO, err: TextIO, settings: Settings) -> int:
    found = projects(args.paths or ["."], settings)
    if args.format == "json":
        docs = [to_json(root, p, settings) for root, p in found]
        print(json.dumps(docs, indent=2, ensure_ascii=False), file=out)
        return 0
    if not found:
        print("no Claude Code skills, commands or agents found", file=err)
        return 0
    for root, p in found:
        if args.raw:  # exactly what the model receives, nothing else
            out.write(listing.HEADING + p.skills.text + "\n\n" + AGENTS_HEAD + p.agents_text)
            out.write("\n")
            continue
        t = p.totals()
        print(
            f"# {root}: the skill listing, {_budget_line(p, str(settings.claude_version))}",
            file=out,
        )
        print(listing.HEADING + p.skills.text, file=out)
        print(
            f"\n# the agent listing: the project's and the user's {t['agents']} agents, "
            f"{t['agent_listing_chars']:,} characters (no budget; Claude Code also lists its "
            "built-in agents, and agentls approximates each `(Tools: …)`)",
            file=out,
        )
        print(AGENTS_HEAD + p.agents_text, file=out)
        print("\n# sizes (characters as Claude Code counts them; status)", file=out)
        for e in p.skills.entries:
            where = os.path.relpath(e.item.path, root) if e.item.path else e.item.source
            why = f" ({e.reason})" if e.reason else ""
            print(f"{e.size:>8,}  {e.status + why:<18} {where}", file=out)
        for path, line in p.agents:
            print(f"{js_len(line):>8,}  {'agent':<18} {os.path.relpath(path, root)}", file=out)
        print(
            f"# in every request: {t['chars']:,} characters, ≈ {t['tokens']:,} tokens "
            f"({TOKENS_NOTE.format(t['bytes_per_token'])})",
            file=out,
        )
    return 0


def statistics(index: Index, settings: Settings, out: TextIO) -> None:
    """The project totals `check --statistics` adds, from the check's index."""
    for root, p in projects((), settings, index):
        t = p.totals()
        dropped = sum(1 for e in p.skills.entries if e.reason == "budget" and e.item.path)
        over = (
            f", over its {p.skills.budget:,} budget: {dropped} without (all of) their "
            f"description, {t['skill_listing_chars']:,} sent"
            if p.skills.over
            else f" of a {p.skills.budget:,} budget"
        )
        print(
            f"context {root}: {t['skills']} skills and commands, {p.skills.total:,} "
            f"characters{over}; {t['agents']} agents, {t['agent_listing_chars']:,} characters; "
            f"≈ {t['tokens']:,} tokens in every request",
            file=out,
        )


def cost_in_project(a: Analysis, settings: Settings) -> Cost | None:
    """What an analysed file costs in every request, within its project's listings (`explain`)."""
    if a.path is None or a.dialect is None or a.dialect.dialect not in CLAUDE_FILES:
        return None
    path = os.path.abspath(a.path)
    if not needs_listings(a, settings.budgets):
        return build([a], settings).cost(path)  # an agent's cost is its own line
    mine = project_of(path)
    index = index_of([os.path.join(mine, ".claude")] if mine else [])
    listings = Listings(read_head)
    listings.put(a, settings)
    if path not in index.by_path:  # a file the index does not name (a FIFO, a pattern's)
        return build([a], settings).cost(path)
    return listings.project(path, index, settings).cost(path)
