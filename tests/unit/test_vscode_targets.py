"""The VS Code extension is built for every platform VS Code publishes for, and its launcher
uses the compiled YAML parser of the running Python's version when the .vsix carries one.

`make vsix-all` builds them (`make vsix VSIX_TARGET=...` one); building them all is too slow for
`make test`, so this checks the lists agree and runs the real launcher on a stand-in bundle.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors/vscode"
# VS Code's platform-specific extension targets, less `web` (no Python there)
TARGETS = {
    "win32-x64",
    "win32-arm64",
    "linux-x64",
    "linux-arm64",
    "linux-armhf",
    "alpine-x64",
    "alpine-arm64",
    "darwin-x64",
    "darwin-arm64",
}


def test_bundle_sh_and_make_know_every_target() -> None:
    bundle = (VSCODE / "bundle.sh").read_text()
    cases = set(re.findall(r"^  ([a-z0-9]+-[a-z0-9]+)\) UV_PLATFORM=", bundle, re.MULTILINE))
    assert cases == TARGETS
    make = (ROOT / "Makefile").read_text()
    m = re.search(r"^VSIX_TARGETS := (.*?)(?<!\\)\n", make, re.MULTILINE | re.DOTALL)
    assert m, "no VSIX_TARGETS in the Makefile"
    assert set(m[1].replace("\\\n", " ").split()) == TARGETS


def test_manifest_has_what_open_vsx_requires() -> None:
    p = json.loads((VSCODE / "package.json").read_text())
    for key in ("name", "publisher", "version", "displayName", "description", "license"):
        assert isinstance(p.get(key), str) and p[key], key
    assert p["repository"]["url"].startswith("https://")
    assert p["engines"]["vscode"]
    assert (VSCODE / "LICENSE").is_file() and (VSCODE / "README.md").is_file()


def fake_bundle(tmp_path: Path, native: bool) -> Path:
    """launch.py with a stand-in `agentls.cli` in libs/ (exit 10) and, if ``native``, another
    in native/cp<XY>/ for this Python (exit 11)."""
    bundled = tmp_path / "bundled"
    shutil.copytree(VSCODE / "bundled", bundled, ignore=shutil.ignore_patterns("libs", "native"))
    folders = {"libs": 10}
    if native:
        folders[f"native/cp{sys.version_info[0]}{sys.version_info[1]}"] = 11
    for folder, code in folders.items():
        pkg = bundled / folder / "agentls"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "cli.py").write_text(f"def main(argv):\n    return {code}\n")
    return bundled / "launch.py"


def test_launcher_prefers_the_native_folder_of_this_python(tmp_path: Path) -> None:
    launch = fake_bundle(tmp_path, native=True)
    assert subprocess.run([sys.executable, str(launch)], timeout=30).returncode == 11


def test_launcher_falls_back_to_the_pure_python_libs(tmp_path: Path) -> None:
    launch = fake_bundle(tmp_path, native=False)
    assert subprocess.run([sys.executable, str(launch)], timeout=30).returncode == 10
