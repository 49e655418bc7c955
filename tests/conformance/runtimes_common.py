"""What the drivers of the other runtimes (issue 11) share.

Each runtime package (``tests/conformance/{copilot_cli,vscode,opencode,gemini,codex,skills_ref}``)
keeps what is its own (how to run the runtime, how to read what it did, its cases); this module
holds the rest:

- installing a pinned version (npm or pip) into ``.cache/runtimes/<runtime>-<version>/``, reused
  when present;
- the recordings, ``recordings/<runtime>/<version>/{meta.json,<source>.jsonl}``: one row per file,
  sorted by id then file, with the common fields first (``COMMON_FIELDS``);
- fresh temporary folders (HOME, project), laying files out, ``git init``;
- running a process niced, in a process group of its own, with a timeout (on timeout, and once it
  has exited, that group is killed: only the processes the call started);
- the command line (``python -m tests.conformance.<pkg> install|record|diff|check``): ``Suite``.

``check`` records a set of cases again (all of them for a fast runtime, a deterministic sample for
a slow one: ``Suite.check_sample``) and fails when a fresh row differs from the committed one,
printing the differing fields; rows that differ are recorded once more, and only a difference
seen twice counts (a runtime may fail a run for a passing reason). Nothing is written.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT / "tests" / "conformance"
RECORDINGS = CONFORMANCE / "recordings"
CACHE = ROOT / ".cache" / "runtimes"
JSON = dict[str, Any]
SOURCES = ("generated", "examples", "corpus")
# the first fields of every row, in this order; then the runtime's own
COMMON_FIELDS = (
    "id",
    "dialect",
    "file",
    "sha",
    "verdict",
    "name",
    "description",
    "problems",
    "log",
)


class RuntimeMissing(Exception):
    pass


def sha16(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def prefix(source: str) -> str:
    """The first part of the ids of a source's cases (``gen/...``, ``corpus/...``)."""
    return "gen" if source == "generated" else source


def source_of(row: JSON) -> str:
    head = str(row["id"]).split("/", 1)[0]
    return "generated" if head == "gen" else head


def dumps(row: JSON) -> str:
    """A row as one line of a recording."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def base_row(case_id: str, dialect: str | None, rel: str, sha: str, **extra: Any) -> JSON:
    """A row with the common fields (``COMMON_FIELDS``: nothing observed yet, verdict
    ``unknown``), then the runtime's own ``extra`` fields."""
    return {
        "id": case_id,
        "dialect": dialect,
        "file": rel,
        "sha": sha,
        "verdict": "unknown",
        "name": None,
        "description": None,
        "problems": [],
        "log": [],
        **extra,
    }


# ------------------------------------------------------------------------------ install


def install_dir(runtime: str, version: str) -> Path:
    return CACHE / f"{runtime}-{version}"


