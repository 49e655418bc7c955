"""The skill listing and its budget, recorded on the real Claude Code (issue 14).

``python -m tests.conformance.budget record [--version V...] [--only ID...]`` runs each scenario
below on the pinned versions (fresh HOME, the stand-in, the budget NOT lifted: only the scenarios
that test ``SLASH_COMMAND_TOOL_CHAR_BUDGET`` set it) and writes
``recordings/claude-code/<version>/budget.jsonl``: per scenario its parameters, the skill listing
exactly as the first request carries it (everything after ``The following skills are available
for use with the Skill tool:\\n\\n`` in that text block) and the debug log's
``Skill listing over budget: N skills, X chars > Y budget`` numbers. ``check`` records again,
writes nothing and fails on a change. ``test_budget.py`` replays the recordings through
``agentls.core.listing`` (byte for byte).

A scenario is a deterministic function of its id and ``params`` (stored in the row), so the
replay regenerates the files; only the sizes a scenario derives from the version's built-in
skills (``exact``/``over``) are computed at record time and kept in ``params``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance.listing import SKILLS_HEAD, texts
from tests.conformance.versions import CLAUDE_CODE_VERSIONS, LATEST

RECORDINGS = Path(__file__).resolve().parent / "recordings" / "claude-code"
OVER = re.compile(r"Skill listing over budget: (\d+) skills, (\d+) chars > (\d+) budget")
AGENTS_HEAD = "Available agent types for the Agent tool:\n"

LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua "
)


def filler(n: int, seed: str, alphabet: str = LOREM) -> str:
    """``seed`` then the alphabet repeated, ``n`` characters (code points) in all."""
    text = seed + alphabet * (n // max(1, len(alphabet)) + 2)
    return text[:n].rstrip() + ("x" * (n - len(text[:n].rstrip())))


def skill_md(name: str, description: str, when: str | None = None) -> str:
    # a double-quoted YAML scalar: any text, written as JSON (valid YAML)
    lines = ["---", f"name: {name}", f"description: {json.dumps(description, ensure_ascii=False)}"]
    if when is not None:
        lines.append(f"when_to_use: {json.dumps(when, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "body", ""])


def command_md(description: str) -> str:
    return f"---\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\nbody\n"


@dataclass
class Layout:
    """The files of one run: ``project`` and ``home`` relative paths -> text, in write order."""

    project: dict[str, str] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] | None = None  # the project's .claude/settings.json
    env: dict[str, str] = field(default_factory=dict)
    plugin: dict[str, str] = field(default_factory=dict)  # `--plugin-dir` PLUGIN (myplug)

    def skill(
        self, name: str, description: str, when: str | None = None, user: bool = False
    ) -> None:
        where = self.home if user else self.project
        where[f".claude/skills/{name}/SKILL.md"] = skill_md(name, description, when)

    def command(self, path: str, description: str, user: bool = False) -> None:
        where = self.home if user else self.project
        where[f".claude/commands/{path}.md"] = command_md(description)


def _many(lay: Layout, n: int = 120, size: int = 1000) -> None:
    for i in range(n):
        lay.skill(f"skill-{i:03d}", filler(size, f"Skill number {i}. "))


# ------------------------------------------------------------------------------ scenarios


def s_order(lay: Layout, p: dict[str, Any]) -> None:
    """Which entries, in what order: user and project skills, project and user commands."""
    for n in ["zeta", "alpha", "Mid", "beta-2", "b_x", "b-y", "b1", "B2", "a.b", "_u"]:
        lay.skill(n, f"project skill {n}")
    lay.project[".claude/skills/dirx/SKILL.md"] = skill_md(
        "other-name", "folder and name differ", "when testing the order"
    )
    for c in ["z-pcmd", "a-pcmd", "M-pcmd", "sub/c-pcmd"]:
        lay.command(c, f"project command {c}")
    for n in ["zz-user", "aa-user"]:
        lay.skill(n, f"user skill {n}", user=True)
    lay.command("a-ucmd", "user command a", user=True)
    lay.command("zz-ucmd", "user command zz", user=True)


def s_many(lay: Layout, p: dict[str, Any]) -> None:
    """120 skills of ~1,000 characters (the issue's project), the default budget."""
    _many(lay, p.get("n", 120))
    if "fraction" in p:
        lay.settings = {"skillListingBudgetFraction": p["fraction"]}
    if "env_budget" in p:
        lay.env["SLASH_COMMAND_TOOL_CHAR_BUDGET"] = str(p["env_budget"])
    if "model" in p:
        lay.env["ANTHROPIC_MODEL"] = p["model"]
    if "name_only" in p:  # skillOverrides: listed by name only, whatever the budget
        lay.settings = {"skillOverrides": {n: "name-only" for n in p["name_only"]}}
    if "env" in p:
        lay.env.update(p["env"])
    if "max_desc" in p:
        lay.settings = {**(lay.settings or {}), "skillListingMaxDescChars": p["max_desc"]}


def s_firstfit(lay: Layout, p: dict[str, Any]) -> None:
    """A long description that does not fit, then short ones that still do (or not)."""
    for i in range(p.get("n", 24)):
        lay.skill(f"a-{i:02d}", filler(1000, f"Early skill {i}. "))
    lay.skill("m-long", filler(1500, "The long one. "))
    for i in range(20):
        lay.skill(f"z-short-{i:02d}", f"short skill {i}")
    if "env_budget" in p:
        lay.env["SLASH_COMMAND_TOOL_CHAR_BUDGET"] = str(p["env_budget"])


def s_edge(lay: Layout, p: dict[str, Any]) -> None:
    """Filled to ``p["pad"]`` so that the total is exactly the (env) budget, or one more."""
    lay.env["SLASH_COMMAND_TOOL_CHAR_BUDGET"] = str(p["env_budget"])
    for i in range(10):
        lay.skill(f"edge-{i:02d}", filler(900, f"Edge skill {i}. "))
    pad, k = int(p["pad"]), int(p["pads"])
    for j in range(k):  # under the per-description limit each
        lay.skill(f"edge-pad-{j}", filler(pad // k + (1 if j < pad % k else 0), f"Pad {j}. "))


def s_cap(lay: Layout, p: dict[str, Any]) -> None:
    """Single descriptions over their own limit: alone, with when_to_use, multi-byte at the cut."""
    lay.skill("cap-long", filler(2000, "Long description. "))
    lay.skill("cap-when", filler(1400, "Described. "), filler(300, "When to use. "))
    lay.skill("cap-edge", filler(1533, "Edge. ") + "\U0001f600\U0001f600" + "tail")
    lay.skill("cap-exact", filler(1536, "Exactly at the limit. "))
    lay.skill("cap-over1", filler(1537, "One over the limit. "))
    lay.skill("cap-250", filler(250, "Two hundred fifty. "))
    lay.skill("cap-251", filler(251, "Two hundred fifty-one. "))
    lay.command("cap-cmd", filler(1800, "A long command. "))


CJK = "日本語の説明文字列漢字"
COMBINING = "e\u0301a\u0300o\u0302 "


def s_wide(lay: Layout, p: dict[str, Any]) -> None:
    """Wide (CJK), emoji and combining characters: is the budget in width, length or bytes?"""
    for i in range(p.get("n", 60)):
        alphabet = {0: CJK, 1: COMBINING, 2: "\U0001f600\U0001f680 ab"}[i % 3]
        lay.skill(f"wide-{i:02d}", filler(p.get("size", 300), f"W{i} ", alphabet))
    if "env_budget" in p:
        lay.env["SLASH_COMMAND_TOOL_CHAR_BUDGET"] = str(p["env_budget"])


def s_agents(lay: Layout, p: dict[str, Any]) -> None:
    """150 agents of ~1,700 characters: no budget (the agent listing is not recorded in full)."""
    for i in range(150):
        desc = filler(1700, f"Agent number {i}. ")
        lay.project[f".claude/agents/agent-{i:03d}.md"] = (
            f"---\nname: agent-{i:03d}\ndescription: {json.dumps(desc)}\n---\nbody\n"
        )


PLUGIN = "myplug"


def s_plugin(lay: Layout, p: dict[str, Any]) -> None:
    """A plugin (`--plugin-dir`) with skills and commands, next to the user's and project's."""
    lay.plugin[".claude-plugin/plugin.json"] = json.dumps(
        {"name": PLUGIN, "version": "1.0.0", "description": "a plugin"}
    )
    size = p.get("size", 20)
    for n in ["zz-plug", "aa-plug", "Mm-plug"]:
        lay.plugin[f"skills/{n}/SKILL.md"] = skill_md(n, filler(size, f"plugin skill {n} "))
    for c in ["zz-pcmd", "aa-pcmd"]:
        lay.plugin[f"commands/{c}.md"] = command_md(filler(size, f"plugin command {c} "))
    for n in ["mm-proj", "aa-proj"]:
        lay.skill(n, filler(size, f"project skill {n} "))
    lay.command("bb-cmd", filler(size, "project command "))
    lay.command("zz-cmd", filler(size, "project command "))
    lay.skill("uu-user", filler(size, "user skill "), user=True)
    if "env_budget" in p:
        lay.env["SLASH_COMMAND_TOOL_CHAR_BUDGET"] = str(p["env_budget"])


SCENARIOS: dict[str, Callable[[Layout, dict[str, Any]], None]] = {
    "plugin": s_plugin,
    "order": s_order,
    "many": s_many,
    "firstfit": s_firstfit,
    "edge": s_edge,
    "cap": s_cap,
    "wide": s_wide,
    "agents": s_agents,
}

# (row id, scenario, params); "edge" rows get their pad at record time
PLAN: list[tuple[str, str, dict[str, Any]]] = [
    ("order", "order", {}),
    ("many", "many", {}),
    ("many-fraction-0.02", "many", {"fraction": 0.02}),
    ("many-fraction-0.003", "many", {"fraction": 0.003}),
    ("many-env-12000", "many", {"env_budget": 12000}),
    ("many-max-desc-300", "many", {"max_desc": 300}),
    ("many-sonnet", "many", {"model": "sonnet"}),
    ("many-haiku", "many", {"model": "haiku"}),
    ("many-sonnet-1m", "many", {"model": "sonnet[1m]"}),
    ("many-claude-sonnet-4-5", "many", {"model": "claude-sonnet-4-5"}),
    ("many-claude-opus-4-6", "many", {"model": "claude-opus-4-6"}),
    ("many-claude-sonnet-4-5-1m", "many", {"model": "claude-sonnet-4-5[1m]"}),
    ("many-disable-1m", "many", {"env": {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}}),
    ("many-name-only", "many", {"name_only": ["skill-003", "skill-100"]}),
    ("firstfit", "firstfit", {}),
    ("firstfit-env", "firstfit", {"env_budget": 20000}),
    ("edge-exact", "edge", {"env_budget": 20000, "delta": 0}),
    ("edge-over", "edge", {"env_budget": 20000, "delta": 1}),
    ("cap", "cap", {}),
    ("wide", "wide", {}),
    ("wide-env", "wide", {"env_budget": 16000}),
    ("tiny", "many", {"n": 3, "env_budget": 100}),
    ("plugin", "plugin", {}),
    ("plugin-tight", "plugin", {"size": 400, "env_budget": 1200}),
    ("agents", "agents", {}),
]
LATEST_ONLY = {"agents"}


def layout(scenario: str, params: dict[str, Any]) -> Layout:
    lay = Layout()
    SCENARIOS[scenario](lay, params)
    return lay


# ------------------------------------------------------------------------------ running


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, "utf-8")


_LISTING_END = re.compile(r"\n\n(?!- )|\n</system-reminder>")


def listing_text(requests: list[dict[str, Any]]) -> str | None:
    """The listing: after the skills heading in the first text block that has it, up to the
    blank line (or the end of the system reminder) that ends it."""
    for body in requests:
        for t in texts(body):
            i = t.find(SKILLS_HEAD)
            if i >= 0:
                return trim(t[i + len(SKILLS_HEAD) :])
    return None


def trim(rest: str) -> str:
    m = _LISTING_END.search(rest)
    return rest[: m.start()] if m else rest


def agent_listing(requests: list[dict[str, Any]]) -> str | None:
    from tests.conformance.listing import agent_section

    for body in requests:
        s = agent_section(body)
        if s is not None:
            return s
    return None


def run_layout(version: str, lay: Layout) -> dict[str, Any]:
    from tests.conformance.runtime import run

    with tempfile.TemporaryDirectory(prefix="agentls-budget-") as tmp:
        project = Path(tmp) / "project"
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        _write(project, lay.project)
        if lay.settings is not None:
            _write(project, {".claude/settings.json": json.dumps(lay.settings)})
        args: list[str] = []
        if lay.plugin:
            plugin = Path(tmp) / "plugins" / PLUGIN
            _write(plugin, lay.plugin)
            args = ["--plugin-dir", str(plugin)]
        r = run(version, project, env=lay.env or None, home_files=lay.home, args=args)
        m = OVER.search(r.debug_log)
        return {
            "status": r.status,
            "seconds": round(r.seconds, 2),
            "listing": listing_text(r.requests),
            "over_budget": [int(m.group(i)) for i in (1, 2, 3)] if m else None,
            "agents": agent_listing(r.requests),
        }


def builtin_entries(version: str) -> str:
    """The listing of an empty project: the version's built-in skills."""
    return run_layout(version, Layout())["listing"] or ""


def _edge_pad(params: dict[str, Any], builtins: str) -> tuple[int, int]:
    """(pad, pad skills) that make the full listing exactly ``env_budget`` (+ delta) wide."""
    from agentls.core.listing import text_width

    block = builtins.split("\n\n")[0] if builtins else ""
    # the runtime adds the widths of the entries and one per separator (a line break inside
    # a built-in description is of width 0)
    base = text_width(block) + sum(1 for line in block.split("\n") if line.startswith("- "))
    target = int(params["env_budget"]) + int(params["delta"])
    for k in range(1, 50):
        lay = layout("edge", {**params, "pad": 0, "pads": k})
        names = [rel.split("/")[2] for rel in lay.project]
        fixed = sum(text_width(f"- {n}: ") + 1 for n in names)  # each entry and its separator
        fixed += 10 * 900
        pad = target - base - fixed + 1  # n entries, n - 1 separators
        if 0 < pad <= 1400 * k:
            return pad, k
    raise ValueError("no pad fits")


def record_version(version: str, only: Sequence[str] = ()) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    builtins = builtin_entries(version)
    rows.append({"id": "builtin", "scenario": None, "params": {}, "listing": builtins})
    for rid, scenario, params in PLAN:
        if only and rid not in only:
            continue
        if rid in LATEST_ONLY and version != LATEST:
            continue
        params = dict(params)
        if scenario == "edge":
            params["pad"], params["pads"] = _edge_pad(params, builtins)
        t0 = time.monotonic()
        row = {"id": rid, "scenario": scenario, "params": params}
        row.update(run_layout(version, layout(scenario, params)))
        if scenario != "agents":
            row.pop("agents")
        else:
            ag = row.pop("agents") or ""
            row["agents_chars"] = len(ag)
            row["agents_listed_full"] = sum(
                1 for i in range(150) if filler(1700, f"Agent number {i}. ") in ag
            )
            row.pop("listing")
        rows.append(row)
        print(f"{version} {rid}: {row.get('status')} {time.monotonic() - t0:.1f}s", file=sys.stderr)
    return rows


MODEL_ROWS = {"many": "default"} | {
    rid: str(params["model"]) for rid, _, params in PLAN if "model" in params
}


def observed(version: str) -> dict[str, Any]:
    """What the catalogue keeps of a recorded version: its built-in skills as listed, and
    the context window and bytes per token of each model the budget rows ran with."""
    from agentls.core.listing import Settings, context, rules
    from agentls.core.versions import Version
    from tests.conformance import recordings
    from tests.conformance.listing import skill_entries

    rows = {r["id"]: r for r in load(version)}
    meta, _ = recordings.load(version)
    names = [str(n) for n in meta.get("builtin_skills") or ()]
    text = (rows["builtin"]["listing"] or "").split("\n</system-reminder>")[0]
    entries = skill_entries(text, names) if names else []
    # the built-ins that keep their description whatever the budget are the bundled skills; the
    # others (init, review, security-review) are built-in commands, cut like the user's
    tiny = rows.get("tiny", {}).get("listing") or ""
    kept = {e.name for e in skill_entries(tiny, names) if e.description is not None}
    # a built-in listed before the plugin's entries is loaded with the plugins' commands
    # (deep-research, 2.1.162-2.1.217)
    plugin_listing = rows.get("plugin", {}).get("listing") or ""
    plugin = [e.name for e in skill_entries(plugin_listing, names, any_name=True)]
    first = next((k for k, x in enumerate(plugin) if x.startswith(f"{PLUGIN}:")), 0)
    mine = [k for k, x in enumerate(plugin[:first]) if x not in names]  # the project's
    with_plugins = {n for n in plugin[mine[-1] + 1 if mine else first : first] if n in names}
    builtins = [
        {"name": e.name, "description": e.description or "", "bundled": e.name in kept}
        | ({"group": "plugin"} if e.name in with_plugins else {})
        for e in entries
    ]
    windows: dict[str, list[int]] = {}
    v = Version.parse(version)
    for rid, model in MODEL_ROWS.items():
        over = (rows.get(rid) or {}).get("over_budget")
        if not over:
            continue
        aliases = meta.get("alias_models") or {}
        model_id = str(meta.get("main_model") or "") if model == "default" else model
        model_id = str(aliases.get(model_id, model_id))
        _, per_token = context(v, Settings(model=model_id))  # the rule, for a model id
        windows[model] = [round(over[2] / (per_token * rules(v).default_fraction)), per_token]
    return {"builtins": builtins, "windows": windows}


CATALOGUE = Path(__file__).resolve().parents[2] / "server/agentls/core/catalog/claude_code.yaml"
BEGIN = "# --- generated by `python -m tests.conformance.budget catalog`: do not edit ---"
END = "# --- end of the skill listing block ---"


def catalog_block(versions: Sequence[str]) -> str:
    """The generated ``skill_listing_observed`` block: per recorded version, its built-in
    skills as listed and the context window and bytes per token of the models it ran with."""
    import yaml

    data = {"skill_listing_observed": {v: observed(v) for v in versions}}
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    head = (
        "# Per recorded Claude Code version (tests/conformance/budget.py): the built-in skills\n"
        "# as the listing shows them (bundled: kept whole over the budget) and, per model the\n"
        "# budget rows ran with, [context window, bytes per token] (from the logged budget).\n"
    )
    return f"{BEGIN}\n{head}{body}{END}\n"


def write_catalog(versions: Sequence[str]) -> bool:
    text = CATALOGUE.read_text("utf-8")
    block = catalog_block(versions)
    if BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END) + 1
        new = text[:start] + block + text[end:]
    else:
        new = text.rstrip("\n") + "\n\n" + block
    if new == text:
        return False
    CATALOGUE.write_text(new, "utf-8")
    return True


# ------------------------------------------------------------------------------ bisection


def _entries(listing: str | None) -> list[str]:
    block = (listing or "").split("\n\n")[0]
    return [line for line in block.split("\n") if line.startswith("- ")]


def _first_fit(listing: str | None) -> bool:
    lines = [x for x in _entries(listing) if x.startswith("- skill-")]
    full = [x for x in lines if ": " in x and not x.endswith("…")]
    return bool(full) and any(": " not in x for x in lines)


FEATURES: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    # feature -> (row id, whether a recorded row shows it)
    "display-names": ("order", lambda r: "- dirx (other-name): " in (r["listing"] or "")),
    "builtin-last": ("order", lambda r: _entries(r["listing"])[0].startswith("- aa-user")),
    "locale-sort": ("order", lambda r: "- _u: " in _entries(r["listing"])[2]),
    "first-fit": ("many", lambda r: _first_fit(r["listing"])),
    "fraction-setting": ("many-fraction-0.003", lambda r: "- skill-000: " not in r["listing"]),
}
BISECT_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "bisect-budget.json"


