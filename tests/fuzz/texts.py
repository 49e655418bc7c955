"""Seed documents (examples/ and generated files of each dialect) and edit fragments."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

NAMES = ["reviewer", "code-helper", "db-expert", "Planner", "test_writer", "ux", "a", "docs-bot"]
TOOLS = [
    "Read",
    "Grep",
    "Glob",
    "Edit",
    "Write",
    "Bash",
    "Grepp",
    "read",
    "Bash(git diff:*)",
    "WebFetch",
    "Task",
    "Agent(reviewer)",
    "mcp__github__get_issue",
    "mcp__x__*",
    "TodoWrite",
]
MODELS = [
    "sonnet",
    "opus",
    "haiku",
    "inherit",
    "gpt-4",
    "claude-sonnet-4-5",
    "GPT-5 (copilot)",
    "anthropic/claude-sonnet-4-5",
    "gemini-2.5-pro",
]
COLORS = ["blue", "red", "green", "magenta", "purple", "cyan", "orange", "pink", "Blue"]
DESCRIPTIONS = [
    "Reviews pull requests for style and correctness",
    "Use this agent when: the user asks for a review",
    '"Quoted" then more text',
    "Use PROACTIVELY after code changes.\\n\\n<example>\\nContext: x\\nuser: hi\\n</example>",
    "Ünïcödé 🚀 description with 𝕏 and e\u0301",
    "'single quoted'",
    "a #not a comment",
    "[bracketed] value",
    "multi: colon: value",
    "",
]

# Pieces inserted by edits: YAML syntax, keys, values, and the characters that break position
# arithmetic (astral, combining, line terminators LSP does and does not count, NUL, BOM).
FRAGMENTS = [
    "---",
    "---\n",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "name: ",
    "description: ",
    "tools: ",
    "model: ",
    "color: ",
    "skills:\n  - ",
    "agent: ",
    "mcpServers:\n  github:\n    command: x\n",
    "hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n",
    "handoffs:\n  - label: Go\n    agent: ",
    "allowed-tools: ",
    "applyTo: '**/*.py'\n",
    "globs: ",
    "alwaysApply: true\n",
    "mode: subagent\n",
    "permission:\n  edit: deny\n",
    "  - ",
    "- ",
    "Read",
    "Grepp",
    ", ",
    "Bash(git:*)",
    "mcp__x__*",
    "[",
    "]",
    "{",
    "}",
    ": ",
    " #",
    "#",
    "'",
    '"',
    "|",
    ">",
    "&a ",
    "*a",
    "!!str ",
    "\t",
    "  ",
    "yes",
    "017",
    "~",
    "null",
    "\\n",
    "\\",
    "`",
    "```\n",
    "<example>",
    "</example>",
    "Context: x",
    "Agent(a, b)",
    "[t](",
    "](./x.md)",
    "[id]: ./ref.md\n",
    "#file:../README.md",
    "#tool:search",
    "@docs/a.md",
    "${CLAUDE_PLUGIN_ROOT}",
    "$ARGUMENTS",
    "<!-- c -->",
    "# Heading\n",
    "## Sub\n",
    # characters: astral, ZWJ sequences, flags, combining marks, variation selectors
    "🚀",
    "𝕏",
    "😀",
    "👨\u200d👩\u200d👧",
    "🇫🇷",
    "\U0001f600\ufe0f",
    "e\u0301",
    "\u0301",
    "a\u20dd",
    "\u0915\u094d\u0937",
    "é",
    "ðŸ”´",
    "Ω",
    "中文",
    "\u202e",
    "\u200b",
    "：",
    # what is and is not a line break
    "\u2028",
    "\u2029",
    "\u0085",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x00",
    "\ufeff",
    "\r\r",
    "\n\r",
    "x\r",
    "\r\n\r\n",
]

SPECIAL = ["\r", "\n", "\r\n", "\u2028", "\x00", "\ufeff", "🚀", "\u0301", "𝕏", "\u0085", "\t"]

WORDS = [
    "the",
    "agent",
    "reviews",
    "code",
    "and",
    "reports",
    "issues",
    "tool",
    "skill",
    "file",
    "use",
    "when",
    "always",
    "never",
    "PR",
    "tests",
    "🚀",
    "naïve",
    "データ",
]


def _pick(rng: random.Random, items: list[str], k: int) -> list[str]:
    return [rng.choice(items) for _ in range(k)]


def _body(rng: random.Random, size: int) -> str:
    """Markdown prose of about ``size`` characters with headings, lists, links, code."""
    out: list[str] = []
    n = 0
    while n < size:
        kind = rng.random()
        if kind < 0.1:
            piece = f"\n## {' '.join(_pick(rng, WORDS, 3)).title()}\n\n"
        elif kind < 0.25:
            piece = "".join(f"- {' '.join(_pick(rng, WORDS, rng.randint(2, 8)))}\n" for _ in "ab")
        elif kind < 0.32:
            piece = f"See [the guide](./{rng.choice(['ref.md', 'docs/guide.md', 'missing.md'])}).\n"
        elif kind < 0.37:
            piece = "```bash\n" + "git diff --stat\n" * rng.randint(1, 3) + "```\n"
        elif kind < 0.40:
            piece = f"Use the {rng.choice(NAMES)} agent via Agent({rng.choice(NAMES)}).\n"
        elif kind < 0.43:
            piece = f"Read @{rng.choice(['README.md', 'docs/a.md', 'src/x.py'])} first.\n"
        else:
            piece = " ".join(_pick(rng, WORDS, rng.randint(5, 20))) + ".\n"
        out.append(piece)
        n += len(piece)
    return "".join(out)


def _fm(lines: list[str]) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n"


def _tools(rng: random.Random) -> str:
    tools = _pick(rng, TOOLS, rng.randint(0, 5))
    if rng.random() < 0.4:
        return "tools:\n" + "".join(f"  - {t}\n" for t in tools)[:-1] if tools else "tools: []"
    return "tools: " + ", ".join(tools)


def claude_agent(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"name: {name}", f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.7:
        keys.append(_tools(rng))
    if rng.random() < 0.5:
        keys.append(f"model: {rng.choice(MODELS)}")
    if rng.random() < 0.5:
        keys.append(f"color: {rng.choice(COLORS)}")
    if rng.random() < 0.3:
        keys.append(f"skills:\n  - {rng.choice(NAMES)}")
    if rng.random() < 0.2:
        keys.append("permissionMode: " + rng.choice(["plan", "acceptEdits", "yolo"]))
    if rng.random() < 0.2:
        keys.append("tool: Read")
    rng.shuffle(keys)
    return f".claude/agents/{name}.md", _fm(keys) + "\n" + _body(rng, rng.randint(50, 1500))


def claude_skill(rng: random.Random, name: str, size: int | None = None) -> tuple[str, str]:
    keys = [f"name: {name}", f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.5:
        keys.append("allowed-tools: " + ", ".join(_pick(rng, TOOLS, 3)))
    if rng.random() < 0.3:
        keys.append("disable-model-invocation: true")
    body = _body(rng, size if size is not None else rng.randint(50, 2000))
    return f".claude/skills/{name}/SKILL.md", _fm(keys) + body


def agentskill(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"name: {name}", f"description: {rng.choice(DESCRIPTIONS)}", "license: MIT"]
    if rng.random() < 0.4:
        keys.append("metadata:\n  version: '1.0'")
    return f"skills/{name}/SKILL.md", _fm(keys) + _body(rng, rng.randint(50, 1000))


def vscode_agent(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.6:
        keys.append("tools: ['search', 'edit', 'runCommands', 'githubRepo']")
    if rng.random() < 0.4:
        keys.append(f"model: {rng.choice(MODELS)}")
    if rng.random() < 0.3:
        keys.append(f"handoffs:\n  - label: Review\n    agent: {rng.choice(NAMES)}")
    if rng.random() < 0.2:
        keys.append("target: github-copilot")
    where = rng.choice([".github/agents", "agents", "."])
    return f"{where}/{name}.agent.md", _fm(keys) + _body(rng, rng.randint(50, 800))


def vscode_prompt(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"description: {rng.choice(DESCRIPTIONS)}", "agent: agent"]
    if rng.random() < 0.5:
        keys.append("tools: ['search']")
    body = "Use #tool:search and #file:../README.md.\n" + _body(rng, rng.randint(20, 500))
    return f".github/prompts/{name}.prompt.md", _fm(keys) + body


def vscode_instructions(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"applyTo: '{rng.choice(['**/*.py', '**', 'src/**/*.ts'])}'"]
    path = f".github/instructions/{name}.instructions.md"
    return path, _fm(keys) + _body(rng, rng.randint(20, 500))


def chatmode(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"description: {rng.choice(DESCRIPTIONS)}", "tools: ['codebase']"]
    return f".github/chatmodes/{name}.chatmode.md", _fm(keys) + _body(rng, 200)


def cursor_rule(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.6:
        keys.append("globs: " + rng.choice(["*.ts", "src/**/*.py, tests/**", '["a", "b"]']))
    keys.append("alwaysApply: " + rng.choice(["true", "false", "yes"]))
    return f".cursor/rules/{name}.mdc", _fm(keys) + _body(rng, rng.randint(20, 600))


def opencode_agent(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [
        f"description: {rng.choice(DESCRIPTIONS)}",
        "mode: " + rng.choice(["subagent", "primary", "all", "sub"]),
    ]
    if rng.random() < 0.5:
        keys.append(f"model: {rng.choice(MODELS)}")
    if rng.random() < 0.5:
        keys.append("tools:\n  write: false\n  bash: true")
    if rng.random() < 0.4:
        keys.append("temperature: " + rng.choice(["0.1", "2", "hot"]))
    if rng.random() < 0.3:
        keys.append("permission:\n  edit: deny\n  bash:\n    'git *': ask")
    folder = rng.choice(["agent", "agents"])
    return f".opencode/{folder}/{name}.md", _fm(keys) + _body(rng, rng.randint(20, 600))


def gemini_agent(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"name: {name}", f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.5:
        keys.append("tools:\n  - read_file\n  - " + rng.choice(["grep", "Read"]))
    return f".gemini/agents/{name}.md", _fm(keys) + _body(rng, rng.randint(20, 400))


def claude_command(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [f"description: {rng.choice(DESCRIPTIONS)}"]
    if rng.random() < 0.5:
        keys.append("allowed-tools: Bash(git status:*), Read")
    if rng.random() < 0.4:
        keys.append("argument-hint: [pr-number]")
    return f".claude/commands/{name}.md", _fm(keys) + "Review $ARGUMENTS.\n" + _body(rng, 200)


def claude_rule(rng: random.Random, name: str) -> tuple[str, str]:
    keys = [rng.choice(["paths:\n  - 'src/**'", "applyTo: '**'", "globs: x"])]
    return f".claude/rules/{name}.md", _fm(keys) + _body(rng, 200)


def plain(rng: random.Random, name: str) -> tuple[str, str]:
    path = rng.choice(["README.md", "AGENTS.md", "CLAUDE.md", f"docs/{name}.md"])
    return path, _body(rng, rng.randint(20, 600))


GENERATORS: list[Callable[[random.Random, str], tuple[str, str]]] = [
    claude_agent,
    claude_agent,
    claude_skill,
    agentskill,
    vscode_agent,
    vscode_prompt,
    vscode_instructions,
    chatmode,
    cursor_rule,
    opencode_agent,
    gemini_agent,
    claude_command,
    claude_rule,
    plain,
]


def examples() -> list[tuple[str, str]]:
    """The files of examples/ (relative path, text)."""
    out = []
    for p in sorted(EXAMPLES.rglob("*")):
        if p.is_file() and p.suffix in (".md", ".mdc"):
            out.append((p.relative_to(EXAMPLES).as_posix(), p.read_text("utf-8")))
    return out


def damage(rng: random.Random, text: str) -> str:
    """A whole-text variant: CRLF or CR line ends, a BOM, NUL, astral characters..."""
    r = rng.random()
    if r < 0.15:
        return text.replace("\n", "\r\n")
    if r < 0.22:
        return text.replace("\n", "\r")
    if r < 0.3:
        return "\ufeff" + text
    if r < 0.35:
        return text.replace("\n", "\u2028", rng.randint(1, 3))
    if r < 0.4:
        return text.replace(" ", "🚀", rng.randint(1, 20))
    if r < 0.45:
        return text.replace("e", "e\u0301")
    if r < 0.5:
        return text[: len(text) // 2] + "\x00" + text[len(text) // 2 :]
    if r < 0.55:
        return text.replace("---\n", "---\r\n", 1)
    return text


def documents(rng: random.Random, big_skill: bool) -> list[tuple[str, str]]:
    """2-6 documents with distinct paths; with ``big_skill`` one is a ~10 kB SKILL.md."""
    docs: dict[str, str] = {}
    pool = examples()
    if big_skill:
        path, text = claude_skill(rng, rng.choice(NAMES).lower(), size=rng.randint(9000, 11000))
        docs[path] = text
    for _ in range(rng.randint(2, 6) - len(docs)):
        if pool and rng.random() < 0.25:
            path, text = rng.choice(pool)
        else:
            path, text = rng.choice(GENERATORS)(rng, rng.choice(NAMES))
        if path not in docs:
            docs[path] = damage(rng, text) if rng.random() < 0.3 else text
    return list(docs.items())


def replacement(rng: random.Random, path: str, text: str) -> str:
    """A full-text replacement: a variant of the text, a fresh document, or something odd."""
    r = rng.random()
    if r < 0.4:
        return damage(rng, text)
    if r < 0.5:
        return ""
    if r < 0.6:
        return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 40)))
    if r < 0.7:
        return text[: rng.randint(0, len(text))]
    if r < 0.8:
        return text + text
    name = rng.choice(NAMES)
    return rng.choice(GENERATORS)(rng, name)[1]
