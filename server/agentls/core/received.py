"""The description as Claude Code delivers it to the model, per file kind and version.

One place for the rules, used by hover, ``agentls explain`` and the conformance comparison.
Observed on 2.1.332 (tests/conformance recordings) and read in the runtime's own code:

* **agents** receive the ``description`` value as loaded, each literal ``\\n`` turned into a
  line break (formats.md §0.2 step 5); U+2028, U+2029 and U+0085 inside it stay as they are.
* **skills and commands** are listed (``- NAME: DESCRIPTION``) with:

  1. the ``description`` value, trimmed (JavaScript ``trim``); a number or boolean as JavaScript
     prints it; when it is missing, empty, of another type or the YAML failed: the first
     non-blank line of the body, a Markdown heading's ``#`` removed, cut at 100 characters
     (97 + ``...``), or ``Skill`` / ``Custom command`` when the body is blank;
  2. flattened (from :data:`LISTING_SANITISED_SINCE`): ANSI escapes removed, each run of control,
     format, unassigned, private-use and default-ignorable characters and line/paragraph
     separators becomes one space (a zero-width joiner inside an emoji stays), then ``<`` and
     ``>`` escaped as ``&lt;`` ``&gt;``; a literal ``\\n`` stays as is;
  3. ``when_to_use`` (as a string, flattened and escaped the same way, not trimmed) appended
     with `` - `` when not empty;
  4. cut at :data:`LISTING_CAP` characters (UTF-16 code units): the first ``cap - 1`` and ``…``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from agentls.core.dialects import LISTED_DIALECTS
from agentls.core.text import js_len, js_slice
from agentls.core.versions import Version
from agentls.core.yamltree import YMap, YNode, YScalar, parse, to_data

if TYPE_CHECKING:
    from agentls.core.analysis import Analysis

# The listing cut: 250 characters up to 2.1.104, 1,536 from 2.1.105 (both read in the
# runtime's code: `skillListingMaxDescChars`, default 1536).
LISTING_CAP_SINCE = Version(2, 1, 105)
LISTING_CAP = 1536
LISTING_CAP_BEFORE = 250
# and no cut at all before 2.1.86 (bisected on gen/skill/s0053: 2.1.85 lists 1,605 characters)
LISTING_CUT_SINCE = Version(2, 1, 86)
# Flattening and `<`/`>` escaping of listed descriptions: in the code from 2.1.216, but applied
# from 2.1.300 (bisected on gen/skill/s0005 and s0068: 2.1.299 lists the description as written);
# the character classes are those of 2.1.332, where the recordings confirm them (docs/errata.md).
LISTING_SANITISED_SINCE = Version(2, 1, 300)
# Before this version a skill without a description or `when_to_use` in its front matter
# (missing, or the YAML failed) is not in the listing at all: `/name` and the Skill tool still
# run it (bisected on gen/skill/s0225 and s0012, docs/errata.md). Commands fall back to the body
# throughout.
SKILL_BODY_LISTING_SINCE = Version(2, 1, 69)
BODY_LINE_MAX = 100  # the body fallback: longer first lines become 97 characters + "..."
DEFAULT_TITLE = {"claude-skill": "Skill", "claude-command": "Custom command"}  # LISTED_DIALECTS

# JavaScript's \s (and String.prototype.trim): WhiteSpace + LineTerminator
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501
_JS_LINE_END = "\n\r\u2028\u2029"  # what `.` does not match in a JavaScript regex
_HEADING = re.compile(rf"#+[{JS_SPACE}]+([^{JS_SPACE}][^{_JS_LINE_END}]*)")
# ansi-regex (what Bun.stripANSI removes): OSC strings and CSI/escape sequences
_ANSI = re.compile(
    r"(?:\x1b\][\s\S]*?(?:\x07|\x1b\\|\x9c))"
    r"|[\x1b\x9b][\[\]()#;?]*(?:\d{1,4}(?:[;:]\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~]"
)
_ASCII_RUN = re.compile(r"[\x00-\x1f\x7f]+")
# default-ignorable code points the runtime adds to \p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}
_IGNORABLE = (
    (0xAD, 0xAD),
    (0x34F, 0x34F),
    (0x61C, 0x61C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x1107F, 0x1107F),
    (0x13430, 0x1343F),
    (0x16FE4, 0x16FE4),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_JOINERS = frozenset("\u200c\u200d\ufe0f\U000e007f")
_SEPARATORS = "\u2028\u2029\x85"
_PLACEHOLDERS = "\ue000\ue001\ue002"


# ------------------------------------------------------------------ JavaScript semantics


def js_trim(s: str) -> str:
    return s.strip(JS_SPACE)


def js_number(x: float) -> str:
    """``String(x)`` for a JavaScript number (ECMAScript Number::toString)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    t = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    exp = int(t.exponent)
    k = len(digits)
    n = k + exp  # value = 0.digits x 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mant = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mant}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def js_string(value: Any) -> str:
    """``String(value)`` for a value as the runtime's YAML parser returns it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 2**53 else js_number(float(value))
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # Array.prototype.join(","): null and undefined print ""
        return ",".join("" if v is None else js_string(v) for v in value)
    return "[object Object]"


# ------------------------------------------------------------------ the transformations


def _flattened(c: str) -> bool:
    o = ord(c)
    if o < 0x80:
        return o < 0x20 or o == 0x7F
    if c in "\u2028\u2029\u2800" or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return True
    return any(lo <= o <= hi for lo, hi in _IGNORABLE)


def _pictographic(c: str) -> bool:
    o = ord(c)
    return 0x1F000 <= o <= 0x1FAFF or 0x2600 <= o <= 0x27BF or 0x2B00 <= o <= 0x2BFF or o == 0x2764


def _joining_script(c: str) -> bool:
    o = ord(c)
    return 0x600 <= o <= 0x8FF or 0x900 <= o <= 0xDFF


def _kept(s: str) -> set[int]:
    """Indices the runtime keeps although they are invisible: emoji sequences, joining letters.

    The runtime (only when the text has U+200C, U+200D, U+FE0F or U+E007F) keeps every
    character of a ``\\p{RGI_Emoji}`` match and of Arabic and Indic joiner contexts; this
    approximates both: a pictograph (or keycap base) with its variation selectors, skin tones,
    tags and ZWJ-joined pictographs; a ZWJ/ZWNJ between two letters of those scripts (a family,
    a flag, a keycap, a heart and a Persian ZWNJ were checked against 2.1.332)."""
    kept: set[int] = set()
    if not any(c in _JOINERS for c in s):
        return kept
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if not (_pictographic(c) or (c in "0123456789#*" and i + 1 < n and s[i + 1] == "\ufe0f")):
            i += 1
            continue
        j = i + 1
        while j < n:
            o = ord(s[j])
            if s[j] in "\ufe0f\u20e3" or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F:
                j += 1
            elif s[j] == "\u200d" and j + 1 < n and _pictographic(s[j + 1]):
                j += 2
            else:
                break
        kept.update(range(i, j))
        i = j
    for i in range(1, n - 1):
        if s[i] in "\u200c\u200d" and _joining_script(s[i - 1]) and _joining_script(s[i + 1]):
            kept.add(i)
    return kept


def flatten(s: str) -> str:
    """Each run of invisible or control characters becomes one space (ANSI escapes removed)."""
    if s.isascii():
        if "\x1b" in s:
            s = _ANSI.sub("", s)
        return _ASCII_RUN.sub(" ", s)
    s = _ANSI.sub("", s)
    kept = _kept(s)
    out: list[str] = []
    in_run = False
    for i, c in enumerate(s):
        if not _flattened(c):
            out.append(c)
            in_run = False
        elif i in kept:
            out.append(c)
        elif not in_run or out[-1] != " ":
            out.append(" ")
            in_run = True
    return "".join(out)


def escape_angles(s: str) -> str:
    return s.replace("<", "&lt;").replace(">", "&gt;")


def body_title(body: str, default: str) -> str:
    """The first non-blank line of the body (a heading without its ``#``), cut at 100."""
    for line in body.split("\n"):
        h = js_trim(line)
        if h:
            m = _HEADING.fullmatch(h)
            k = m.group(1) if m else h
            return js_slice(k, BODY_LINE_MAX - 3) + "..." if js_len(k) > BODY_LINE_MAX else k
    return default


def frontmatter_description(value: Any) -> str | None:
    """The ``description`` the runtime accepts, or None (it then falls back to the body)."""
    if isinstance(value, str):
        return js_trim(value) or None
    if isinstance(value, (bool, int, float)):
        return js_string(value)
    return None


def unlisted_skill(dialect: str, description: Any, when_to_use: Any, version: Version) -> bool:
    """Whether ``version`` leaves a skill with these loaded values out of the listing."""
    return (
        dialect == "claude-skill"
        and version < SKILL_BODY_LISTING_SINCE
        and frontmatter_description(description) is None
        and frontmatter_description(when_to_use) is None
    )


def listed_description(
    description: Any,
    when_to_use: Any,
    body: str,
    version: Version,
    default: str = "Skill",
) -> str:
    """A skill's or command's description as the listing shows it (see the module docstring).

    ``description`` and ``when_to_use`` are the loaded values (None: absent or YAML failed).
    """
    text = listing_text(description, when_to_use, body, version, default)
    cap = listing_cap(version)
    if cap is not None and js_len(text) > cap:
        text = js_slice(text, cap - 1) + "…"
    return text


def listing_cap(version: Version) -> int | None:
    """The per-description limit of ``version`` (UTF-16 code units), None: no cut."""
    if version < LISTING_CUT_SINCE:
        return None
    return LISTING_CAP if version >= LISTING_CAP_SINCE else LISTING_CAP_BEFORE


def listing_text(
    description: Any,
    when_to_use: Any,
    body: str,
    version: Version,
    default: str = "Skill",
) -> str:
    """The listed description before the per-description cut (steps 1-3 of the docstring)."""
    desc = frontmatter_description(description)
    if desc is None:
        desc = body_title(body, default)
    when = None if when_to_use is None else js_string(when_to_use)
    if version >= LISTING_SANITISED_SINCE:
        desc = escape_angles(flatten(desc))
        when = None if when is None else escape_angles(flatten(when))
    return f"{desc} - {when}" if when else desc


def listing_rules(version: Version) -> list[str]:
    """What ``version`` does to a listed description, in words (hover, explain)."""
    rules = ["trimmed", "`when_to_use` appended after ` - `"]
    if version >= LISTING_SANITISED_SINCE:
        rules.append("line breaks and invisible characters flattened to spaces")
        rules.append("`<` and `>` escaped")
    cap = LISTING_CAP if version >= LISTING_CAP_SINCE else LISTING_CAP_BEFORE
    if version >= LISTING_CUT_SINCE:
        rules.append(f"cut at {cap:,} characters")
    return rules


# ------------------------------------------------------------------ per analysis


def _value(root: YMap | None, key: str) -> Any:
    if root is None:
        return None
    e = root.get(key)
    if e is None:
        return None
    if isinstance(e.value, YScalar) and e.value.style == "raw":
        return e.value.value  # the line-wise reading of old versions: text as written
    return to_data(e.value)


def _with_separators(a: Analysis, node: YNode, value: str) -> str:
    """The value with the U+2028/U+2029/U+0085 that agentls's parser had to blank restored.

    libyaml reads them as line breaks, so the tree is built from a copy where they are
    spaces; Claude Code's parser keeps them as characters of the value.
    """
    block = a.block
    parse_mode = a.parse.mode if a.parse else None
    if block is None or parse_mode != "strict":
        return value
    raw = a.text[node.span.start : node.span.end]
    if not any(c in raw for c in _SEPARATORS) or any(c in raw for c in _PLACEHOLDERS):
        return value
    from agentls.core.textcheck import clean_for_yaml

    content = a.text[block.content.start : block.content.end]
    marked = clean_for_yaml(content.translate(str.maketrans(_SEPARATORS, _PLACEHOLDERS)))
    result = parse(marked, block.content.start)
    root = result.root
    if not result.ok or not isinstance(root, YMap):
        return value
    e = root.get("description")
    v = getattr(e.value, "value", None) if e is not None else None
    if not isinstance(v, str):
        return value
    return v.translate(str.maketrans(_PLACEHOLDERS, _SEPARATORS))


# Codex 0.169.0 lists each skill as `- NAME: DESCRIPTION` (tests/conformance/codex/NOTES.md
# rules 8, 12, 13): scalars are text as written, whitespace runs become one space, and a
# description longer than 1,024 characters is listed as its first 1,021 and `...`.
CODEX_LISTING_CAP = 1024


def codex_text(node: YNode | None) -> str | None:
    """A scalar as Codex's serde_yaml reads it into a string: as written (`3000`, `true`)."""
    if not isinstance(node, YScalar) or node.is_null:
        return None
    if isinstance(node.value, str):
        return node.value
    return node.raw if node.style is None else str(node.value)


def codex_flat(text: str) -> str:
    return " ".join(text.split())


def codex_listed_description(value: str) -> str:
    flat = codex_flat(value)
    cap = CODEX_LISTING_CAP
    return flat if len(flat) <= cap else flat[: cap - 3] + "..."


def codex_listed_name(a: Analysis) -> str | None:
    """The name Codex lists a skill by: its `name` flattened, else its folder's name."""
    from pathlib import PurePath

    root = a.root if a.runtime_loaded else None
    e = root.get("name") if root is not None else None
    name = codex_flat(codex_text(e.value) or "") if e is not None else ""
    if name:
        return name
    return PurePath(a.path).parent.name if a.path else None


def skills_ref_text(a: Analysis, key: str) -> str | None:
    """``key`` as skills-ref 0.1.1 reads it (``read-properties``): strictyaml makes every
    scalar text as written (`3000`, `~`), U+2028/U+2029 stay characters, the ends are
    stripped (tests/conformance/skills_ref/NOTES.md rules 5, 11)."""
    root = a.root if a.runtime_loaded else None
    e = root.get(key) if root is not None else None
    if e is None or not isinstance(e.value, YScalar):
        return None
    v = e.value
    text = v.value if isinstance(v.value, str) else v.raw
    if key == "description" and not a.text.isascii():
        # U+2028/U+2029 are characters for YAML 1.2; NEL still folds into a space (k0059)
        text = _with_separators(a, v, text).replace("\x85", " ")
    return text.strip()


def profile_description(text: str, profile: str) -> str | None:
    """The description a runtime other than Claude Code lists for the file, where agentls
    emulates it (Gemini CLI: ``dialects/gemini.py``); None otherwise."""
    if profile in ("gemini-agent", "gemini-skill"):
        from agentls.core.dialects import gemini

        r = gemini.reading(text, profile)
        return r.description if r is not None else None
    return None


def received_description(a: Analysis, version: Version) -> str | None:
    """What the model receives as the file's description; None when it receives none."""
    if a.dialect is None:
        return None
    dialect = a.dialect.dialect
    if dialect == "codex-skill":
        root = a.root if a.runtime_loaded else None
        e = root.get("description") if root is not None else None
        text = codex_text(e.value) if e is not None else None
        return codex_listed_description(text) if text and text.strip() else None
    if dialect in ("gemini-agent", "gemini-skill"):
        return profile_description(a.text, dialect)
    if dialect in LISTED_DIALECTS:
        text = received_listing_text(a, version)
        cap = listing_cap(version)
        if text is None or cap is None or js_len(text) <= cap:
            return text
        return js_slice(text, cap - 1) + "…"
    return _other_description(a, dialect)


def received_listing_text(a: Analysis, version: Version, with_when: bool = True) -> str | None:
    """A skill's or command's listed description before the per-description cut; None when
    the file is not a Claude skill or command, or ``version`` leaves it out of the listing."""
    if a.dialect is None or a.dialect.dialect not in LISTED_DIALECTS:
        return None
    dialect = a.dialect.dialect
    block = a.block
    body = a.text[block.body_start :] if block and block.found_by_runtime else a.text
    root = a.root if a.runtime_loaded else None
    desc = _value(root, "description")
    if unlisted_skill(dialect, desc, _value(root, "when_to_use"), version):
        return None
    entry = root.get("description") if root is not None else None
    # listed as written before the flattening: U+2028/U+2029/NEL kept
    old = version < LISTING_SANITISED_SINCE
    if old and isinstance(desc, str) and entry is not None and not a.text.isascii():
        desc = _with_separators(a, entry.value, desc)
    when = _value(root, "when_to_use") if with_when else None
    return listing_text(desc, when, body, version, DEFAULT_TITLE[dialect])


def _other_description(a: Analysis, dialect: str) -> str | None:
    if not a.runtime_loaded or a.root is None:
        return None
    e = a.root.get("description")
    if e is None:
        return None
    from agentls.core.dialects.claude_agent import runtime_description

    value: Any = getattr(e.value, "value", None)
    if isinstance(value, str) and dialect == "claude-agent" and not a.text.isascii():
        value = _with_separators(a, e.value, value)
    return runtime_description(value)
