"""python -m tests.conformance.skills_ref install | record [--only ID...] | check | diff"""

from __future__ import annotations

import sys

from tests.conformance import runtimes_common as rc
from tests.conformance.skills_ref import driver
from tests.conformance.skills_ref.common import suite

SUITE = suite("skills-ref", "skills_ref", driver)

if __name__ == "__main__":
    sys.exit(rc.main(SUITE))
