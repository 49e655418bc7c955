"""A local wheelhouse for installing agentls offline, as pre-commit and the GitHub Action do.

pip, run with ``PIP_NO_INDEX=1 PIP_FIND_LINKS=<wheelhouse>``, then installs agentls from its
source tree with no network: agentls's runtime dependencies are repacked as wheels from the
distributions installed in the test's own environment (.venv, so the versions of uv.lock),
and setuptools (the build backend) is the wheel that virtualenv embeds."""

from __future__ import annotations

import re
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

SKIP = ("INSTALLER", "REQUESTED", "direct_url.json", "RECORD")


def closure(name: str) -> list[metadata.Distribution]:
    """The distributions ``name`` needs at run time (no extras), ``name`` left out."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [name]
    while todo:
        dist = metadata.distribution(todo.pop())
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            key = canonicalize_name(req.name)
            if key not in seen:
                seen[key] = metadata.distribution(req.name)
                todo.append(req.name)
    return list(seen.values())


def _tags(dist: metadata.Distribution) -> str:
    """The compressed tag set of the wheel the distribution came from (its WHEEL file)."""
    wheel = dist.read_text("WHEEL") or ""
    tags = [t.split("-") for t in re.findall(r"^Tag: (\S+)$", wheel, re.M)]
    return "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))


def repack(dist: metadata.Distribution, into: Path) -> Path:
    """A wheel of an installed distribution, from the files its RECORD lists (scripts, which
    pip writes again from entry_points.txt, and byte code left out; a fresh RECORD)."""
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"]).lower()
    out = into / f"{name}-{dist.version}-{_tags(dist)}.whl"
    info = f"{name}-{dist.version}.dist-info"
    record = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in dist.files or []:
            arc = f.as_posix()
            if arc.startswith("..") or arc.endswith(".pyc") or "/__pycache__/" in f"/{arc}":
                continue
            dirname, _, base = arc.partition("/")
            if dirname.endswith(".dist-info") and base in SKIP:
                continue
            if dirname.endswith(".dist-info"):
                arc = f"{info}/{base}"
            z.writestr(arc, Path(str(f.locate())).read_bytes())
            record.append(f"{arc},,")
        record.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return out


def build(into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    for dist in closure("agentls"):
        repack(dist, into)
    import virtualenv.seed.wheels.embed as embed

    wheels = Path(embed.__file__).parent.glob("setuptools-*.whl")
    setuptools = max(wheels, key=lambda p: Version(p.name.split("-")[1]))
    (into / setuptools.name).write_bytes(setuptools.read_bytes())
    return into


if __name__ == "__main__":
    print("\n".join(sorted(p.name for p in build(Path(sys.argv[1])).iterdir())))
