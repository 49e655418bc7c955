"""Command line: ``agentls check``, ``agentls schema``, ``agentls serve``.

The check path imports only the core (never pygls or lsprotocol) so that it starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from agentls import __version__, render
from agentls.core.analysis import Analysis, analyze
from agentls.core.catalog import CatalogError
from agentls.core.codes import CODES
from agentls.core.config import Config, Layered
from agentls.core.dialects import DialectMatch, detect
from agentls.core.files import (
    MAX_FILE_BYTES,
    decode,
    describe,
    read_bytes,
    regular_files,
    write_text,
)
from agentls.core.findings import Finding
from agentls.core.settings import DIALECT_IDS, Settings
from agentls.core.text import Columns, LineIndex, Span, utf16_len
from agentls.core.workspace import SKIP_DIRS
from agentls.render import FullWriter

if TYPE_CHECKING:
    from agentls.core.workspace_checks import Workspace


PROGRESS_AFTER = 1.0  # seconds before `check` shows its progress on a terminal
PROGRESS_EVERY = 0.1  # seconds between two redraws of the progress line


class UsageError(Exception):
    pass


def iter_files(
    paths: Sequence[str],
    force: DialectMatch | None,
    settings: Settings | Project | None = None,
) -> Iterator[tuple[str, DialectMatch]]:
    """Files to check: explicit files of a known dialect, and such files under directories.

    Raises UsageError at once (before any file is checked) for a path that does not exist, a
    broken symbolic link or a link loop."""
    for p in paths:
        try:
            os.stat(p)
        except OSError as e:
            raise UsageError(f"{p}: {describe(p, e)}") from None
    return _iter_files(paths, force, settings or Settings())


def _iter_files(
    paths: Sequence[str], force: DialectMatch | None, settings: Settings | Project
) -> Iterator[tuple[str, DialectMatch]]:
    def match(path: str) -> DialectMatch | None:
        if force is not None:
            if isinstance(settings, Project) and settings.excluded(path):
                return None
            return force if path.endswith((".md", ".mdc")) else None
        if isinstance(settings, Project):
            return settings.match(path)
        m = detect(path, patterns=settings.patterns)
        return None if m is None or m.dialect in settings.disabled else m

    for p in paths:
        if os.path.isdir(p):
            for full in regular_files(p, SKIP_DIRS):
                m = match(full)
                if m is not None:
                    yield full, m
            continue
        m = match(p)
        if m is not None:
            yield p, m  # not a regular file (a FIFO): read_text says so


class Project(Layered):
    """The settings of each file (agentls.core.config.Layered, the command line on top); each
    config's problems written to ``err`` once."""

    def __init__(
        self, over: dict[str, Any], err: TextIO, use_config: bool = True, suppressions: bool = True
    ) -> None:
        super().__init__(over, use_config=use_config)
        self.err = err
        self.suppressions = suppressions
        self.bad_config = False
        self._reported: set[str] = set()

    def config(self, path: str) -> Config | None:
        config = super().config(path)
        if config is not None and config.path not in self._reported:
            self._reported.add(config.path)
            for problem in config.problems:
                print(f"agentls: {problem}", file=self.err)
                self.bad_config = True
        return config

    def adjust(self, settings: Settings) -> Settings:
        return settings if self.suppressions else settings._replace(suppressions=False)


def read_text(path: str) -> tuple[str, tuple[Finding, ...]]:
    """Decode as Node.js does (invalid bytes become U+FFFD), reporting where they were."""
    return decode(read_bytes(path, MAX_FILE_BYTES))


def lsp_range(lines: LineIndex | Columns, span: Span) -> dict[str, dict[str, int]]:
    """An LSP range in UTF-16 code units (pass the Columns of a file to convert many)."""
    cols = lines if isinstance(lines, Columns) else Columns(lines, utf16_len)

    def pos(offset: int) -> dict[str, int]:
        line, col = cols.lines.position(offset)
        return {"line": line, "character": cols.units(line, col)}

    return {"start": pos(span.start), "end": pos(span.end)}


def diagnostics(path: str, a: Analysis, more: Sequence[Finding] = ()) -> list[dict[str, Any]]:
    out = []
    cols = Columns(a.lines, utf16_len)
    for f in sorted((*a.findings, *more), key=Finding.sort_key) if more else a.findings:
        out.append(
            {
                "path": path,
                "range": lsp_range(cols, f.span),
                "severity": f.severity.label,
                "code": f.code,
                "message": f.message,
                "source": "agentls",
            }
        )
    return out


