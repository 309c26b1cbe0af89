"""Candidate profiles: creation with the account, and the candidate's own edits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.profiles.models import CandidateProfile
from hiresight.profiles.schemas import ProfileUpdate


def get_or_create(session: Session, *, candidate: User) -> CandidateProfile:
    """The candidate's profile, created empty on first use."""
    profile = session.scalar(
        select(CandidateProfile).where(CandidateProfile.user_id == candidate.id)
    )
    if profile is None:
        profile = CandidateProfile(user_id=candidate.id)
        session.add(profile)
        session.flush()
    return profile


def update(session: Session, *, candidate: User, data: ProfileUpdate) -> CandidateProfile:
    """Replace the candidate's editable fields; skills are de-duplicated, order kept."""
    profile = get_or_create(session, candidate=candidate)
    values = data.model_dump()
    values["skills"] = list(dict.fromkeys(s.strip() for s in data.skills if s.strip()))
    for field, value in values.items():
        setattr(profile, field, value)
    audit.record(
        session,
        actor=candidate,
        action="profile.update",
        entity_type="candidate_profile",
        entity_id=profile.id,
    )
    return profile
