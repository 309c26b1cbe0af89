"""API shapes for engagement events."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

FEED_KINDS = frozenset({"impression", "click", "save", "apply", "dismiss"})
EventKindIn = Literal[
    "impression", "click", "save", "apply", "dismiss", "interview_completed", "advanced",
    "hired", "rejected",
]  # fmt: skip


class EventIn(BaseModel):
    """An engagement event; sending the same `event_id` again is a no-op."""

    event_id: str = Field(min_length=8, max_length=80, pattern=r"^[A-Za-z0-9:_.-]+$")
    kind: EventKindIn
    job_id: int = Field(ge=1, le=2_147_483_647)
    position: int | None = Field(None, ge=0, le=1000)
    request_id: str | None = Field(None, max_length=80)


class EventOut(EventIn):
    """A stored event."""

    id: int
    duplicate: bool = False
