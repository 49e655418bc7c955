"""The name and description a runtime shows for a file, per reader profile.

Claude Code's are in ``received`` (``Analysis.description``); this module has the other
runtimes' rules, as their conformance suites observed them. ``shown(a, view)`` (``view`` one of
``a.readers``) is None for a profile without rules here, and its fields are None where the
runtime shows nothing.

Copilot CLI 1.0.102 (tests/conformance/copilot_cli/NOTES.md):

* agents (``copilot-agent``): the ``name`` string as written, or when missing or ``""`` the file
  name without ``.agent.md``/``.md``, prefixed ``<folder>--`` per sub-folder of the agents folder
  (g0504, g0524, g0690); the ``description`` string as parsed (g0552, g0562);
* skills (``copilot-skill``): ``name`` with each space turned into ``-`` (g0860), or the folder
  name; ``description`` as written (a block scalar ending the front matter without its last line
  break: g0890, g0891), or the first paragraph of the body after its heading (``""``
  when there is none: g0867, g0868, g0979);
* instructions (``copilot-instructions``): the ``description`` string trimmed, else ``""`` (also
  after a YAML error or a control character: g1006, g1073, g1084, g1095); the label is the file
  name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from agentls.core.dialects import name_of, parent_name_of, path_parts
from agentls.core.yamltree import YMap, YScalar

if TYPE_CHECKING:
    from agentls.core.analysis import Analysis, RuntimeView


class Shown(NamedTuple):
    name: str | None
    description: str | None


_AGENT_ROOTS = ((".github", "agents"), (".claude", "agents"), (".copilot", "agents"))


def _string(root: YMap | None, key: str) -> str | None:
    e = root.get(key) if root is not None else None
    if e is None or not isinstance(e.value, YScalar) or not isinstance(e.value.value, str):
        return None
    return e.value.value if e.value.style != "raw" else None


def _agent_name(path: str | None, root: YMap | None) -> str | None:
    name = _string(root, "name")
    if name:
        return name
    if path is None:
        return None
    whole = path_parts(path)
    stem = name_of(whole).removesuffix(".md").removesuffix(".agent")
    parts = whole[:-1]
    for i in range(len(parts) - 2, -1, -1):
        if (parts[i], parts[i + 1]) in _AGENT_ROOTS:
            sub = parts[i + 2 :]
            return "--".join([*sub, stem]) if parts[i] == ".github" else stem
    return stem


def _first_paragraph(body: str) -> str:
    """The body's first paragraph after its heading (Copilot CLI's skill description)."""
    lines = body.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if not out:
            if not s or s.startswith("#"):
                continue
            out.append(s)
        elif not s or s.startswith("#"):
            break
        else:
            out.append(s)
    return " ".join(out)


def shown(a: Analysis, view: RuntimeView) -> Shown | None:
    profile, root, block = view.reader.profile, view.root, view.block
    if any(f.code == "AGL020" for f in view.findings):
        return Shown(None, None)  # past agentls's own limits: not known
    if profile == "copilot-agent":
        return Shown(_agent_name(a.path, root), _string(root, "description"))
    if profile == "copilot-skill":
        name = _string(root, "name")
        folder = parent_name_of(path_parts(a.path or "")) or None
        desc = _string(root, "description")
        last = root.entries[-1] if root is not None and root.entries else None
        if desc and last is not None and last.key_text == "description":
            e = last.value
            if isinstance(e, YScalar) and e.style in ("|", ">") and desc.endswith("\n"):
                desc = desc[:-1]  # the block is read without its last line break (g0890, g0891)
        if desc is None:
            body = a.text[block.body_start :] if block is not None else a.text
            desc = _first_paragraph(body)
        return Shown(name.replace(" ", "-") if name else folder, desc)
    if profile == "copilot-instructions":
        if any(f.code == "AGL102" for f in view.findings):
            root = None  # the YAML parse fails on it
        return Shown(None, (_string(root, "description") or "").strip())
    return None
