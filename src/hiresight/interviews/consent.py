"""Notice and consent: what a candidate is told before their first interview, and their consent.

The notice text is `web/templates/interview_notice.html`; `NOTICE_VERSION` names it. Whoever
changes what the notice says bumps the version, and every candidate is asked again before their
next interview: a consent counts only for the version it was given to. Practice sessions need
none: their answers reach no employer.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.interviews.errors import ConsentRequiredError, StaleNoticeError

# Bump with every change of meaning in interview_notice.html (a date keeps versions ordered).
NOTICE_VERSION = "2026-12-05"
NOTICE_URL = "/candidate/interviews/notice"


class InterviewConsent(Base):
    """A candidate's consent to one version of the interview notice, with its time."""

    __tablename__ = "interview_consents"
    __table_args__ = (UniqueConstraint("candidate_id", "notice_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    notice_version: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def current(session: Session, *, candidate_id: int) -> InterviewConsent | None:
    """The candidate's consent to the notice in force, if given."""
    return session.scalar(
        select(InterviewConsent).where(
            InterviewConsent.candidate_id == candidate_id,
            InterviewConsent.notice_version == NOTICE_VERSION,
        )
    )


def give(session: Session, *, candidate: User, version: str) -> InterviewConsent:
    """Record the candidate's consent to the notice they read (idempotent per version).

    The version the candidate saw must be the one in force (409 `stale_notice` otherwise): a
    consent to a notice that has since changed says nothing about the current one.
    """
    if version != NOTICE_VERSION:
        raise StaleNoticeError(
            "The notice has changed since you read it; read the current one.",
            details={"notice_url": NOTICE_URL, "notice_version": NOTICE_VERSION},
        )
    existing = current(session, candidate_id=candidate.id)
    if existing is not None:
        return existing
    consent = InterviewConsent(
        candidate_id=candidate.id, notice_version=version, consented_at=utcnow()
    )
    session.add(consent)
    session.flush()
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=None,
        action="interview.consent",
        entity_type="interview_consent",
        entity_id=consent.id,
        details={"notice_version": version},
    )
    return consent


def require(session: Session, *, candidate_id: int) -> None:
    """Refuse (409 `consent_required`, with the notice's address) without a current consent."""
    if current(session, candidate_id=candidate_id) is None:
        raise ConsentRequiredError(
            "Read the interview notice and give your consent before your first interview.",
            details={"notice_url": NOTICE_URL, "notice_version": NOTICE_VERSION},
        )