def npm_install(
    target: Path,
    spec: str,
    *,
    env: dict[str, str] | None = None,
    loglevel: str | None = None,
    save: bool = True,
) -> None:
    """``npm install SPEC`` in ``target`` (created; a ``package.json`` is left to npm)."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeMissing(f"npm is needed to install {spec}")
    target.mkdir(parents=True, exist_ok=True)
    ignore = CACHE.parent / ".gitignore"  # the cache ignores itself, even in a fresh clone
    if not ignore.exists():
        ignore.write_text("*\n")
    argv = [npm, "install", "--no-audit", "--no-fund"]
    argv += [] if save else ["--no-save"]
    argv += [f"--loglevel={loglevel}"] if loglevel else []
    subprocess.run([*argv, spec], cwd=target, check=True, env=env)


def pip_install(target: Path, spec: str) -> Path:
    """A venv at ``target/venv`` with ``pip install SPEC``; returns its python."""
    python = target / "venv" / "bin" / "python"
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(target / "venv")], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", spec], check=True)
    return python


# --------------------------------------------------------------------------- recordings


@dataclass(frozen=True)
class Recordings:
    """``recordings/<runtime>/<version>/``: ``meta.json`` and one ``<source>.jsonl`` a source."""

    runtime: str  # the folder name, e.g. "copilot-cli"
    version: str
    sources: tuple[str, ...] = SOURCES
    # meta.json keys whose dict values are merged with the old ones (one source recorded alone
    # keeps the others' entries)
    merged: tuple[str, ...] = ("sources", "seconds")
    # the source a row belongs to (by default the first part of its id)
    source_of: Callable[[JSON], str] = source_of

    @property
    def folder(self) -> Path:
        return RECORDINGS / self.runtime / self.version

    def write(self, meta: JSON, rows: Iterable[JSON], sources: Sequence[str]) -> Path:
        """Merge ``meta`` into meta.json and write the rows of ``sources`` (each file replaced;
        with one source, every row given is that source's)."""
        d = self.folder
        d.mkdir(parents=True, exist_ok=True)
        old = self.meta()
        new = {**old, **meta}
        for k in self.merged:
            if k in old or k in meta:
                new[k] = {**old.get(k, {}), **meta.get(k, {})}
        (d / "meta.json").write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", "utf-8")
        rows = list(rows)
        for source in sources:
            mine = rows if len(sources) == 1 else [r for r in rows if self.source_of(r) == source]
            mine = sorted(mine, key=lambda r: (r["id"], r["file"]))
            (d / f"{source}.jsonl").write_text("".join(dumps(r) + "\n" for r in mine), "utf-8")
        return d

    def meta(self) -> JSON:
        p = self.folder / "meta.json"
        return dict(json.loads(p.read_text("utf-8"))) if p.is_file() else {}

    def source(self, source: str) -> list[JSON]:
        p = self.folder / f"{source}.jsonl"
        if not p.is_file():
            return []
        return [json.loads(line) for line in p.read_text("utf-8").split("\n") if line.strip()]

    def load(self) -> tuple[JSON, dict[str, list[JSON]]]:
        """meta.json (it must exist) and the rows of each recorded source."""
        meta: JSON = json.loads((self.folder / "meta.json").read_text("utf-8"))
        out = {s: self.source(s) for s in self.sources if (self.folder / f"{s}.jsonl").is_file()}
        return meta, out

    def rows(self) -> list[JSON]:
        return [r for s in self.sources for r in self.source(s)]


# ------------------------------------------------------------------------- files, runs


@contextlib.contextmanager
def temp_dir(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A fresh folder, removed afterwards."""
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    d = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def git_init(project: Path) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True, capture_output=True)


def lay_out(project: Path, files: Iterable[tuple[str, bytes]], home: Path | None = None) -> None:
    """Write each ``(rel, data)`` under ``project``; a ``~/`` path under ``home``."""
    for rel, data in files:
        if rel.startswith("~/"):
            if home is None:
                raise ValueError(f"{rel}: no HOME to lay it out in")
            p = home / rel[2:]
        else:
            p = project / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


@dataclass
class Proc:
    rc: int | None  # None: timed out (killed)
    stdout: bytes
    stderr: bytes
    seconds: float

    @property
    def status(self) -> str:
        return "timeout" if self.rc is None else f"exit {self.rc}"

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


def kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill the process group ``proc`` leads (started with ``start_new_session``: ours)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def run(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = 120.0,
    nice: bool = True,
) -> Proc:
    """Run ``argv`` (``nice -n 10`` unless ``nice=False``) in a new session; output goes to
    temporary files, so a child left holding them cannot stall the call. On timeout, and once
    the process has exited (stray children), its process group is killed."""
    cmd = ["nice", "-n", "10", *argv] if nice else list(argv)
    t0 = time.monotonic()
    with (
        tempfile.TemporaryFile() as inp,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        inp.write(stdin or b"")
        inp.seek(0)
        p = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=inp, stdout=out, stderr=err, start_new_session=True
        )
        rc: int | None
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
        finally:
            kill_group(p)
            p.wait()
        out.seek(0)
        err.seek(0)
        return Proc(rc, out.read(), err.read(), time.monotonic() - t0)


# --------------------------------------------------------------------------- selection


class HasId(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=HasId)


def select(cases: Sequence[C], only: Sequence[str] | None) -> list[C]:
    """The cases an ``--only`` list names: an id, or a part of one (a token, a prefix)."""
    if not only:
        return list(cases)
    return [c for c in cases if any(o == c.id or o in c.id for o in only)]


def sample(cases: Sequence[C], n: int | None, seed: str = "check") -> list[C]:
    """A deterministic sample of ``n`` cases (all when ``n`` is None or not smaller), in their
    order: the ``n`` whose hashed id comes first."""
    if n is None or n >= len(cases):
        return list(cases)
    ranked = sorted(cases, key=lambda c: hashlib.sha256(f"{seed}:{c.id}".encode()).hexdigest())
    keep = {c.id for c in ranked[:n]}
    return [c for c in cases if c.id in keep]


# ------------------------------------------------------------------------ the command line


Args = argparse.Namespace


@dataclass
class Suite:
    """One runtime's command line: ``install``, ``record``, ``diff``, ``check`` and its own."""

    name: str  # "Copilot CLI"
    package: str  # "copilot_cli"
    version: str
    recordings: Recordings
    install: Callable[[bool], object]  # force -> what to print
    cases: Callable[[tuple[str, ...]], Sequence[Any]]  # sources -> cases (with .id, .files)
    record: Callable[[list[Any], Args], list[JSON]]  # the rows of these cases
    meta: Callable[[list[JSON], float, tuple[str, ...], Args], JSON]  # meta.json of a recording
    diff: Callable[[Args], int | None]
    sources: tuple[str, ...] = ("generated", "corpus")  # what `record` records by default
    source_choices: tuple[str, ...] = ("generated", "corpus")
    # record (and write) each source on its own
    apart: bool = False
    # check: cases re-recorded per source (None: all of them)
    check_sample: dict[str, int | None] = field(default_factory=dict)
    # row fields that say how a row was obtained, not what the runtime did
    volatile: tuple[str, ...] = ()
    # a case whose rows may differ between runs (which of two files wins...)
    unstable: Callable[[str], bool] = lambda _id: False
    # rows of a --merge: drop the recorded rows of cases the sources no longer have
    merge_drops_gone: bool = False
    # meta.json entries to update after a --merge (rows: all the sources' rows then)
    merge_meta: Callable[[list[JSON], tuple[str, ...]], JSON] | None = None
    # (subcommand, parser) -> add this runtime's options; extra subcommands: name -> (help, fn)
    options: Callable[[str, argparse.ArgumentParser], None] | None = None
    commands: dict[str, tuple[str, Callable[[Args], int]]] = field(default_factory=dict)
    jobs: int = 2

    @property
    def prog(self) -> str:
        return f"python -m tests.conformance.{self.package}"


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_install(s: Suite, a: Args) -> int:
    print(s.install(a.force))
    return 0


def cmd_record(s: Suite, a: Args) -> int:
    sources = tuple(a.source or s.sources)
    s.install(False)
    if a.only:
        chosen = select(s.cases(sources), a.only)
        if not chosen:
            raise SystemExit("no case matches --only")
        t0 = time.monotonic()
        rows = s.record(chosen, a)
        if a.merge:
            return _merge(s, sources, chosen, rows)
        for r in sorted(rows, key=lambda r: (r["id"], r["file"])):
            print(json.dumps(r, ensure_ascii=False))
        _progress(f"{len(chosen)} cases, {len(rows)} rows in {time.monotonic() - t0:.1f} s")
        return 0
    for group in [(x,) for x in sources] if s.apart else [sources]:
        t0 = time.monotonic()
        rows = s.record(list(s.cases(group)), a)
        secs = time.monotonic() - t0
        d = s.recordings.write(s.meta(rows, secs, group, a), rows, group)
        print(f"{s.name} {s.version}: {len(rows)} rows in {secs:.0f} s -> {d}")
    return 0


def _merge(s: Suite, sources: tuple[str, ...], chosen: list[Any], rows: list[JSON]) -> int:
    """Replace the chosen cases' rows in the recordings of ``sources``."""
    _, old = s.recordings.load()
    done = {c.id for c in chosen} | {r["id"] for r in rows}
    known = {c.id for c in s.cases(sources)} | {r["id"] for r in rows}
    kept = [
        r
        for src in sources
        for r in old.get(src, [])
        if r["id"] not in done and (r["id"] in known or not s.merge_drops_gone)
    ]
    meta = s.merge_meta(kept + rows, sources) if s.merge_meta is not None else {}
    d = s.recordings.write(meta, kept + rows, sources)
    print(f"{s.name} {s.version}: {len(rows)} rows merged -> {d}")
    return 0


def _differs(s: Suite, old: JSON | None, new: JSON | None) -> list[str]:
    if old is None or new is None:
        return ["(row missing)" if new is None else "(row new)"]
    keys = sorted(set(old) | set(new))
    skip = {*s.volatile, "dialect"}  # dialect: agentls's reading of the path, not the runtime's
    return [k for k in keys if k not in skip and old.get(k) != new.get(k)]


def check_cases(s: Suite, sources: tuple[str, ...], full: bool) -> list[Any]:
    """What ``check`` re-records: every case of a source, or its deterministic sample, of the
    cases whose recorded rows still match their input (a changed corpus file is not compared)."""
    recorded = {(r["id"], r["file"]): r.get("sha") for r in s.recordings.rows()}
    out: list[Any] = []
    for src in sources:
        current = [
            c
            for c in s.cases((src,))
            if all(recorded.get((c.id, f.rel), "-") == f.sha for f in c.files)
        ]
        out += current if full else sample(current, s.check_sample.get(src))
    return out


def cmd_check(s: Suite, a: Args) -> int:
    """Record again (nothing written) and compare with the committed recordings."""
    sources = tuple(a.source or s.sources)
    s.install(False)
    todo = check_cases(s, sources, a.full)
    if a.sample is not None:
        todo = sample(todo, a.sample)
    committed = {(r["id"], r["file"]): r for r in s.recordings.rows()}
    t0 = time.monotonic()
    _progress(f"{s.name} {s.version}: checking {len(todo)} cases from {', '.join(sources)}")
    seen = {(r["id"], r["file"]): r for r in s.record(todo, a)}
    ids = {c.id for c in todo}
    keys = {k for k in committed if k[0] in ids} | set(seen)
    suspect = {i for (i, f) in keys if _differs(s, committed.get((i, f)), seen.get((i, f)))}
    suspect = {i for i in suspect if not s.unstable(i)}
    again: dict[tuple[str, str], JSON] = {}
    if suspect:  # only a difference seen twice is drift
        _progress(f"{len(suspect)} cases differ: recording them once more")
        again = {(r["id"], r["file"]): r for r in s.record([c for c in todo if c.id in suspect], a)}
    drift = 0
    for i, f in sorted(k for k in keys if k[0] in suspect):
        old, new = committed.get((i, f)), again.get((i, f))
        fields = _differs(s, old, new)
        if not fields or _differs(s, old, seen.get((i, f))) == []:
            continue
        drift += 1
        print(f"  {i} {f}: {', '.join(fields)}")
        for k in fields:
            if k.startswith("("):
                continue
            print(f"      {k}: recorded {_clip(old, k)}")
            print(f"      {k}: now      {_clip(new, k)}")
    secs = time.monotonic() - t0
    print(
        f"{s.name} {s.version}: {len(seen)} rows of {len(todo)} cases observed in {secs:.0f} s, "
        f"{len(suspect)} recorded again, {drift} differ from the recordings"
    )
    return 1 if drift else 0


def _clip(row: JSON | None, k: str, limit: int = 300) -> str:
    text = json.dumps((row or {}).get(k), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_diff(s: Suite, a: Args) -> int:
    return s.diff(a) or 0


def main(s: Suite, argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=s.prog, description=f"{s.name} {s.version} conformance")
    sub = ap.add_subparsers(dest="cmd", required=True)
    parsers: dict[str, argparse.ArgumentParser] = {}
    i = parsers["install"] = sub.add_parser("install", help="install the pinned version (reused)")
    i.add_argument("--force", action="store_true", help="reinstall even when cached")
    for cmd, help_ in (
        ("record", "run the cases through the runtime, write the recordings"),
        ("check", "record again (a sample for a slow runtime), fail on a change; write nothing"),
    ):
        p = parsers[cmd] = sub.add_parser(cmd, help=help_)
        p.add_argument(
            "--source",
            nargs="+",
            action="extend",
            choices=s.source_choices,
            help=f"default: {' '.join(s.sources)}",
        )
        p.add_argument("--jobs", "--workers", dest="jobs", type=int, default=s.jobs)
    rec = parsers["record"]
    rec.add_argument("--only", nargs="+", help="case ids or parts of ids: print, write nothing")
    rec.add_argument("--merge", action="store_true", help="with --only: replace those rows")
    ck = parsers["check"]
    ck.add_argument("--full", action="store_true", help="every case, not the CI sample")
    ck.add_argument("--sample", type=int, help="at most this many cases (deterministic)")
    parsers["diff"] = sub.add_parser("diff", help="agentls against the recordings (DIFF.md)")
    for name, (help_, _fn) in s.commands.items():
        parsers[name] = sub.add_parser(name, help=help_)
    if s.options is not None:
        for name, p in parsers.items():
            s.options(name, p)
    a = ap.parse_args(argv)
    if a.cmd in s.commands:
        return s.commands[a.cmd][1](a)
    fn = {"install": cmd_install, "record": cmd_record, "check": cmd_check, "diff": cmd_diff}
    return fn[a.cmd](s, a)
