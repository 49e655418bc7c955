"""Read what Claude Code sent: the agent and skill listings, tools, probes, debug-log lines.

Listings as 2.1.332 writes them (found in the first request):

* agents, in the environment message after ``Available agent types for the Agent tool:``, one
  entry per agent: ``- NAME: DESCRIPTION (Tools: …)``; the description is sent as is, newlines
  and all, so an entry ends at the first line that ends with ``(Tools: …)``;
* skills and commands after ``The following skills are available for use with the Skill
  tool:``, one line each: ``- NAME: DESCRIPTION``, ``- DIR (NAME): DESCRIPTION`` or ``- NAME``
  (over the budget); a line that does not start with an expected name continues the entry
  before it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from tests.conformance.standin import JSON

AGENTS_HEAD = "Available agent types for the Agent tool:\n"
AGENTS_END = "\n\nWhen you launch multiple agents"
SKILLS_HEAD = "The following skills are available for use with the Skill tool:\n\n"
# up to 2.1.68 an agent with `forkContext` adds "Properties: access to current context; "
_TOOLS_TAIL = re.compile(r" \((?:Properties: [^;\n]*; )?Tools: ([^\n]*)\)$")


def texts(body: JSON) -> Iterable[str]:
    """Every text of a request: system blocks and message contents."""
    yield from _block_texts(body.get("system"))
    for m in body.get("messages") or []:
        yield from _block_texts(m.get("content"))


def _block_texts(content: Any) -> Iterable[str]:
    """The texts of a system prompt or message content: a string or a list of blocks."""
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):
        for b in content:
            if isinstance(b, dict) and isinstance(b.get("text"), str):
                yield b["text"]


# Up to 2.1.112 (the last Node build) the listing is in the Agent (before 2.1.63: Task) tool's
# description instead, after its own heading.
AGENTS_HEADS = (
    (AGENTS_HEAD, AGENTS_END),
    ("Available agent types and the tools they have access to:\n", "\n\nWhen using the "),
)
AGENT_TOOLS = ("Agent", "Task")


def _agent_texts(body: JSON) -> Iterable[str]:
    """The texts that may hold the agent listing: the messages, then the Agent tool's own."""
    yield from texts(body)
    for t in body.get("tools") or []:
        if (
            isinstance(t, dict)
            and t.get("name") in AGENT_TOOLS
            and isinstance(t.get("description"), str)
        ):
            yield t["description"]


def listing_request(requests: list[JSON]) -> JSON | None:
    for body in requests:
        if any(head in t for t in _agent_texts(body) for head, _ in AGENTS_HEADS):
            return body
    return None


@dataclass
class AgentEntry:
    name: str
    description: str
    tools: str


def agent_section(body: JSON) -> str | None:
    for t in _agent_texts(body):
        for head, tail in AGENTS_HEADS:
            i = t.find(head)
            if i >= 0:
                start = i + len(head)
                end = t.rfind(tail)
                return t[start : end if end > start else len(t)]
    return None


def agent_entries(section: str) -> list[AgentEntry]:
    """Split the agent listing: an entry runs from ``- `` to the line ending in ``(Tools: …)``."""
    out: list[AgentEntry] = []
    current: list[str] = []
    for line in section.split("\n"):
        if not current and not line.startswith("- "):
            continue  # between entries (should not happen)
        current.append(line)
        m = _TOOLS_TAIL.search(line)
        if m:
            text = "\n".join(current)[2:]
            text = text[: len(text) - len(m.group(0))]
            name, sep, desc = text.partition(": ")
            out.append(AgentEntry(name, desc if sep else "", m.group(1)))
            current = []
    return out


@dataclass
class SkillEntry:
    name: str  # the listed name (a project skill: its folder; a command: its path with ':')
    display: str | None  # "NAME" in "- DIR (NAME): ..."
    description: str | None  # None: listed by name only


def skill_section(body: JSON) -> str | None:
    for t in texts(body):
        i = t.find(SKILLS_HEAD)
        if i >= 0:
            rest = t[i + len(SKILLS_HEAD) :]
            # up to 2.1.112 the listing is wrapped in a system reminder of its own
            end = rest.rfind("\n</system-reminder>")
            if end >= 0 and not rest[end + len("\n</system-reminder>") :].strip():
                rest = rest[:end]
            return rest
    return None


def _starts_entry(line: str, names: Collection[str]) -> str | None:
    best: str | None = None
    for n in names:
        head = f"- {n}"
        if line.startswith(head):
            rest = line[len(head) :]
            if (rest == "" or rest.startswith((": ", " ("))) and (
                best is None or len(n) > len(best)
            ):
                best = n
    return best


