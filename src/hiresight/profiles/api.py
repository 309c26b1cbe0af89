"""REST endpoints for candidate sign-up and profiles, résumé uploads, corrections and the skills
taxonomy."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, UploadFile, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hiresight.accounts.deps import CandidateUser, CurrentUser
from hiresight.accounts.models import User
from hiresight.accounts.schemas import SignupRequest, UserPublic
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.portfolio.schemas import PortfolioReport
from hiresight.profiles import isolation, service
from hiresight.profiles.corrections import Correction
from hiresight.profiles.filetypes import MAX_RESUME_BYTES
from hiresight.profiles.parsed import ParsedResume
from hiresight.profiles.schemas import (
    PortfolioReviewPublic,
    ProfilePublic,
    ProfileUpdate,
    ResumeUploaded,
    ResumeVersionPublic,
    SkillPublic,
)
from hiresight.profiles.taxonomy import search_skills
from hiresight.settings import Settings

router = APIRouter(tags=["profiles"])


async def read_upload(
    file: UploadFile, limit: int = MAX_RESUME_BYTES, code: str = "resume_too_large"
) -> bytes:
    """The upload's bytes, reading at most one byte past `limit` so huge files stop early."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise AppError(
            f"The file is larger than {limit // (1024 * 1024)} MB; upload a smaller export.",
            code=code,
            status_code=413,
        )
    return data


@router.post("/auth/signup", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def signup(data: SignupRequest, session: SessionDep) -> UserPublic:
    """Create a candidate account (and their empty profile)."""
    user = service.sign_up_candidate(
        session, email=data.email, full_name=data.full_name, password=data.password
    )
    return UserPublic.model_validate(user)


@router.get("/candidates/me/profile", response_model=ProfilePublic)
def get_my_profile(user: CandidateUser, session: SessionDep) -> ProfilePublic:
    """The caller's own profile, with the structured résumé data."""
    return ProfilePublic.model_validate(service.get_or_create(session, candidate=user))


@router.put("/candidates/me/profile", response_model=ProfilePublic)
def update_my_profile(
    data: ProfileUpdate, user: CandidateUser, session: SessionDep
) -> ProfilePublic:
    """Replace the caller's editable profile fields."""
    return ProfilePublic.model_validate(service.update(session, candidate=user, data=data))


def _store_resume(
    session: Session, user: User, data: bytes, filename: str, parsed: ParsedResume
) -> ResumeUploaded:
    version = service.upload_resume(
        session, candidate=user, data=data, filename=filename, parsed=parsed
    )
    profile = service.get_or_create(session, candidate=user)
    return ResumeUploaded(
        version=ResumeVersionPublic.model_validate(version),
        profile=ProfilePublic.model_validate(profile),
    )


async def parse_upload(data: bytes, filename: str, settings: Settings) -> ParsedResume:
    """Parse an uploaded résumé in a worker process, waiting on the event loop, not in it."""
    limits = isolation.limits_from(settings)
    parse = partial(isolation.parse_resume, data, filename, limits=limits)
    return await isolation.off_loop(parse, workers=limits.workers)


async def review_upload(data: bytes, settings: Settings) -> PortfolioReport:
    """Review an uploaded repository archive in a worker process, off the event loop."""
    limits = isolation.limits_from(settings)
    review = partial(
        isolation.review_archive, data, max_archive_bytes=service.MAX_PORTFOLIO_BYTES, limits=limits
    )
    return await isolation.off_loop(review, workers=limits.workers)


@router.post(
    "/candidates/me/resume",
    response_model=ResumeUploaded,
    status_code=status.HTTP_201_CREATED,
)
async def upload_resume(
    file: UploadFile, user: CandidateUser, session: SessionDep, settings: SettingsDep
) -> ResumeUploaded:
    """Upload a résumé (PDF, DOCX, TXT or Markdown, checked by content) as a new version.

    Parsed in a worker process with CPU, memory and time limits: a file past one answers 422
    `resume_too_complex`, and nothing is stored.
    """
    data = await read_upload(file)
    filename = file.filename or "resume"
    parsed = await parse_upload(data, filename, settings)
    return await run_in_threadpool(_store_resume, session, user, data, filename, parsed)


@router.get("/candidates/me/resumes", response_model=list[ResumeVersionPublic])
def list_my_resumes(user: CandidateUser, session: SessionDep) -> list[ResumeVersionPublic]:
    """Every résumé version the caller uploaded, newest first."""
    versions = service.get_resume_versions(session, candidate=user)
    return [ResumeVersionPublic.model_validate(v) for v in versions]


@router.post("/candidates/me/profile/corrections", response_model=ProfilePublic)
def add_correction(
    correction: Correction, user: CandidateUser, session: SessionDep
) -> ProfilePublic:
    """Correct the parsed profile: add or remove a skill, fix a role (kept across versions)."""
    profile = service.add_correction(session, candidate=user, correction=correction)
    return ProfilePublic.model_validate(profile)


@router.delete("/candidates/me/profile/corrections/{index}", response_model=ProfilePublic)
def remove_correction(
    index: Annotated[int, Path(ge=0, le=10_000)], user: CandidateUser, session: SessionDep
) -> ProfilePublic:
    """Undo one correction."""
    return ProfilePublic.model_validate(
        service.remove_correction(session, candidate=user, index=index)
    )


@router.post(
    "/candidates/me/portfolio",
    response_model=PortfolioReviewPublic,
    status_code=status.HTTP_201_CREATED,
)
async def attach_portfolio(
    file: UploadFile, user: CandidateUser, session: SessionDep, settings: SettingsDep
) -> PortfolioReviewPublic:
    """Upload a repository archive (.zip or .tar.gz); it is reviewed and attached to the profile.

    Reviewed in a worker process with CPU, memory and time limits (422 `portfolio_too_complex`).
    """
    data = await read_upload(file, limit=service.MAX_PORTFOLIO_BYTES, code="portfolio_too_large")
    report = await review_upload(data, settings)
    review = await run_in_threadpool(
        partial(
            service.attach_portfolio,
            session,
            candidate=user,
            data=data,
            filename=file.filename or "repository.zip",
            report=report,
        )
    )
    return PortfolioReviewPublic.model_validate(review)


@router.get("/skills", response_model=list[SkillPublic])
def find_skills(
    user: CurrentUser,
    q: str = Query(min_length=1, max_length=100),
    limit: int = Query(20, ge=1, le=100),
) -> list[SkillPublic]:
    """Search the skills taxonomy by name or alias, best match first."""
    return [
        SkillPublic(
            name=s.name,
            category=s.category,
            aliases=[a.lstrip("~") for a in s.aliases],
            esco_uri=s.esco_uri,
        )
        for s in search_skills(q, limit)
    ]