def feature_on(version: str, feature: str) -> bool:
    from tests.conformance.runtime import install

    cache = json.loads(BISECT_CACHE.read_text()) if BISECT_CACHE.exists() else {}
    rid, test = FEATURES[feature]
    key = f"{version} {rid}"
    if key not in cache:
        install(version)
        _, scenario, params = next(p for p in PLAN if p[0] == rid)
        cache[key] = run_layout(version, layout(scenario, params))
        BISECT_CACHE.parent.mkdir(parents=True, exist_ok=True)
        BISECT_CACHE.write_text(json.dumps(cache, ensure_ascii=False))
    return bool(test(cache[key]))


def bisect(feature: str, low: str, high: str) -> tuple[str, str]:
    """(last version without ``feature``, first with it) between two published versions."""
    from tests.conformance.bisect import _key, published

    span = [v for v in published() if _key(low) <= _key(v) <= _key(high)]
    a, b = 0, len(span) - 1
    assert not feature_on(span[a], feature) and feature_on(span[b], feature)
    while b - a > 1:
        m = (a + b) // 2
        if feature_on(span[m], feature):
            b = m
        else:
            a = m
        print(f"{feature}: between {span[a]} and {span[b]}", file=sys.stderr)
    return span[a], span[b]


def path(version: str) -> Path:
    return RECORDINGS / version / "budget.jsonl"


