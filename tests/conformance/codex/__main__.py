"""python -m tests.conformance.codex install | record [--only ID...] | check | diff"""

from __future__ import annotations

import sys

from tests.conformance import runtimes_common as rc
from tests.conformance.codex import driver
from tests.conformance.skills_ref.common import suite

SUITE = suite("Codex", "codex", driver)

if __name__ == "__main__":
    sys.exit(rc.main(SUITE))
