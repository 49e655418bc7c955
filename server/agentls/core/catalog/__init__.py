"""Vocabularies as data (design.md §1.5): one YAML catalogue per tool, loaded once, lazily.

Completion, hover, validation and the JSON schemas all read the same entries.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any, NamedTuple

from agentls.core.dialects import DIALECT_FILES as DIALECT_FILES
from agentls.core.files import CatalogError as CatalogError
from agentls.core.versions import Version

_DIR = os.path.dirname(os.path.abspath(__file__))  # (no pathlib: 3 ms of a check's start)


def __getattr__(name: str) -> Any:
    if name == "HERE":  # the catalogues' folder, for tooling and tests
        from pathlib import Path

        return Path(_DIR)
    raise AttributeError(name)


def source_data(name: str) -> Any:
    """The YAML source of a catalogue (what humans edit)."""
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(os.path.join(_DIR, f"{name}.yaml"), encoding="utf-8") as f:
        return yaml.load(f.read(), Loader=loader)


def compiled_json(name: str) -> str:
    """The JSON the package loads at run time, generated from the YAML source."""
    return json.dumps(source_data(name), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _load(name: str) -> Any:
    path = os.path.join(_DIR, f"{name}.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.read())
    except (OSError, ValueError) as e:
        raise CatalogError(
            f"cannot read the catalogue {path} ({getattr(e, 'strerror', None) or e}): "
            "this installation of agentls is incomplete; reinstall it"
        ) from e


def missing() -> list[str]:
    """The catalogue files the package lacks (empty for a sound installation)."""
    paths = (os.path.join(_DIR, f"{n}.json") for n in (*DIALECT_FILES, "claude_code"))
    return [p for p in paths if not os.path.isfile(p)]


class Entry(NamedTuple):
    """A named vocabulary entry (tool, model alias, colour, mode, event...)."""

    name: str
    doc: str = ""
    source: str = ""
    note: str | None = None
    status: str = "current"  # current | legacy | removed | deprecated
    since: Version | None = None
    until: Version | None = None
    since_docs: str | None = None
    until_docs: str | None = None
    extra: dict[str, Any] = {}  # noqa: RUF012 (never mutated)

    def available(self, version: Version) -> bool:
        return (self.since is None or version >= self.since) and (
            self.until is None or version < self.until
        )

    def markdown(self, title: str | None = None) -> str:
        """Hover text: name, doc, availability, note and source."""
        lines = [f"**{title or self.name}**", "", self.doc]
        when = []
        if self.since:
            when.append(f"since Claude Code {self.since}")
        elif self.since_docs:
            when.append(f"documented since {self.since_docs}")
        if self.until:
            when.append(f"gone in {self.until}")
        elif self.until_docs:
            when.append(f"undocumented since {self.until_docs}")
        if self.status != "current":
            when.insert(0, self.status)
        if when:
            lines += ["", "*" + "; ".join(when) + "*"]
        if self.note:
            lines += ["", self.note]
        if self.source:
            lines += ["", f"Source: {self.source}"]
        return "\n".join(lines)


class FieldSpec(NamedTuple):
    key: str
    type: str  # string | boolean | integer | tools | list | map | mcpServers | hooks
    required: bool
    entry: Entry
    values_doc: str = ""
    default: str | None = None
    bad_value: str = ""
    plugin_ignored: bool = False
    aliases: tuple[str, ...] = ()
    severity: str = "warning"  # of a bad value
    values: dict[str, Entry] | None = None  # closed value set (enum, or items of a list)
    values_ref: str | None = None  # e.g. "claude_code.tools": a shared vocabulary
    deprecated: dict[str, Any] | None = None  # {"replaced_by": key | None, "message": str}
    undocumented: bool = False
    item_kind: str | None = None  # tool | glob | permission-rule | agent | skill | model | string

    def limit(self, name: str) -> Any:
        """A limit from the catalogue: min, max, min_length, max_length, pattern, ..."""
        return self.entry.extra.get(name)

    def markdown(self) -> str:
        e = self.entry
        req = "required" if self.required else "optional"
        lines = [f"**{self.key}** ({req}, {self.type})", "", e.doc]
        if self.values_doc:
            lines += ["", f"Values: {self.values_doc}"]
        if self.default:
            lines += ["", f"Default: {self.default}"]
        if self.bad_value:
            lines += ["", f"If invalid: {self.bad_value}"]
        if self.plugin_ignored:
            lines += ["", "Ignored for plugin agents."]
        if self.deprecated:
            repl = self.deprecated.get("replaced_by")
            lines += ["", "**Deprecated**" + (f": use `{repl}`." if repl else ".")]
        if self.undocumented:
            lines += ["", "*Undocumented: it exists, but its effect is not described by the tool.*"]
        if e.since:
            lines += ["", f"*Since Claude Code {e.since}*"]
        elif e.since_docs:
            lines += ["", f"*Documented since {e.since_docs}*"]
        if e.source:
            lines += ["", f"Source: {e.source}"]
        return "\n".join(lines)


def _version(v: Any) -> Version | None:
    if v is None:
        return None
    try:
        return Version.parse(str(v))
    except ValueError:
        return None


_ENTRY_KEYS = {
    "name",
    "doc",
    "source",
    "note",
    "status",
    "since",
    "until",
    "since_docs",
    "until_docs",
}


def _entry(d: dict[str, Any], name_key: str = "name") -> Entry:
    return Entry(
        name=str(d[name_key]),
        doc=str(d.get("doc") or ""),
        source=str(d.get("source") or ""),
        note=d.get("note"),
        status=str(d.get("status") or "current"),
        since=_version(d.get("since")),
        until=_version(d.get("until")),
        since_docs=d.get("since_docs"),
        until_docs=d.get("until_docs"),
        extra={k: v for k, v in d.items() if k not in _ENTRY_KEYS and k != name_key},
    )


def _entries(items: list[dict[str, Any]] | None) -> dict[str, Entry]:
    return {str(d["name"]): _entry(d) for d in items or []}


class UnknownKeys(NamedTuple):
    """The keys a runtime recognises and how it names the others (a profile's
    `recognized_keys`; Claude Code agents)."""

    warning_since: Version | None
    recognized: tuple[str, ...]  # in the runtime's schema order (did-you-mean ties: the first)
    plugin_recognized: tuple[str, ...]
    plugin_unhinted: tuple[str, ...]
    hint_overrides: dict[str, str | None]  # normalised key -> target (None: no hint)
    hint_max_distance: int


class ModelRemap(NamedTuple):
    """Retired model ids Claude Code replaces with a current model (catalogue `remapped`)."""

    since: Version | None
    to: str  # the alias whose model replaces them
    env: str  # the variable that turns the replacement off
    ids: frozenset[str]


class ReadOnlyShell(NamedTuple):
    """The shell commands Claude Code runs from a body's `!` without an `allowed-tools` rule."""

    observed: Version | None
    commands: frozenset[str]  # first word(s), any arguments
    exact: frozenset[str]  # the whole command
    refused_arguments: dict[str, tuple[str, ...]]


