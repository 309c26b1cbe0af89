"""Candidate profiles: sign-up, résumé uploads (versioned), corrections, the interview's view."""

from __future__ import annotations

import hashlib
import unicodedata

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hiresight import currencies
from hiresight.accounts import service as accounts
from hiresight.accounts.models import Role, User
from hiresight.audit import service as audit
from hiresight.errors import AppError, ConflictError, NotFoundError
from hiresight.portfolio.schemas import PortfolioReport
from hiresight.profiles import isolation
from hiresight.profiles.claims import top_claims, vague_claims
from hiresight.profiles.corrections import Correction, apply_corrections
from hiresight.profiles.experience import headline_role
from hiresight.profiles.insights import Seniority, primary_languages, seniority_estimate
from hiresight.profiles.isolation import ParseLimits
from hiresight.profiles.models import CandidateProfile, PortfolioReview, ResumeVersion
from hiresight.profiles.parsed import Claim, ParsedResume, SkillEvidence
from hiresight.profiles.schemas import JobPreferences, ProfileUpdate

# Bumped whenever the parser's output changes meaning, so stored parses can be told apart.
PARSER_VERSION = "1.0"
_corrections_adapter: TypeAdapter[list[Correction]] = TypeAdapter(list[Correction])


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


def sign_up_candidate(session: Session, *, email: str, full_name: str, password: str) -> User:
    """Create a candidate account and their empty profile: the one sign-up of the API, the
    sign-up page and `hiresight users create`.

    Every rule is checked here, so each entry point refuses the same input with the same
    error: an unusable address (422 invalid_email), a blank name (422 invalid_name), a weak
    password (422 weak_password, with the reason) and a taken address (409 email_taken).
    """
    if not full_name.strip():
        raise AppError("Enter your full name.", code="invalid_name", status_code=422)
    user = accounts.create_user(
        session, email=email, full_name=full_name, password=password, role=Role.candidate
    )
    get_or_create(session, candidate=user)
    return user


def update(session: Session, *, candidate: User, data: ProfileUpdate) -> CandidateProfile:
    """Replace the candidate's editable fields; skills are de-duplicated, order kept."""
    profile = get_or_create(session, candidate=candidate)
    values = data.model_dump()
    values["skills"] = list(dict.fromkeys(s.strip() for s in data.skills if s.strip()))
    for field, value in values.items():
        setattr(profile, field, value)
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="profile.update",
        entity_type="candidate_profile",
        entity_id=profile.id,
    )
    return profile


def set_job_preferences(
    session: Session, *, candidate: User, preferences: JobPreferences
) -> CandidateProfile:
    """Set what the candidate asks of a job (least pay in a currency, remote or not); audited."""
    profile = get_or_create(session, candidate=candidate)
    profile.salary_min = preferences.salary_min
    profile.salary_currency = preferences.salary_currency
    profile.remote_preference = preferences.remote_preference
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="profile.job_preferences",
        entity_type="candidate_profile",
        entity_id=profile.id,
    )
    return profile


def shown_salary_currency(profile: CandidateProfile) -> str:
    """The currency the preferences form shows: the chosen one, else the location's guess.

    The guess only preselects the field; a stored minimum without a currency keeps its number
    and is still read in each job's currency until the candidate saves one.
    """
    return profile.salary_currency or currencies.for_location(profile.location)


def effective_profile(profile: CandidateProfile) -> ParsedResume | None:
    """The structured profile shown and used: the latest parse with corrections applied."""
    if profile.structured is None:
        return None
    return ParsedResume.model_validate(profile.structured)


