"""Start the bundled agentls server with the user's Python (3.10+), no pip step.

`libs/` holds the pure-Python packages (agentls, pygls, lsprotocol, PyYAML without its C
extension...). `native/cp<XY>/` holds compiled speed-ups (libyaml) for the platform the .vsix
was built for, one folder per CPython version; the one of this interpreter is used.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    # one .vsix per platform, so only the Python version selects the folder; a compiled module
    # that cannot load leaves PyYAML (and agentls) on the pure-Python parser
    native = os.path.join(HERE, "native", "cp%d%d" % sys.version_info[:2])
    paths = [native] if os.path.isdir(native) else []
    paths.append(os.path.join(HERE, "libs"))
    sys.path[:0] = paths
    from agentls.cli import main as cli

    raise SystemExit(cli(sys.argv[1:] or ["serve"]))


if __name__ == "__main__":
    if sys.version_info < (3, 10):
        sys.stderr.write("agentls needs Python 3.10 or newer (this is %s)\n" % sys.version.split()[0])
        raise SystemExit(3)
    main()