class ClaudeCatalog(NamedTuple):
    fields: dict[str, FieldSpec]  # an agent's keys (the claude-agent profile's)
    tools: dict[str, Entry]
    model_aliases: dict[str, Entry]
    model_ids: dict[str, Entry]
    model_id_pattern: str
    model_ids_since: Version
    models_before_ids: tuple[str, ...]  # the only values (exactly) before model_ids_since
    colors: dict[str, Entry]
    not_colors: dict[str, Entry]
    permission_modes: dict[str, Entry]
    memory_scopes: dict[str, Entry]
    effort_levels: dict[str, Entry]
    isolation_modes: dict[str, Entry]
    hook_events: dict[str, Entry]
    hook_handler_types: dict[str, Entry]
    hook_common_keys: dict[str, Entry]
    mcp_server_types: dict[str, Entry]
    latest: Version
    milestones: tuple[Entry, ...]
    models_case_insensitive: bool
    model_remap: ModelRemap | None
    session_gates: dict[str, Entry]
    read_only_shell: ReadOnlyShell


_FIELD_KEYS = {
    "key",
    "type",
    "required",
    "values_doc",
    "default",
    "bad_value",
    "plugin_ignored",
    "aliases",
    "severity",
    "values",
    "values_ref",
    "deprecated",
    "undocumented",
    "item_kind",
}


def _field(f: dict[str, Any]) -> FieldSpec:
    entry = _entry({k: v for k, v in f.items() if k not in _FIELD_KEYS or k == "key"}, "key")
    values = f.get("values")
    return FieldSpec(
        key=f["key"],
        type=f["type"],
        required=bool(f.get("required")),
        entry=entry,
        values_doc=f.get("values_doc") or "",
        default=None if f.get("default") is None else str(f.get("default")),
        bad_value=f.get("bad_value") or "",
        plugin_ignored=bool(f.get("plugin_ignored")),
        aliases=tuple(f.get("aliases") or ()),
        severity=str(f.get("severity") or "warning"),
        values=_entries(values) if isinstance(values, list) else None,
        values_ref=f.get("values_ref"),
        deprecated=f.get("deprecated"),
        undocumented=bool(f.get("undocumented")),
        item_kind=f.get("item_kind"),
    )


