"""The replays that the selected tests need start together, in parallel (parallel.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance import parallel


def _jobs(items: list[pytest.Item]) -> set[parallel.Job]:
    from tests.conformance import recordings

    jobs: set[parallel.Job] = set()
    for item in items:
        params = getattr(item, "callspec", None)
        p = params.params if params is not None else {}
        if item.path.name == "test_replay.py":
            versions = [p["version"]] if "version" in p else recordings.recorded_versions()
            jobs.update(("claude-code", v) for v in versions)
        elif item.path.name == "test_agreement.py" and "package" in p:
            jobs.add(("runtime", p["package"]))
    return jobs


@pytest.fixture(scope="session")
def replays(request: pytest.FixtureRequest) -> Iterator[None]:
    parallel.start(_jobs(request.session.items))
    yield
    parallel.stop()