def _refresh(
    session: Session,
    profile: CandidateProfile,
    *,
    new_resume: bool = False,
    replaced_headline: str | None = None,
) -> None:
    """Recompute the effective profile from the current résumé version and the corrections.

    A `new_resume` speaks for the candidate now: its location and latest main role
    (`experience.headline_role`) replace the profile's, so everything read from the profile
    (the dashboard headline, the recommender's place and level) follows the new résumé at
    once; a headline that only named the replaced résumé's role (`replaced_headline`) is
    cleared when the new one names no role. Otherwise (a correction) they only fill blanks,
    so a headline the candidate typed is kept.
    """
    if profile.current_resume_id is None:
        return
    version = session.get(ResumeVersion, profile.current_resume_id)
    assert version is not None  # the foreign key guarantees it
    parsed = ParsedResume.model_validate(version.parsed)
    corrections = _corrections_adapter.validate_python(profile.corrections)
    result = apply_corrections(parsed, corrections)
    effective = result.profile
    profile.structured = effective.model_dump(mode="json")
    profile.skills = [s.name for s in effective.skills]
    profile.years_experience = effective.total_experience_months // 12
    if effective.contact.location and (new_resume or not profile.location):
        profile.location = effective.contact.location[:200]
    role = headline_role(effective.roles)
    if role is not None and (new_resume or not profile.headline):
        profile.headline = role.label[:200]
    elif role is None and new_resume and profile.headline == replaced_headline:
        profile.headline = ""  # the old résumé's role, which the new one no longer names


def _derived_headline(profile: CandidateProfile) -> str | None:
    """The headline the profile's current effective résumé gives, if it names a role."""
    parsed = effective_profile(profile)
    role = headline_role(parsed.roles) if parsed is not None else None
    return role.label[:200] if role is not None else None


def stored_filename(filename: str, default: str) -> str:
    """An uploaded file's name as we keep it: no folders or control characters, ≤ 255 chars.

    The end is kept, since it holds the extension; the name is never used as a path.
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[-255:] or default


def upload_resume(
    session: Session,
    *,
    candidate: User,
    data: bytes,
    filename: str,
    parsed: ParsedResume | None = None,
    limits: ParseLimits | None = None,
) -> ResumeVersion:
    """Parse and store a résumé as the candidate's next version; a bad file stores nothing.

    Parsing comes first, in a worker process (`isolation`), and raises a `ResumeError` with a
    stable code, so nothing is written for a file we cannot read. A caller that parsed the
    file already (off the event loop) passes `parsed`.
    """
    if parsed is None:
        parsed = isolation.parse_resume(data, filename, limits=limits)
    profile = get_or_create(session, candidate=candidate)
    latest = session.scalar(
        select(func.max(ResumeVersion.version)).where(ResumeVersion.candidate_id == candidate.id)
    )
    version = ResumeVersion(
        candidate_id=candidate.id,
        version=(latest or 0) + 1,
        filename=stored_filename(filename, "resume"),
        file_type=parsed.file_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        parsed=parsed.model_dump(mode="json"),
        parser_version=PARSER_VERSION,
    )
    try:
        with session.begin_nested():
            session.add(version)
            session.flush()
    except IntegrityError as exc:
        # Two uploads raced for the same version number; the loser retries.
        raise ConflictError(
            "Another upload finished first; please retry.", code="upload_conflict"
        ) from exc
    replaced = _derived_headline(profile)
    profile.current_resume_id = version.id
    _refresh(session, profile, new_resume=True, replaced_headline=replaced)
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="resume.upload",
        entity_type="resume_version",
        entity_id=version.id,
        details={"version": version.version, "file_type": parsed.file_type},
    )
    return version


def get_resume_versions(session: Session, *, candidate: User) -> list[ResumeVersion]:
    """The candidate's résumé versions, newest first."""
    stmt = (
        select(ResumeVersion)
        .where(ResumeVersion.candidate_id == candidate.id)
        .order_by(ResumeVersion.version.desc())
    )
    return list(session.scalars(stmt))


