"""Record the cgroups each sandbox test creates, so leaks are checked for our runs only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hiresight.sandbox import cgroups
from tests.sandbox import helpers


@pytest.fixture(autouse=True)
def record_cgroups(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Wrap cgroups.create so helpers.assert_host_fine knows which groups were ours."""
    real_create = cgroups.create

    def recording_create(run_id: str, *, memory_bytes: int, max_pids: int) -> cgroups.RunCgroups:
        groups = real_create(run_id, memory_bytes=memory_bytes, max_pids=max_pids)
        helpers.CREATED_CGROUPS.extend(groups.dirs)
        return groups

    monkeypatch.setattr(cgroups, "create", recording_create)
    helpers.CREATED_CGROUPS.clear()
    yield
    helpers.CREATED_CGROUPS.clear()
