"""Rules particular to one dialect, beyond what its catalogue expresses (formats.md §4–§10)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from agentls.core.dialects import (
    claude_agent,
    codex,
    name_of,
    parent_name_of,
    path_parts,
    vscode_rules,
)
from agentls.core.findings import Severity
from agentls.core.text import Span
from agentls.core.yamltree import YScalar, YSeq

GITHUB_BODY_LIMIT = 30_000


def skill_name_matches_folder(ctx: Any) -> None:
    """Agent Skills: `name` equals the parent folder (§4.3; VS Code warns, §7.1)."""
    e = ctx.get("name")
    if e is None or ctx.path is None or not isinstance(e.value, YScalar):
        return
    name = e.value.value
    if not isinstance(name, str) and ctx.spec.scalars_as_text:
        name = e.value.raw  # `name: ~` is the text `~` for strictyaml (k0123)
    if not isinstance(name, str) or not name.strip():
        return
    name = name.strip()  # skills-ref compares the stripped name (k0116, k0117, k0136)
    folder = parent_name_of(path_parts(ctx.path))
    if not folder or unicodedata.normalize("NFKC", name) == unicodedata.normalize("NFKC", folder):
        return
    portable = ctx.match.scope == "portable"
    who = "skills-ref and skill upload reject the skill" if portable else "VS Code warns"
    ctx.add(
        "AGL700",
        ctx.value_span(e.value, e.key),
        f"The skill `name` `{name}` differs from its folder `{folder}`: the Agent Skills spec "
        f"requires them to be equal, so {who}. Rename one of them.",
        Severity.ERROR if portable else Severity.WARNING,
        suggestion=folder,
    )


def skill_name_form(ctx: Any) -> None:
    """The form of an Agent Skills `name` as skills-ref 0.1.1 checks it (NOTES.md rule 12):
    stripped and NFKC-normalised, lowercase (`name == name.lower()`), letters and digits as
    Python's `str.isalnum()` (Unicode: `café`, `日本` pass) or `-`, no leading, trailing or
    double `-`. The length is the catalogue's `max_length`."""
    e = ctx.get("name")
    if e is None or not isinstance(e.value, YScalar):
        return
    v = e.value  # every scalar is text for strictyaml (`1.5`, `~`: k0122, k0123)
    text = v.value if isinstance(v.value, str) else v.raw if ctx.spec.scalars_as_text else ""
    name = unicodedata.normalize("NFKC", text.strip())
    problems = skill_name_problems(name) if name else []
    if not problems:
        return
    ctx.add(
        "AGL312",
        ctx.value_span(e.value, e.key),
        f"`name` does not have the form {ctx.spec.tool} expects: {'; '.join(problems)}.",
        ctx.severity(ctx.spec.fields["name"].severity),
    )


def skill_name_problems(name: str) -> list[str]:
    """What skills-ref finds wrong with the form of a (stripped, NFKC) skill name."""
    problems = []
    if name != name.lower():
        problems.append("lowercase only")
    if name.startswith("-") or name.endswith("-"):
        problems.append("no leading or trailing `-`")
    if "--" in name:
        problems.append("no `--`")
    bad = sorted({c for c in name if not (c.isalnum() or c == "-")})
    if bad:
        shown = ", ".join(f"`{c}`" if c.strip() else repr(c) for c in bad)
        problems.append(f"only letters, digits and `-` (not {shown})")
    return problems


def chat_mode_is_legacy(ctx: Any) -> None:
    """`.chatmode.md` files are the legacy form of custom agents (§7.4)."""
    name = name_of(path_parts(ctx.path or "x.chatmode.md"))
    stem = name[: -len(".chatmode.md")] if name.endswith(".chatmode.md") else name
    # VS Code 1.139.1 warns on every chat mode, with or without a header, at `[0, 0, 0, 3]`
    # (`Chat modes have been renamed to agents…`: g0339, g0345)
    first = ctx.text.split("\n", 1)[0].rstrip("\r")
    span = ctx.block.open_span if ctx.block is not None else Span(0, min(3, len(first)))
    ctx.add(
        "AGL703",
        span,
        "Chat modes are the legacy form of custom agents (VS Code 1.106): rename this file to "
        f"`{stem}.agent.md` (in `.github/agents/`); the keys stay the same. VS Code warns.",
        Severity.WARNING,
        suggestion=f"{stem}.agent.md",
    )


