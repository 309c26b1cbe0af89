"""Organization API keys and the invitations a partner (an applicant-tracking system) sends.

The tables refer to organizations, users, jobs, templates, sessions and take-homes by foreign
key (table name only).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class PartnerApiKey(Base):
    """An organization's key for the partner API; only its SHA-256 is stored."""

    __tablename__ = "partner_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PartnerInvitation(Base):
    """One assessment sent to one candidate for one application of the partner.

    The link's token is derived from the server's secret and `nonce` (service.link_token), so
    it is never stored and the same link can be given again. Claiming the link ties the
    invitation to a candidate account and to the interview session or take-home invitation it
    opened; status and results are read from those records.
    """

    __tablename__ = "partner_invitations"
    __table_args__ = (
        UniqueConstraint("organization_id", "assessment_id", "external_application_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_api_keys.id", ondelete="SET NULL")
    )
    # "interview:default", "interview:<template id>" or "takehome:<assignment id>".
    assessment_id: Mapped[str] = mapped_column(String(40))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_templates.id", ondelete="SET NULL")
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("takehome_assignments.id", ondelete="CASCADE")
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    candidate_email: Mapped[str] = mapped_column(String(320))
    candidate_name: Mapped[str] = mapped_column(String(200))
    external_application_id: Mapped[str] = mapped_column(String(200))
    external_candidate_id: Mapped[str | None] = mapped_column(String(200))
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    email_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    email_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="SET NULL")
    )
    takehome_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("takehome_invitations.id", ondelete="SET NULL")
    )
