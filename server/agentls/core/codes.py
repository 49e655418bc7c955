"""Every finding code, with its default severity and class (design.md §1.3, formats.md §0.3).

Codes are stable once released; each has an entry in docs/rules.md (a test checks it).
Classes: ``runtime`` (what the tool will do), ``portability`` (valid for the tool, read
differently by strict consumers), ``style`` (advice), ``limit`` (agentls could not check).
"""

from __future__ import annotations

from typing import NamedTuple

from agentls.core.findings import Severity

E, W, INFO, H = Severity.ERROR, Severity.WARNING, Severity.INFORMATION, Severity.HINT


class Code(NamedTuple):
    code: str
    name: str
    severity: Severity
    klass: str
    summary: str


# fmt: off
_TABLE = [
    # front-matter block
    ("AGL001", "text-before-front-matter", E, "runtime",
     "Blank line or text before the opening `---`: the tool sees no front matter"),
    ("AGL002", "front-matter-unterminated", E, "runtime",
     "The opening `---` has no closing `---`: the tool sees no front matter"),
    ("AGL003", "front-matter-cut-short", W, "runtime",
     "A `---` inside the front matter ends it there; later keys are lost"),
    ("AGL004", "closing-delimiter-text", W, "runtime",
     "Text after the closing `---` on the same line becomes the start of the body"),
    ("AGL005", "byte-order-mark", W, "runtime",
     "UTF-8 byte order mark before the front matter (ignored before Claude Code 2.1.239)"),
    # YAML, as the runtime reads it
    ("AGL010", "yaml-unloadable", E, "runtime",
     "The front matter fails to parse even after Claude Code's quoting retry"),
    ("AGL011", "crlf-retry-gap", E, "runtime",
     "CRLF line endings stop Claude Code's quoting retry from repairing a value"),
    ("AGL012", "colon-space-old-version", E, "runtime",
     "An unquoted `: ` in a value: Claude Code before 2.1.69 cannot repair it"),
    ("AGL013", "duplicate-key", E, "runtime", "A key is repeated in the same mapping"),
    ("AGL014", "tab-indentation", E, "runtime", "A tab used for indentation"),
    ("AGL015", "inner-quotes", E, "runtime",
     "A value that starts with a quote but has more text after the closing quote"),
    ("AGL016", "front-matter-not-mapping", E, "runtime",
     "The front matter is not a mapping of keys to values"),
    ("AGL017", "comment-cuts-value", W, "runtime",
     "` #` starts a YAML comment: the value is silently cut there"),
    ("AGL018", "retry-alters-value", W, "runtime",
     "Claude Code's quoting retry, run because of another line, changes this value"),
    ("AGL019", "yaml-invalid", W, "runtime",
     "Invalid YAML for the tool that reads the file (no Claude-style retry)"),
    ("AGL020", "too-complex-to-check", W, "limit",
     "The front matter exceeds agentls's size, depth or alias limits and was not checked"),
    ("AGL021", "file-not-loaded", E, "runtime",
     "Claude Code does not load the file: too large, an upper-case `.MD`, or a reserved folder"),
    # portability and text hygiene
    ("AGL100", "strict-yaml-invalid", W, "portability",
     "Not valid YAML: Claude Code loads it only through its quoting retry"),
    ("AGL101", "yaml11-boolean", INFO, "portability",
     "A bare yes/no/on/off is a string for Claude Code but a boolean for YAML 1.1 tools"),
    ("AGL102", "control-character", W, "portability", "A control character in the text"),
    ("AGL103", "line-separator", INFO, "portability",
     "U+2028, U+2029 or U+0085: a line break for some YAML parsers, not for others"),
    ("AGL104", "invalid-encoding", W, "runtime",
     "Bytes that are not valid UTF-8, or a lone UTF-16 surrogate"),
    ("AGL105", "mojibake", W, "runtime",
     "UTF-8 text that was decoded as Windows-1252 and saved again"),
    # keys
    ("AGL200", "unknown-key", W, "runtime", "A key the tool does not know: it is ignored"),
    ("AGL201", "missing-name", W, "runtime", "No `name`: the file is not loaded as an agent"),
    ("AGL202", "missing-description", E, "runtime",
     "No `description`: Claude Code skips the agent"),
    ("AGL203", "plugin-ignored-key", W, "runtime",
     "Keys Claude Code ignores in plugin agents (`hooks`, `mcpServers`, `permissionMode`, …)"),
    ("AGL204", "undocumented-key", INFO, "runtime",
     "An undocumented key whose effect is unverified"),
    ("AGL206", "missing-required-key", E, "runtime", "A key the tool requires is missing"),
    ("AGL207", "deprecated-key", W, "runtime", "A deprecated key: use its replacement"),
    # values
    ("AGL300", "wrong-type", W, "runtime", "A value of the wrong type"),
    ("AGL301", "invalid-value", W, "runtime", "A value outside the accepted set"),
    ("AGL302", "name-rejected", E, "runtime",
     "An agent `name` with `:` (from Claude Code 2.1.218) or a leading `-` (2.1.172): skipped"),
    ("AGL303", "name-style", W, "portability",
     "An agent `name` that is not lowercase letters, digits and hyphens"),
    ("AGL304", "empty-value", W, "runtime", "A required value is empty"),
    ("AGL306", "unknown-model", W, "runtime", "A `model` value that is not a known alias or id"),
    ("AGL307", "model-id-unsupported", W, "runtime",
     "A full model id: ignored before Claude Code 2.1.74"),
    ("AGL309", "newline-escape", INFO, "runtime",
     "A literal `\\n` in an agent description becomes a line break"),
    ("AGL310", "out-of-range", W, "runtime", "A number outside the accepted range"),
    ("AGL311", "length", W, "runtime", "A text value that is too short or too long"),
    ("AGL312", "pattern", W, "runtime", "A text value that does not have the required form"),
    # tools
    ("AGL400", "no-tools", W, "runtime", "`tools` is present but empty: the agent gets no tools"),
    ("AGL401", "unknown-tool", W, "runtime", "A tool name that does not resolve: it is ignored"),
    ("AGL402", "no-tool-resolves", E, "runtime",
     "No entry of `tools` resolves: the launch is refused (since 2.1.208)"),
    ("AGL403", "tool-specifier-ignored", W, "runtime",
     "`Tool(specifier)` in agent `tools` grants the whole tool"),
    ("AGL404", "agent-types-ignored", INFO, "runtime",
     "`Agent(types)` limits spawnable agents only for the main-thread agent"),
    ("AGL405", "tool-never-given", INFO, "runtime", "A tool that subagents never get"),
    ("AGL406", "legacy-tool", W, "runtime", "A legacy tool name that may not resolve"),
    ("AGL407", "bad-mcp-pattern", W, "runtime", "A malformed or misplaced `mcp__` pattern"),
    ("AGL408", "duplicate-tool", H, "style", "A tool listed twice"),
    ("AGL409", "tool-also-disallowed", INFO, "runtime",
     "A tool in both `tools` and `disallowedTools` is removed"),
    # hooks and MCP servers
    ("AGL500", "hooks-shape", W, "runtime", "`hooks` does not have Claude Code's shape"),
    ("AGL501", "unknown-hook-event", W, "runtime", "A hook event Claude Code does not know"),
    ("AGL502", "bad-hook-handler", W, "runtime", "A hook handler with a bad type or missing keys"),
    ("AGL503", "bad-mcp-server", W, "runtime", "An `mcpServers` item Claude Code cannot use"),
    # body syntax
    ("AGL600", "shell-not-allowed", W, "runtime",
     "A shell injection (`!`cmd``) that `allowed-tools` does not allow: the invocation aborts"),
    ("AGL601", "argument-index", INFO, "runtime",
     "`$1` is the second argument since Claude Code 2.1.19 (`$0` is the first)"),
    ("AGL602", "old-argument-syntax", INFO, "runtime",
     "`$ARGUMENTS.N` is the old indexed form: use `$ARGUMENTS[N]` or `$N`"),
    ("AGL603", "unknown-substitution", W, "runtime",
     "A `${CLAUDE_...}` substitution Claude Code does not know: left as written"),
    ("AGL604", "plugin-substitution", W, "runtime",
     "`${CLAUDE_PLUGIN_ROOT}` / `${CLAUDE_PLUGIN_DATA}` outside a plugin"),
    ("AGL605", "unknown-tool-reference", INFO, "runtime",
     "A `#tool:` reference to a tool that is not built in, or renamed"),
    ("AGL606", "unknown-prompt-variable", W, "runtime",
     "A `${...}` variable VS Code prompt files do not define"),
    ("AGL700", "skill-name-folder", E, "portability",
     "A skill `name` that differs from its folder name"),
    ("AGL702", "body-too-long", W, "runtime",
     "A GitHub custom agent body longer than 30,000 characters"),
    ("AGL703", "legacy-file-kind", W, "runtime",
     "A legacy VS Code chat mode file: custom agents replace it"),
    ("AGL704", "flow-collection", E, "portability",
     "A flow collection (`[...]`, `{...}`) in a SKILL.md: strictyaml rejects it"),
    ("AGL705", "unquoted-glob", W, "portability",
     "An unquoted glob starting with `*`: a YAML alias for strict parsers"),
    ("AGL706", "argument-hint-list", W, "runtime",
     "`argument-hint: [x]` is read as a list and shown without its brackets"),
    ("AGL707", "agents-need-agent-tool", W, "runtime",
     "`agents` has no effect unless `tools` includes `agent`"),
    ("AGL708", "github-only-key", H, "runtime",
     "A key only GitHub's cloud agent reads: ignored when running in VS Code"),
    ("AGL709", "conditional-skill", INFO, "runtime",
     "A skill with `paths`: Claude Code lists it only once a matching file is read"),
    ("AGL710", "unlisted-skill", W, "runtime",
     "A skill without a front-matter description: Claude Code before 2.1.69 does not list it"),
    ("AGL711", "unread-file", W, "runtime",
     "A file the runtime no longer reads at all (Codex custom prompts)"),
    # workspace: other files (core/workspace_checks.py)
    ("AGL800", "missing-link-target", W, "runtime",
     "A linked or included file that does not exist"),
    ("AGL801", "unknown-reference", W, "runtime",
     "A skill or agent referenced by name that the workspace does not define"),
    ("AGL802", "duplicate-name", W, "runtime",
     "Two agents with the same name in one agents folder: only one is loaded"),
    ("AGL803", "shadowed-name", INFO, "runtime",
     "A name that another scope also defines: one of them takes precedence"),
    ("AGL804", "unknown-mcp-server", INFO, "runtime",
     "An `mcp__` tool name whose server no `.mcp.json` or `mcpServers` configures"),
    # what the model sees: listings and budgets (issue 14)
    ("AGL805", "skill-listing-over-budget", W, "runtime",
     "The skill listing is over its budget: this skill's description is cut or not listed"),
    ("AGL806", "description-over-listing-limit", INFO, "runtime",
     "A skill's description passes the listing's per-description limit: its end is cut"),
    ("AGL807", "agent-listing-over-budget", W, "style",
     "The agent listing is over the team's budget (budgets.agentListing)"),
    # suppressions (core/suppress.py)
    ("AGL900", "unused-suppression", INFO, "style",
     "A suppression comment that matches no finding, or names no valid code"),
    ("AGL901", "suppression-without-reason", H, "style",
     "A suppression comment without `-- reason`"),
]
# fmt: on

CODES: dict[str, Code] = {row[0]: Code(*row) for row in _TABLE}
