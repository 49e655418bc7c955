"""Files that must not hang or explode the CLI and the index (issue 9, part 4): FIFOs, link
loops, broken links, invalid UTF-8 by the megabyte, long walks.

CLI cases run the real `agentls check` in a subprocess with a timeout, so a hang fails the
test instead of hanging the suite. No test asserts a time.
"""

from __future__ import annotations

import io
import json
import os
import random
import select
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from agentls import cli as cli_module
from agentls.core.analysis import analyze
from agentls.core.files import (
    MAX_ENCODING_REPORTS,
    FileRefused,
    decode,
    read_bytes,
    regular_files,
    write_text,
)
from agentls.core.text import Columns, LineIndex, utf8_len, utf16_len
from agentls.core.textcheck import MAX_REPORTS
from agentls.core.workspace import SKIP_DIRS, collect, read_head

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30  # a hang fails here
fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
OK = "---\nname: ok\ndescription: Use when testing\n---\nbody\n"


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentls", "check", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=TIMEOUT,
        env={**os.environ, "HOME": str(cwd)},  # no user agents from the developer's home
    )


def project(tmp: Path) -> Path:
    """A project (it has `.git`) with one good agent; returns its agents folder."""
    (tmp / ".git").mkdir()
    agents = tmp / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "ok.md").write_text(OK, "utf-8")
    return agents


