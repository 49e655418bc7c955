"""Start the bundled agentls server with the user's Python (3.10+), no pip step.

`libs/` holds the pure-Python packages (agentls, pygls, lsprotocol, PyYAML without its C
extension...). `native/<python tag>-<platform>/` holds compiled speed-ups (libyaml, rapidfuzz)
for the platform the .vsix was built for; they are used when they match this interpreter.
"""

import os
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    tag = "cp%d%d-%s" % (sys.version_info[0], sys.version_info[1],
                         sysconfig.get_platform().replace("-", "_").replace(".", "_"))
    native = os.path.join(HERE, "native", tag)
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
