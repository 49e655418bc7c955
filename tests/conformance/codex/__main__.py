"""python -m tests.conformance.codex install | record [--only ID...] [--source S] | diff"""

from __future__ import annotations

import argparse

from tests.conformance.codex import driver


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.conformance.codex")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help=f"npm install @openai/codex@{driver.VERSION} (cached)")
    rec = sub.add_parser("record", help="run Codex on the cases, write recordings")
    rec.add_argument("--only", nargs="+", help="case ids (substrings): print, write nothing")
    rec.add_argument(
        "--source", action="append", choices=("generated", "corpus"), help="default: both"
    )
    sub.add_parser("diff", help="agentls against the recordings; writes DIFF.md")
    a = ap.parse_args(argv)
    if a.cmd == "install":
        print(driver.install())
    elif a.cmd == "record":
        driver.record(tuple(a.source or ("generated", "corpus")), a.only)
    else:
        print(driver.diff())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
