"""The skill listing as Claude Code builds it: order, per-description cut, budget (issue 14).

The model sees every skill and command in one system text, ``The following skills are available
for use with the Skill tool:`` then one entry each, ``- NAME: DESCRIPTION``. Claude Code builds
it so (observed at each pinned version, tests/conformance/budget.py; the rules are data, the
``skill_listing`` section of ``catalog/claude_code.yaml``, with the versions where they change):

1. **entries and order**: the user's skills (``~/.claude/skills``), the project's, the user's
   and project's commands (``.claude/commands``, ``sub/x.md`` listed as ``sub:x``), a plugin's
   commands then skills (``plugin:x``), with the version's bundled skills first (before 2.1.154)
   or after them, and the built-in commands (``init``, ``security-review``...) last. Skills are
   sorted by name (JavaScript's code-unit order; ``localeCompare`` from 2.1.154, when the
   commands are sorted too: before, they come in the order their files finish loading);
2. **each description** (:func:`agentls.core.received.listing_text`: the description, `` - ``
   and ``when_to_use``) cut at ``description_limit`` UTF-16 code units (250 from 2.1.86, 1,536
   from 2.1.105; the ``skillListingMaxDescChars`` setting): the first ``limit - 1`` and ``…``;
3. **the budget**: ``SLASH_COMMAND_TOOL_CHAR_BUDGET`` when set, else
   ``floor(context window × bytes per token × fraction)``: 4 bytes (3 for models after
   Claude 4.6, from 2.1.139), 2 % before 2.1.86, then 1 % (``skillListingBudgetFraction`` from
   2.1.105). The listing's size is the sum of its entries' sizes (UTF-16 length; terminal
   *width* from 2.1.88: a CJK character or an emoji counts 2, a line break or a combining mark
   0) plus one per line break between entries. Past the budget the bundled skills (and entries
   ``skillOverrides`` sets to ``name-only``) stay whole; the others all lose the same share of
   their description (before 2.1.129; below 20 characters each: names only), or, from 2.1.129,
   keep it in listing order while what is left of the budget allows (a later short one may
   still fit), the rest listed by name alone (``- name``).

Pure: no I/O but the catalogue, no pygls. Offsets are code points of the entry's text.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from agentls.core.text import js_len, js_slice
from agentls.core.versions import Version

if TYPE_CHECKING:
    from agentls.core.analysis import Analysis
    from agentls.core.yamltree import YScalar

Status = Literal["whole", "cut", "dropped", "name-only"]
Source = Literal["bundled", "builtin", "user", "project", "plugin"]
Kind = Literal["skill", "command"]
ELLIPSIS = "…"
# what precedes the entries in the text the model receives (a system reminder before 2.1.154)
HEADING = "The following skills are available for use with the Skill tool:\n\n"


class Item(NamedTuple):
    """A skill or command the runtime lists, as loaded."""

    name: str  # as listed: a skill's folder, a command's path with `:` (`sub:deploy`)
    text: str  # the description as received, before any cut (received.listing_text)
    source: Source = "project"
    kind: Kind = "skill"
    display: str | None = None  # the skill's own `name` where it differs from its folder
    name_only: bool = False  # `skillOverrides: {NAME: name-only}` in settings
    path: str | None = None  # the file, for the caller
    description_chars: int | None = None  # of ``text``, the description's (then ` - ` WHEN)
    group: str | None = None  # a built-in listed among the plugins' commands: "plugin"


class Settings(NamedTuple):
    """What changes the budget: settings.json, the environment, the model."""

    fraction: float | None = None  # skillListingBudgetFraction
    max_desc: int | None = None  # skillListingMaxDescChars
    env_budget: str | None = None  # SLASH_COMMAND_TOOL_CHAR_BUDGET
    model: str | None = None  # the main model (alias or id), None: the version's default
    context_window: int | None = None  # overrides what the catalogue says of the model
    disable_1m: bool = False  # CLAUDE_CODE_DISABLE_1M_CONTEXT
    name_only: frozenset[str] = frozenset()  # skillOverrides: {NAME: name-only}


class Entry(NamedTuple):
    item: Item
    line: str  # the entry as listed (`- name: description`, or `- name`)
    status: Status  # whole, cut (at its own limit or by the budget), dropped (over budget)
    shown: int  # code points of item.text the model sees (before the `…`)
    size: int  # what the entry counts against the budget (without its line break)
    full_size: int  # what it would count with its whole (limit-cut) description
    reason: str | None = None  # "limit" or "budget" when cut or dropped

    @property
    def chars(self) -> int:
        """Characters (UTF-16 code units, as the runtime counts) of the entry as listed."""
        return js_len(self.line)

    @property
    def lost(self) -> tuple[int, int] | None:
        """The code-point span of ``item.text`` the model does not see, if any."""
        n = len(self.item.text)
        return (self.shown, n) if self.shown < n else None


class Listing(NamedTuple):
    text: str  # the entries joined by line breaks, exactly as sent
    entries: tuple[Entry, ...]
    total: int  # the full listing's size (what the runtime compares with the budget)
    budget: int
    over: bool
    limit: int | None  # per-description limit (UTF-16 code units), None: no cut
    bytes_per_token: int = 4  # the runtime's own estimate for the model (budget)
    rules: Rules = None  # type: ignore[assignment]

    @property
    def chars(self) -> int:
        """Characters of the listing as sent (UTF-16 code units)."""
        return js_len(self.text)

    @property
    def approx_tokens(self) -> int:
        """An approximation: characters / the bytes per token the runtime assumes."""
        return math.ceil(self.chars / self.bytes_per_token)

    @property
    def size(self) -> int:
        """The size of the listing as sent."""
        return sum(e.size for e in self.entries) + max(0, len(self.entries) - 1)


# ------------------------------------------------------------------ the rules, per version


class Rules(NamedTuple):
    since: Version
    order: str = "builtin-first"  # builtin-first | builtin-last
    sort: str = "code-units"  # code-units | locale
    commands_sorted: bool = False
    over_budget: str = "even"  # even | first-fit
    measure: str = "length"  # length | width
    default_fraction: float = 0.02
    fraction_setting: bool = False
    max_desc_setting: bool = False
    default_budget: int = 16000  # when the context window is unknown (even)
    bytes_per_token_by_model: bool = False
    description_limit: int | None = None
    display_names: bool = False
    name_only: bool = False
    windows: dict[str, list[int]] = {}  # noqa: RUF012  # model -> [window, bytes]; never mutated
    builtins: tuple[tuple[str, str, bool, str | None], ...] = ()  # name, text, bundled, group


def _catalogue() -> dict[str, Any]:
    from agentls.core.catalog import _load

    data: dict[str, Any] = _load("claude_code")["skill_listing"]
    return data


def _observed() -> dict[str, Any]:
    from agentls.core.catalog import _load

    data: dict[str, Any] = _load("claude_code").get("skill_listing_observed") or {}
    return data


@functools.cache
def rules(version: Version) -> Rules:
    """The listing rules of ``version``: every change up to it, folded."""
    data = _catalogue()
    r = Rules(since=Version(0))
    for change in sorted(data["changes"], key=lambda c: Version.parse(str(c["since"]))):
        since = Version.parse(str(change["since"]))
        if since > version:
            break
        values = {k: v for k, v in change.items() if k not in ("since", "why", "evidence")}
        r = r._replace(since=since, **values)
    windows: dict[str, list[int]] = {}
    builtins: tuple[tuple[str, str, bool, str | None], ...] = ()
    for v, block in sorted(_observed().items(), key=lambda kv: Version.parse(str(kv[0]))):
        if Version.parse(str(v)) <= version:  # the nearest observed version at or below
            windows = dict(block.get("windows") or {})
            builtins = tuple(
                (str(b["name"]), str(b["description"]), bool(b.get("bundled")), b.get("group"))
                for b in block["builtins"]
            )
    return r._replace(windows=windows, builtins=builtins)


def builtin_items(version: Version) -> list[Item]:
    """The version's built-in skills (bundled: kept whole) and commands (init, review...)."""
    return [
        Item(
            n,
            d,
            "bundled" if bundled else "builtin",
            "skill" if bundled else "command",
            group=group,
        )
        for n, d, bundled, group in rules(version).builtins
    ]