HOME = "https://github.com/agentls/agentls"
_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def _sarif_rules(used: Iterable[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": c,
            "name": CODES[c].name,
            "shortDescription": {"text": CODES[c].summary},
            "helpUri": f"{HOME}/blob/main/docs/rules.md#{c.lower()}",
            "defaultConfiguration": {"level": _LEVEL[CODES[c].severity.label]},
        }
        for c in sorted(used)
    ]


def _sarif_result(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleId": d["code"],
        "level": _LEVEL[d["severity"]],
        "message": {"text": d["message"]},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(render.github_path(d["path"]))},
                    "region": {
                        "startLine": d["range"]["start"]["line"] + 1,
                        "startColumn": d["range"]["start"]["character"] + 1,
                        "endLine": d["range"]["end"]["line"] + 1,
                        "endColumn": d["range"]["end"]["character"] + 1,
                    },
                }
            }
        ],
    }


def _sarif(results: list[Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "columnKind": "utf16CodeUnits",
                "results": results,  # before the tool: the rules are known only at the end
                "tool": {
                    "driver": {
                        "name": "agentls",
                        "version": __version__,
                        "informationUri": HOME,
                        "rules": rules,
                    }
                },
            }
        ],
    }


_HOLE = "\x00findings"


class Report:
    """Findings written as each file is checked, so that a walk over 50,000 files holds no
    list of them (text, json and sarif alike); the counts give the summary and exit status."""

    def __init__(
        self, fmt: str, out: TextIO, progress: Progress | None = None, color: bool = False
    ) -> None:
        self.fmt = fmt
        self.out = out
        self.progress = progress
        self.color = color
        self._full = FullWriter(out, color) if fmt == "full" else None
        self.counts = dict.fromkeys(("error", "warning", "information", "hint"), 0)
        self.codes: set[str] = set()
        self._items = 0
        self._pad = ""
        if fmt in ("json", "sarif"):  # "text", or "stats": nothing is written
            opening, self._pad, _ = self._document(())
            out.write(opening)

    def _document(self, rules: Iterable[str]) -> tuple[str, str, str]:
        """The JSON text up to the findings' "[", the indent of an item, and the text after
        the last item: together, what json.dump with indent=1 writes."""
        skeleton: Any = [_HOLE] if self.fmt == "json" else _sarif([_HOLE], _sarif_rules(rules))
        text = json.dumps(skeleton, ensure_ascii=False, indent=1)
        head, tail = text.split(json.dumps(_HOLE))
        opening, pad = head.rsplit("\n", 1)
        return opening, pad, tail

    def add(self, d: dict[str, Any]) -> None:
        self.counts[d["severity"]] += 1
        self.codes.add(d["code"])
        if self.progress is not None:
            self.progress.clear()
        if self.fmt == "github":
            self.out.write(render.github(d))
            return
        if self.fmt != "json" and self.fmt != "sarif":
            self.out.write(render.concise(d, self.color))
            return
        item = json.dumps(
            d if self.fmt == "json" else _sarif_result(d), ensure_ascii=False, indent=1
        )
        pad = self._pad
        self.out.write(("\n" if self._items == 0 else ",\n") + pad + item.replace("\n", "\n" + pad))
        self._items += 1

    def file(self, path: str, a: Analysis, more: Sequence[Finding] = ()) -> None:
        """Every finding of one checked file."""
        ds = diagnostics(path, a, more)
        if self._full is None:
            for d in ds:
                self.add(d)
            return
        found = sorted((*a.findings, *more), key=Finding.sort_key) if more else a.findings
        for d in ds:
            self.counts[d["severity"]] += 1
            self.codes.add(d["code"])
        if ds and self.progress is not None:
            self.progress.clear()
        self._full.file(path, a.lines, [(f.span, d) for f, d in zip(found, ds, strict=True)])

    def close(self) -> None:
        if self.fmt not in ("json", "sarif"):
            return
        _, _, tail = self._document(self.codes)
        if self._items == 0:  # json.dump writes an empty list as []
            self.out.write(tail.lstrip() + "\n")
        else:
            self.out.write(tail + "\n")


