"""Command line: ``agentls check``, ``agentls schema``, ``agentls serve``.

The check path imports only the core (never pygls or lsprotocol) so that it starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import json
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TextIO, TypeVar, cast

from agentls import __version__, render
from agentls.core.codes import CODES
from agentls.core.config import Config, Layered
from agentls.core.dialects import CLAUDE_FILES, LISTED_DIALECTS, DialectMatch, detect
from agentls.core.files import (
    MAX_FILE_BYTES,
    CatalogError,
    decode,
    describe,
    read_bytes,
    regular_files,
    write_text,
)
from agentls.core.findings import ORDER, Finding
from agentls.core.settings import DIALECT_IDS, Settings
from agentls.core.text import Columns, LineIndex, Span, utf16_len
from agentls.core.workspace import MAX_BYTES, SKIP_DIRS, Entity, entity, read_head
from agentls.render import FullWriter

if TYPE_CHECKING:
    import argparse

    from agentls.cache import Cache, Facts
    from agentls.core.analysis import Analysis
    from agentls.core.cost import Listings
    from agentls.core.cost import Part as CostPart
    from agentls.core.cost import Project as CostProject
    from agentls.core.workspace import Index, Question, Scan
    from agentls.core.workspace_checks import Workspace
    from agentls.forkmap import Workers


_T = TypeVar("_T")
_R = TypeVar("_R")

PROGRESS_AFTER = 1.0  # seconds before `check` shows its progress on a terminal
PROGRESS_EVERY = 0.1  # seconds between two redraws of the progress line


class UsageError(Exception):
    pass


def iter_files(
    paths: Sequence[str],
    force: DialectMatch | None,
    settings: Settings | Project | None = None,
    walked: Walked | None = None,
) -> Iterator[tuple[str, DialectMatch]]:
    """Files to check: explicit files of a known dialect, and such files under directories.

    Raises UsageError at once (before any file is checked) for a path that does not exist, a
    broken symbolic link or a link loop."""
    for p in paths:
        try:
            os.stat(p)
        except OSError as e:
            raise UsageError(f"{p}: {describe(p, e)}") from None
    return _iter_files(paths, force, settings or Settings(), walked)


def _iter_files(
    paths: Sequence[str],
    force: DialectMatch | None,
    settings: Settings | Project,
    walked: Walked | None = None,
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
            root = os.path.abspath(p)
            found = walked.checked.get(root) if walked is not None and force is None else None
            if found is not None:  # the index's walk of the same folder, in the same order
                cut = len(root) if root.endswith(os.sep) else len(root) + 1
                yield from ((os.path.join(p, a[cut:]), m) for a, m in found)
                continue
            saw = settings.finder.saw if isinstance(settings, Project) else None
            for full in regular_files(p, SKIP_DIRS, saw):
                m = match(full)
                if m is not None:
                    yield full, m
            continue
        m = match(p)
        if m is not None:
            yield p, m  # not a regular file (a FIFO): read_text says so


_UNSEEN: Any = object()


def _folder(path: str) -> str:
    """``os.path.dirname`` of a file's path, faster for the usual one (a walk's)."""
    i = path.rfind(os.sep)
    return path[:i] if i > 0 and path[i - 1] != os.sep else os.path.dirname(path)


class Project(Layered):
    """The settings of each file (agentls.core.config.Layered, the command line on top); each
    config's problems written to ``err`` once. A command-line run sees no change meanwhile: a
    folder's config and a file's dialect are looked up once (the two walks, the index's and
    the check's, share them). Paths are of files, not folders."""

    def __init__(
        self, over: dict[str, Any], err: TextIO, use_config: bool = True, suppressions: bool = True
    ) -> None:
        super().__init__(over, use_config=use_config)
        self.err = err
        self.suppressions = suppressions
        self.bad_config = False
        self.reported: set[str] = set()  # the configs whose problems were said
        self._configs: dict[str, Config | None] = {}  # folder -> its config
        self._dialects: dict[str, DialectMatch | None] = {}
        self._settings_of: dict[str, Settings] = {}  # folder -> its files' settings

    def config(self, path: str) -> Config | None:
        folder = _folder(path)
        try:
            return self._configs[folder]
        except KeyError:
            pass
        config = self._configs[folder] = self.finder.find_in(folder) if self.use_config else None
        if config is not None and config.path not in self.reported:
            self.reported.add(config.path)
            for problem in config.problems:
                print(f"agentls: {problem}", file=self.err)
                self.bad_config = True
        return config

    def settings(self, path: str) -> Settings:
        folder = _folder(path)
        try:
            return self._settings_of[folder]
        except KeyError:
            pass
        found = self._settings_of[folder] = super().settings(path)
        return found

    def dialect(self, path: str) -> DialectMatch | None:
        if not path[-4:].lower().endswith((".md", ".mdc")) and not self.settings(path).patterns:
            return None  # only a config's patterns name other files (not kept: most files)
        m = self._dialects.get(path, _UNSEEN)
        if m is _UNSEEN:
            m = self._dialects[path] = super().dialect(path)
        return m  # type: ignore[no-any-return]

    def match(self, path: str) -> DialectMatch | None:
        m = self.dialect(path)  # before the excludes: most files are of no dialect
        if m is None or m.dialect in self.settings(path).disabled or self.excluded(path):
            return None
        return m

    def adjust(self, settings: Settings) -> Settings:
        return settings if self.suppressions else settings._replace(suppressions=False)

    def heard(self, said: str, reported: set[str], bad: bool) -> None:
        """Problems another process said (its part of a walk: :class:`_Split`)."""
        self.err.write(said)
        self.reported |= reported
        self.bad_config |= bad

    def classify(self, path: str) -> tuple[DialectMatch | None, DialectMatch | None]:
        """:meth:`dialect` and :meth:`match` of a walked file, with one look at its folder."""
        settings = self.settings(path)
        if not path[-4:].lower().endswith((".md", ".mdc")) and not settings.patterns:
            return None, None
        m = self._dialects.get(path, _UNSEEN)
        if m is _UNSEEN:
            m = self._dialects[path] = detect(path, patterns=settings.patterns)
        if m is None or m.dialect in settings.disabled:
            return m, None
        config = self.config(path)
        return m, None if config is not None and config.excludes(path) else m


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
    found = sorted((*a.findings, *more), key=Finding.sort_key) if more else a.findings
    return _diagnostics(path, a.lines, found)


def _diagnostics(path: str, lines: LineIndex, found: Iterable[Finding]) -> list[dict[str, Any]]:
    out = []
    cols = Columns(lines, utf16_len)
    for f in found:
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


def _uri(path: str) -> str:
    from urllib.parse import quote  # (here: 2 ms of every check's start)

    return quote(path)


def _sarif_result(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleId": d["code"],
        "level": _LEVEL[d["severity"]],
        "message": {"text": d["message"]},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(render.github_path(d["path"]))},
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
        self.full = fmt == "full"
        self._files = 0  # files written in the full format
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

    def file(self, r: Result) -> None:
        """Every finding of one checked file."""
        if not self.full:
            for d in r.diags:
                self.add(d)
            return
        for d in r.diags:
            self.counts[d["severity"]] += 1
            self.codes.add(d["code"])
        if r.block:
            if self.progress is not None:
                self.progress.clear()
            self.out.write(("\n" if self._files else "") + r.block)
            self._files += 1

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
    fixing = args.fix or args.diff
    cache = None
    if not (args.no_cache or fixing):
        from agentls.cache import Cache, default_dir
        from agentls.core.workspace import project_roots

        roots = project_roots([p for p in args.paths if os.path.exists(p)])
        cache = Cache.open(args.cache_dir or default_dir(), roots)
    # an empty cache: the workers read the files to check, for the index too (_mapped)
    cold = not (cache and cache.old)
    jobs = 1 if fixing else _cpus()
    parallel = jobs > 1 and sys.platform == "linux"
    defer = cold and parallel and not args.no_workspace
    walked = Walked(not cold, cache.facts if cache else None, defer)
    walked.split = parallel and not cold
    todo = iter_files(args.paths, force, project, walked)  # a missing path: an error at once
    index = None if args.no_workspace else _index(args.paths)
    progress = Progress(err, start) if err.isatty() else None
    fmt = args.format
    if fmt == "text":  # people read a terminal; a pipe gets one line a finding (design.md §4)
        fmt = "full" if out.isatty() else "concise"
    color = render.use_color(args.color, out)
    report = Report("stats" if args.statistics else fmt, out, progress, color)
    check = Checker(project, index, cache, fmt, color, walked.digests)
    if fmt == "full":  # the source lines fit the terminal
        check.columns = FullWriter(out, color).columns
    check.defer = index is not None and not fixing
    if defer:
        check.index_key = _PENDING_KEY  # the workers' entries get the index's key at the end
    if defer and any(os.path.isdir(p) for p in args.paths):  # a worker starts meanwhile
        gc.freeze()  # the workers share the parent's objects: no collection copies their pages
        from agentls.forkmap import Workers

        with contextlib.suppress(OSError):  # no more processes: later, or here
            walked.workers = Workers(check.mapped, jobs, start=check.start, receive=check.receive)
    try:
        if index is not None:
            _workspace(index, project, walked)
            if not walked.defer:
                check.index_key = _index_key(index, walked.contents)
        if fixing:
            check.fix = _Fixer(args.diff, out, err, progress)
            files: Sequence[tuple[str, DialectMatch]] | Iterator[tuple[str, DialectMatch]] = todo
        else:
            files = list(todo)  # the walk ends before any output
        io_failed = False
        checked = 0
        stats: dict[str, dict[str, int]] = {}
        results = _run(check, files, jobs, walked)
        for r in check.settle(results) if check.defer else results:
            if cache is not None and r.key:
                cache.put(r.key, r.entry)
            if r.error:
                if progress is not None:
                    progress.clear()
                print(r.error, file=err)
                io_failed = True
                if r.skipped:
                    continue
            checked += 1
            if args.statistics:
                row = stats.setdefault(r.dialect, {"files": 0})
                row["files"] += 1
                for d in r.diags:
                    key = f"{d['code']} {d['severity']}"
                    row[key] = row.get(key, 0) + 1
            else:
                report.file(r)
            if progress is not None:
                progress.tick(checked)
        if progress is not None:
            progress.clear()
        if cache is not None:
            cache.save({os.path.abspath(p) for p, _ in files})
        if args.statistics:
            _print_statistics(stats, out)
            if check.index is not None:  # the listings' totals, from the index the check made
                from agentls.context_cmd import statistics

                statistics(check.index, project.settings(args.paths[0] if args.paths else "."), out)
        report.close()
        if args.format in ("text", "full", "concise", "github") and not args.statistics:
            out.flush()
            summary = render.summary(checked, report.counts, render.use_color(args.color, err))
            print(summary, file=err)
        if io_failed or project.bad_config:
            return 2
        if args.statistics:
            return 1 if any(k.endswith(" error") for r in stats.values() for k in r) else 0
        return 1 if report.counts["error"] else 0
    finally:
        if walked.workers is not None:  # done, or an error, or Ctrl-C: they stop too
            walked.workers.close()


class Result(NamedTuple):
    """One checked file, as the report needs it (what a worker process sends back)."""

    path: str
    dialect: str = ""
    diags: list[dict[str, Any]] = []  # noqa: RUF012 (never mutated)
    block: str = ""  # the file's text in the full format
    error: str = ""  # a message for stderr
    skipped: bool = False  # not read: not counted as checked
    key: str = ""  # the cache entry used or made
    entry: str | None = None  # a new entry (None: the one in the cache was used)
    part: CostPart | None = None  # a Claude file's part of the listings (Checker.defer)
    pending: DialectMatch | None = None  # checked without its project's listings (defer)
    asked: tuple[Question, ...] = ()  # what its workspace checks asked of the index (mapped)


class Checker:
    """Checking one file: read, analyse (or find it in the cache), workspace checks, and
    the LSP diagnostics. Built before the pool forks, so the workers inherit it."""

    def __init__(
        self,
        project: Project,
        index: Index | None,
        cache: Cache | None,
        fmt: str,
        color: bool,
        digests: dict[str, bytes] | None = None,
    ) -> None:
        self.project = project
        # absolute path -> content digest, from the index's walk (or made by a worker)
        self.digests = {} if digests is None else digests
        self._keys: dict[str, str] = {}  # path -> its cache key, when known before the check
        self.index = index
        self._workspace: Workspace | None = None  # made at the first analysis
        self.cache = cache
        self.fmt = fmt
        self.color = color
        self.columns = 0  # the terminal's width, for the full format
        self.fix: _Fixer | None = None
        self.probes: list[tuple[str, bool]] = []  # the existence checks of one file
        # defer the listings' findings (AGL805-AGL807) to :meth:`settle`: each worker would
        # otherwise read every file of a project to build its listings
        self.defer = False
        self._listings: Listings | None = None
        self.index_key = ""  # what the workspace checks read besides the file (_index_key)
        self.asked: list[Question] | None = None  # see :meth:`mapped`
        self.entity: Entity | None = None  # (and the file's index entity meanwhile)

    @property
    def listings(self) -> Listings:
        if self._listings is None:  # agentls.core.cost imported when needed
            from agentls.core.cost import Listings
            from agentls.core.workspace import read_head

            self._listings = Listings(read_head)
        return self._listings

    def _listed(self, a: Analysis) -> CostProject | None:
        """The listings of a file's project (AGL805-AGL807), from the index's files (None:
        not needed, or deferred)."""
        from agentls.core.workspace_checks import needs_listings

        if a.path is None or self.defer or self.index is None:
            return None
        settings = self.project.settings(a.path)
        if not needs_listings(a, settings.budgets):
            return None
        self.listings.put(a, settings)
        return self.listings.project(a.path, self.index, settings)

    def settle(self, results: Iterator[Result]) -> Iterator[Result]:
        """The results of a deferred check (:attr:`defer`) in order, with the listings'
        findings: held from the first file that reads its project's listings until every
        part is in, then the few files that get such a finding checked again."""
        held: list[Result] = []
        for r in results:
            if r.part is not None:
                self.listings.keep(os.path.abspath(r.path), self.project.settings(r.path), r.part)
            if held or r.pending is not None:
                held.append(r)
            else:
                yield r
        self.defer = False
        built: dict[tuple[str | None, int, bool], CostProject] = {}  # (nothing changes now)
        for r in held:
            if r.pending is not None and self.index is not None:
                from agentls.core.cost import causes, project_of

                path = os.path.abspath(r.path)
                settings = self.project.settings(path)
                agents = settings.budgets.agent_listing is not None
                key = (project_of(path), id(settings), agents)
                project = built.get(key)
                if project is None:
                    project = built[key] = self.listings.project(path, self.index, settings, agents)
                if causes(path, project):
                    r = self((r.path, r.pending))
            yield r

    def _exists(self, path: str) -> bool:
        found = os.path.exists(path)
        self.probes.append((path, found))
        return found

    def start(self) -> None:
        """A worker started before the walk: what the first check imports, loaded meanwhile;
        the main process reports the configs' problems."""
        self.project.err = io.StringIO()
        _hot()
        if self.defer:
            import agentls.core.cost  # noqa: F401
        _warm_up()

    def receive(self, listed: dict[str, tuple[str, ...]]) -> None:
        """The started worker's part of the walk: the config files of each folder."""
        self.project.finder.take(listed)

    def mapped(self, item: tuple[str, DialectMatch]) -> tuple[Result, Read]:
        """A check while the index is made from what the check reads (:func:`_mapped`): the
        file read once, for both; the workspace checks' questions to the index in ``asked``."""
        path, match = item
        absolute = os.path.abspath(path)
        status = self.cache is not None  # a cold run: the walk left it to the workers
        read, data = _read_for_index(absolute, match, whole=True, status=status)
        if read.full is not None and data is not None:
            self.digests[absolute] = read.full
        asked: list[Question] = []
        self.asked, self.entity = asked, read.entity
        try:
            r = self(item, data)
        finally:
            self.asked = self.entity = None
        return (r._replace(asked=tuple(asked)) if asked else r), read

    def __call__(self, item: tuple[str, DialectMatch], data: bytes | None = None) -> Result:
        """``data``: the file's bytes, when they were just read."""
        path, match = item
        key = ""
        if self.cache is not None:
            key = self._keys.get(path) or self.key(path, match)
            if not key:
                try:
                    data = read_bytes(path, MAX_FILE_BYTES)
                except OSError as e:
                    return Result(path, error=f"{path}: {describe(path, e)}; skipped", skipped=True)
                settings = self.project.settings(path)
                digest = _hot().cache.digest(data)
                key = self.cache.key(path, digest, settings, match, self.index is not None)
            hit = self._cached(key, path, data)
            if hit is not None:
                return hit
        settings = self.project.settings(path)
        if data is None:
            try:
                data = read_bytes(path, MAX_FILE_BYTES)
            except OSError as e:
                return Result(path, error=f"{path}: {describe(path, e)}; skipped", skipped=True)
        text, extra = decode(data)
        hot = _hot()
        # (a CatalogError: exit 2)
        a = hot.analysis.analyze(path, text, settings, dialect=match, extra=extra)
        error = ""
        if self.fix is not None:
            a, error = self.fix(path, text, a, settings, match, extra)
        more: tuple[Finding, ...] = ()
        self.probes = []
        if self.index is not None:
            if self._workspace is None:
                self._workspace = hot.ws.Workspace(self.index, self._exists, self._listed)
            self._workspace.asked, self._workspace.entity = self.asked, self.entity
            found_ws = hot.analysis.finish(hot.ws.check(a, self._workspace), settings)
            more = hot.analysis.finish(hot.suppress.suppress_workspace(a, found_ws), settings)
        dialect = a.dialect.dialect if a.dialect else match.dialect
        found = sorted((*a.findings, *more), key=ORDER) if more else a.findings
        diags = _diagnostics(path, a.lines, found) if found else []
        r = self._result(path, dialect, a.lines if found else "", found, diags, error)
        if self.defer and dialect in CLAUDE_FILES and _listed_here(dialect, settings):
            from agentls.core.cost import Part, part_of

            pending = match if hot.ws.needs_listings(a, settings.budgets) else None
            part = part_of(a, settings) or Part(os.path.abspath(path))  # none: known
            r = r._replace(part=part, pending=pending)
        if self.cache is None:
            return r
        # the index's key first: a mapped check's entry gets it when the index is made
        value: dict[str, Any] = {} if self.index is None else {"index": self.index_key}
        value["dialect"] = dialect
        value["findings"] = hot.cache.rows(found, diags)
        if self.index is not None:
            value["probes"] = self.probes
        return r._replace(key=key, entry=hot.cache.entry(os.path.abspath(path), value))

    def key(self, path: str, match: DialectMatch) -> str:
        """The cache key of a file the index's walk read ("" if it did not, or no cache)."""
        absolute = os.path.abspath(path)
        content = self.digests.get(absolute) if self.digests else None
        if content is None or self.cache is None:
            return ""
        settings = self.project.settings(absolute)
        key = self._keys[path] = self.cache.key(
            path, content, settings, match, self.index is not None, absolute
        )
        return key

    def expect_hit(self, item: tuple[str, DialectMatch]) -> bool:
        if self.cache is None or not self.cache.old:
            return False
        key = self.key(*item)
        return bool(key) and self.cache is not None and key in self.cache.old

    def _cached(self, key: str, path: str, data: bytes | None) -> Result | None:
        """The result kept in the cache, if it still holds (workspace findings depend on the
        index and on which files exist)."""
        from agentls.cache import diags_of, findings_of

        entry = self.cache.get(key) if self.cache is not None else None
        if entry is None:
            return None
        try:
            if self.index is not None and (
                entry["index"] != self.index_key
                or any(os.path.exists(p) != bool(e) for p, e in entry["probes"])
            ):
                return None
            dialect = entry["dialect"]
            if not isinstance(dialect, str):
                return None
            diags = diags_of(entry["findings"], path)
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: checked again, and replaced
        if self.fmt != "full" or not diags:
            return Result(path, dialect, diags, key=key)
        try:  # the source lines are shown
            lines = decode(data if data is not None else read_bytes(path, MAX_FILE_BYTES))[0]
        except OSError:
            return None  # gone meanwhile: the miss says so
        found = findings_of(entry["findings"])
        return self._result(path, dialect, lines, found, diags)._replace(key=key)

    def _result(
        self,
        path: str,
        dialect: str,
        lines: LineIndex | str,
        found: Sequence[Finding],
        diags: list[dict[str, Any]],
        error: str = "",
    ) -> Result:
        block = ""
        if diags and self.fmt == "full":
            buf = io.StringIO()
            w = FullWriter(buf, self.color)
            w.columns = self.columns
            lines = LineIndex(lines) if isinstance(lines, str) else lines
            w.file(path, lines, [(f.span, d) for f, d in zip(found, diags, strict=True)])
            block = buf.getvalue()
        return Result(path, dialect, diags, block, error)


_SAMPLE = """---
name: sample
description: A sample, analysed by a worker before the walk ends.
tools: Read, Grep
model: sonnet
---
See [the guide](guide.md), `code` and @notes.md.

```sh
echo
```
"""


def _warm_up() -> None:
    """Analyse a sample of each dialect: what a first analysis loads (catalogues, patterns),
    loaded once, before the worker forks the others."""
    from agentls.core.analysis import analyze
    from agentls.core.settings import DIALECT_IDS

    settings = Settings()
    for d in DIALECT_IDS:
        with contextlib.suppress(Exception):  # only a warm-up: the checks say what is wrong
            analyze(
                os.path.join(os.sep, "agentls", d, "SKILL.md"),
                _SAMPLE,
                settings,
                dialect=DialectMatch(d),
            )


class _Hot:
    """The modules a file's check calls, imported at the first check: a ``from`` import in a
    function costs each call (~0.7 µs), one at the top of this module costs every command."""

    def __init__(self) -> None:
        import agentls.cache
        import agentls.core.analysis
        import agentls.core.suppress
        import agentls.core.workspace_checks

        self.cache = agentls.cache
        self.analysis = agentls.core.analysis
        self.suppress = agentls.core.suppress
        self.ws = agentls.core.workspace_checks


@functools.cache
def _hot() -> _Hot:
    return _Hot()


def _listed_here(dialect: str, settings: Settings) -> bool:
    """Whether a deferred check needs this file's part of the listings: a skill's or a
    command's; an agent's only against a team's agent budget (AGL807)."""
    return dialect != "claude-agent" or settings.budgets.agent_listing is not None


def _index_key(index: Index, contents: dict[str, str]) -> str:
    """What the workspace checks read besides the file, as one string (cache entries keep
    it): the index, and the content of every indexed file and of Claude Code's settings files
    (the skill listings, AGL805-AGL807, read other files' descriptions)."""
    import hashlib

    user = os.path.join(os.path.expanduser("~"), ".claude", "settings.json")
    try:
        mine = hashlib.sha256(read_bytes(user, MAX_FILE_BYTES)).hexdigest()
    except OSError:
        mine = ""
    what = [
        sorted(map(list, index.by_path.values())),
        sorted((p, sorted(s)) for p, s in index.mcp.items()),
        index.roots,
        index.extra_roots,
        index.ready,
        sorted(contents.items()),
        mine,
    ]
    return hashlib.sha256(json.dumps(what).encode("utf-8", "surrogatepass")).hexdigest()


POOL_MIN_FILES = 64  # fewer files to analyse (not cached) are analysed here: workers cost more


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(
    check: Checker,
    files: Sequence[tuple[str, DialectMatch]] | Iterator[tuple[str, DialectMatch]],
    jobs: int,
    walked: Walked | None = None,
) -> Iterator[Result]:
    """Each file's result, in order: in worker processes (forked, so they inherit the index,
    the settings and the loaded catalogues) when there are enough files and cores. With a
    walk that left the files to check unread (:attr:`Walked.defer`), the workers read them for
    the index too (:func:`_mapped`)."""
    pool = jobs >= 2 and isinstance(files, Sequence) and sys.platform == "linux"
    misses = [i for i, item in enumerate(files) if not check.expect_hit(item)] if pool else []
    pool = pool and len(misses) >= POOL_MIN_FILES  # else: cache hits cost less than workers
    if walked is not None and walked.defer:
        if pool and len(files) <= MAP_MAX_FILES:  # type: ignore[arg-type]
            yield from _mapped(check, files, jobs, walked)  # type: ignore[arg-type]
            return
        if walked.workers is not None:
            walked.workers.close()
        _complete(check, walked, {})
    if not pool:
        yield from map(check, files)
        return
    assert isinstance(files, Sequence)
    # up to the first analysis here: it imports and loads what every worker then inherits
    yield from map(check, files[: misses[0] + 1])
    rest = files[misses[0] + 1 :]
    _fork_ready(check, rest)
    yield from _pooled(check, rest, jobs)


MAP_MAX_FILES = 8192  # a mapped check holds every result until the index is made


def _chunk(files: int, jobs: int) -> int:
    return max(1, min(32, files // (jobs * 8)))


def _pooled(func: Callable[[_T], _R], items: Sequence[_T], jobs: int) -> Iterator[_R]:
    """agentls.forkmap.fork_map, or a map here when no process can be made."""
    from agentls.forkmap import fork_map

    try:
        return fork_map(func, items, jobs, _chunk(len(items), jobs))
    except OSError:
        return map(func, items)


def _fork_ready(check: Checker, rest: Sequence[tuple[str, DialectMatch]]) -> None:
    _listings_ready(check, rest)  # here, not in each worker
    gc.freeze()  # the workers share the parent's objects: no collection copies their pages


def _listings_ready(check: Checker, files: Sequence[tuple[str, DialectMatch]]) -> None:
    """Import what the listings' parts and findings need (AGL805-AGL807), if any file has a
    part of them."""
    if check.defer and any(m.dialect in LISTED_DIALECTS for _, m in files):
        import agentls.core.cost  # noqa: F401


def _mapped(
    check: Checker, files: Sequence[tuple[str, DialectMatch]], jobs: int, walked: Walked
) -> Iterator[Result]:
    """A check whose workers read each file once, for its check and for the index: the index
    is made from what they read while they check, their questions to it answered at the end,
    and the few files whose answers could make findings checked again (a cold run's walk
    then reads no file the workers read)."""
    from agentls.core.workspace import unsettled

    if walked.workers is not None:  # started before the walk
        listed = check.project.finder.listed()
        chunk = _chunk(len(files), jobs)
        # (while the first worker may still be loading: the parts' module, for their results)
        ready = functools.partial(_listings_ready, check, files)
        done = list(walked.workers.map(files, chunk, listed, ready))
    else:
        first = check.mapped(files[0])  # here: it imports and loads what every worker inherits
        _fork_ready(check, files)
        done = [first, *_pooled(check.mapped, files[1:], jobs)]
    paths = [os.path.abspath(p) for p, _ in files]
    reads = {p: (m, read) for p, (_, read), (_, m) in zip(paths, done, files, strict=True)}
    _complete(check, walked, reads)
    index = check.index
    assert index is not None
    again = [
        i for i, (r, _) in enumerate(done) if r.asked and unsettled(list(r.asked), paths[i], index)
    ]
    redone: Iterator[Result] = iter(())
    if again:
        todo = [files[i] for i in again]
        redone = _pooled(check, todo, jobs) if len(todo) >= POOL_MIN_FILES else map(check, todo)
    at = 0
    for i, (r, _) in enumerate(done):
        if at < len(again) and again[at] == i:
            at += 1
            yield next(redone)
        elif r.entry is not None:
            path, _, text = r.entry.partition("\t")
            assert text.startswith(_PENDING_ENTRY)
            text = text[: len(_PENDING_ENTRY) - 64] + check.index_key + text[len(_PENDING_ENTRY) :]
            yield r._replace(entry=f"{path}\t{text}")
        else:
            yield r


_PENDING_KEY = "0" * 64  # the index's key in a mapped check's entries, until it is known
_PENDING_ENTRY = '{"index":"' + _PENDING_KEY


_CLAUDE_SETTINGS = tuple(
    os.path.join(".claude", n) for n in ("settings.json", "settings.local.json")
)


class Walked:
    """What the index's walk saw, so that the check does not walk or read again: the files to
    check under each folder walked whole (absolute paths, in walk order), and the content
    digest of each of them (for the cache: a hit needs no second read). With the cache's
    ``facts``, an unchanged file is not read at all. With ``defer``, the files to check are
    left unread (:func:`_mapped` reads them), in ``unread``."""

    def __init__(self, digests: bool, facts: Facts | None = None, defer: bool = False) -> None:
        self.checked: dict[str, list[tuple[str, DialectMatch]]] = {}
        self.digests: dict[str, bytes] | None = {} if digests else None
        self.contents: dict[str, str] = {}  # indexed and Claude settings files -> digest
        self.facts = facts
        self.defer = defer
        # the scans still to merge, and their unread files (path, dialect, status)
        self.scans: list[Scan] = []
        self.unread: list[tuple[str, DialectMatch, os.stat_result | None]] = []
        self.workers: Workers[tuple[str, DialectMatch], tuple[Result, Read]] | None = None
        self.split = False  # a repeated run: walk each large root in two processes


def _index(paths: Sequence[str]) -> Index:
    """The index of the projects the paths belong to, for AGL800-AGL804 (design: the same
    checks as the editor's, over the whole project even when one file is given); empty until
    :func:`_workspace` walks them."""
    from agentls.core.workspace import Index, project_roots

    index = Index(project_roots([p for p in paths if os.path.exists(p)]))
    index.ready = True  # once walked: nothing reads it before
    return index


def _workspace(index: Index, project: Project, walked: Walked | None = None) -> None:
    """Walk the index's roots (and the user's folders); with :attr:`Walked.defer`,
    :func:`_complete` ends it."""
    from agentls.core.workspace import user_dirs

    for root in index.roots + [d for d in user_dirs() if os.path.isdir(d)]:
        found = _collect(root, project, walked)
        if walked is not None and walked.defer:
            walked.scans.append(found)
        else:
            index.merge(found)


class Read(NamedTuple):
    """What the index and the cache take of a file."""

    entity: Entity | None
    contents: str | None  # the digest of its head (what the listings read), if an entity
    full: bytes | None  # the whole file's digest (None: not read)
    st: os.stat_result | None = None  # its status before it was read (``status``)


def _read_for_index(
    path: str, m: DialectMatch, whole: bool, status: bool = False
) -> tuple[Read, bytes | None]:
    """A file read for the index: whole (``whole``: it is checked, and the bytes are
    returned), else its head (and whole only when larger, for its digest); with ``status``,
    its status first (for the cache's facts)."""
    from agentls.cache import digest

    st = None
    if status:
        with contextlib.suppress(OSError):
            st = os.stat(path)
    head = full = data = None
    if whole:
        with contextlib.suppress(OSError):  # the check says why
            data = read_bytes(path, MAX_FILE_BYTES, walked=True)
            full = digest(data)
            head = data[:MAX_BYTES]
    if head is None:
        try:
            head = read_bytes(path, MAX_BYTES, head=True, walked=True)
        except OSError:
            return Read(None, None, None), None
    short = len(head) < MAX_BYTES  # the head is the whole file
    if full is None and short:
        full = digest(head)
    e = entity(path, head.decode("utf-8", "replace"), m)
    contents = None
    if e is not None:
        contents = (full if full is not None and short else digest(head)).hex()
    return Read(e, contents, full, st), data


def _fact(walked: Walked, path: str, st: os.stat_result | None, read: Read) -> None:
    """Keep what was read of a file for the next run (``st``: its status before the read)."""
    if walked.facts is None or st is None:
        return
    full = read.full
    if full is None:  # larger than its head: its digest for the next run
        from agentls.cache import digest

        with contextlib.suppress(OSError):
            full = digest(read_bytes(path, MAX_FILE_BYTES, walked=True))
    if full is not None:
        e = read.entity
        walked.facts.put(path, st, full, read.contents, list(e) if e is not None else None)


def _complete(check: Checker, walked: Walked, reads: dict[str, tuple[DialectMatch, Read]]) -> None:
    """End a deferred walk's index (:attr:`Walked.defer`) with what the check's workers read
    (``reads``: by absolute path, the dialect it was checked as and what was read), reading
    the rest here, in the walk's order."""
    index = check.index
    assert index is not None
    entities: dict[str, Entity] = {}
    for path, m, st in walked.unread:
        match, read = reads.get(path, (None, None))
        if read is None or match != m:  # not checked, or as another dialect (--dialect)
            status = st is None and walked.facts is not None
            read = _read_for_index(path, m, whole=False, status=status)[0]
        if read.entity is not None:
            entities[path] = read.entity
            walked.contents[path] = read.contents  # type: ignore[assignment]
        _fact(walked, path, st or read.st, read)
    for found in walked.scans:  # the walk kept each unread file's place
        for path in [p for p, e in found.entities.items() if e is None]:
            e = entities.get(path)
            if e is None:
                del found.entities[path]
            else:
                found.entities[path] = e
        index.merge(found)
    walked.scans = []
    walked.unread = []
    walked.defer = False
    check.index_key = _index_key(index, walked.contents)


def _collect(root: str, project: Project, walked: Walked | None) -> Scan:
    """agentls.core.workspace.collect, in the order of the check's walk (sorted), reading
    each file to check whole once (its head is what the index reads). A repeated run walks
    the root's last folders in a second process meanwhile (:class:`_Split`)."""
    from agentls.core.workspace import MAX_FILES, Scan

    found = Scan({}, {})
    checked: list[tuple[str, DialectMatch]] = []
    saw = project.finder.saw if project.use_config else None
    split = _Split.start(root, project, walked)
    mine = split.mine if split is not None else None
    seen = _take(regular_files(root, SKIP_DIRS, saw, mine), project, walked, found, checked)
    if split is not None:
        seen = split.join(project, walked, found, checked, seen)
    if seen > MAX_FILES:
        if split is not None and walked is not None:  # cut where one walk would be: walk so
            walked.split = False
            return _collect(root, project, walked)
        return found  # not the whole folder: the check walks it again
    if walked is not None:
        walked.checked[root] = checked
    return found


def _take(
    paths: Iterable[str],
    project: Project,
    walked: Walked | None,
    found: Scan,
    checked: list[tuple[str, DialectMatch]],
) -> int:
    """Index the walked ``paths`` into ``found`` and ``checked``; how many were seen (past
    MAX_FILES: stopped there)."""
    from agentls.cache import digest
    from agentls.core.workspace import MAX_FILES, MAX_MCP_BYTES, MCP_CONFIG, mcp_servers

    digests = walked.digests if walked is not None else None
    defer = walked is not None and walked.defer
    seen = 0
    for seen, path in enumerate(paths, 1):
        if seen > MAX_FILES:
            break
        if path.endswith(MCP_CONFIG) and os.path.basename(path) == MCP_CONFIG:
            text = read_head(path, MAX_MCP_BYTES)
            servers = mcp_servers(text) if text is not None else None
            if servers is not None:
                found.mcp[path] = servers
        if path.endswith(_CLAUDE_SETTINGS) and walked is not None:
            with contextlib.suppress(OSError):  # unreadable: as absent, for the listings too
                walked.contents[path] = digest(read_bytes(path, MAX_FILE_BYTES)).hex()
        m, c = project.classify(path)
        if m is None:
            continue
        if c is not None:
            checked.append((path, c))
        if not path.endswith((".md", ".mdc")):
            continue  # as collect: the index knows Markdown files only
        st = None
        facts = walked.facts if walked is not None and c is not None else None
        if facts is not None and (facts.old or not defer):  # (else: the workers take it)
            with contextlib.suppress(OSError):
                st = os.stat(path)  # before it is read: a change after shows next time
            known = facts.get(path, st) if st is not None else None
            if known is not None:  # unchanged since the last run: nothing to read
                whole, contents, row = known
                if digests is not None:
                    digests[path] = whole
                if row is not None:
                    found.entities[path] = Entity(*row)
                    if walked is not None and contents is not None:
                        walked.contents[path] = contents
                continue
        if defer:
            assert walked is not None
            found.entities[path] = None  # type: ignore[assignment]  # its place: _complete
            walked.unread.append((path, m, st))
            continue
        read, data = _read_for_index(path, m, whole=c is not None and digests is not None)
        if digests is not None and data is not None and read.full is not None:
            digests[path] = read.full
        if read.entity is not None:
            found.entities[path] = read.entity
        if walked is not None:
            if read.entity is not None:
                walked.contents[path] = read.contents  # type: ignore[assignment]
            _fact(walked, path, st, read)
    return seen


def _take_folders(
    root: str,
    names: list[str],
    project: Project,
    walked: Walked | None,
    found: Scan,
    checked: list[tuple[str, DialectMatch]],
) -> int:
    """:func:`_take` over the walks of the folders ``names`` of ``root``, in order."""
    saw = project.finder.saw if project.use_config else None
    return sum(
        _take(regular_files(os.path.join(root, n), SKIP_DIRS, saw), project, walked, found, checked)
        for n in names
    )


SPLIT_MIN_FILES = 1000  # a repeated run's walk of fewer files is not split: forking costs more
SPLIT_SHARE = 0.55  # of the files the last run saw: the main process's part of a split walk


class _Split:
    """A repeated run's walk of one root in two processes: this one takes the root's files
    and its first folders, a forked one the last folders (about half the files the last run
    saw) and sends back what it found; in walk order, the two parts make one walk."""

    def __init__(self, root: str, pid: int, fd: int, mine: list[str], theirs: list[str]) -> None:
        self.root, self.pid, self.fd, self.mine, self.theirs = root, pid, fd, mine, theirs

    @classmethod
    def start(cls, root: str, project: Project, walked: Walked | None) -> _Split | None:
        if walked is None or not walked.split or walked.facts is None:
            return None
        from agentls.core.workspace import MAX_FILES

        known = walked.facts.old
        if not SPLIT_MIN_FILES <= len(known) < MAX_FILES // 2:
            return None
        try:
            with os.scandir(root) as it:
                names = sorted(e.name for e in it if e.is_dir(follow_symlinks=False))
        except OSError:
            return None
        weight = {n: 0 for n in names if n not in SKIP_DIRS}  # the last run's files in each
        prefix = root.rstrip(os.sep) + os.sep
        for path in known:
            if path.startswith(prefix):
                top = path[len(prefix) :].split(os.sep, 1)[0]
                if top in weight:
                    weight[top] += 1
        names = list(weight)
        total = sum(weight.values())
        if total < SPLIT_MIN_FILES:
            return None
        # this process's share: a little more than half (the other starts later, colder)
        share, k = 0, len(names)
        for i, n in enumerate(names):
            if share + weight[n] > total * SPLIT_SHARE:
                k = i
                break
            share += weight[n]
        if not 0 < k < len(names):
            return None
        mine, theirs = names[:k], names[k:]
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no more processes: one walks it all
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # the child: its part of the walk, then out
            os.close(r)
            _walk_part(root, theirs, project, walked, w)
        os.close(w)
        return cls(root, pid, r, mine, theirs)

    def join(
        self,
        project: Project,
        walked: Walked | None,
        found: Scan,
        checked: list[tuple[str, DialectMatch]],
        seen: int,
    ) -> int:
        """Add the other process's part (or, if it failed, walk it here); the files seen."""
        import pickle

        chunks = []
        while data := os.read(self.fd, 1 << 20):
            chunks.append(data)
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        try:
            part = pickle.loads(b"".join(chunks)) if status == 0 else None
        except Exception:
            part = None
        if part is None or walked is None:
            return seen + _take_folders(self.root, self.theirs, project, walked, found, checked)
        (order, entities, mcp, theirs, contents, digests, facts, known, n, listed, heard) = part
        old = walked.facts.old if walked.facts is not None else {}
        new = walked.facts.new if walked.facts is not None else {}
        for p in known:  # as _take reads a file's facts
            fact = new[p] = old[p]
            if walked.digests is not None:
                walked.digests[p] = bytes.fromhex(fact[1])
            if fact[3] is not None and fact[2] is not None:
                walked.contents[p] = fact[2]
        for p in order:
            found.entities[p] = entities.get(p) or Entity(*old[p][3])
        found.mcp.update(mcp)
        checked.extend(theirs)
        walked.contents.update(contents)
        if walked.digests is not None:
            walked.digests.update(digests)
        new.update(facts)
        project.finder.take(listed)
        project.heard(*heard)
        return seen + int(n)


def _walk_part(root: str, names: list[str], project: Project, walked: Walked, out: int) -> NoReturn:
    """A :class:`_Split` child: walk ``names`` of ``root``, send what was found, exit."""
    import pickle

    from agentls.core.workspace import Scan

    code = 0
    try:
        said = io.StringIO()
        project.err = said  # the configs' problems: sent, the main process says them
        before = set(project.reported)
        walked.contents = {}
        walked.digests = {} if walked.digests is not None else None
        if walked.facts is not None:
            walked.facts.new = {}
        found = Scan({}, {})
        checked: list[tuple[str, DialectMatch]] = []
        seen = _take_folders(root, names, project, walked, found, checked)
        old = walked.facts.old if walked.facts is not None else {}
        new = walked.facts.new if walked.facts is not None else {}
        # files unchanged since the last run: the main process has their facts (a path each)
        known = {p for p, f in new.items() if f is old.get(p)}
        part = (
            list(found.entities),  # their order
            {p: e for p, e in found.entities.items() if p not in known},
            found.mcp,
            checked,
            {p: c for p, c in walked.contents.items() if p not in known},
            {p: d for p, d in (walked.digests or {}).items() if p not in known},
            {p: f for p, f in new.items() if p not in known},
            list(known),
            seen,
            project.finder.listed(),
            (said.getvalue(), project.reported - before, project.bad_config),
        )
        data = pickle.dumps(part, pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


class _Fixer:
    """``--fix`` and ``--diff``: run in the main process, file by file."""

    def __init__(self, diff_only: bool, out: TextIO, err: TextIO, progress: Progress | None):
        self.diff_only = diff_only
        self.out = out
        self.err = err
        self.progress = progress

    def __call__(
        self,
        path: str,
        text: str,
        a: Analysis,
        settings: Settings,
        match: DialectMatch,
        extra: tuple[Finding, ...],
    ) -> tuple[Analysis, str]:
        if self.progress is not None:
            self.progress.clear()
        try:
            return _fix(
                path, text, a, settings, match, extra, self.diff_only, self.out, self.err
            ), ""
        except OSError as e:
            return a, f"{path}: {describe(path, e)}; fixes not written"


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
    from agentls.core.analysis import analyze
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
    from agentls.core.analysis import analyze
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
    from pathlib import Path

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


def cmd_clean(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Delete the cache folder (only one that agentls made: it holds agentls's CACHEDIR.TAG)."""
    import shutil

    from agentls.cache import TAG, default_dir

    folder = args.cache_dir or default_dir()
    try:
        with open(os.path.join(folder, "CACHEDIR.TAG"), encoding="utf-8") as f:
            ours = f.read() == TAG
    except OSError:
        return 0  # no cache here
    if not ours:
        raise UsageError(f"{folder}: not a cache folder of agentls; not deleted")
    shutil.rmtree(folder)
    print(f"removed {folder}", file=err)
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _serve(args.tcp)


def _serve(tcp: str | None) -> int:
    # the imports make some 200,000 lasting objects (lsprotocol's types): fewer collections
    # while they are made (each looks at all of them), and none of them looked at again after
    # (no collection at all would cost 10 MB of peak memory: the garbage freed late; the little
    # left since the last one is frozen with them, cheaper than a collection); what the first
    # analysis needs is imported before them, while collections are cheap
    threshold = gc.get_threshold()
    gc.set_threshold(10000, *threshold[1:])
    try:
        import agentls.core.dialects.dialect_rules
        import agentls.core.workspace_checks  # noqa: F401
        from agentls.server import serve
    finally:
        gc.set_threshold(*threshold)
        gc.freeze()
    serve(tcp=tcp)
    return 0


def parser() -> argparse.ArgumentParser:
    import argparse

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
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of findings (see --cache-dir)",
    )
    c.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where findings are cached between runs (default: $AGENTLS_CACHE_DIR, else "
        ".agentls_cache in the current folder; delete it at any time)",
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
    k = sub.add_parser("clean", help="delete the cache of `check` (see its --cache-dir)")
    k.add_argument("--cache-dir", metavar="DIR", help="the cache folder (default: as check)")
    s = sub.add_parser("schema", help="write the JSON Schemas")
    s.add_argument("--out", default="schemas", help="directory (default: schemas)")
    s.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    v = sub.add_parser("serve", help="run the language server (stdio)")
    v.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    v.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    return p


def entry() -> NoReturn:
    """The console script: :func:`main`, then out without tearing the interpreter down (freeing
    every object costs a check several milliseconds; mypy exits so too), its output flushed."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


# `agentls check`'s options when none is given (tests/unit/test_cli.py: as the parser's)
_CHECK_DEFAULTS: dict[str, Any] = {
    "format": "text",
    "color": "auto",
    "claude_version": None,
    "severity": None,
    "dialect": None,
    "pattern": None,
    "disable": None,
    "targets": None,
    "fix": False,
    "diff": False,
    "no_workspace": False,
    "no_config": False,
    "no_suppressions": False,
    "no_cache": False,
    "cache_dir": None,
    "statistics": False,
}


def plain_check(paths: list[str]) -> argparse.Namespace:
    """What the parser makes of `agentls check PATH...` (no option)."""
    args: Any = types.SimpleNamespace(command="check", paths=paths, **_CHECK_DEFAULTS)
    return cast("argparse.Namespace", args)


def main(argv: Sequence[str] | None = None) -> int:
    run: Callable[[], int]
    given = list(sys.argv[1:] if argv is None else argv)
    if given in (["serve"], ["serve", "--stdio"]):
        run = functools.partial(_serve, None)  # an editor starting the server: no argparse
    elif given[:1] == ["check"] and given[1:] and not any(a.startswith("-") for a in given):
        # `agentls check PATH...`, as pre-commit and CI run it: no argparse (5 ms)
        run = functools.partial(cmd_check, plain_check(given[1:]), sys.stdout, sys.stderr)
    else:
        p = parser()
        args = p.parse_args(given)
        handlers = {
            "check": cmd_check,
            "clean": cmd_clean,
            "explain": cmd_explain,
            "context": cmd_context,
            "schema": cmd_schema,
            "serve": cmd_serve,
        }
        if args.command is None:
            p.print_help(sys.stderr)
            return 2
        run = functools.partial(handlers[args.command], args, sys.stdout, sys.stderr)
    try:
        return run()
    except (UsageError, CatalogError) as e:
        print(f"agentls: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `agentls check . | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