# ------------------------------------------------------------------ measures


def _zero_width(c: str) -> bool:
    o = ord(c)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return True
    if 0x200B <= o <= 0x200F or 0xFE00 <= o <= 0xFE0F or 0x2060 <= o <= 0x2064 or o == 0xFEFF:
        return True
    if 0xE0000 <= o <= 0xE0FFF:
        return True
    return unicodedata.category(c) in ("Mn", "Me", "Cf", "Cs")


def char_width(c: str) -> int:
    """A character's terminal width as Bun.stringWidth (ambiguous characters narrow)."""
    o = ord(c)
    if 0x20 <= o < 0x7F:
        return 1
    if _zero_width(c):
        return 0
    if 0x1F3FB <= o <= 0x1F3FF:  # skin tones join the emoji before them
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


_ASCII_CONTROLS = dict.fromkeys([*range(0x20), 0x7F])


def text_width(s: str) -> int:
    """The terminal width of ``s`` (what the runtime measures the listing in)."""
    if s.isascii():
        return len(s.translate(_ASCII_CONTROLS))
    return _wide_width(s)


@functools.lru_cache(maxsize=4096)  # the built-ins' entries come back in every listing
def _wide_width(s: str) -> int:
    return sum(_cluster_width(g) for g in graphemes(s))