class DialectSpec(NamedTuple):
    """How one tool reads one kind of file, and the keys it knows (a ``<dialect>.yaml``)."""

    id: str
    title: str
    tool: str
    sections: str
    confidence: str  # high | low
    parser: str  # claude | vscode | github | strictyaml | gray-matter | codex | lenient
    front_matter: str  # required | optional
    required: tuple[str, ...]
    unknown_keys: str  # severity label
    unknown_keys_effect: str
    body: str
    notes: str
    fields: dict[str, FieldSpec]
    # a runtime profile observed on the runtime (tests/conformance/<runtime>/): every value is
    # taken as typed (no coercion; an empty key is a null, not an absent one) ...
    strict_types: bool = False
    # ... and what an error means for the file, said in each error's message
    drop_effect: str = ""
    # the runtime no longer reads such files at all: this is said once, nothing else is checked
    unread: str = ""
    # every non-null scalar is text (`description: 3000` is "3000"), as strictyaml reads it
    scalars_as_text: bool = False
    # the AGL200 message, a template with `{key}`, `{tool}`, `{effect}` (default: generic)
    unknown_key_message: str = ""
    # the keys the runtime recognises and how it names the others (Claude Code agents)
    recognized: UnknownKeys | None = None
    # keys read but undocumented (AGL204 while read; until: no longer read)
    undocumented: dict[str, Entry] = {}  # noqa: RUF012 (never mutated)
    # what a file without front matter is to the runtime ({code, severity, message}), when it
    # is not AGL206 (Claude Code: documentation, not an agent)
    no_front_matter: dict[str, str] | None = None
    # what a YAML error means for the runtime, when it is neither a drop nor the parser's default
    yaml_effect: str = ""
    # the parser breaks lines at U+0085, U+2028 and U+2029 too (YAML 1.1, libyaml-style)
    yaml11_breaks: bool = False
    # the parser fails at this many levels of nesting (0: agentls's own limit only) ...
    yaml_max_depth: int = 0
    # ... and when aliases are replayed more than this many times the number of YAML events
    yaml_alias_factor: int = 0

    def key_aliases(self) -> dict[str, str]:
        return {a: f.key for f in self.fields.values() for a in f.aliases}


@functools.cache
def dialect(name: str) -> DialectSpec:
    d = _load(name)
    return DialectSpec(
        id=d["dialect"],
        title=d.get("title") or d["dialect"],
        tool=d.get("tool") or "",
        sections=d.get("sections") or "",
        confidence=d.get("confidence") or "high",
        parser=d.get("parser") or "lenient",
        front_matter=d.get("front_matter") or "optional",
        required=tuple(d.get("required") or ()),
        unknown_keys=d.get("unknown_keys") or "warning",
        unknown_keys_effect=d.get("unknown_keys_effect") or "ignored",
        body=d.get("body") or "none",
        notes=d.get("notes") or "",
        fields={f["key"]: _field(f) for f in d.get("fields") or []},
        strict_types=bool(d.get("strict_types")),
        drop_effect=d.get("drop_effect") or "",
        unread=d.get("unread") or "",
        scalars_as_text=bool(d.get("scalars_as_text")) or d.get("parser") == "strictyaml",
        unknown_key_message=d.get("unknown_key_message") or "",
        recognized=_unknown_keys(d["recognized_keys"]) if d.get("recognized_keys") else None,
        undocumented={u["key"]: _entry(u, "key") for u in d.get("undocumented_fields") or []},
        no_front_matter=d.get("no_front_matter"),
        yaml_effect=d.get("yaml_effect") or "",
        yaml11_breaks=bool(d.get("yaml11_breaks")),
        yaml_max_depth=int(d.get("yaml_max_depth") or 0),
        yaml_alias_factor=int(d.get("yaml_alias_factor") or 0),
    )


def vocabulary(ref: str | None) -> dict[str, Entry] | None:
    """A shared vocabulary named by a ``values_ref`` (``claude_code.tools`` ...)."""
    if not ref:
        return None
    c = claude()
    return {
        "claude_code.tools": c.tools,
        "claude_code.models": {**c.model_aliases, **c.model_ids},
        "claude_code.colors": c.colors,
        "claude_code.permission_modes": c.permission_modes,
        "claude_code.effort_levels": c.effort_levels,
        "claude_code.memory_scopes": c.memory_scopes,
        "claude_code.isolation_modes": c.isolation_modes,
        "claude_code.not_colors": c.not_colors,
        "claude_code.hook_events": c.hook_events,
    }.get(ref)


def field_values(spec: FieldSpec) -> dict[str, Entry] | None:
    return spec.values if spec.values is not None else vocabulary(spec.values_ref)