def skill_entries(section: str, names: Collection[str], any_name: bool = False) -> list[SkillEntry]:
    """Entries of the skills listing; ``names``: every name the listing may show.

    With ``any_name`` a line ``- X…`` whose X is unknown also starts an entry (X is read up to
    the first ``: `` or `` (``).
    """
    raw: list[tuple[str, str]] = []  # (name, rest of the entry text)
    # The listing ends at a blank line, unless entries follow it: until descriptions are
    # flattened (2.1.252 still sends them as written) a description may hold a blank line.
    paragraphs = section.split("\n\n")
    keep = 1
    for i, p in enumerate(paragraphs[1:], 1):
        if any(
            _starts_entry(line, names) is not None
            or (any_name and re.match(r"- [\w.:-]+(?:: | \(|$)", line))
            for line in p.split("\n")
        ):
            keep = i + 1
    body = "\n\n".join(paragraphs[:keep])
    for line in body.split("\n"):
        n = _starts_entry(line, names)
        if n is None and any_name and line.startswith("- "):
            m = re.match(r"- (.+?)(?=: | \(|$)", line)
            n = m.group(1) if m else None
        if n is not None:
            raw.append((n, line[2 + len(n) :]))
        elif raw:
            raw[-1] = (raw[-1][0], raw[-1][1] + "\n" + line)
    out: list[SkillEntry] = []
    for name, rest in raw:
        display = None
        if rest.startswith(" ("):
            close = rest.find("): ")
            if close < 0 and rest.endswith(")"):
                close = len(rest) - 1
            if close > 0:
                display = rest[2:close]
                rest = rest[close + 1 :]
        desc = rest[2:] if rest.startswith(": ") else None
        out.append(SkillEntry(name, display, desc))
    return out


def tool_names(body: JSON) -> list[str]:
    return [str(t.get("name")) for t in body.get("tools") or [] if isinstance(t, dict)]


def agent_model_enum(body: JSON) -> list[str]:
    for t in body.get("tools") or []:
        if isinstance(t, dict) and t.get("name") in AGENT_TOOLS:
            prop = (t.get("input_schema") or {}).get("properties", {}).get("model", {})
            return [str(x) for x in prop.get("enum", [])]
    return []


def user_texts(body: JSON) -> list[str]:
    """The text blocks of every user message (not tool results)."""
    out: list[str] = []
    for m in body.get("messages") or []:
        if m.get("role") == "user":
            c = m.get("content")
            if isinstance(c, str):
                out.append(c)
            else:
                out += [str(b.get("text", "")) for b in c or [] if isinstance(b, dict)]
    return out


def tool_results(requests: list[JSON]) -> dict[str, tuple[bool, str]]:
    """tool_use id -> (is_error, text) from the requests that carry tool results (last wins)."""
    out: dict[str, tuple[bool, str]] = {}
    for body in requests:
        for m in body.get("messages") or []:
            c = m.get("content")
            if m.get("role") != "user" or not isinstance(c, list):
                continue
            for b in c:
                if isinstance(b, dict) and b.get("type") == "tool_result":
                    out[str(b.get("tool_use_id"))] = (bool(b.get("is_error")), _content_text(b))
    return out


def skill_expansions(requests: list[JSON]) -> list[str]:
    """The text blocks that follow the tool results in the request after the tool calls."""
    for body in reversed(requests):
        msgs = body.get("messages") or []
        for i, m in enumerate(msgs):
            c = m.get("content")
            if m.get("role") != "user" or not isinstance(c, list):
                continue
            if any(isinstance(b, dict) and b.get("type") == "tool_result" for b in c):
                found: list[str] = []
                for later in msgs[i:]:
                    lc = later.get("content")
                    if later.get("role") != "user" or not isinstance(lc, list):
                        continue
                    found += [
                        str(b.get("text"))
                        for b in lc
                        if isinstance(b, dict) and b.get("type") == "text"
                    ]
                return found
    return []


def _content_text(block: dict[str, Any]) -> str:
    c = block.get("content")
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        return "\n".join(str(b.get("text", "")) for b in c if isinstance(b, dict))
    return ""


# ------------------------------------------------------------------------------ debug log

_RECORD = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z \[(\w+)\] ", re.M)
_VOLATILE = re.compile(
    r"\[Stall\]|\[API REQUEST\]|\[API:timing\]|SkillTool returning|Agent tool error \(|"
    r"agent_completion|Sync agent error|tool_dispatch|\[engine\]|autocompact"
)


_HOME = re.compile(r"/\S*?agentls-cc-home-[A-Za-z0-9_]+")


def log_records(log: str) -> list[tuple[str, str]]:
    """(level, message) per record; continuation lines stay with their record."""
    out: list[tuple[str, str]] = []
    marks = list(_RECORD.finditer(log))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(log)
        out.append((m.group(1), log[m.end() : end].rstrip("\n")))
    return out


def file_lines(
    records: list[tuple[str, str]], path: str, needles: Collection[str], project: str
) -> list[str]:
    """Records that mention the file (its absolute path, or a quoted name), normalised."""
    out: list[str] = []
    for level, msg in records:
        if _VOLATILE.search(msg):
            continue
        if path in msg or any(n in msg for n in needles):
            out.append(f"[{level}] " + _HOME.sub("<home>", msg.replace(project, "<project>")))
    return out
