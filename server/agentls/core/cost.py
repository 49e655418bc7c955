"""What every agent, skill and command adds to each request Claude Code sends (issue 14).

Claude Code puts two listings into every request: the skills and commands (one entry each, cut
to a per-description limit and, past the listing's budget, to a bare name: agentls.core.listing)
and the agents (``- NAME: DESCRIPTION (Tools: …)``, every description whole: no budget). This
module turns analyses into those entries, builds a project's listings, and says what each file
costs and loses. The workspace checks (AGL805, AGL806), hover, CodeLens, ``agentls explain``,
``agentls context`` and ``check --statistics`` read it. Pure: the caller reads the files.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from agentls.core import listing
from agentls.core.dialects import CLAUDE_FILES, LISTED_DIALECTS
from agentls.core.findings import Finding
from agentls.core.settings import Budgets, Settings
from agentls.core.text import Span, js_len
from agentls.core.workspace import Index

if TYPE_CHECKING:
    from agentls.core.analysis import Analysis

AGENTS_HEAD = "Available agent types for the Agent tool:\n"
NO_BUDGETS = Budgets()  # the runtime's own
TOKENS_NOTE = "estimated as characters ÷ {} (the bytes per token Claude Code assumes)"


def listing_settings(
    budgets: Budgets, claude: listing.Settings | None = None, team: bool = False
) -> listing.Settings:
    """The listing's settings: Claude Code's own (``claude``: from its settings files), the
    config's ``budgets.model`` on top; with ``team``, the team's limits in place of its budget."""
    out = claude or listing.Settings()
    if budgets.model:
        out = out._replace(model=budgets.model)
    if team:
        if budgets.skill_listing is not None:
            out = out._replace(env_budget=str(budgets.skill_listing))
        if budgets.skill_description is not None:
            out = out._replace(max_desc=budgets.skill_description)
    return out


_READ: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}  # path -> (mtime, size), data


def _json_file(path: str) -> dict[str, Any]:
    """A settings file's object ({} if absent or not JSON), read again only when its
    modification time or size changed (the listings ask on every edit of a skill)."""
    try:
        st = os.stat(path)
    except OSError:
        _READ.pop(path, None)
        return {}
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _READ.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        data = {}
    _READ[path] = (stamp, data if isinstance(data, dict) else {})
    return _READ[path][1]


CLAUDE_SETTINGS = ("settings.json", "settings.local.json")


def claude_settings(project: str | None, home: str | None = None) -> listing.Settings:
    """What Claude Code's settings files say of the listing (read as data, never run): the
    user's `~/.claude/settings.json`, then the project's `.claude/settings.json` and
    `.claude/settings.local.json`, each over the one before; their ``env`` too."""
    files = [os.path.join(home or os.path.expanduser("~"), ".claude", "settings.json")]
    if project is not None:
        files += [os.path.join(project, ".claude", n) for n in CLAUDE_SETTINGS]
    merged: dict[str, Any] = {}
    env: dict[str, Any] = {}
    for f in files:
        data = _json_file(f)
        if isinstance(data.get("env"), dict):
            env.update(data["env"])
        merged.update({k: v for k, v in data.items() if k != "env"})

    def number(v: Any) -> float | None:
        return v if isinstance(v, int | float) and not isinstance(v, bool) else None

    overrides = merged.get("skillOverrides")
    model = env.get("ANTHROPIC_MODEL") or merged.get("model")
    budget = env.get("SLASH_COMMAND_TOOL_CHAR_BUDGET")
    max_desc = number(merged.get("skillListingMaxDescChars"))
    name_only = (
        frozenset(k for k, v in overrides.items() if v == "name-only")
        if isinstance(overrides, dict)
        else frozenset()
    )
    return listing.Settings(
        fraction=number(merged.get("skillListingBudgetFraction")),
        max_desc=int(max_desc) if max_desc is not None else None,
        env_budget=str(budget) if budget is not None else None,
        model=model if isinstance(model, str) else None,
        disable_1m=bool(env.get("CLAUDE_CODE_DISABLE_1M_CONTEXT")),
        name_only=name_only,
    )


def project_of(path: str) -> str | None:
    """The folder whose `.claude/` holds ``path`` (None: not under a `.claude` folder)."""
    parts = path.split(os.sep)
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == ".claude":
            return os.sep.join(parts[:i]) or os.sep
    return None


def item_of(a: Analysis, settings: Settings) -> listing.Item | None:
    """The listing entry of a Claude skill or command (None: other files, or not listed)."""
    if a.dialect is None or a.dialect.dialect not in LISTED_DIALECTS or a.dialect.plugin:
        return None
    source: listing.Source = "user" if a.dialect.scope == "user" else "project"
    return listing.item_from(a, settings.claude_version, source)


def tools_listed(a: Analysis) -> str:
    """The ``(Tools: …)`` of an agent's entry: ``All tools`` without ``tools``, else the
    tools it gets as written (ignored entries left out; an approximation of the runtime's)."""
    from agentls.core.verdict import _tools

    t = _tools(a) if a.root is not None and a.runtime_loaded else None
    if t is None:
        return "All tools"
    ignored = set(t["ignored"])
    return ", ".join(x for x in t["written"] if x not in ignored) or "All tools"


def agent_line(a: Analysis) -> str | None:
    """An agent's entry in the agent listing (None: not a Claude agent, or not listed)."""
    if a.dialect is None or a.dialect.dialect != "claude-agent" or a.root is None:
        return None
    e = a.root.get("name")
    from agentls.core.yamltree import YScalar

    name = e.value.value if e is not None and isinstance(e.value, YScalar) else None
    desc = a.description()
    if not isinstance(name, str) or not name or desc is None:
        return None
    return f"- {name}: {desc} (Tools: {tools_listed(a)})"


class Cost(NamedTuple):
    """What one file adds to every request."""

    kind: str  # agent | skill | command
    line: str  # its entry, as the model receives it
    chars: int  # characters (UTF-16 code units) of the entry and its line break
    tokens: int  # approximate
    per_token: int  # the divisor of the approximation
    status: str  # whole | cut | dropped | name-only (skills, commands); listed (agents)

    def lens(self) -> str:
        """A CodeLens title: short."""
        what = {"cut": ", description cut", "dropped": ", listed without its description"}
        return (
            f"≈ {self.tokens:,} tokens in every request ({self.chars:,} characters"
            f"{what.get(self.status, '')})"
        )

    def summary(self) -> str:
        what = {
            "cut": " (its description cut)",
            "dropped": " (listed by name only: its description is over the budget)",
        }.get(self.status, "")
        return (
            f"≈ {self.tokens:,} tokens ({self.chars:,} characters) in every request{what}; "
            + TOKENS_NOTE.format(self.per_token)
        )


def tokens(chars: int, per_token: int) -> int:
    return math.ceil(chars / per_token) if chars else 0


class Project:
    """The listings of one project: what Claude Code started there puts in every request."""

    __slots__ = ("_entries", "_team_entries", "agents", "budgets", "skills", "team")

    def __init__(
        self,
        skills: listing.Listing,
        agents: tuple[tuple[str, str], ...],  # (path, entry), in the listing's order
        team: listing.Listing | None = None,  # the skills under the team's budget, if one is set
        budgets: Budgets = NO_BUDGETS,
    ) -> None:
        self.skills = skills
        self.agents = agents
        self.team = team
        self.budgets = budgets
        self._entries: dict[str | None, listing.Entry] | None = None
        self._team_entries: dict[str | None, listing.Entry] | None = None

    @property
    def agents_text(self) -> str:
        return "\n".join(line for _, line in self.agents)

    def entry(self, path: str) -> listing.Entry | None:
        if self._entries is None:
            self._entries = {e.item.path: e for e in reversed(self.skills.entries)}
        return self._entries.get(path)

    def team_entry(self, path: str) -> listing.Entry | None:
        if self._team_entries is None:
            entries = self.team.entries if self.team else ()
            self._team_entries = {e.item.path: e for e in reversed(entries)}
        return self._team_entries.get(path)

    def cost(self, path: str) -> Cost | None:
        per = self.skills.bytes_per_token
        for p, line in self.agents:
            if p == path:
                n = js_len(line) + 1
                return Cost("agent", line, n, tokens(n, per), per, "listed")
        e = self.entry(path)
        if e is None:
            return None
        n = e.chars + 1
        return Cost(e.item.kind, e.line, n, tokens(n, per), per, e.status)

    def totals(self) -> dict[str, int]:
        skills = self.skills.chars
        agents = js_len(self.agents_text)
        per = self.skills.bytes_per_token
        return {
            "skills": sum(1 for e in self.skills.entries if e.item.path is not None),
            "skill_listing_chars": skills,
            "skill_listing_budget": self.skills.budget,
            "agents": len(self.agents),
            "agent_listing_chars": agents,
            "chars": skills + agents,
            "tokens": tokens(skills + agents, per),
            "bytes_per_token": per,
        }


class Part(NamedTuple):
    """What one file puts into the listings: a skill or command entry, or an agent's line."""

    path: str
    item: listing.Item | None = None
    agent: str | None = None


def part_of(a: Analysis, settings: Settings) -> Part | None:
    """One analysed file's part of the listings (None: it has none)."""
    if a.path is None:
        return None
    path = os.path.abspath(a.path)  # as the index names files
    item = item_of(a, settings)
    if item is not None:
        return Part(path, item=item._replace(path=path))
    line = agent_line(a)
    return Part(path, agent=line) if line is not None else None


def build(
    analyses: Iterable[Analysis], settings: Settings, claude: listing.Settings | None = None
) -> Project:
    """The listings of the given analyses (one project's, with the user's files), under
    Claude Code's settings ``claude`` (:func:`claude_settings`)."""
    parts = (part_of(a, settings) for a in analyses)
    return build_parts([p for p in parts if p is not None], settings, claude)


def build_parts(
    parts: Sequence[Part], settings: Settings, claude: listing.Settings | None = None
) -> Project:
    items = [p.item for p in parts if p.item is not None]
    agents = sorted(((p.path, p.agent) for p in parts if p.agent is not None), key=lambda x: x[1])
    version = settings.claude_version
    skills = listing.build(items, version, listing_settings(settings.budgets, claude))
    team = None
    if settings.budgets.skill_listing or settings.budgets.skill_description:
        team = listing.build(items, version, listing_settings(settings.budgets, claude, True))
    return Project(skills, tuple(agents), team, settings.budgets)


# ------------------------------------------------------------------ findings


def _span(a: Analysis, entry: listing.Entry) -> Span:
    lost = listing.lost_span(a, entry)
    if lost is not None:
        return Span(*lost)
    e = a.root.get("description") if a.root is not None else None
    if e is not None:
        v = e.value
        return v.span if v is not None and v.span.end > v.span.start else e.key.span
    if a.block is not None:
        return a.block.open_span
    return Span(0, 0)


def _over(lst: listing.Listing, who: str) -> str:
    return f"The skill listing is {lst.total:,} characters, over {who} {lst.budget:,} budget"


class Cause(NamedTuple):
    """Why the model does not see a file's description whole: the listings alone say it."""

    code: str  # AGL805 (a budget), AGL806 (its own limit), AGL807 (the team's agent budget)
    entry: listing.Entry | None = None  # the skill's or command's entry (AGL805, AGL806)
    listing: listing.Listing | None = None  # the listing it is in: the runtime's or the team's
    runtime: bool = True  # the runtime's budget or limit (False: the team's)


def causes(path: str, project: Project) -> list[Cause]:
    """What :func:`findings` reports for the file at ``path`` (absolute), without reading
    it: none for most files, so that a check need not analyse them again."""
    out: list[Cause] = []
    e = project.entry(path)
    if e is not None:
        if e.reason == "limit":
            out.append(Cause("AGL806", e, project.skills))
        elif e.reason == "budget":
            out.append(Cause("AGL805", e, project.skills))
        elif project.team is not None:
            t = project.team_entry(path)
            if t is not None and t.reason == "budget":
                out.append(Cause("AGL805", t, project.team, runtime=False))
    limit = project.budgets.agent_listing
    if limit is not None:
        total = 0
        for p, line in project.agents:
            total += js_len(line) + 1
            if p == path:
                if total > limit:
                    out.append(Cause("AGL807", runtime=False))
                break
    return out


def findings(a: Analysis, project: Project) -> list[Finding]:
    """AGL805 for a skill or command whose description the model does not see whole because
    of the listing's budget (Claude Code's, or the team's), AGL806 where its own description
    passes the per-description limit; AGL807 for an agent past the team's agent budget."""
    from agentls.core.codes import CODES

    out: list[Finding] = []
    if a.path is None:
        return out
    for c in causes(os.path.abspath(a.path), project):
        e, lst = c.entry, c.listing
        if c.code == "AGL806" and e is not None:
            lost = js_len(e.item.text) - js_len(e.item.text[: e.shown])
            out.append(
                Finding(
                    "AGL806",
                    CODES["AGL806"].severity,
                    _span(a, e),
                    f"Claude Code lists the first {e.shown:,} characters of this description and "
                    f"`…` (its limit is {project.skills.limit:,}): the model never sees the last "
                    f"{lost:,}. Put what tells Claude when to use the skill first.",
                    {"limit": project.skills.limit, "lost": lost},
                )
            )
        elif c.code == "AGL805" and e is not None and lst is not None:
            who = "Claude Code's" if c.runtime else "the team's"
            out.append(_budget_finding(a, e, lst, who, c.runtime))
        elif c.code == "AGL807":
            e_desc = a.root.get("description") if a.root is not None else None
            out.append(
                Finding(
                    "AGL807",
                    CODES["AGL807"].severity,
                    e_desc.key.span if e_desc is not None else Span(0, 0),
                    f"The agent listing is {js_len(project.agents_text):,} characters, over "
                    f"the team's {project.budgets.agent_listing:,} budget "
                    "(budgets.agentListing); Claude Code sends every agent's description whole "
                    "in every request.",
                    {"budget": project.budgets.agent_listing},
                )
            )
    return out


def _budget_finding(
    a: Analysis, e: listing.Entry, lst: listing.Listing, who: str, runtime: bool
) -> Finding:
    from agentls.core.codes import CODES

    if e.status == "dropped":
        effect = (
            "this skill is listed without its description, so Claude cannot tell when to use it"
        )
        if not runtime:
            effect = "this skill's description does not fit in it"
    else:
        effect = f"its description is cut to {e.shown:,} characters"
    source = "" if runtime else " (budgets.skillListing)"
    return Finding(
        "AGL805",
        CODES["AGL805"].severity,
        _span(a, e),
        f"{_over(lst, who)}{source}: {effect}.",
        {"total": lst.total, "budget": lst.budget, "status": e.status, "runtime": runtime},
    )


class Listings:
    """The projects' listings over a workspace index: each skill, command and agent read once
    (only its part of the listings is kept, not its text or analysis, so memory stays small on
    large trees) until :meth:`put` gives its new analysis or :meth:`forget` says it changed on
    disk; each project's listings built once until one of its parts, the index or Claude
    Code's settings files change. ``read`` gives a file's text."""

    def __init__(self, read: Callable[[str], str | None]) -> None:
        self.read = read
        self._parts: dict[str, tuple[Settings, Part | None]] = {}
        self._changes = 0  # how often a kept part changed: a built project holds until it does
        self._groups: tuple[int, int, dict[tuple[str | None, bool], list[str]]] | None = None
        self._built: dict[
            tuple[str | None, bool], tuple[tuple[Any, ...], tuple[Any, ...], Project]
        ] = {}

    def put(self, a: Analysis, settings: Settings) -> bool:
        """Take a file's part from an analysis made elsewhere (the editor's, the check's);
        whether it differs from the part kept before (the listings changed)."""
        if a.path is None:
            return False
        return self.keep(os.path.abspath(a.path), settings, part_of(a, settings))

    def keep(self, path: str, settings: Settings, part: Part | None) -> bool:
        """Take the part of the file at ``path`` (absolute) made elsewhere (by a check's
        worker process, say; an empty part: none); whether it differs from the part kept
        before."""
        if part is not None and part.item is None and part.agent is None:
            part = None
        before = self._parts.get(path)
        self._parts[path] = (settings, part)
        changed = before != (settings, part)
        self._changes += changed
        return changed

    def forget(self, path: str) -> None:
        """``path`` changed on disk (or closed in the editor): read it again when needed."""
        if self._parts.pop(path, None) is not None:
            self._changes += 1

    def part(self, path: str, settings: Settings) -> Part | None:
        hit = self._parts.get(path)
        if hit is not None and hit[0] == settings:
            return hit[1]
        text = self.read(path)
        part = None
        if text is not None:  # the file's own tool is what lists it: no other readers
            from agentls.core.analysis import analyze

            part = part_of(analyze(path, text, settings, readers=False), settings)
        self.keep(path, settings, part)
        return part

    def _members(self, index: Index, mine: str | None, home: str, agents: bool) -> list[str]:
        """The index's Claude files of project ``mine`` and the user's (without the agents
        unless ``agents``), grouped once per state of the index."""
        if self._groups is None or self._groups[:2] != (id(index), index.generation):
            groups: dict[tuple[str | None, bool], list[str]] = {}
            for p, e in index.by_path.items():
                if e.dialect in CLAUDE_FILES:
                    groups.setdefault((project_of(p), e.dialect == "claude-agent"), []).append(p)
            self._groups = (id(index), index.generation, groups)
        groups = self._groups[2]
        out: list[str] = []
        for project in (mine,) if mine == home else (mine, home):
            for agent in (False, True) if agents else (False,):
                out += groups.get((project, agent), [])
        return out

    def project(self, path: str, index: Index, settings: Settings, agents: bool = True) -> Project:
        """The listings of the project ``path`` is in: its own skills, commands and agents
        and the user's (``agents=False``: without the agent listing, which only AGL807 and
        the cost of agents read)."""
        return self.of(project_of(os.path.abspath(path)), index, settings, agents)

    def of(
        self, mine: str | None, index: Index, settings: Settings, agents: bool = True
    ) -> Project:
        """The listings of project ``mine`` (the folder of its `.claude/`)."""
        home = os.path.expanduser("~")
        claude = claude_settings(None if mine == home else mine)
        hit = self._built.get((mine, agents))
        if hit is not None and hit[0] == self._stamp(index, settings, claude):
            return hit[2]  # no part, indexed file or setting changed since
        found = [self.part(p, settings) for p in self._members(index, mine, home, agents)]
        parts = tuple(p for p in found if p is not None)
        key = (settings, claude, parts)
        if hit is None or hit[1] != key:
            hit = ((), key, build_parts(parts, settings, claude))
        self._built[(mine, agents)] = (self._stamp(index, settings, claude), key, hit[2])
        return hit[2]

    def _stamp(self, index: Index, settings: Settings, claude: listing.Settings) -> tuple[Any, ...]:
        return (id(index), index.generation, self._changes, settings, claude)