def _cluster_width(g: str) -> int:
    if len(g) == 1:
        return char_width(g)
    if any(c == "\u200d" for c in g) or any(0x1F3FB <= ord(c) <= 0x1F3FF for c in g):
        return 2  # an emoji sequence is one wide glyph
    if "\ufe0f" in g:
        return 2
    return char_width(g[0]) + sum(char_width(c) for c in g[1:] if unicodedata.category(c) == "Mc")


def graphemes(s: str) -> Iterable[str]:
    """Approximate extended grapheme clusters (Intl.Segmenter): a base and its marks, joiners,
    variation selectors and skin tones."""
    cluster = ""
    join = False
    for c in s:
        o = ord(c)
        extend = bool(cluster) and (
            join
            or unicodedata.category(c) in ("Mn", "Me", "Mc")
            or c in "\u200d\ufe0f\ufe0e"
            or 0x1F3FB <= o <= 0x1F3FF
            or 0xE0020 <= o <= 0xE007F
        )
        if extend:
            cluster += c
        else:
            if cluster:
                yield cluster
            cluster = c
        join = c == "\u200d"
    if cluster:
        yield cluster


def measure(rules_: Rules, s: str) -> int:
    return text_width(s) if rules_.measure == "width" else js_len(s)


# ------------------------------------------------------------------ order

# CLDR root collation of the ASCII punctuation and symbols (before digits, then letters)
_PUNCT = "\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_PRIMARY = {c: i for i, c in enumerate(_PUNCT)}


def locale_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key close to ``a.localeCompare(b)`` (ICU root): punctuation, digits, letters
    (case and accents only break ties, lowercase first)."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for c in unicodedata.normalize("NFD", name):
        if unicodedata.category(c) == "Mn":
            secondary[-1:] = [ord(c)] if secondary else []
            continue
        low = c.lower()
        if c in _PRIMARY:
            primary.append(_PRIMARY[c])
        elif c.isdigit():
            primary.append(100 + int(unicodedata.digit(c, 0)))
        elif low.isascii() and low.isalpha():
            primary.append(200 + ord(low))
        else:
            primary.append(1000 + ord(low))
        secondary.append(0)
        tertiary.append(1 if c != low else 0)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def _sorted(items: Sequence[Item], how: str) -> list[Item]:
    if how == "locale":
        return sorted(items, key=lambda i: locale_key(i.name))
    return sorted(items, key=lambda i: i.name.encode("utf-16-be"))


