"""Command line: ``agentls check``, ``agentls schema``, ``agentls serve``.

The check path imports only the core (never pygls or lsprotocol) so that it starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from agentls import __version__
from agentls.core.analysis import Analysis, analyze
from agentls.core.codes import CODES
from agentls.core.dialects import DialectMatch, detect
from agentls.core.findings import Finding, Severity
from agentls.core.settings import DIALECT_IDS, Settings
from agentls.core.text import LineIndex, Span, utf16_len
from agentls.core.workspace import SKIP_DIRS

if TYPE_CHECKING:
    from agentls.core.workspace_checks import Workspace

MAX_FILE_BYTES = 16 * 1024 * 1024


class UsageError(Exception):
    pass


def iter_files(
    paths: Sequence[str], force: DialectMatch | None, settings: Settings | None = None
) -> Iterator[tuple[str, DialectMatch]]:
    """Files to check: explicit files of a known dialect, and such files under directories."""
    settings = settings or Settings()

    def match(path: str) -> DialectMatch | None:
        if force is not None:
            return force if path.endswith((".md", ".mdc")) else None
        m = detect(path, patterns=settings.patterns)
        return None if m is None or m.dialect in settings.disabled else m

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                for f in sorted(files):
                    full = os.path.join(root, f)
                    m = match(full)
                    if m is not None:
                        yield full, m
        elif os.path.exists(p):
            m = match(p)
            if m is not None:
                yield p, m
        else:
            raise UsageError(f"{p}: no such file or directory")


MAX_ENCODING_REPORTS = 20


def read_text(path: str) -> tuple[str, tuple[Finding, ...]]:
    """Decode as Node.js does (invalid bytes become U+FFFD), reporting where they were."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise OSError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not checked")
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    found: list[Finding] = []
    length = 0  # code points decoded so far
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as e:
            good = data[pos : pos + e.start].decode("utf-8")
            parts += [good, "\ufffd"]
            length += len(good)
            if len(found) < MAX_ENCODING_REPORTS:
                at = pos + e.start
                found.append(
                    Finding(
                        "AGL104",
                        Severity.WARNING,
                        Span(length, length + 1),
                        f"Byte 0x{data[at]:02X} at byte offset {at} is not valid UTF-8: the tool "
                        "reads U+FFFD (\ufffd) here. Save the file as UTF-8.",
                    )
                )
            length += 1
            pos += e.end
    return "".join(parts), tuple(found)


def lsp_range(lines: LineIndex, span: Span) -> dict[str, dict[str, int]]:
    """An LSP range in UTF-16 code units."""

    def pos(offset: int) -> dict[str, int]:
        line, col = lines.position(offset)
        start = lines.line_start(line)
        return {"line": line, "character": utf16_len(lines.text[start : start + col])}

    return {"start": pos(span.start), "end": pos(span.end)}


def diagnostics(path: str, a: Analysis, more: Sequence[Finding] = ()) -> list[dict[str, Any]]:
    out = []
    for f in sorted((*a.findings, *more), key=Finding.sort_key) if more else a.findings:
        out.append(
            {
                "path": path,
                "range": lsp_range(a.lines, f.span),
                "severity": f.severity.label,
                "code": f.code,
                "message": f.message,
                "source": "agentls",
            }
        )
    return out