class Progress:
    """A line on a terminal's stderr, "agentls: checked 12,000 files…", rewritten in place
    once the run has lasted PROGRESS_AFTER seconds; cleared before anything else is written."""

    def __init__(self, err: TextIO, start: float) -> None:
        self.err = err
        self.shown = False
        self._next = start + PROGRESS_AFTER

    def tick(self, checked: int) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + PROGRESS_EVERY
        self.err.write(f"\ragentls: checked {checked:,} file{'s' if checked != 1 else ''}…")
        self.err.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.shown = False


TARGETS_HELP = (
    "the runtimes whose verdicts count, comma-separated (claude-code, copilot-cli, vscode, "
    "skills-ref, opencode, gemini-cli, codex, cursor); findings about the others become "
    "information (default: every runtime that reads each file)"
)


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    raw: dict[str, Any] = {}
    if args.claude_version:
        raw["claudeCode.version"] = args.claude_version
    if args.severity:
        raw["severity"] = dict(_pairs(args.severity, "--severity"))
    dialects: dict[str, dict[str, Any]] = {}
    for name, glob in _pairs(args.pattern or [], "--pattern"):
        dialects.setdefault(name, {}).setdefault("patterns", []).append(glob)
    for name in args.disable or []:
        dialects.setdefault(name, {})["enabled"] = False
    if dialects:
        raw["dialects"] = dialects
    if args.targets:
        raw["targets"] = args.targets
    _, problems = Settings.parse(raw)
    if problems:
        raise UsageError("; ".join(problems))
    project = Project(
        raw, err, use_config=not args.no_config, suppressions=not args.no_suppressions
    )
    force = DialectMatch(args.dialect) if args.dialect else None
    start = time.monotonic()
    todo = iter_files(args.paths, force, project)  # a missing path: an error before the scan
    workspace = None if args.no_workspace else _workspace(args.paths, project)
    progress = Progress(err, start) if err.isatty() else None
    fmt = args.format
    if fmt == "text":  # people read a terminal; a pipe gets one line a finding (design.md §4)
        fmt = "full" if out.isatty() else "concise"
    report = Report(
        "stats" if args.statistics else fmt, out, progress, render.use_color(args.color, out)
    )
    io_failed = False
    checked = 0
    stats: dict[str, dict[str, int]] = {}
    for path, match in todo:
        try:
            text, extra = read_text(path)
        except OSError as e:
            if progress is not None:
                progress.clear()
            print(f"{path}: {describe(path, e)}; skipped", file=err)
            io_failed = True
            continue
        settings = project.settings(path)
        a = analyze(path, text, settings, dialect=match, extra=extra)
        if args.fix or args.diff:
            if progress is not None:
                progress.clear()
            try:
                a = _fix(path, text, a, settings, match, extra, args.diff, out, err)
            except OSError as e:
                print(f"{path}: {describe(path, e)}; fixes not written", file=err)
                io_failed = True
        more: tuple[Finding, ...] = ()
        if workspace is not None:
            from agentls.core.analysis import finish
            from agentls.core.suppress import suppress_workspace
            from agentls.core.workspace_checks import check

            more = finish(suppress_workspace(a, finish(check(a, workspace), settings)), settings)
        checked += 1
        if args.statistics:
            row = stats.setdefault(a.dialect.dialect if a.dialect else match.dialect, {"files": 0})
            row["files"] += 1
            for f in (*a.findings, *more):
                key = f"{f.code} {f.severity.label}"
                row[key] = row.get(key, 0) + 1
        else:
            report.file(path, a, more)
        if progress is not None:
            progress.tick(checked)
    if progress is not None:
        progress.clear()
    if args.statistics:
        _print_statistics(stats, out)
        if not args.no_workspace:
            from agentls.context_cmd import statistics

            statistics(args.paths, project.settings(args.paths[0] if args.paths else "."), out)
    report.close()
    if args.format in ("text", "full", "concise", "github") and not args.statistics:
        out.flush()
        print(render.summary(checked, report.counts, render.use_color(args.color, err)), file=err)
    if io_failed or project.bad_config:
        return 2
    if args.statistics:
        return 1 if any(k.endswith(" error") for r in stats.values() for k in r) else 0
    return 1 if report.counts["error"] else 0


