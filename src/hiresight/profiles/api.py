"""REST endpoints for candidate profiles."""

from __future__ import annotations

from fastapi import APIRouter

from hiresight.deps import CandidateUser, ReadableProfile, SessionDep
from hiresight.profiles import service
from hiresight.profiles.schemas import ProfilePublic, ProfileUpdate

router = APIRouter(tags=["profiles"])


@router.get("/candidates/me/profile", response_model=ProfilePublic)
def get_my_profile(user: CandidateUser, session: SessionDep) -> ProfilePublic:
    """The caller's own profile."""
    return ProfilePublic.model_validate(service.get_or_create(session, candidate=user))


@router.put("/candidates/me/profile", response_model=ProfilePublic)
def update_my_profile(
    data: ProfileUpdate, user: CandidateUser, session: SessionDep
) -> ProfilePublic:
    """Replace the caller's editable profile fields."""
    return ProfilePublic.model_validate(service.update(session, candidate=user, data=data))


@router.get("/candidates/{candidate_id}/profile", response_model=ProfilePublic)
def get_candidate_profile(profile: ReadableProfile) -> ProfilePublic:
    """A candidate's profile: their own, or an applicant to the caller's organization."""
    return ProfilePublic.model_validate(profile)