def load(version: str) -> list[dict[str, Any]]:
    p = path(version)
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text("utf-8").splitlines() if line.strip()]


def recorded_versions() -> list[str]:
    return [v for v in CLAUDE_CODE_VERSIONS if path(v).exists()]


def _line(row: dict[str, Any]) -> str:
    text = json.dumps(row, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a cut that split a surrogate pair: keep it, escaped
        text = json.dumps(row)
    return text + "\n"


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("seconds",)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.conformance.budget", description=__doc__)
    ap.add_argument("command", choices=["record", "check", "catalog", "bisect"])
    ap.add_argument("--feature", choices=sorted(FEATURES), help="bisect: what changed")
    ap.add_argument("--between", nargs=2, metavar=("LOW", "HIGH"), help="bisect: versions")
    ap.add_argument("--version", nargs="*", default=None, help="default: every pinned version")
    ap.add_argument("--only", nargs="*", default=(), help="row ids (record: print, write nothing)")
    args = ap.parse_args(argv)
    versions = args.version or (
        list(CLAUDE_CODE_VERSIONS) if args.command == "record" else [LATEST]
    )
    if args.command == "bisect":
        last, first = bisect(args.feature, *args.between)
        print(f"{args.feature}: last without {last}, first with {first}")
        return 0
    if args.command == "catalog":  # then `make catalog`
        changed = write_catalog(args.version or recorded_versions())
        print("catalogue updated" if changed else "catalogue up to date", file=sys.stderr)
        return 0
    failed = 0
    for v in versions:
        t0 = time.monotonic()
        rows = record_version(v, args.only)
        took = time.monotonic() - t0
        print(f"{v}: {len(rows)} rows in {took:.0f}s", file=sys.stderr)
        if args.command == "record" and not args.only:
            path(v).write_text("".join(_line(r) for r in rows), "utf-8")
        elif args.command == "record":
            for r in rows:
                brief = {k: v for k, v in r.items() if k != "listing"}
                print(json.dumps(brief, ensure_ascii=False), len(r.get("listing") or ""))
        else:
            old = {r["id"]: _strip(r) for r in load(v)}
            for r in rows:
                if old.get(r["id"]) != _strip(r):
                    failed += 1
                    print(f"{v} {r['id']}: differs from the recording", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