def _workspace(paths: Sequence[str], project: Layered) -> Workspace:
    """The index of the projects the paths belong to, for AGL800-AGL804 (design: the same
    checks as the editor's, over the whole project even when one file is given)."""
    from agentls.core.cost import Listings
    from agentls.core.cost import Project as CostProject
    from agentls.core.workspace import Index, collect, project_roots, read_head, user_dirs
    from agentls.core.workspace_checks import Workspace

    index = Index(project_roots([p for p in paths if os.path.exists(p)]))
    for root in index.roots + [d for d in user_dirs() if os.path.isdir(d)]:
        index.merge(collect(root, project.dialect))
    index.ready = True
    listings = Listings(read_head)

    def listed(a: Analysis) -> CostProject | None:  # the listings of the file's project
        if a.path is None:
            return None
        settings = project.settings(a.path)
        listings.put(a, settings)
        return listings.project(a.path, index, settings)

    return Workspace(index, project=listed)


def _fix(
    path: str,
    text: str,
    a: Analysis,
    settings: Settings,
    match: DialectMatch,
    extra: tuple[Finding, ...],
    diff_only: bool,
    out: TextIO,
    err: TextIO,
) -> Analysis:
    """Apply the safe fixes (or print them as a diff); return the analysis of the result.

    A file that is not valid UTF-8 is left as it is: writing it back would replace its
    invalid bytes (a Windows-1252 `é`, say) with U+FFFD for good."""
    from agentls.core.fixes import apply, fixes_for

    fixed, count = apply(text, [f for f in fixes_for(a) if f.safe])
    if count == 0:
        return a
    if not diff_only and any(f.code == "AGL104" for f in extra):
        print(f"{path}: not valid UTF-8; fixes not applied (save it as UTF-8 first)", file=err)
        return a
    if diff_only:
        import difflib

        out.writelines(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                fixed.splitlines(keepends=True),
                fromfile=path,
                tofile=f"{path} (fixed)",
            )
        )
        return a
    write_text(path, fixed)
    return analyze(path, fixed, settings, dialect=match, extra=extra)


def _pairs(items: Sequence[str], flag: str) -> Iterator[tuple[str, str]]:
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"{flag} takes NAME=VALUE, not {item!r}")
        yield name.strip(), value.strip()


def _print_statistics(stats: dict[str, dict[str, int]], out: TextIO) -> None:
    """Files and findings per dialect and per code (`make corpus-report`)."""
    total: dict[str, int] = {}
    out.write(f"{'dialect':<22}{'files':>7}  findings by code\n")
    for name in sorted(stats):
        row = stats[name]
        codes = {k: v for k, v in row.items() if k != "files"}
        for k, v in codes.items():
            total[k] = total.get(k, 0) + v
        shown = ", ".join(f"{k} x{v}" for k, v in sorted(codes.items())) or "-"
        out.write(f"{name:<22}{row['files']:>7}  {shown}\n")
    out.write(f"{'all':<22}{sum(r['files'] for r in stats.values()):>7}\n\n")
    out.write(f"{'code':<8}{'severity':<13}{'count':>7}  name\n")
    for k in sorted(total):
        code, sev = k.split()
        out.write(f"{code:<8}{sev:<13}{total[k]:>7}  {CODES[code].name}\n")


