"""The package as a user installs it: `python -m build` makes an sdist and, from it, a wheel; both
pass `twine check --strict`; the wheel, installed with pip into a clean venv, runs `agentls
--version`, `agentls check` and `agentls serve` (an LSP session over stdio) from there; the same
wheel installs with `uv tool install`.

Offline: the build backend and the locked runtime dependencies come from the wheelhouse that
`make test` fills once (`make .cache/wheelhouse/.stamp`, the only download); pip is told to use
it and no index, and every proxy is a dead port. Without it the tests are skipped with that
command as the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.lsp_stdio import StdioClient

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
EXAMPLES = ROOT / "examples"
VERSION = version("agentls")  # of this checkout (installed editable), from pyproject.toml

pytestmark = pytest.mark.skipif(
    not (WHEELHOUSE / ".stamp").exists(),
    reason="no offline wheelhouse: run `make .cache/wheelhouse/.stamp` (make test does)",
)


def offline_env() -> dict[str, str]:
    """The environment without this venv, pip confined to the wheelhouse (no index, no config),
    and every proxy a dead port, so that a download attempt fails instead of passing unseen."""
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "NO_PROXY", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    dead = "http://127.0.0.1:9"
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(WHEELHOUSE),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        http_proxy=dead,
        https_proxy=dead,
        HTTP_PROXY=dead,
        HTTPS_PROXY=dead,
        ALL_PROXY=dead,
    )
    return env


def run(cmd: list[Any], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)


def checkout_files() -> list[str]:
    """The files of this checkout that git tracks or would (new, not ignored), as paths."""
    r = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    if r.returncode != 0:
        pytest.skip("not a git checkout: " + r.stderr.strip())
    return [p for p in r.stdout.splitlines() if (ROOT / p).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel, built once by `python -m build` (isolated; wheel from sdist).

    From a copy of the checkout's files: a build in the checkout would reuse the file list of an
    earlier build (setuptools reads server/agentls.egg-info/SOURCES.txt) and hide a missing one.
    """
    src = tmp_path_factory.mktemp("src")
    for p in checkout_files():
        (src / p).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / p, src / p)
    out = tmp_path_factory.mktemp("dist")
    r = run([sys.executable, "-m", "build", "--outdir", out, src], env=offline_env(), cwd=out)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (wheel,) = out.glob("agentls-*.whl")
    (sdist,) = out.glob("agentls-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def installed(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv (no agentls, no dependencies) with the wheel installed by pip: its bin/."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    bindir = home / ("Scripts" if os.name == "nt" else "bin")
    pip = [bindir / "python", "-m", "pip", "install", "--quiet"]
    r = run([*pip, dist["wheel"]], env=offline_env())
    assert r.returncode == 0, r.stdout + r.stderr
    return bindir


def package_files() -> set[str]:
    """The files of the agentls package in this checkout (under server/)."""
    return {p.removeprefix("server/") for p in checkout_files() if p.startswith("server/agentls/")}


def test_twine_check_passes(dist: dict[str, Path]) -> None:
    r = run([Path(sys.executable).parent / "twine", "check", "--strict", *dist.values()])
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("PASSED") == 2, r.stdout


def test_wheel_and_sdist_hold_every_file_of_the_package(dist: dict[str, Path]) -> None:
    """Catalogues (JSON read at run time, YAML sources), py.typed, every module: in both."""
    files = package_files()
    assert {"agentls/core/catalog/runtimes.json", "agentls/py.typed"} <= files
    with zipfile.ZipFile(dist["wheel"]) as z:
        in_wheel = {n for n in z.namelist() if n.startswith("agentls/")}
        metadata = z.read(f"agentls-{VERSION}.dist-info/METADATA").decode()
        assert f"agentls-{VERSION}.dist-info/licenses/LICENSE" in z.namelist()
    assert in_wheel == files
    with tarfile.open(dist["sdist"]) as t:
        top = f"agentls-{VERSION}/"
        in_sdist = {n.removeprefix(top) for n in t.getnames()}
    assert {f"server/{f}" for f in files} <= in_sdist
    assert {"README.md", "LICENSE", "pyproject.toml"} <= in_sdist
    # what PyPI shows: the README as Markdown, the links, the Python versions
    assert "Description-Content-Type: text/markdown" in metadata
    assert "Requires-Python: >=3.10" in metadata
    assert "License-Expression: MIT" in metadata
    assert "Project-URL: Repository, https://github.com/agentls/agentls" in metadata


def test_readme_links_work_on_pypi() -> None:
    """PyPI shows the README without the repository: a relative link or image would be broken."""
    text = (ROOT / "README.md").read_text("utf-8")
    relative = [
        m for m in re.findall(r"\]\(([^)\s]+)", text) if not m.startswith(("https://", "#"))
    ]
    assert relative == []


def test_installed_version(installed: Path, tmp_path: Path) -> None:
    r = run([installed / "agentls", "--version"], env=offline_env(), cwd=tmp_path)
    assert (r.returncode, r.stdout.strip()) == (0, f"agentls {VERSION}"), r.stderr
    # the venv's own copy, not this checkout
    r = run([installed / "python", "-c", "import agentls; print(agentls.__file__)"], cwd=tmp_path)
    assert Path(r.stdout.strip()).is_relative_to(installed.parent), r.stdout + r.stderr


def test_installed_check_finds_what_the_checkout_finds(installed: Path, tmp_path: Path) -> None:
    cmd = ["check", "--format", "json", EXAMPLES]
    r = run([installed / "agentls", *cmd], env=offline_env(), cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # errors found
    found = json.loads(r.stdout)
    codes = {(Path(f["path"]).name, f["code"]) for f in found}
    assert {
        ("broken-reviewer.md", "AGL015"),
        ("broken-reviewer.md", "AGL401"),
        ("senior-backend-expert.md", "AGL100"),
        ("senior-backend-expert.md", "AGL105"),
    } <= codes
    here = run([sys.executable, "-m", "agentls", *cmd], cwd=tmp_path)
    assert (here.returncode, json.loads(here.stdout)) == (1, found)


def test_installed_serve_speaks_lsp_over_stdio(installed: Path, tmp_path: Path) -> None:
    path = EXAMPLES / ".claude" / "agents" / "broken-reviewer.md"
    client = StdioClient([str(installed / "agentls"), "serve"], env=offline_env())
    try:
        result = client.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": EXAMPLES.as_uri(), "capabilities": {}},
        )
        assert result["serverInfo"]["name"] == "agentls"
        assert result["serverInfo"]["version"] == VERSION
        client.notify("initialized", {})
        uri = path.as_uri()
        item = {"uri": uri, "languageId": "markdown", "version": 1, "text": path.read_text()}
        client.notify("textDocument/didOpen", {"textDocument": item})
        published = client.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        assert "AGL401" in {d["code"] for d in published["params"]["diagnostics"]}
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.returncode() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()
    assert b"Traceback" not in b"".join(client.stderr)


def test_uv_tool_install(dist: dict[str, Path], tmp_path: Path) -> None:
    """`uv tool install` (the README's other way) from the same wheel: its own venv, on PATH."""
    uvs = sorted(ROOT.glob(".cache/uv-*/bin/uv"))  # the Makefile's pinned uv
    if not uvs:
        pytest.skip("no uv in .cache/ (the Makefile installs it)")
    env = offline_env()
    env.update(
        UV_TOOL_DIR=str(tmp_path / "tools"),
        UV_TOOL_BIN_DIR=str(tmp_path / "bin"),
        UV_CACHE_DIR=str(tmp_path / "cache"),
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
    )
    python = getattr(sys, "_base_executable", sys.executable)
    install = ["tool", "install", "--offline", "--no-index", "--find-links", WHEELHOUSE]
    r = run([uvs[-1], *install, "--python", python, dist["wheel"]], env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run([tmp_path / "bin" / "agentls", "check", EXAMPLES], env=env, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "AGL401" in r.stdout
