"""`agentls check`'s cache and process pool (issue 13): the same output as a plain run, in
every format; an entry is used only while everything it depends on holds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import agentls
from agentls import cache as cache_mod
from agentls import cli
from agentls.core import analysis

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
FORMATS = ("concise", "full", "json", "github", "sarif")

AGENT = (
    "---\nname: {name}\ndescription: Use for {name}.\ntools: Read, Grep\n---\n"
    "See [the guide](docs/{name}.txt).\n"
)


def project(tmp: Path) -> Path:
    """A small project of several dialects: the examples, clashing names, a broken link, bad
    bytes, CRLF, a skill, a VS Code agent, a prompt, an `.mcp.json`, and plain files."""
    root = tmp / "proj"
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    for p in (ROOT / "examples" / ".claude" / "agents").glob("*.md"):
        shutil.copy(p, agents / p.name)
    for i in range(6):
        (agents / f"a{i}.md").write_text(AGENT.format(name=f"a{i % 4}"), "utf-8")
    (agents / "crlf.md").write_bytes(
        b"---\r\nname: crlf\r\ndescription: d\r\nmodel: gpt\r\n---\r\nx\r\n"
    )
    (agents / "bytes.md").write_bytes(b"---\nname: bytes\ndescription: caf\xe9\n---\n\xff\n")
    (agents / "mcp.md").write_text(
        "---\nname: mcp\ndescription: d\ntools: mcp__nope__x, mcp__srv__y\n---\n", "utf-8"
    )
    skill = root / ".claude" / "skills" / "s1"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: s1\ndescription: A skill.\n---\nbody\n", "utf-8")
    gh = root / ".github" / "agents"
    gh.mkdir(parents=True)
    (gh / "x.agent.md").write_text("---\ndescription: d\ntools: ['foo']\nbad: 1\n---\n", "utf-8")
    prompts = root / ".github" / "prompts"
    prompts.mkdir(parents=True)
    (prompts / "p.prompt.md").write_text("---\nmode: agent\nmodel: x\n---\nDo it.\n", "utf-8")
    (root / ".mcp.json").write_text('{"mcpServers": {"srv": {}}}', "utf-8")
    (root / "README.md").write_text("# not an agent\n", "utf-8")
    (root / "src").mkdir()
    (root / "src" / "m.py").write_text("x = 1\n", "utf-8")
    (root / ".git").mkdir()  # the project root
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("AGENTLS_CACHE_DIR", str(d))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no user agents in the index
    return d


def paths_given(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[str]:
    """The first argument (a path) of every call of ``owner.name`` from now on."""
    seen: list[str] = []
    real = getattr(owner, name)

    def spy(path: str | None, *a: Any, **k: Any) -> Any:
        seen.append(str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(owner, name, spy)
    return seen


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return paths_given(monkeypatch, analysis, "analyze")


@pytest.mark.parametrize("fmt", FORMATS)
def test_cached_and_pooled_output_is_the_plain_output(
    fmt: str,
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = project(tmp_path)
    fifo = root / ".claude" / "agents" / "fifo.md"
    os.mkfifo(fifo)  # named first: an error in its place, never a wait
    plain = run(capsys, "--no-cache", "--format", fmt, str(fifo), str(root))
    assert plain[0] == 2 and plain[1] and "fifo.md: not a regular file" in plain[2]
    assert run(capsys, "--format", fmt, str(fifo), str(root)) == plain  # writes the cache
    assert any(cache_dir.rglob("*")) and (cache_dir / "CACHEDIR.TAG").is_file()
    assert (cache_dir / ".gitignore").read_text() == "*\n"
    assert run(capsys, "--format", fmt, str(fifo), str(root)) == plain  # reads it
    monkeypatch.setattr(cli, "POOL_MIN_FILES", 1)
    assert run(capsys, "--no-cache", "--format", fmt, str(fifo), str(root)) == plain  # workers
    assert run(capsys, "--format", fmt, str(fifo), str(root)) == plain
    assert run(capsys, "--statistics", str(root)) == run(
        capsys, "--statistics", "--no-cache", str(root)
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")
def test_the_corpus_cached_and_pooled(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = run(capsys, "--no-cache", "--format", "json", str(CORPUS))
    assert run(capsys, "--format", "json", str(CORPUS)) == plain
    assert run(capsys, "--format", "json", str(CORPUS)) == plain


def test_a_split_walk_and_the_workers_index_give_the_plain_output(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A first run whose workers read the files for the index, then a repeated run that walks
    the root's last folders in a second process: the plain run's output, its config problem
    said once, its exit status."""
    root = tmp_path / "repo"
    for k, part in enumerate(("p1", "p2", "p3")):
        agents = root / part / ".claude" / "agents"
        agents.mkdir(parents=True)
        for i in range(3):
            (agents / f"a{i}.md").write_text(AGENT.format(name=f"n{k % 2}{i}"), "utf-8")
    (root / "p3" / "agentls.toml").write_text("bogus = 1\n", "utf-8")  # said by the split's child
    (root / ".git").mkdir()
    plain = run(capsys, "--no-cache", "--format", "json", str(root))
    assert plain[0] == 2 and plain[2].count("bogus") == 1
    processes_for_any_size(monkeypatch)
    split = spy_splits(monkeypatch)
    assert run(capsys, "--format", "json", str(root)) == plain  # the workers read for the index
    assert split == []
    assert run(capsys, "--format", "json", str(root)) == plain  # a split walk
    assert split == [["p2", "p3"]]