def cmd_context(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The listings of each project under the paths (agentls.context_cmd)."""
    from agentls import context_cmd

    over: dict[str, Any] = {"claudeCode.version": args.claude_version}
    if args.model:
        over["budgets"] = {"model": args.model}
    _, problems = Settings.parse(over)
    if problems:
        raise UsageError("; ".join(problems))
    for p in args.paths:
        if not os.path.exists(p):
            raise UsageError(f"{p}: no such file or directory")
    first = args.paths[0] if args.paths else "."
    settings = Project(over, err, use_config=not args.no_config).settings(first)
    return context_cmd.cmd_context(args, out, err, settings)


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """What Claude Code makes of one file: its verdict, name, description, tools and model.

    Text and JSON render one ``agentls.core.verdict.Verdict``, derived from the findings that
    ``check`` reports (skipped iff an error says the runtime skips the file)."""
    import json

    from agentls.core.verdict import verdict

    over = {"claudeCode.version": args.claude_version, "targets": args.targets}
    _, problems = Settings.parse(over)
    if problems:
        raise UsageError("; ".join(problems))
    path = args.path
    settings = Project(over, err, use_config=not args.no_config).settings(path)
    try:
        text, extra = read_text(path)
    except OSError as problem:
        raise UsageError(f"{path}: {describe(path, problem)}") from None
    match = detect(path)
    if match is None:
        note = (
            "not an agent file (agentls reads `.claude/agents/**/*.md`, skills, commands and "
            "the other dialects' files by their paths)"
        )
        if args.format == "json":
            doc = {"path": path, "dialect": None, "verdict": None, "note": note}
            print(json.dumps(doc, indent=2, ensure_ascii=False), file=out)
        else:
            print(f"{path}: {note}", file=out)
        return 0
    a = analyze(path, text, settings, dialect=match, extra=extra)
    v = verdict(a)
    from agentls.context_cmd import cost_in_project

    cost = cost_in_project(a, settings)
    if args.format == "json":
        doc = v.to_json()
        doc["context"] = (
            None
            if cost is None
            else {
                "line": cost.line,
                "chars": cost.chars,
                "tokens_approx": cost.tokens,
                "status": cost.status,
            }
        )
        print(json.dumps(doc, indent=2, ensure_ascii=False), file=out)
        return 1 if v.errors else 0
    kind = v.kind or match.dialect
    where = "plugin" if match.plugin else match.scope
    whose = (
        f"emulating Claude Code {settings.claude_version}"
        if v.runtime == "claude-code"
        else f"read by {v.runtime}"
    )
    print(f"{path}\n  dialect: {match.dialect} ({where} {kind}); {whose}", file=out)
    mode = a.parse.mode if a.parse else None
    if any(r["code"] == "AGL711" for r in v.reasons):
        state = "does not read this file"
    elif a.block is None or not a.block.found_by_runtime:
        state = "finds no front matter"
    elif mode == "failed":
        state = "cannot parse the front matter, even after its quoting retry"
    elif a.parse and a.parse.not_mapping:
        state = "reads no metadata (the front matter is not a mapping)"
    elif mode == "retry":
        state = "loads it only through its quoting retry (strict YAML parsers reject it)"
    elif mode == "lines":
        state = "reads it line by line (no YAML before 2.1.0)"
    else:
        state = "loads it as valid YAML"
    reader = "Claude Code" if v.runtime == "claude-code" else v.runtime
    print(f"  {reader} {state}.", file=out)
    print(f"  verdict: {v.verdict}", file=out)
    for r in v.reasons:
        print(f"    line {r['line']}: {r['code']} {r['message']}", file=out)
    for rv in v.runtimes[1:]:  # the other runtimes that read the file
        print(f"  {rv['name']} {rv['version'] or ''}: {rv['verdict']}".rstrip(), file=out)
        for r in rv["reasons"]:
            print(f"    line {r['line']}: {r['code']} {r['message']}", file=out)
    if v.kind in ("skill", "command") and v.name is not None:
        display = f" ({v.display_name})" if v.display_name else ""
        print(f"  listed as: {v.name}{display}", file=out)
    if v.verdict != "skipped" and a.runtime_loaded and a.root is not None:
        for e in a.root.entries:
            if e.key_text == "description":
                continue
            val = getattr(e.value, "value", None)
            shown = (
                val
                if isinstance(val, (str, int, float, bool))
                else ("<" + type(e.value).__name__.lstrip("Y").lower() + ">")
            )
            print(f"  {e.key_text}: {shown}", file=out)
    if v.description is not None:
        how = "the agent receives it" if v.kind == "agent" else f"the {v.kind} listing shows it"
        print(f"  description, as {how}:", file=out)
        for line in v.description.splitlines() or [""]:
            print(f"    | {line}", file=out)
    if v.tools is not None:
        written = ", ".join(v.tools["written"]) or "(none)"
        ignored = v.tools["ignored"]
        print(
            f"  tools as written: {written}"
            + (f"; ignored: {', '.join(ignored)}" if ignored else ""),
            file=out,
        )
    if cost is not None:
        print(f"  context cost: {cost.summary()}", file=out)
    if v.dropped:
        print("  dropped or ignored:", file=out)
        for d in v.dropped:
            key = f" `{d['key']}`" if "key" in d else ""
            print(f"    line {d['line']}{key}: {d['code']} {d['message']}", file=out)
    print(
        f"  findings: {len(a.findings)} ({v.errors} errors); "
        f"run `agentls check {path}` for details",
        file=out,
    )
    return 1 if v.errors else 0


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from agentls.schemas import render_all

    target = Path(args.out)
    stale = []
    for name, content in render_all().items():
        path = target / f"{name}.schema.json"
        if args.check:
            if not path.exists() or path.read_text("utf-8") != content:
                stale.append(str(path))
            continue
        target.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
        print(f"wrote {path}", file=err)
    if stale:
        print("stale schemas (run `agentls schema`): " + ", ".join(stale), file=err)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from agentls.server import serve

    serve(tcp=args.tcp)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agentls", description="Language server and linter for AI agent files."
    )
    p.add_argument("--version", action="version", version=f"agentls {__version__}")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("check", help="check agent files and print findings")
    c.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    c.add_argument(
        "--format",
        choices=("text", "full", "concise", "json", "sarif", "github"),
        default="text",
        help="text (default): full on a terminal (grouped by file, the source line and a caret "
        "under each finding), concise otherwise (path:line:col: severity code message); "
        "github: workflow commands, shown as annotations in GitHub Actions",
    )
    c.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto (default): colour on a terminal unless NO_COLOR is set",
    )
    c.add_argument(
        "--claude-version",
        metavar="X.Y.Z",
        help="Claude Code version to emulate (default: latest known)",
    )
    c.add_argument(
        "--severity",
        action="append",
        metavar="CODE=LEVEL",
        help="override a code's severity (error|warning|information|hint|off)",
    )
    c.add_argument(
        "--dialect",
        choices=DIALECT_IDS,
        help="check every .md/.mdc file given as this dialect, whatever its path",
    )
    c.add_argument(
        "--pattern",
        action="append",
        metavar="DIALECT=GLOB",
        help="also treat files matching GLOB as DIALECT (repeatable)",
    )
    c.add_argument(
        "--disable",
        action="append",
        metavar="DIALECT",
        choices=DIALECT_IDS,
        help="do not check files of this dialect (repeatable)",
    )
    c.add_argument("--targets", metavar="RUNTIME,...", help=TARGETS_HELP)
    c.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes in place, then report what remains",
    )
    c.add_argument(
        "--diff",
        action="store_true",
        help="print the safe fixes as a unified diff instead of applying them",
    )
    c.add_argument(
        "--no-workspace",
        action="store_true",
        help="check each file alone: skip the checks that read other files (AGL800-AGL804)",
    )
    c.add_argument(
        "--no-config",
        action="store_true",
        help="ignore agentls.toml, .agentls.toml and [tool.agentls] in pyproject.toml",
    )
    c.add_argument(
        "--no-suppressions",
        action="store_true",
        help="ignore `agentls: ignore` comments: report every finding (a strict CI run)",
    )
    c.add_argument(
        "--statistics",
        action="store_true",
        help="print files and findings per dialect and per code instead of each finding",
    )
    c = sub.add_parser(
        "context",
        help="print the skill and agent listings Claude Code sends in every request, with sizes",
    )
    c.add_argument("paths", nargs="*", metavar="PATH", help="project folders (default: .)")
    c.add_argument("--claude-version", metavar="X.Y.Z", default=None)
    c.add_argument("--model", help="the model Claude Code runs: its context window sets the budget")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--raw", action="store_true", help="only the listings, exactly as sent")
    c.add_argument("--no-config", action="store_true", help="ignore the config file")
    x = sub.add_parser("explain", help="show what Claude Code makes of one file")
    x.add_argument("path", metavar="FILE")
    x.add_argument("--claude-version", metavar="X.Y.Z", default=None)
    x.add_argument("--format", choices=("text", "json"), default="text")
    x.add_argument("--targets", metavar="RUNTIME,...", help=TARGETS_HELP)
    x.add_argument("--no-config", action="store_true", help="ignore the config file")
    s = sub.add_parser("schema", help="write the JSON Schemas")
    s.add_argument("--out", default="schemas", help="directory (default: schemas)")
    s.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    v = sub.add_parser("serve", help="run the language server (stdio)")
    v.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    v.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    handlers = {
        "check": cmd_check,
        "explain": cmd_explain,
        "context": cmd_context,
        "schema": cmd_schema,
        "serve": cmd_serve,
    }
    if args.command is None:
        p.print_help(sys.stderr)
        return 2
    try:
        return handlers[args.command](args, sys.stdout, sys.stderr)
    except (UsageError, CatalogError) as e:
        print(f"agentls: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `agentls check . | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
