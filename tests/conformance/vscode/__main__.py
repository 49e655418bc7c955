"""python -m tests.conformance.vscode install | record [--only ID...] [--source S] | diff"""

from __future__ import annotations

import argparse

from tests.conformance.vscode import runtime


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m tests.conformance.vscode")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="install the pinned code-server, node 24, playwright-core")
    rec = sub.add_parser("record", help="run VS Code on the cases, write the recordings")
    rec.add_argument("--source", choices=("generated", "corpus", "all"), default="all")
    rec.add_argument("--only", nargs="+", metavar="ID", help="print these rows, write nothing")
    rec.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="corpus share per 1000 files (default: cases.SAMPLE_PER_1000; 1000 = all)",
    )
    sub.add_parser("diff", help="agentls against the recordings; writes DIFF.md")
    a = ap.parse_args(argv)
    if a.cmd == "install":
        t = runtime.install()
        print(runtime.code_server_version(t))
    elif a.cmd == "record":
        from tests.conformance.vscode import driver

        sources = ("generated", "corpus") if a.source == "all" else (a.source,)
        for s in sources:
            driver.record(s, a.only, a.sample)
    else:
        from tests.conformance.vscode import diff

        diff.main()


if __name__ == "__main__":
    main()
