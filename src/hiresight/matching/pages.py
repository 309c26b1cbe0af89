"""The candidate's "Jobs for you" page and job details (engagement is recorded as events)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hiresight.accounts.deps import PageAdmin, PageCandidate
from hiresight.deps import SessionDep, SettingsDep
from hiresight.engagement.schemas import EventIn
from hiresight.jobs import service as jobs
from hiresight.jobs.deps import PageCandidateJob
from hiresight.matching import operations, service
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE_EVENTS = ("save", "dismiss")
FILTER_LEVELS = ("junior", "mid", "senior", "staff")
MIN_MATCHES = (0, 50, 70, 85)


@router.get("/candidate/jobs-for-you")
def jobs_for_you(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    remote: Annotated[Literal["", "true", "false"], Query()] = "",
    location: Annotated[str, Query(max_length=100)] = "",
    seniority: Annotated[Literal["", "junior", "mid", "senior", "staff"], Query()] = "",
    min_match: Annotated[int, Query(ge=0, le=100)] = 0,
    min_salary: Annotated[str, Query(max_length=12, pattern=r"^\d*$")] = "",
) -> Response:
    """Recommended jobs with why and a match score; impressions are logged for learning.

    The filter form sends every field, so "" means "any" (a bad value answers the 422 page).
    A visit without any (the first) starts from the profile's job preferences.
    """
    if not request.query_params:
        remote, min_salary = service.preferred_filters(session, user)
    filters = service.make_filters(
        remote={"true": True, "false": False}.get(remote),
        location=location,
        seniority=seniority or None,
        min_match=min_match,
        min_salary=int(min_salary) if min_salary else None,
    )  # min_salary is in the profile's currency (see Recommender.recommend)
    recs = service.recommend(session, candidate=user, n=20, filters=filters)
    chosen = {"remote": remote, "location": location, "seniority": seniority,
              "min_match": min_match, "min_salary": min_salary}  # fmt: skip
    return render(
        request, "jobs_for_you.html", settings, user=user, recs=recs, filters=chosen,
        levels=FILTER_LEVELS, min_matches=MIN_MATCHES,
        salary_currency=service.salary_currency(session, user),
    )  # fmt: skip


@router.get("/candidate/jobs/{job_id}")
def job_detail(
    job: PageCandidateJob,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    rid: Annotated[str | None, Query(max_length=80)] = None,
    pos: Annotated[int | None, Query(ge=0, le=1000)] = None,
) -> Response:
    """A job's details; opening it from a recommendation counts as a click."""
    service.record_event(session, candidate=user, job=job, data=EventIn(
        event_id=uuid.uuid4().hex, kind="click", job_id=job.id, position=pos, request_id=rid,
    ))  # fmt: skip
    applied = any(a.job_id == job.id for a in jobs.get_for_candidate(session, candidate=user))
    return render(
        request,
        "job_detail.html",
        settings,
        user=user,
        job=job,
        structured=jobs.structured(job),
        applied=applied,
    )


@router.post("/candidate/jobs/{job_id}/event")
def job_event(
    job: PageCandidateJob,
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    kind: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    rid: Annotated[str, Form(max_length=80)] = "",
    pos: Annotated[int | None, Form(ge=0, le=1000)] = None,
) -> Response:
    """Save a job, or say "not interested" (it is not shown again)."""
    check_csrf(request, csrf_token)
    if kind in PAGE_EVENTS:
        service.record_event(session, candidate=user, job=job, data=EventIn(
            event_id=uuid.uuid4().hex, kind=kind, job_id=job.id,
            position=pos, request_id=rid or None,
        ))  # fmt: skip
    return RedirectResponse("/candidate/jobs-for-you", status_code=303)


@router.get("/console/recommendations")
def recs_console(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageAdmin
) -> Response:
    """Admins: model versions, serving and fallbacks, drift, and A/B experiment results."""
    view = operations.console(session)
    return render(request, "recs_console.html", settings, user=user, view=view)
