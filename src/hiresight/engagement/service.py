"""Recording engagement events: the checks and the insert of one event."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hiresight.engagement.models import EngagementEvent
from hiresight.engagement.schemas import FEED_KINDS, EventIn, EventOut
from hiresight.errors import AppError, ConflictError


def record_event(session: Session, *, candidate_id: int, job_id: int, data: EventIn) -> EventOut:
    """Append an event; the same event id again returns the stored one (idempotent).

    Candidates report what they did with the feed; hiring outcomes (interview_completed,
    advanced, hired, rejected) are recorded by the interview and decision flows themselves,
    so a candidate cannot mark themselves hired. The caller has checked that the candidate may
    see the job: ids rather than rows keep this package free of the domains that write to it.
    """
    if data.kind not in FEED_KINDS:
        raise AppError(
            "Outcome events are recorded by the hiring flow, not sent by candidates.",
            code="outcome_event_forbidden",
            status_code=403,
        )
    existing = session.scalar(
        select(EngagementEvent).where(EngagementEvent.event_id == data.event_id)
    )
    if existing is not None:
        same = (existing.candidate_id, existing.job_id, existing.kind, existing.position) == (
            candidate_id, job_id, data.kind, data.position,
        )  # fmt: skip
        if not same:
            raise ConflictError(
                "This event id was used for a different event.", code="event_id_conflict"
            )
        return EventOut(id=existing.id, duplicate=True, **data.model_dump())
    event = EngagementEvent(
        event_id=data.event_id, candidate_id=candidate_id, job_id=job_id, kind=data.kind,
        position=data.position, request_id=data.request_id,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError as exc:  # the same id raced in from another request
        raise ConflictError(
            "This event was just recorded; retry to read it.", code="event_id_conflict"
        ) from exc
    return EventOut(id=event.id, **data.model_dump())
