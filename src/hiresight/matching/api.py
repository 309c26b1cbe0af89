"""REST endpoints for engagement events and recommendations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from hiresight.accounts.deps import CandidateUser, StaffUser
from hiresight.deps import SessionDep
from hiresight.engagement import service as engagement
from hiresight.engagement.schemas import EventIn, EventOut
from hiresight.jobs.deps import ReadableJobs, WritableJob
from hiresight.matching import service
from hiresight.matching.schemas import RankedCandidates, Recommendations
from hiresight.profiles.schemas import SalaryCurrency

router = APIRouter(tags=["matching"])


@router.post("/events", response_model=EventOut, status_code=status.HTTP_201_CREATED)
def record_event(
    data: EventIn,
    user: CandidateUser,
    jobs: ReadableJobs,
    session: SessionDep,
    response: Response,
) -> EventOut:
    """Record an engagement event (append-only; a repeated event id is accepted once)."""
    job = jobs.get(data.job_id)
    event = engagement.record_event(session, candidate_id=user.id, job_id=job.id, data=data)
    if event.duplicate:
        response.status_code = status.HTTP_200_OK
    return event


@router.get("/candidates/me/recommendations", response_model=Recommendations)
def my_recommendations(
    user: CandidateUser,
    session: SessionDep,
    n: Annotated[int, Query(ge=1, le=100)] = 20,
    remote: Annotated[bool | None, Query(description="Remote (true), on-site (false).")] = None,
    location: Annotated[
        str | None, Query(max_length=100, description="Only this city (and remote jobs).")
    ] = None,
    seniority: Annotated[service.Level | None, Query(description="Only this level.")] = None,
    min_match: Annotated[int, Query(ge=0, le=100, description="Lowest match score.")] = 0,
    min_salary: Annotated[
        int | None,
        Query(ge=0, le=10_000_000, description="Least yearly pay (jobs stating none stay)."),
    ] = None,
    currency: Annotated[
        SalaryCurrency | None,
        Query(
            description="The currency of min_salary (ISO 4217, e.g. EUR); default: the "
            "profile's, else each job's own. Bands are converted with the static table."
        ),
    ] = None,
) -> Recommendations:
    """Jobs for you: ranked, explained, diversified; applied and dismissed jobs left out.

    Each job carries its match score (0-100); the filters narrow the list. The profile's job
    preferences weigh in the match; as filters they apply only when asked for here.
    """
    filters = service.make_filters(
        remote=remote, location=location, seniority=seniority, min_match=min_match,
        min_salary=min_salary, currency=currency,
    )  # fmt: skip
    return service.recommend(session, candidate=user, n=n, filters=filters)


@router.get("/jobs/{job_id}/ranked-candidates", response_model=RankedCandidates)
def ranked_candidates(job: WritableJob, user: StaffUser, session: SessionDep) -> RankedCandidates:
    """The job's applicants ranked for it, with explanations."""
    return service.rank_applicants(session, job=job)