def ordered(items: Iterable[Item], version: Version) -> list[Item]:
    """The runtime's order: the user's skills, the project's, their commands, the plugins'
    commands then skills, with the bundled skills first or last and the built-in commands
    (``init``...) at the end."""
    r = rules(version)
    items = list(items)
    bundled = [i for i in items if i.source == "bundled" and i.group is None]
    builtin = [i for i in items if i.source == "builtin" and i.group is None]

    def group(source: tuple[str, ...], kind: Kind) -> list[Item]:
        found = [i for i in items if i.source in source and i.kind == kind and i.group is None]
        if source == ("plugin",) and kind == "command":  # built-ins loaded with the plugins
            found = [i for i in items if i.group == "plugin"] + found
        if r.commands_sorted or (kind == "skill" and source != ("plugin",)):
            return _sorted(found, r.sort)
        # before 2.1.154 commands and plugin skills come in the order their files finish
        # loading, which varies from run to run: as given (the user's first)
        return sorted(found, key=lambda i: source.index(i.source) if i.source in source else 0)

    rest = [
        *group(("user",), "skill"),
        *group(("project",), "skill"),
        *group(("user", "project"), "command"),
        *group(("plugin",), "command"),
        *group(("plugin",), "skill"),
    ]
    if r.order == "builtin-first":
        return bundled + rest + builtin
    return rest + bundled + builtin


# ------------------------------------------------------------------ budget


def js_number(text: str) -> float:
    """JavaScript's ``Number(text)`` for a decimal string (NaN as nan)."""
    t = text.strip()
    if t == "":
        return 0.0
    try:
        if t.lower().startswith(("0x", "0o", "0b")):
            return float(int(t, 0))
        if t.lower().endswith(("inf", "infinity", "nan")) and t.lstrip("+-") != "Infinity":
            return math.nan
        return float(t)
    except ValueError:
        return math.nan


def context(version: Version, settings: Settings) -> tuple[int, int]:
    """(context window, bytes per token) of the main model, as the catalogue knows them."""
    r = rules(version)
    model = settings.model or "default"
    known = r.windows.get(model) or r.windows.get(model.lower())
    window, per_token = known if known else (200000, 4)
    if not known and r.bytes_per_token_by_model:
        old = _catalogue().get("four_bytes_per_token_models") or ()
        base = model.lower().replace("[1m]", "").replace(".", "-").replace("_", "-")
        per_token = 4 if any(base.startswith(m) for m in old) else 3
    if "[1m]" in model.lower() and not settings.disable_1m:
        window = 1_000_000
    if settings.disable_1m and window > 200_000:  # CLAUDE_CODE_DISABLE_1M_CONTEXT
        window = 200_000
    if settings.context_window is not None:
        window = settings.context_window
    return window, per_token


def budget(version: Version, settings: Settings) -> int:
    r = rules(version)
    if settings.env_budget is not None:
        n = js_number(settings.env_budget)
        if n and not math.isnan(n):
            return int(n) if n == int(n) else math.floor(n)
    window, per_token = context(version, settings)
    fraction = r.default_fraction
    if r.fraction_setting and settings.fraction is not None:
        fraction = settings.fraction
    return max(1, math.floor(window * per_token * fraction))


# ------------------------------------------------------------------ the listing


def cut(text: str, limit: int | None) -> tuple[str, int]:
    """(text cut at ``limit`` UTF-16 units with ``…``, code points kept)."""
    if limit is None or js_len(text) <= limit:
        return text, len(text)
    kept = js_slice(text, limit - 1)
    return kept + ELLIPSIS, len(kept)


