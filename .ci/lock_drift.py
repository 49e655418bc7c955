"""Which installed versions differ from uv.lock: the report of `make test-latest`.

Reads `uv export --format requirements-txt --no-hashes` (the lock) on stdin and compares it with
the distributions of the interpreter that runs it (the venv with the newest allowed versions).
"""

import platform
import sys
from importlib.metadata import distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def main() -> int:
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in distributions()
        if d.metadata["Name"]
    }
    locked: dict[str, str] = {}
    for line in sys.stdin:
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate():
            locked[canonicalize_name(req.name)] = next(iter(req.specifier)).version
    rows = []
    for name in sorted(set(locked) | set(installed)):
        lock, have = locked.get(name), installed.get(name)
        if name in ("agentls", "pip") or (lock and have and Version(lock) == Version(have)):
            continue
        rows.append((name, lock or "-", have or "-"))
    print(f"== test-latest: Python {platform.python_version()}, newest allowed versions vs uv.lock")
    if rows:
        width = max(len(r[0]) for r in rows)
        print(f"   {'package':{width}}  {'uv.lock':>12}  newest allowed")
        for name, lock, have in rows:
            print(f"   {name:{width}}  {lock:>12}  {have}")
        adopt = "`make lock-upgrade` adopts them"
        print(f"== {len(rows)} differ from uv.lock ({len(locked)} locked here; {adopt})")
    else:
        print(f"== all {len(locked)} locked packages are at the newest allowed version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