@fifo_only
def test_fifo_named_directly_is_an_io_error(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.mkfifo(agents / "x.md")
    r = check(".claude/agents/x.md", ".claude/agents/ok.md", cwd=tmp_path)
    assert r.returncode == 2  # README: 2 on usage or I/O failure
    assert ".claude/agents/x.md: not a regular file (a FIFO); skipped" in r.stderr.splitlines()
    assert "1 file checked" in r.stderr  # the other file still is


@fifo_only
def test_fifo_reached_by_a_walk_is_skipped(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.mkfifo(agents / "x.md")
    os.mkfifo(tmp_path / ".mcp.json")  # read by the workspace index
    r = check(".", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "")
    assert r.stderr == "1 file checked, no problems\n"  # as `grep -r`, ESLint and ruff: silent


@fifo_only
def test_fifo_elsewhere_in_the_project_of_a_checked_file(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.mkfifo(agents / "x.md")
    (tmp_path / "sub" / ".claude" / "skills" / "s").mkdir(parents=True)
    os.mkfifo(tmp_path / "sub" / ".claude" / "skills" / "s" / "SKILL.md")
    lead = agents / "lead.md"
    lead.write_text("---\nname: lead\ndescription: d\nskills:\n  - missing\n---\n", "utf-8")
    r = check(".claude/agents/lead.md", cwd=tmp_path)
    assert "warning AGL801" in r.stdout  # the project index finished
    assert r.returncode == 0, r.stderr


def test_symlink_loop_named_directly(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.symlink("x.md", agents / "x.md")
    r = check(".claude/agents/x.md", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "agentls: .claude/agents/x.md: symbolic link loop\n"


def test_broken_symlink_named_directly(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.symlink("gone.md", agents / "x.md")
    r = check(".claude/agents/x.md", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "agentls: .claude/agents/x.md: broken symbolic link to gone.md\n"


def test_missing_path_is_reported_before_any_output(tmp_path: Path) -> None:
    project(tmp_path)
    r = check("--format", "json", ".", "missing.md", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "agentls: missing.md: no such file or directory\n"


def test_symlinks_to_regular_files_are_checked_and_walks_skip_broken_ones(
    tmp_path: Path,
) -> None:
    agents = project(tmp_path)
    real = tmp_path / "real.md"
    real.write_text("---\nname: real\ndescription: d\ncolor: teal\n---\n", "utf-8")
    os.symlink(real, agents / "link.md")
    os.symlink("gone.md", agents / "broken.md")
    os.symlink("loop.md", agents / "loop.md")
    r = check("--format", "json", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [(Path(d["path"]).name, d["code"]) for d in json.loads(r.stdout)] == [
        ("link.md", "AGL301")
    ]


@fifo_only
def test_fix_never_writes_to_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    with pytest.raises(OSError):  # no reader: ENXIO at once, not a wait
        write_text(str(fifo), "text")
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with pytest.raises(FileRefused, match=r"not a regular file \(a FIFO\)"):
            write_text(str(fifo), "text")
    finally:
        os.close(reader)


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    agents = project(tmp_path)
    real = tmp_path / "real.md"
    real.write_text("---\nname: real\ndescription: Use when: asked\n---\n", "utf-8")
    os.symlink(real, agents / "link.md")
    r = check("--fix", ".claude/agents/link.md", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (agents / "link.md").is_symlink()
    assert real.read_text("utf-8") == '---\nname: real\ndescription: "Use when: asked"\n---\n'


def test_fix_leaves_a_file_that_is_not_utf8_as_it_is(tmp_path: Path) -> None:
    agents = project(tmp_path)
    data = b"---\nname: x\ndescription: Use when: caf\xe9\n---\n"
    (agents / "x.md").write_bytes(data)
    r = check("--fix", ".claude/agents/x.md", cwd=tmp_path)
    assert (agents / "x.md").read_bytes() == data  # the byte E9 is not replaced by U+FFFD
    assert ".claude/agents/x.md: not valid UTF-8; fixes not applied" in r.stderr
    assert "AGL100" in r.stdout and r.returncode == 1  # an error: Copilot CLI drops it


@fifo_only
def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    for path, what in ((fifo, "a FIFO"), (tmp_path, "a directory"), ("/dev/null", "device")):
        with pytest.raises(FileRefused, match=what):
            read_bytes(str(path))
        assert read_head(str(path)) is None
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 100)
    with pytest.raises(FileRefused, match="larger than"):
        read_bytes(str(big), 99)
    assert read_bytes(str(big), 10, head=True) == b"x" * 10
    assert read_bytes(str(big), 100) == b"x" * 100


@fifo_only
def test_index_scan_skips_fifos(tmp_path: Path) -> None:
    agents = project(tmp_path)
    os.mkfifo(agents / "x.md")
    os.mkfifo(tmp_path / ".mcp.json")
    (tmp_path / ".claude" / "skills" / "s").mkdir(parents=True)
    (tmp_path / ".claude" / "skills" / "s" / "SKILL.md").write_text("---\nname: s\n---\n")
    code = (  # in a subprocess: a blocking open would hang this test's process
        "import sys; from agentls.core.workspace import collect; "
        "print(sorted(e.name for e in collect(sys.argv[1]).entities.values()))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert r.stdout == "['ok', 's']\n", r.stderr
    assert sorted(e.name for e in collect(str(tmp_path)).entities.values()) == ["ok", "s"]


def test_regular_files_walk_order_matches_os_walk(tmp_path: Path) -> None:
    for rel in ("b/x.md", "a/z.md", "a/c/y.md", "a.md", "node_modules/n.md", "a/b.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    os.symlink(tmp_path / "a", tmp_path / "linked")  # a symlinked folder is not entered
    expected = []
    for root, dirs, names in os.walk(tmp_path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        expected += [os.path.join(root, n) for n in sorted(names)]
    assert list(regular_files(str(tmp_path), SKIP_DIRS)) == expected


def random_bytes(size: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize("prefix", [b"", b"---\nname: x\ndescription: d\n---\n", b"---\n"])
def test_megabytes_of_invalid_utf8(prefix: bytes) -> None:
    data = prefix + random_bytes(3 * 1024 * 1024)
    text, found = decode(data)
    assert text == data.decode("utf-8", "replace")  # one U+FFFD per invalid sequence, as Node
    assert len(found) == MAX_ENCODING_REPORTS
    for f in found:
        at = int(f.message.split("byte offset ")[1].split()[0])
        assert text[f.span.start] == "\ufffd"
        assert f"Byte 0x{data[at]:02X} " in f.message
        assert data[:at].decode("utf-8", "replace") == text[: f.span.start]
    a = analyze("/p/.claude/agents/x.md", text, extra=found)
    count = Counter(f.code for f in a.findings)
    assert count["AGL104"] == MAX_ENCODING_REPORTS
    assert all(n <= MAX_REPORTS for code, n in count.items() if code != "AGL105")
    assert len(a.findings) < 5 * MAX_REPORTS


def test_decode_reports_each_invalid_sequence_where_it_is() -> None:
    text, found = decode(b"caf\xe9 \xe2\x82 ok \xf0\x9f\x9a\x80 \xff")
    assert text == "caf\ufffd \ufffd ok \U0001f680 \ufffd"
    assert [(f.span.start, f.message.split(" is ")[0]) for f in found] == [
        (3, "Byte 0xE9 at byte offset 3"),
        (5, "Byte 0xE2 at byte offset 5"),
        (12, "Byte 0xFF at byte offset 16"),
    ]
    assert decode("é".encode()) == ("é", ())


@pytest.mark.parametrize("cut", range(-4, 4))
def test_decode_across_its_window(cut: int) -> None:
    """A character or an invalid sequence cut by the edge of a decoding window."""
    w = 64 * 1024
    for middle in ("€".encode(), b"\xe2\x82", "🚀".encode()[:3], b"\xf0\x9f\x9a\x80\xff"):
        data = b"a" * (w + cut) + middle + b"A\xff" + b"b" * 5
        text, found = decode(data)
        assert text == data.decode("utf-8", "replace")
        for f in found:
            at = int(f.message.split("byte offset ")[1].split()[0])
            assert data[:at].decode("utf-8", "replace") == text[: f.span.start]
            assert text[f.span.start] == "\ufffd"
        assert len(found) == text.count("\ufffd")


def test_lone_surrogate_and_replacement_floods_are_bounded() -> None:
    """The server's path: a didOpen text (JSON allows lone surrogates) is never decoded."""
    flood = "".join(random.Random(2).choices("\ud800\udfff\ufffd\x01\u2028a\n", k=2**20))
    for text in (f"---\nname: x\ndescription: {flood}\n---\n{flood}", flood):
        count = Counter(f.code for f in analyze("/p/.claude/agents/x.md", text).findings)
        assert 0 < count["AGL104"] <= MAX_REPORTS
        assert all(n <= MAX_REPORTS for n in count.values()), count


@pytest.mark.parametrize("measure", [utf16_len, utf8_len])
def test_columns_on_long_lines_match_a_plain_count(measure: object) -> None:
    assert callable(measure)
    r = random.Random(3)
    line = "".join(r.choice("aé\U0001f680\ud800") for _ in range(3 * Columns.BLOCK + 17))
    text = f"short\n{line}\r\nend"
    cols = Columns(LineIndex(text), measure)
    for col in (*range(0, len(line) + 1, 97), Columns.BLOCK, 2 * Columns.BLOCK, len(line)):
        units = measure(line[:col])
        assert cols.units(1, col) == units
        assert cols.column(1, units) == col
        assert cols.column(1, units + 1) == min(col + 1, len(line))  # inside a character
    assert cols.units(1, len(line) + 1) == measure(line + "\r")  # between \r and \n
    assert cols.column(1, 10**9) == len(line)


def test_a_long_walk_streams_and_shows_progress_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pty = pytest.importorskip("pty")
    agents = project(tmp_path)
    for i in range(30):
        (agents / f"a{i}.md").write_text(f"---\nname: a{i}\ndescription: d\ncolor: teal\n---\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(cli_module, "PROGRESS_AFTER", 0.0)  # no test waits a second
    monkeypatch.setattr(cli_module, "PROGRESS_EVERY", 0.0)  # every file redraws the line
    master, slave = pty.openpty()
    out = io.StringIO()
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        assert tty.isatty()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", tty)
        assert cli_module.main(["check", "--format", "json", "."]) == 0
        tty.flush()
        chunks = []  # a pty may hand the output over in several reads
        while select.select([master], [], [], 0.2)[0]:
            chunks.append(os.read(master, 1 << 16))
        shown = b"".join(chunks).decode("utf-8")
    os.close(master)
    assert "\ragentls: checked 1 file…" in shown
    assert "\ragentls: checked 30 files…" in shown
    assert shown.endswith("\r\x1b[K")  # cleared: nothing is left on the line
    assert len(json.loads(out.getvalue())) == 30
    err = io.StringIO()  # not a terminal: no progress, ever
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli_module.main(["check", "."]) == 0
    assert err.getvalue() == "31 files checked: 30 warnings\n"
