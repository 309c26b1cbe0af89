"""REST endpoints for scorecards and the recruiter console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hiresight.accounts.deps import CandidateUser, StaffUser
from hiresight.deps import SessionDep
from hiresight.jobs.deps import ReadableProfile, StaffCandidate, WritableJob
from hiresight.jobs.models import ApplicationStatus
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import PortfolioReviewPublic, ProfilePublic
from hiresight.review import console, pdf, scorecard
from hiresight.review.candidate import CandidateScorecard, for_candidate
from hiresight.review.console import CandidateRow, SortKey
from hiresight.review.scorecard import Scorecard

router = APIRouter(tags=["scorecards"])
Cefr = Annotated[str | None, Query(pattern=r"^(A1|A2|B1|B2|C1|C2)$")]


@router.get("/candidates/me/scorecard", response_model=CandidateScorecard)
def my_scorecard(user: CandidateUser, session: SessionDep) -> CandidateScorecard:
    """The candidate's own scorecard: scores, CEFR level and next steps."""
    return for_candidate(scorecard.build(session, user))


@router.get("/candidates/{candidate_id}/scorecard", response_model=Scorecard)
def candidate_scorecard(
    candidate: StaffCandidate, user: StaffUser, session: SessionDep
) -> Scorecard:
    """An applicant's full scorecard with evidence, integrity signals and a recommendation."""
    return scorecard.build(session, candidate, organization_id=user.organization_id)


@router.get("/candidates/{candidate_id}/scorecard.pdf")
def candidate_scorecard_pdf(
    candidate: StaffCandidate, user: StaffUser, session: SessionDep
) -> Response:
    """The scorecard as a PDF, headed by the jobs the candidate applied to at the organization."""
    card = scorecard.build(session, candidate, organization_id=user.organization_id)
    titles = console.applied_job_titles(session, candidate, user.organization_id)
    return Response(
        pdf.render(card, job_titles=titles),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="scorecard-{candidate.id}.pdf"'},
    )


@router.get("/jobs/{job_id}/candidates", response_model=list[CandidateRow])
def job_candidates(
    job: WritableJob,
    user: StaffUser,
    session: SessionDep,
    sort: SortKey = "overall",
    descending: bool = True,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    min_cefr: Cefr = None,
    status: ApplicationStatus | None = None,
) -> list[CandidateRow]:
    """A job's applicants, filtered and sorted by any stage or competency."""
    rows = console.job_candidates(session, job)
    return console.filter_and_sort(
        rows,
        sort=sort,
        descending=descending,
        min_score=min_score,
        min_cefr=min_cefr,
        status=status,
    )


@router.get("/jobs/{job_id}/candidates.csv")
def job_candidates_csv(job: WritableJob, user: StaffUser, session: SessionDep) -> Response:
    """The applicants and their scores as CSV."""
    rows = console.filter_and_sort(console.job_candidates(session, job))
    return Response(
        console.to_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="job-{job.id}-candidates.csv"'},
    )


@router.get("/candidates/{candidate_id}/portfolio", response_model=list[PortfolioReviewPublic])
def candidate_portfolio(
    profile: ReadableProfile, session: SessionDep
) -> list[PortfolioReviewPublic]:
    """A candidate's reviewed repositories (their own, or an applicant's for the org's staff)."""
    reviews = profiles.get_portfolio_reviews(session, candidate_id=profile.user_id)
    return [PortfolioReviewPublic.model_validate(r) for r in reviews]


@router.get("/candidates/{candidate_id}/profile", response_model=ProfilePublic)
def get_candidate_profile(profile: ReadableProfile) -> ProfilePublic:
    """A candidate's profile: their own, or an applicant to the caller's organization."""
    return ProfilePublic.model_validate(profile)