def _shown_name(item: Item, items: Sequence[Item], r: Rules) -> str:
    d = item.display
    if not r.display_names or not d or d == item.name or item.name.endswith(f":{d}"):
        return item.name
    if len(d) > 64 or not all(c.isalnum() or c in "_:.-" for c in d):
        return item.name
    if any(o.name == d for o in items if o is not item):
        return item.name
    return f"{item.name} ({d})"


def build(
    items: Iterable[Item],
    version: Version,
    settings: Settings | None = None,
    with_builtins: bool = True,
) -> Listing:
    """The listing ``version`` sends for these skills and commands (built-ins added)."""
    settings = settings or Settings()
    r = rules(version)
    given = list(items)
    if with_builtins and not any(i.source in ("bundled", "builtin") for i in given):
        given += builtin_items(version)
    entries_in = ordered(given, version)
    limit = r.description_limit
    if r.max_desc_setting and settings.max_desc is not None and limit is not None:
        limit = settings.max_desc
    b = budget(version, settings)
    per_token = context(version, settings)[1]
    names = [_shown_name(i, entries_in, r) for i in entries_in]
    name_only = [r.name_only and (i.name_only or i.name in settings.name_only) for i in entries_in]
    fulls: list[tuple[str, int, bool]] = []  # (line, shown, cut at the limit)
    for i, n, no in zip(entries_in, names, name_only, strict=True):
        if no:
            fulls.append((f"- {i.name}", 0, False))
            continue
        text, shown = cut(i.text, limit)
        fulls.append((f"- {n}: {text}", shown, shown < len(i.text)))
    sizes = [measure(r, f[0]) for f in fulls]
    total = sum(sizes) + len(fulls) - 1 if fulls else 0

    def entry(k: int, line: str, status: Status, shown: int, reason: str | None) -> Entry:
        return Entry(entries_in[k], line, status, shown, measure(r, line), sizes[k], reason)

    def whole(k: int) -> Entry:
        line, shown, was_cut = fulls[k]
        if name_only[k]:
            return entry(k, line, "name-only", 0, None)
        return entry(k, line, "cut" if was_cut else "whole", shown, "limit" if was_cut else None)

    fixed = [i.source == "bundled" or no for i, no in zip(entries_in, name_only, strict=True)]
    if total <= b or all(fixed):
        out = [whole(k) for k in range(len(fulls))]
        return _listing(out, total, b, False, limit, r, per_token)
    rest = [k for k in range(len(fulls)) if not fixed[k]]
    if r.over_budget == "first-fit":
        bare = {k: f"- {names[k] if r.display_names else entries_in[k].name}" for k in rest}
        used = sum(sizes[k] if fixed[k] else measure(r, bare[k]) for k in range(len(fulls)))
        left = b - (used + len(fulls) - 1)
        keep: set[int] = set()
        for k in rest:  # by priority (usage), which a fresh profile does not have: in order
            extra = sizes[k] - measure(r, bare[k])
            if extra <= left:
                keep.add(k)
                left -= extra
        out = [
            whole(k) if fixed[k] or k in keep else entry(k, bare[k], "dropped", 0, "budget")
            for k in range(len(fulls))
        ]
        return _listing(out, total, b, True, limit, r, per_token)
    # even: every other description cut to the same size
    fixed_size = sum(sizes[k] + 1 for k in range(len(fulls)) if fixed[k])
    names_size = sum(measure(r, entries_in[k].name) + 4 for k in rest) + len(rest) - 1
    each = math.floor((b - fixed_size - names_size) / len(rest))
    out = []
    for k in range(len(fulls)):
        if fixed[k]:
            out.append(whole(k))
            continue
        i = entries_in[k]
        if each < 20:
            out.append(entry(k, f"- {i.name}", "dropped", 0, "budget"))
            continue
        text, shown = cut(i.text, limit)
        if measure(r, text) > each:
            text, shown = _width_cut(text, each) if r.measure == "width" else cut(text, each)
            out.append(entry(k, f"- {i.name}: {text}", "cut", shown, "budget"))
        else:
            out.append(whole(k))
    return _listing(out, total, b, True, limit, r, per_token)