def github_body_limit(ctx: Any) -> None:
    """GitHub limits a custom agent's body to 30,000 characters (§7.3)."""
    start = ctx.block.body_start if ctx.block is not None else 0
    size = len(ctx.text) - start
    if size > GITHUB_BODY_LIMIT:
        ctx.add(
            "AGL702",
            Span(start + GITHUB_BODY_LIMIT, len(ctx.text)),
            f"The agent's instructions have {size:,} characters; GitHub limits a custom agent "
            f"to {GITHUB_BODY_LIMIT:,}. Shorten them or move detail into referenced files.",
        )


def github_body_limit_in_github(ctx: Any) -> None:
    """A VS Code agent in `.github/agents/` is read by GitHub's cloud agent too (§7.3)."""
    if ctx.path and "/.github/agents/" in "/" + ctx.path.replace("\\", "/"):
        github_body_limit(ctx)


_UNQUOTED_STAR = re.compile(r"(?m)^globs[ \t]*:[ \t]*(\*[^\n\r]*)")


def cursor_unquoted_globs(ctx: Any) -> None:
    """`globs: **/*.ts` is an alias for strict YAML parsers (§8)."""
    if ctx.block is None:
        return
    content = ctx.block.content
    for m in _UNQUOTED_STAR.finditer(ctx.text, content.start, content.end):
        value = m.group(1).rstrip()
        ctx.add(
            "AGL705",
            Span(m.start(1), m.start(1) + len(value)),
            "An unquoted value starting with `*` is a YAML alias: Cursor's guides write globs "
            "this way, but strict YAML parsers (and other tools reading `.mdc`) fail on it. "
            f'Quote it: `globs: "{value}"`.',
            replacement=f'"{value}"',
        )


def agents_need_agent_tool(ctx: Any) -> None:
    """VS Code: `agents` takes effect only when `tools` includes `agent` (§7.3)."""
    agents, tools = ctx.get("agents"), ctx.get("tools")
    if agents is None or tools is None:
        return
    names: list[str] = []
    if isinstance(tools.value, YSeq):
        names = [str(getattr(i, "value", "")) for i in tools.value.items]
    elif isinstance(tools.value, YScalar) and isinstance(tools.value.value, str):
        names = [t.strip() for t in tools.value.value.split(",")]
    if any(n in ("agent", "*") or n.startswith("agent/") for n in names):
        return
    ctx.add(
        "AGL707",
        agents.key.span,
        "`agents` limits which subagents this agent may call, but `tools` does not include "
        "`agent`, so it cannot call any. Add `agent` to `tools`.",
    )


_GITHUB_ONLY = ("mcp-servers", "metadata")


def github_only_keys(ctx: Any) -> None:
    """GitHub-only keys in a VS Code agent are "ignored when running locally" (§7.3); not in
    one that says it is for GitHub (`target: github-copilot`)."""
    target = ctx.get("target")
    if target is not None and getattr(target.value, "value", None) == "github-copilot":
        return
    for key in _GITHUB_ONLY:
        e = ctx.get(key)
        if e is not None:
            ctx.add(
                "AGL708",
                e.key.span,
                f"`{key}` is read only by GitHub's cloud agent: VS Code ignores it when running "
                "locally (add `target: github-copilot` if the agent is meant for GitHub).",
            )


