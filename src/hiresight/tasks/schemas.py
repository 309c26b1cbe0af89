"""API shapes of background work, for the admins' view of what is pending or failed."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from hiresight.tasks.models import WorkState


class PendingWorkPublic(BaseModel):
    """One piece of background work (a grade or a score of an attempt) and where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    attempt_id: int
    state: WorkState
    attempts: int
    lease_until: dt.datetime | None
    next_run_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