def _width_cut(text: str, width: int) -> tuple[str, int]:
    """Graphemes while they fit in ``width - 1`` columns, then ``…`` (2.1.112's truncate)."""
    kept = 0
    used = 0
    for g in graphemes(text):
        w = _cluster_width(g)
        if used + w > width - 1:
            break
        used += w
        kept += len(g)
    return text[:kept] + ELLIPSIS, kept


def _listing(
    entries: list[Entry], total: int, b: int, over: bool, limit: int | None, r: Rules, bpt: int
) -> Listing:
    text = "\n".join(e.line for e in entries)
    return Listing(text, tuple(entries), total, b, over, limit, bpt, r)


# ------------------------------------------------------------------ from agentls's analyses


def listed_name(path: str, kind: Kind) -> str:
    """A skill's folder; a command's path under ``commands/`` with ``:`` for ``/``."""
    parts = path.replace("\\", "/").split("/")
    if kind == "skill":
        return parts[-2] if len(parts) >= 2 else parts[-1]
    i = len(parts) - 1 - parts[::-1].index("commands") if "commands" in parts else len(parts) - 1
    rel = "/".join(parts[i + 1 :])
    return (rel[:-3] if rel.endswith(".md") else rel).replace("/", ":")


def item_from(analysis: Analysis, version: Version, source: Source = "project") -> Item | None:
    """The listing entry of an analysed Claude skill or command (None: not listed)."""
    from agentls.core.received import received_listing_text

    a = analysis
    if a.dialect is None or a.path is None:
        return None
    kind: Kind = "skill" if a.dialect.dialect == "claude-skill" else "command"
    text = received_listing_text(a, version)
    if text is None:
        return None
    display = None
    root = a.root if a.runtime_loaded else None
    e = root.get("name") if root is not None else None
    value = getattr(e.value, "value", None) if e is not None else None
    if kind == "skill" and isinstance(value, str):
        display = value
    desc = received_listing_text(a, version, with_when=False)
    return Item(
        listed_name(a.path, kind),
        text,
        source,
        kind,
        display,
        path=a.path,
        description_chars=len(desc) if desc is not None else None,
    )


def lost_span(analysis: Analysis, entry: Entry) -> tuple[int, int] | None:
    """The code-point span of the file that the model does not see of this entry's
    description (and ``when_to_use``): for a diagnostic's range. None: nothing lost, or the
    text is not the front matter's (a body title)."""
    lost = entry.lost
    root = analysis.root if analysis.runtime_loaded else None
    if lost is None or root is None or entry.item.description_chars is None:
        return None
    d = root.get("description")
    w = root.get("when_to_use")
    from agentls.core.yamltree import YScalar

    dn = d.value if d is not None and isinstance(d.value, YScalar) else None
    wn = w.value if w is not None and isinstance(w.value, YScalar) else None
    if dn is None:
        return None
    end = (wn or dn).span.end
    shown, n_desc = entry.shown, entry.item.description_chars
    if shown < n_desc:
        return _offset_in(analysis.text, dn, entry.item.text[:shown]), end
    if wn is None:
        return None
    if shown < n_desc + 3:
        return wn.span.start, end
    when_shown = entry.item.text[n_desc + 3 : shown]
    return _offset_in(analysis.text, wn, when_shown), end


def _offset_in(text: str, node: YScalar, kept: str) -> int:
    """Where in ``text`` a scalar's value stops being ``kept`` (exact for plain and quoted
    one-line values written without escapes; else the best match of the kept tail)."""
    raw = text[node.span.start : node.span.end]
    inner = 1 if node.style in ("'", '"') else 0
    body = raw[inner:]
    lead = len(body) - len(body.lstrip())
    if body[lead:].startswith(kept):
        return node.span.start + inner + lead + len(kept)
    tail = kept[-24:]
    i = body.rfind(tail) if tail else -1
    return node.span.start + inner + (i + len(tail) if i >= 0 else 0)
