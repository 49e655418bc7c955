"""Run inside the skills-ref venv: the ``agentskills`` CLI (its click entry point) on many folders.

Reads a JSON list of skill folders on stdin; prints one JSON line per folder and command:
``{"dir", "cmd", "rc", "stdout", "stderr"}``. Each call is ``agentskills CMD DIR`` exactly as the
console script runs it (``skills_ref.cli:main``); an uncaught exception is reported as the
traceback Python would print and rc 1. One process for all folders (a process per call costs
0.2 s each; the CLI keeps no state between calls).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from skills_ref.cli import main  # type: ignore[import-not-found]  # the runtime's venv


def call(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main.main(args=args, prog_name="agentskills", standalone_mode=True)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception:  # the console script would print the traceback and exit 1
            traceback.print_exc()
            rc = 1
    return rc, out.getvalue(), err.getvalue()


def run() -> None:
    dirs = json.load(sys.stdin)
    for d in dirs:
        for cmd in ("validate", "read-properties"):
            rc, out, err = call([cmd, d])
            print(json.dumps({"dir": d, "cmd": cmd, "rc": rc, "stdout": out, "stderr": err}))
            sys.stdout.flush()


if __name__ == "__main__":
    run()