def add_correction(
    session: Session, *, candidate: User, correction: Correction
) -> CandidateProfile:
    """Record a correction and apply it now (and to every later résumé version)."""
    profile = get_or_create(session, candidate=candidate)
    profile.corrections = [*profile.corrections, correction.model_dump(mode="json")]
    _refresh(session, profile)
    audit.record(
        session,
        actor_id=candidate.id,
        organization_id=candidate.organization_id,
        action="profile.correct",
        entity_type="candidate_profile",
        entity_id=profile.id,
        details={"op": correction.op},
    )
    return profile


def remove_correction(session: Session, *, candidate: User, index: int) -> CandidateProfile:
    """Undo one correction by its position in the list."""
    profile = get_or_create(session, candidate=candidate)
    if not 0 <= index < len(profile.corrections):
        raise NotFoundError("No such correction.")
    profile.corrections = [c for i, c in enumerate(profile.corrections) if i != index]
    _refresh(session, profile)
    return profile


def unmatched_corrections(session: Session, profile: CandidateProfile) -> list[int]:
    """Positions of corrections that match nothing in the current résumé version."""
    if profile.current_resume_id is None:
        return []
    version = session.get(ResumeVersion, profile.current_resume_id)
    assert version is not None
    corrections = _corrections_adapter.validate_python(profile.corrections)
    return apply_corrections(ParsedResume.model_validate(version.parsed), corrections).unmatched


class InterviewProfile(BaseModel):
    """What the interview tailors its questions to: claims, skills, languages and level."""

    candidate_id: int
    has_resume: bool
    top_claims: list[Claim]
    vague_claims: list[Claim]
    skills: list[SkillEvidence]
    primary_languages: dict[str, float]
    seniority: Seniority
    total_experience_months: int


def interview_profile(
    session: Session, *, candidate_id: int, n_claims: int = 5
) -> InterviewProfile:
    """The profile as the interview's question generator and challenge picker need it."""
    profile = session.scalar(
        select(CandidateProfile).where(CandidateProfile.user_id == candidate_id)
    )
    parsed = effective_profile(profile) if profile else None
    if parsed is None:
        return InterviewProfile(
            candidate_id=candidate_id,
            has_resume=False,
            top_claims=[],
            vague_claims=[],
            skills=[],
            primary_languages={},
            seniority="mid",
            total_experience_months=0,
        )
    return InterviewProfile(
        candidate_id=candidate_id,
        has_resume=True,
        top_claims=top_claims(parsed, n_claims),
        vague_claims=vague_claims(parsed),
        skills=parsed.skills,
        primary_languages=primary_languages(parsed),
        seniority=seniority_estimate(parsed),
        total_experience_months=parsed.total_experience_months,
    )


# Uploaded repository archives; large enough for a portfolio project, small for a web upload.
MAX_PORTFOLIO_BYTES = 25 * 1024 * 1024


def attach_portfolio(
    session: Session,
    *,
    candidate: User,
    data: bytes,
    filename: str,
    report: PortfolioReport | None = None,
    limits: ParseLimits | None = None,
) -> PortfolioReview:
    """Review an uploaded repository archive and attach the report to the candidate's profile.

    The review runs in a worker process (`isolation`) unless the caller passes its `report`.
    """
    if report is None:
        report = isolation.review_archive(
            data, max_archive_bytes=MAX_PORTFOLIO_BYTES, limits=limits
        )
    review = PortfolioReview(
        candidate_id=candidate.id, filename=stored_filename(filename, "repository.zip"),
        score=round(report.score),
        report=report.model_dump(mode="json"),
    )  # fmt: skip
    session.add(review)
    session.flush()
    audit.record(session, actor_id=candidate.id, organization_id=candidate.organization_id,
                 action="portfolio.attach", entity_type="portfolio_review",
                 entity_id=review.id)  # fmt: skip
    return review


def get_portfolio_reviews(session: Session, *, candidate_id: int) -> list[PortfolioReview]:
    """A candidate's reviewed repositories, newest first."""
    stmt = (
        select(PortfolioReview)
        .where(PortfolioReview.candidate_id == candidate_id)
        .order_by(PortfolioReview.id.desc())
    )
    return list(session.scalars(stmt))
