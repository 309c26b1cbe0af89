"""Who may touch a recording: the candidate who made it; staff may listen where they may read
the results. Anything else answers 404, like a recording that does not exist."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.access import is_staff
from hiresight.accounts.models import User
from hiresight.errors import NotFoundError
from hiresight.interviews.access import attempt_for_owner, results_shared_with
from hiresight.interviews.models import InterviewSession, StageAttempt
from hiresight.interviews.voice.models import AnswerRecording
from hiresight.jobs.access import candidate_visible_to


def recording_for_owner(
    session: Session, user: User, attempt_id: int, recording_id: int
) -> tuple[StageAttempt, AnswerRecording]:
    """The caller's own attempt and its recording in the path, or 404."""
    attempt = attempt_for_owner(session, user, attempt_id)
    recording = session.get(AnswerRecording, recording_id)
    if recording is None or recording.attempt_id != attempt.id:
        raise NotFoundError("No such recording.")
    return attempt, recording


def recording_for_listener(session: Session, user: User, recording_id: int) -> AnswerRecording:
    """A recording the user may listen to: their own, or, for staff, one of an applicant to
    their organization on an interview whose results it may read; else 404."""
    recording = session.get(AnswerRecording, recording_id)
    attempt = session.get(StageAttempt, recording.attempt_id) if recording else None
    if recording is None or attempt is None:
        raise NotFoundError("No such recording.")
    if attempt.candidate_id == user.id:
        return recording
    if is_staff(user) and user.organization_id is not None:
        visible = session.scalar(candidate_visible_to(user, attempt.candidate_id))
        shared = session.scalar(
            select(InterviewSession.id).where(
                InterviewSession.id == attempt.session_id,
                results_shared_with(user.organization_id),
            )
        )
        if visible is not None and shared is not None:
            return recording
    raise NotFoundError("No such recording.")