def fields_of(dialect_id: str) -> dict[str, FieldSpec]:
    """The keys a dialect knows ({} for an unknown dialect)."""
    try:
        return dialect(dialect_id).fields
    except (OSError, KeyError, ValueError):
        return {}


def values_of(dialect_id: str, key: str) -> dict[str, Entry] | None:
    """The known values of a key (closed enums, and vocabularies such as tool names)."""
    f = fields_of(dialect_id).get(key)
    return field_values(f) if f is not None else None


def with_article(title: str) -> str:
    """``title`` with its indefinite article, for a file kind ("an Agent Skills skill")."""
    return ("an " if title[:1].lower() in "aeiou" else "a ") + title


@functools.cache
def foreign_keys() -> dict[str, tuple[str, ...]]:
    """key -> titles of the dialects that know it (for "a key of another dialect" messages)."""
    index: dict[str, list[str]] = {k: ["Claude Code agent"] for k in claude().fields}
    for name in DIALECT_FILES:
        try:  # the keys and the title only: building each DialectSpec costs ten times more
            d = _load(name)
            title = d.get("title") or d["dialect"]
            keys = [f["key"] for f in d.get("fields") or []]
        except (OSError, KeyError, ValueError, TypeError):
            continue
        for k in keys:
            index.setdefault(k, []).append(title)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


def compile_all() -> dict[str, str]:
    """name -> JSON text, for every catalogue (what ``make catalog`` writes)."""
    return {
        n: compiled_json(n)
        for n in ("claude_code", "runtimes", "claude-agent", *DIALECT_FILES)
        if os.path.exists(os.path.join(_DIR, f"{n}.yaml"))
    }


def write_compiled() -> list[str]:
    """Regenerate the JSON the package loads from the YAML sources (`make catalog`)."""
    written = []
    for name, text in compile_all().items():
        path = __getattr__("HERE") / f"{name}.json"
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            written.append(path.name)
    return written


@functools.cache
def claude() -> ClaudeCatalog:
    d = _load("claude_code")
    agent = dialect("claude-agent")
    models = d["models"]
    return ClaudeCatalog(
        fields=agent.fields,
        tools=_entries(d["tools"]),
        model_aliases=_entries(models["aliases"]),
        model_ids=_entries(models["ids"]),
        model_id_pattern=models["id_pattern"],
        model_ids_since=Version.parse(str(models["ids_since"])),
        models_before_ids=tuple(str(m) for m in models.get("before_ids") or ()),
        colors=_entries(d["colors"]),
        not_colors=_entries(d["not_colors"]),
        permission_modes=_entries(d["permission_modes"]),
        memory_scopes=_entries(d["memory_scopes"]),
        effort_levels=_entries(d["effort_levels"]),
        isolation_modes=_entries(d["isolation_modes"]),
        hook_events=_entries(d["hook_events"]),
        hook_handler_types=_entries(d["hook_handler_types"]),
        hook_common_keys=_entries(d["hook_common_keys"]),
        mcp_server_types=_entries(d["mcp_server_types"]),
        latest=Version.parse(str(d["versions"]["latest"])),
        milestones=tuple(_entry({"name": m["version"], **m}) for m in d["versions"]["milestones"]),
        models_case_insensitive=bool(models.get("aliases_case_insensitive")),
        model_remap=_remap(models.get("remapped")),
        session_gates=_entries(d.get("session_gates")),
        read_only_shell=_read_only_shell(d.get("read_only_shell") or {}),
    )


def _read_only_shell(r: dict[str, Any]) -> ReadOnlyShell:
    return ReadOnlyShell(
        observed=_version(r.get("observed")),
        commands=frozenset(str(c) for c in r.get("commands") or ()),
        exact=frozenset(str(c) for c in r.get("exact") or ()),
        refused_arguments={
            str(k): tuple(str(a) for a in v) for k, v in (r.get("refused_arguments") or {}).items()
        },
    )


def _remap(r: dict[str, Any] | None) -> ModelRemap | None:
    if not r:
        return None
    return ModelRemap(
        since=_version(r.get("since")),
        to=str(r["to"]),
        env=str(r.get("env") or ""),
        ids=frozenset(r.get("ids") or ()),
    )


def _unknown_keys(u: dict[str, Any]) -> UnknownKeys:
    return UnknownKeys(
        warning_since=_version(u.get("warning_since")),
        recognized=tuple(u["recognized"]),
        plugin_recognized=tuple(u.get("plugin_recognized") or ()),
        plugin_unhinted=tuple(u.get("plugin_unhinted") or ()),
        hint_overrides=dict(u.get("hint_overrides") or {}),
        hint_max_distance=int(u.get("hint_max_distance", 2)),
    )