def test_no_more_processes_is_no_error(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When no process can be forked, a check is run in the one it has."""
    root = project(tmp_path)
    plain = run(capsys, "--no-cache", "--format", "json", str(root))
    processes_for_any_size(monkeypatch)

    def fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    assert run(capsys, "--no-cache", "--format", "json", str(root)) == plain
    assert run(capsys, "--format", "json", str(root)) == plain
    assert run(capsys, "--format", "json", str(root)) == plain


def processes_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers and split walks even for a handful of files."""
    monkeypatch.setattr(cli, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(cli, "SPLIT_MIN_FILES", 1)


def spy_splits(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The folders each split walk gave the other process."""
    seen: list[list[str]] = []
    real = cli._Split.start

    def start(*a: Any) -> Any:
        split = real(*a)
        if split is not None:
            seen.append(split.theirs)
        return split

    monkeypatch.setattr(cli._Split, "start", start)
    return seen


def test_an_unchanged_file_is_not_analysed_again(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = project(tmp_path)
    seen = count_analyses(monkeypatch)
    first = run(capsys, str(root))
    assert len(seen) > 10
    seen.clear()
    assert run(capsys, str(root)) == first
    assert seen == []
    assert run(capsys, "--no-cache", str(root)) == first
    assert len(seen) > 10


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the walk that makes the index reads."""
    return paths_given(monkeypatch, cli, "read_bytes")


def test_an_unchanged_file_is_not_read_again(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As git's index: a file whose times, size and inode are those of the last run is not
    read; a change shows in its change time even when its size and modification time are
    put back."""
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)  # files made just now count as settled
    root, f = one(tmp_path)
    first = run(capsys, str(root))
    reads = count_reads(monkeypatch)
    assert run(capsys, str(root)) == first
    assert not [p for p in reads if p.endswith(".md")], reads
    st = f.stat()
    text = f.read_text("utf-8")
    f.write_text(text.replace("Read, Grep", "Read, Grap"), "utf-8")  # the same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    changed = run(capsys, str(root))
    assert changed != first and "Grap" in changed[1]
    assert changed == run(capsys, "--no-cache", str(root))


def test_a_file_changed_as_the_cache_was_written_is_read_again(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change within a file system's time resolution of the last one would not show in the
    file's times: a file changed shortly before the cache was written is always read."""
    root, f = one(tmp_path)
    first = run(capsys, str(root))
    reads = count_reads(monkeypatch)
    assert run(capsys, str(root)) == first
    assert str(f) in reads  # made a moment ago: read again


def one(tmp_path: Path) -> tuple[Path, Path]:
    root = project(tmp_path)
    return root, root / ".claude" / "agents" / "a1.md"


@pytest.mark.parametrize(
    "change",
    [
        "content", "path", "version", "code", "severity", "targets", "claude-version",
        "suppressions", "config", "dialect",
    ],
)  # fmt: skip
def test_each_part_of_the_key_invalidates(
    change: str,
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, f = one(tmp_path)
    monkeypatch.chdir(root)
    rel = os.path.relpath(f, root)
    args = ["--no-workspace", rel]
    run(capsys, *args)
    seen = count_analyses(monkeypatch)
    run(capsys, *args)
    assert seen == []  # a hit
    if change == "content":
        f.write_text(f.read_text() + "more\n")
    elif change == "path":
        args[-1] = str(f)  # the same file, named otherwise: its findings name it so
    elif change == "version":
        monkeypatch.setattr(cache_mod, "__version__", "999.0")
    elif change == "code":
        monkeypatch.setattr(cache_mod, "code_digest", lambda: "another build")
    elif change == "severity":
        args[:0] = ["--severity", "AGL200=off"]
    elif change == "targets":
        args[:0] = ["--targets", "vscode"]
    elif change == "claude-version":
        args[:0] = ["--claude-version", "2.1.0"]
    elif change == "suppressions":
        args[:0] = ["--no-suppressions"]
    elif change == "config":
        (root / "agentls.toml").write_text('[severity]\nAGL306 = "error"\n', "utf-8")
    elif change == "dialect":
        args[:0] = ["--dialect", "vscode-agent"]
    got = run(capsys, *args)
    assert seen, f"{change}: the cache was used"
    seen.clear()
    assert run(capsys, *args) == got and seen == []  # cached again under the new key
    assert run(capsys, "--no-cache", *args) == got


def test_a_catalogue_edit_changes_the_code_digest(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(Path(agentls.__file__).parent / "core" / "catalog", pkg / "catalog")
    before = cache_mod.code_digest(str(pkg))
    assert cache_mod.code_digest(str(pkg)) == before
    cat = pkg / "catalog" / "claude-agent.json"
    cat.write_text(cat.read_text() + " ")
    assert cache_mod.code_digest(str(pkg)) != before


def test_workspace_findings_follow_other_files(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, f = one(tmp_path)
    _, out, _ = run(capsys, str(root))
    assert f"{f}:6:" in out and "AGL800" in out  # docs/a1.txt does not exist
    (f.parent / "docs").mkdir()
    (f.parent / "docs" / "a1.txt").write_text("guide\n")
    _, out, _ = run(capsys, str(root))
    assert not any(line.startswith(f"{f}:6:") for line in out.splitlines())
    assert run(capsys, str(root)) == run(capsys, "--no-cache", str(root))
    # the index: a new agent named a1 clashes with the cached file's name
    (root / ".claude" / "agents" / "new.md").write_text(AGENT.format(name="a1"), "utf-8")
    got = run(capsys, str(root))
    assert got == run(capsys, "--no-cache", str(root))
    assert f"{f}:2:7: warning AGL802" in got[1]


DAMAGE: list[Any] = [
    b"",
    b"{not json",
    b"[]",
    {"dialect": 1},
    {"dialect": "claude-agent", "findings": [["AGL200", 9, 0, 1, "m", 0, 0, 0, 1]]},
    {"dialect": "x", "findings": [[1, 2]], "index": "", "probes": [[1]]},
    "entry",
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_a_miss(
    damage: Any, tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    plain = run(capsys, "--no-cache", "--format", "json", str(root))
    run(capsys, str(root))
    [pack] = cache_dir.glob("*/*.tsv")  # <version>/<project>.tsv
    if isinstance(damage, bytes):
        pack.write_bytes(damage)
    else:
        entries = read_pack(pack)
        facts = entries.pop(cache_mod.FACTS)  # what the walk read of each file
        damaged: dict[str, Any] = {k: [p, json.dumps(damage)] for k, (p, _) in entries.items()}
        write_pack(pack, damaged, {p: damage for p in facts})
    assert run(capsys, "--format", "json", str(root)) == plain
    entries = read_pack(pack)  # replaced by good ones
    assert entries.pop(cache_mod.FACTS)
    assert entries and all(json.loads(e)["dialect"] and p for p, e in entries.values())
    lines = pack.read_text().splitlines()
    pack.write_text("\n".join([lines[0], "#files\t1", *(k + "\tnot a pair" for k in entries)]))
    assert run(capsys, "--format", "json", str(root)) == plain


def read_pack(pack: Path) -> dict[str, Any]:
    """A cache file: key -> [path, the entry's JSON text], and FACTS -> the facts."""
    head, *lines = pack.read_text("utf-8").splitlines()
    assert head == cache_mod.HEADER
    out: dict[str, Any] = {}
    for line in lines:
        key, rest = line.split("\t", 1)
        if key == cache_mod.FACTS:
            out[key] = json.loads(rest)
        else:
            path, text = rest.split("\t")
            out[key] = [json.loads(path), text]
    return out


def write_pack(pack: Path, entries: dict[str, Any], facts: Any) -> None:
    lines = [cache_mod.HEADER, f"{cache_mod.FACTS}\t{json.dumps(facts)}"]
    lines += [f"{k}\t{json.dumps(p)}\t{text}" for k, (p, text) in entries.items()]
    pack.write_text("\n".join(lines) + "\n")


def test_entries_of_files_not_checked_are_kept_while_they_exist(
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, f = one(tmp_path)
    run(capsys, str(root))
    [pack] = cache_dir.glob("*/*.tsv")
    every = read_pack(pack)
    seen = count_analyses(monkeypatch)
    run(capsys, str(f))  # one file of the project: the other entries stay
    assert seen == [] and read_pack(pack).keys() == every.keys()
    f.write_text(f.read_text() + "x\n")
    run(capsys, str(f))
    now = read_pack(pack)
    assert len(now) == len(every) and now.keys() != every.keys()  # replaced, not added
    (root / ".claude" / "agents" / "a2.md").unlink()
    run(capsys, str(f))
    assert len(read_pack(pack)) == len(every) - 1


def test_no_cache_writes_nothing_and_a_read_only_folder_is_no_error(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    plain = run(capsys, "--no-cache", str(root))
    assert not cache_dir.exists()
    (tmp_path / "file").write_text("")
    assert run(capsys, "--cache-dir", str(tmp_path / "file" / "sub"), str(root)) == plain
    assert run(capsys, "--cache-dir", str(tmp_path / "c2"), str(root)) == plain
    assert (tmp_path / "c2" / "CACHEDIR.TAG").is_file()


def test_fix_is_never_cached(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    run(capsys, "--fix", str(root))
    assert not cache_dir.exists()


@given(st.lists(st.sampled_from(["", ".", "..", "a", ".claude", "SKILL.md", "x.md"]), max_size=6))
def test_detects_fast_path_split_is_pathlibs(names: list[str]) -> None:
    from pathlib import PurePosixPath

    from agentls.core.dialects import _join, _parts

    for p in ("/".join(names), "/" + "/".join(names), "//" + "/".join(names)):
        parts = _parts(p)
        assert parts == PurePosixPath(p).parts
        for i in range(len(parts) + 1):
            assert _join(parts[:i]) == (str(PurePosixPath(*parts[:i])) if i else ".")


def test_clean_deletes_only_an_agentls_cache(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, str(project(tmp_path)))
    assert cache_dir.is_dir()
    assert cli.main(["clean"]) == 0 and not cache_dir.exists()
    assert cli.main(["clean"]) == 0  # nothing to delete
    other = tmp_path / "other"
    other.mkdir()
    (other / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    assert cli.main(["clean", "--cache-dir", str(other)]) == 2 and other.is_dir()


@pytest.mark.parametrize("other", ["skill", "settings"])
def test_workspace_findings_follow_other_files_contents(
    other: str,
    tmp_path: Path,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The skill listings (AGL805-AGL807) read every skill's description and Claude Code's
    settings files: a change there is a change of every Claude file's workspace findings."""
    root, f = one(tmp_path)
    run(capsys, str(root))
    seen = count_analyses(monkeypatch)
    if other == "skill":
        s = root / ".claude" / "skills" / "s1" / "SKILL.md"
        s.write_text(s.read_text().replace("A skill.", "Another skill."), "utf-8")
    else:
        (root / ".claude" / "settings.json").write_text('{"skillListingMaxDescChars": 5}')
    got = run(capsys, str(root))
    assert str(f) in seen
    assert got == run(capsys, "--no-cache", str(root))