def _sarif(diags: list[dict[str, Any]]) -> dict[str, Any]:
    level = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
    used = sorted({d["code"] for d in diags})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "agentls",
                        "version": __version__,
                        "informationUri": "https://github.com/agentls/agentls",
                        "rules": [
                            {
                                "id": c,
                                "name": CODES[c].name,
                                "shortDescription": {"text": CODES[c].summary},
                                "helpUri": f"docs/rules.md#{c.lower()}",
                                "defaultConfiguration": {"level": level[CODES[c].severity.label]},
                            }
                            for c in used
                        ],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": [
                    {
                        "ruleId": d["code"],
                        "level": level[d["severity"]],
                        "message": {"text": d["message"]},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": Path(d["path"]).as_posix()},
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
                    for d in diags
                ],
            }
        ],
    }


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
    settings, problems = Settings.parse(raw)
    if problems:
        raise UsageError("; ".join(problems))
    force = DialectMatch(args.dialect) if args.dialect else None
    workspace = None if args.no_workspace else _workspace(args.paths, settings)
    diags: list[dict[str, Any]] = []
    io_failed = False
    checked = 0
    stats: dict[str, dict[str, int]] = {}
    for path, match in iter_files(args.paths, force, settings):
        try:
            text, extra = read_text(path)
        except OSError as e:
            print(f"{path}: {e.strerror or e}", file=err)
            io_failed = True
            continue
        a = analyze(path, text, settings, dialect=match, extra=extra)
        if args.fix or args.diff:
            a = _fix(path, text, a, settings, match, extra, args.diff, out)
        more: tuple[Finding, ...] = ()
        if workspace is not None:
            from agentls.core.analysis import finish
            from agentls.core.workspace_checks import check

            more = finish(check(a, workspace), settings)
        diags.extend(diagnostics(path, a, more))
        checked += 1
        row = stats.setdefault(a.dialect.dialect if a.dialect else match.dialect, {"files": 0})
        row["files"] += 1
        for f in (*a.findings, *more):
            key = f"{f.code} {f.severity.label}"
            row[key] = row.get(key, 0) + 1
    if args.statistics:
        _print_statistics(stats, out)
    elif args.format == "json":
        json.dump(diags, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "sarif":
        json.dump(_sarif(diags), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for d in diags:
            s = d["range"]["start"]
            out.write(
                f"{d['path']}:{s['line'] + 1}:{s['character'] + 1}: {d['severity']} "
                f"{d['code']} {d['message']}\n"
            )
        counts = {
            k: sum(1 for d in diags if d["severity"] == k)
            for k in ("error", "warning", "information", "hint")
        }
        out.flush()
        summary = ", ".join(
            f"{n} {k}{'s' if n != 1 and k != 'information' else ''}" for k, n in counts.items() if n
        )
        print(
            f"{checked} file{'s' if checked != 1 else ''} checked"
            + (f": {summary}" if summary else ", no problems"),
            file=err,
        )
    if io_failed:
        return 2
    return 1 if any(d["severity"] == "error" for d in diags) else 0


def _workspace(paths: Sequence[str], settings: Settings) -> Workspace:
    """The index of the projects the paths belong to, for AGL800-AGL804 (design: the same
    checks as the editor's, over the whole project even when one file is given)."""
    from agentls.core.workspace import Index, collect, project_roots, user_dirs
    from agentls.core.workspace_checks import Workspace

    index = Index(project_roots([p for p in paths if os.path.exists(p)]))
    for root in index.roots + [d for d in user_dirs() if os.path.isdir(d)]:
        index.merge(collect(root, settings.patterns))
    index.ready = True
    return Workspace(index)


def _fix(
    path: str,
    text: str,
    a: Analysis,
    settings: Settings,
    match: DialectMatch,
    extra: tuple[Finding, ...],
    diff_only: bool,
    out: TextIO,
) -> Analysis:
    """Apply the safe fixes (or print them as a diff); return the analysis of the result."""
    from agentls.core.fixes import apply, fixes_for

    fixed, count = apply(text, [f for f in fixes_for(a) if f.safe])
    if count == 0:
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
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(fixed)
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


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """What Claude Code makes of one agent file: loaded or skipped, and the values it uses."""
    settings, problems = Settings.parse({"claudeCode.version": args.claude_version})
    if problems:
        raise UsageError("; ".join(problems))
    path = args.path
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    match = detect(path)
    if match is None:
        print(
            f"{path}: not an agent file (agentls checks `.claude/agents/**/*.md` and plugin "
            "`agents/` folders)",
            file=out,
        )
        return 0
    text, extra = read_text(path)
    a = analyze(path, text, settings, dialect=match, extra=extra)
    v = settings.claude_version
    kind = "plugin agent" if match.plugin else f"{match.scope} agent"
    print(f"{path}\n  dialect: {match.dialect} ({kind}); emulating Claude Code {v}", file=out)
    mode = a.parse.mode if a.parse else None
    errors = [f for f in a.findings if f.severity == Severity.ERROR]
    if a.block is None or not a.block.found_by_runtime:
        state = "finds no front matter: the agent is skipped"
    elif mode == "failed":
        state = "cannot parse the front matter, even after its quoting retry: the agent is skipped"
    elif mode == "retry":
        state = "loads it only through its quoting retry (strict YAML parsers reject it)"
    elif mode == "lines":
        state = "reads it line by line (no YAML before 2.1.0)"
    else:
        state = "loads it as valid YAML"
    if a.parse and a.parse.not_mapping:
        state = "reads no metadata (the front matter is not a mapping): the agent is skipped"
    print(f"  Claude Code {state}.", file=out)
    if a.runtime_loaded and a.root is not None:
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
        desc = a.description()
        if desc is not None:
            print("  description, as the agent receives it:", file=out)
            for line in desc.splitlines() or [""]:
                print(f"    | {line}", file=out)
    print(
        f"  findings: {len(a.findings)} ({len(errors)} errors); "
        f"run `agentls check {path}` for details",
        file=out,
    )
    return 1 if errors else 0


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
    c.add_argument("--format", choices=("text", "json", "sarif"), default="text")
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
        "--statistics",
        action="store_true",
        help="print files and findings per dialect and per code instead of each finding",
    )
    x = sub.add_parser("explain", help="show what Claude Code makes of one agent file")
    x.add_argument("path", metavar="FILE")
    x.add_argument("--claude-version", metavar="X.Y.Z", default=None)
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
        "schema": cmd_schema,
        "serve": cmd_serve,
    }
    if args.command is None:
        p.print_help(sys.stderr)
        return 2
    try:
        return handlers[args.command](args, sys.stdout, sys.stderr)
    except UsageError as e:
        print(f"agentls: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