def skill_not_listed(ctx: Any) -> None:
    """Claude Code before SKILL_BODY_LISTING_SINCE lists no skill without a front-matter
    description (it falls back to the body from then on)."""
    from agentls.core.received import SKILL_BODY_LISTING_SINCE, unlisted_skill

    loaded = ctx.parse is not None and ctx.parse.loaded and ctx.block is not None
    loaded = loaded and ctx.block.found_by_runtime and ctx.root is not None
    e = ctx.get("description") if loaded else None
    when = ctx.get("when_to_use") if loaded else None
    value = getattr(e.value, "value", None) if e is not None else None
    when_value = getattr(when.value, "value", None) if when is not None else None
    if not unlisted_skill(ctx.spec.id, value, when_value, ctx.version):
        return
    ctx.add(
        "AGL710",
        e.value.span if e is not None else (ctx.block.open_span if ctx.block else Span(0, 0)),
        f"Claude Code {ctx.version} does not list a skill without a `description` (or "
        "`when_to_use`) in its front matter (the body's first line is listed only from "
        f"{SKILL_BODY_LISTING_SINCE}): Claude never sees this skill and cannot choose it; "
        "`/name` still runs it.",
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(ctx: Any) -> None:
    """Copilot CLI's YAML parser refuses C0 control characters and DEL in the front matter
    (`control characters are not allowed`: g0659, g0666-g0668)."""
    if ctx.block is None:
        return
    content = ctx.block.content
    m = _CONTROL.search(ctx.text, content.start, content.end)
    if m is None:
        return
    effect = "" if ctx.spec.drop_effect else f" {ctx.spec.yaml_effect}."
    ctx.add(
        "AGL102",
        Span(m.start(), m.end()),
        f"A control character (U+{ord(m.group()):04X}) in the front matter: {ctx.spec.tool}'s "
        f"YAML parser refuses it (`control characters are not allowed`).{effect}",
        Severity.ERROR if ctx.spec.drop_effect else Severity.WARNING,
    )


_MCP_NEEDS: dict[str, tuple[str, ...]] = {
    "local": ("command", "args", "tools"),
    "stdio": ("command", "args", "tools"),
    "http": ("url", "tools"),
    "sse": ("url", "tools"),
}


def copilot_mcp_servers(ctx: Any) -> None:
    """Each `mcp-servers` entry as Copilot CLI validates it (g0467-g0481; the corpus
    `cast-imaging-*` agents lack `tools`): an object with a known `type` (default `local`) and
    the keys that type needs; `tools` a list."""
    from agentls.core.yamltree import YMap

    e = ctx.get("mcp-servers")
    if e is None or not isinstance(e.value, YMap):
        return
    for server in e.value.entries:
        name = server.key_text
        v = server.value
        if not isinstance(v, YMap):
            ctx.add(
                "AGL300",
                ctx.value_span(v, server.key),
                f"`mcp-servers.{name}` should be a mapping (`type`, `command`, `tools`...).",
                Severity.ERROR,
            )
            continue
        t = v.get("type")
        kind = getattr(t.value, "value", None) if t is not None else "local"
        if kind not in _MCP_NEEDS:
            ctx.add(
                "AGL301",
                ctx.value_span(t.value, t.key) if t is not None else server.key.span,
                f"`mcp-servers.{name}.type` should be `local`, `stdio`, `http` or `sse`.",
                Severity.ERROR,
            )
            continue
        missing = [k for k in _MCP_NEEDS[kind] if v.get(k) is None]
        if missing:
            ctx.add(
                "AGL206",
                server.key.span,
                f"`mcp-servers.{name}` ({kind}) lacks "
                + ", ".join(f"`{k}`" for k in missing)
                + f": {ctx.spec.tool} requires "
                + ("them" if len(missing) > 1 else "it")
                + ".",
                Severity.ERROR,
            )
        tools = v.get("tools")
        if tools is not None and not isinstance(tools.value, YSeq):
            ctx.add(
                "AGL300",
                ctx.value_span(tools.value, tools.key),
                f"`mcp-servers.{name}.tools` should be a YAML list (`['*']` for every tool).",
                Severity.ERROR,
            )


_NOT_UTF8 = {
    "codex": "Codex reads the file as UTF-8 and refuses it whole at the first invalid byte "
    "(`failed to read file: invalid utf-8 sequence`). Save the file as UTF-8.",
    "strictyaml": "skills-ref reads SKILL.md as UTF-8 and crashes on the first invalid byte "
    "(`UnicodeDecodeError`): the skill never validates. Save the file as UTF-8.",
}


def not_utf8(ctx: Any) -> None:
    """Invalid UTF-8 anywhere in the file (``ctx.extra``: the reader's AGL104 findings): Codex
    drops the skill (k0234-k0237), skills-ref crashes (same cases)."""
    bad = [f for f in ctx.extra if f.code == "AGL104"]
    if bad:
        portable = ctx.spec.parser != "strictyaml" or ctx.match.scope == "portable"
        sev = ctx.severity("error" if portable else "warning")
        ctx.add("AGL104", bad[0].span, _NOT_UTF8[ctx.spec.parser], sev)


COPILOT_MAX_BYTES = 1024 * 1024  # `file exceeds the 1 MiB size limit` (g0670, g0671, g0672)


def copilot_file_limits(ctx: Any) -> None:
    """Copilot CLI reads an agent only when the whole file is valid UTF-8 (`stream did not
    contain valid UTF-8`, even for a byte in the body: g0661-g0664) and at most 1 MiB."""
    for f in ctx.extra:
        if f.code == "AGL104":
            ctx.add(
                "AGL104",
                f.span,
                f"{ctx.spec.tool} reads only valid UTF-8 files (`stream did not contain valid "
                "UTF-8`).",
                Severity.ERROR,
            )
            break
    text = ctx.text
    if len(text) * 4 <= COPILOT_MAX_BYTES:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > COPILOT_MAX_BYTES:
        ctx.add(
            "AGL021",
            Span(0, 0),
            f"The file has {size:,} bytes: {ctx.spec.tool} reads files of at most 1 MiB "
            f"({COPILOT_MAX_BYTES:,} bytes; `file exceeds the 1 MiB size limit`).",
            Severity.ERROR,
        )


def copilot_builtin_name(ctx: Any) -> None:
    """An agent named `general-purpose` is not listed: the built-in agent takes the name (g0510;
    `explore` and `task` are listed twice: g0508, g0509)."""
    e = ctx.get("name")
    if e is None or not isinstance(e.value, YScalar) or e.value.value != "general-purpose":
        return
    ctx.add(
        "AGL302",
        ctx.value_span(e.value, e.key),
        f"`general-purpose` is {ctx.spec.tool}'s built-in agent: a custom agent of that name is "
        "never listed. Rename it.",
        Severity.ERROR,
    )


def copilot_agent_hooks(ctx: Any) -> None:
    """Each `hooks` event must be one Copilot CLI knows (`Unsupported agent hook event`) and
    hold a list (`Expected an array of hook actions`): g0284, g0285, g1104-g1113."""
    from agentls.core.yamltree import YMap

    e = ctx.get("hooks")
    field = ctx.spec.fields.get("hooks")
    if e is None or field is None or not isinstance(e.value, YMap):
        return
    events = set(field.limit("events") or ())
    for ev in e.value.entries:
        if events and ev.key_text not in events:
            ctx.add(
                "AGL501",
                ev.key.span,
                f"`{ev.key_text}` is not a hook event {ctx.spec.tool} supports "
                "(`Unsupported agent hook event`; names are case-sensitive).",
                Severity.ERROR,
            )
        if not isinstance(ev.value, YSeq):
            ctx.add(
                "AGL500",
                ctx.value_span(ev.value, ev.key),
                f"`hooks.{ev.key_text}` should be a list of hook actions.",
                Severity.ERROR,
            )


def copilot_excluded(ctx: Any) -> None:
    """`excludeAgent: coding-agent` (a string or a list containing it) leaves an instructions
    file out of Copilot CLI (g1069, g1071; `code-review` does not: g1070, g1072)."""
    e = ctx.get("excludeAgent")
    if e is None:
        return
    v = e.value
    items = v.items if isinstance(v, YSeq) else [v]
    for item in items:
        if isinstance(item, YScalar) and item.value == "coding-agent":
            ctx.add(
                "AGL711",
                ctx.value_span(item, e.key),
                "`excludeAgent: coding-agent` leaves this file out of Copilot CLI: it never "
                "sends these instructions.",
                Severity.INFORMATION,
            )
            return


# OpenCode 1.18.33: permission keys that take an action only, never `{pattern: action}` (a0194)
_OPENCODE_FLAT_PERMISSIONS = frozenset(
    {"todowrite", "question", "webfetch", "websearch", "doom_loop"}
)
_OPENCODE_ACTIONS = ("ask", "allow", "deny")


def opencode_permission(ctx: Any) -> None:
    """Each `permission` entry as OpenCode validates it: an action (`ask`, `allow`, `deny`), or a
    map of patterns to actions where the key allows one (tests/conformance/opencode a0184-a0197);
    anything else fails every OpenCode command of the project."""
    from agentls.core.yamltree import YMap

    e = ctx.get("permission")
    if e is None or not isinstance(e.value, YMap):
        return

    def action(node: Any) -> bool:
        return isinstance(node, YScalar) and node.style != "raw" and node.value in _OPENCODE_ACTIONS

    for sub in e.value.entries:
        key, v = sub.key_text, sub.value
        if action(v):
            continue
        if isinstance(v, YMap) and key not in _OPENCODE_FLAT_PERMISSIONS:
            for rule in v.entries:
                if not action(rule.value):
                    ctx.add(
                        "AGL301",
                        ctx.value_span(rule.value, rule.key),
                        f"`permission.{key}.{rule.key_text}` should be `ask`, `allow` or `deny`.",
                        Severity.ERROR,
                    )
            continue
        what = "`ask`, `allow` or `deny`" + (
            "" if key in _OPENCODE_FLAT_PERMISSIONS else ", or a mapping of patterns to those"
        )
        ctx.add(
            "AGL301",
            ctx.value_span(v, sub.key),
            f"`permission.{key}` should be {what}.",
            Severity.ERROR,
        )


def opencode_mode_file(ctx: Any) -> None:
    """A mode file (`.opencode/mode/x.md`) is always a primary agent: its `mode` is ignored
    (tests/conformance/opencode a0314, a0325)."""
    from agentls.core.dialects.opencode import is_mode_file

    e = ctx.get("mode")
    if e is None or not is_mode_file(ctx.path):
        return
    if isinstance(e.value, YScalar) and e.value.value == "primary":
        return
    ctx.add(
        "AGL301",
        ctx.value_span(e.value, e.key),
        "OpenCode makes every agent of a `mode/` folder a primary agent: this `mode` is ignored "
        "(the model cannot call it as a subagent). Move the file to `agent/` for a subagent.",
        Severity.WARNING,
    )


def opencode_no_description(ctx: Any) -> None:
    """A subagent without a description: OpenCode offers it to the model as "This subagent
    should only be called manually by the user." (a0072, a0300-a0302)."""
    from agentls.core.dialects.opencode import is_mode_file

    if getattr(ctx, "ignored", False) or is_mode_file(ctx.path) or ctx.unchecked:
        return  # an ignored front matter is reported as such; a mode file is a primary agent
    if ctx.parse is not None and ctx.parse.not_mapping:
        return
    if ctx.get("description") is not None or (
        ctx.root is not None and "description" in ctx.root.key_names()
    ):
        return
    for key, value in (("mode", "primary"), ("disable", True)):
        e = ctx.get(key)
        if e is not None and isinstance(e.value, YScalar) and e.value.value == value:
            return  # not offered to the model at all
    ctx.add(
        "AGL202",
        ctx.block.open_span if ctx.block is not None else Span(0, 0),
        'No `description`: OpenCode tells the model only "This subagent should only be called '
        'manually by the user.", so the model does not call it on its own. Add `description:`.',
        Severity.INFORMATION,
    )


# rules that run before the block is read, whatever it holds (also past agentls's limits)
FILE_RULES: dict[str, tuple[Callable[[Any], None], ...]] = {
    "copilot-agent": (copilot_file_limits,),
    "codex-skill": (not_utf8,),
    "agentskills": (not_utf8,),
}


def _gemini(*names: str) -> tuple[Callable[[Any], None], ...]:
    """Gemini CLI's rules (dialects/gemini.py, imported at the first Gemini file: its
    js-yaml emulation costs a few milliseconds of every start)."""

    def rule(name: str) -> Callable[[Any], None]:
        def run(ctx: Any) -> None:
            from agentls.core.dialects import gemini

            getattr(gemini, name)(ctx)

        run.__name__ = name
        return run

    return tuple(rule(n) for n in names)


RULES: dict[str, tuple[Callable[[Any], None], ...]] = {
    "claude-agent": claude_agent.RULES,
    "opencode-agent": (opencode_permission, opencode_mode_file, opencode_no_description),
    "copilot-agent": (
        no_control_characters,
        copilot_mcp_servers,
        copilot_builtin_name,
        copilot_agent_hooks,
    ),
    "copilot-skill": (no_control_characters,),
    "copilot-instructions": (copilot_excluded, no_control_characters),
    "agentskills": (skill_name_form, skill_name_matches_folder),
    "vscode-skill": (skill_name_matches_folder, vscode_rules.skill_fields),
    "claude-skill": (skill_not_listed,),
    "vscode-chatmode": (chat_mode_is_legacy,),
    "github-agent": (github_body_limit,),
    "vscode-agent": (
        agents_need_agent_tool,
        github_only_keys,
        github_body_limit_in_github,
        vscode_rules.model_names,
        vscode_rules.handoff_labels,
        vscode_rules.hook_commands,
        vscode_rules.github_target_keys,
    ),
    "cursor-rule": (cursor_unquoted_globs,),
    "codex-skill": (codex.hidden_folder,),
    "gemini-agent": _gemini(
        "agent_yaml",
        "agent_body",
        "agent_name",
        "agent_tools",
        "agent_kind_keys",
        "agent_mcp_servers",
    ),
    "gemini-skill": _gemini("skill_loads"),
}
