"""Recruiter console pages: a job's ranked candidates, scorecards, comparison and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hiresight.accounts.deps import PageCandidate, SignedInUser
from hiresight.appeals import service as appeals
from hiresight.deps import SessionDep, SettingsDep
from hiresight.interviews.config import StageKind
from hiresight.jobs import service as jobs
from hiresight.jobs.deps import (
    PageCandidateForStaff,
    PageComparedCandidates,
    PageDecidableApplication,
    PageJobApplication,
    PageReadableProfile,
    PageWritableJob,
)
from hiresight.jobs.models import ApplicationStatus
from hiresight.jobs.panels import RATING_LABELS
from hiresight.jobs.pipeline import STAGE_CHOICES
from hiresight.jobs.schemas import ApplicationDecision
from hiresight.profiles import service as profiles
from hiresight.review import console, scorecard
from hiresight.review.candidate import for_candidate
from hiresight.review.console import SortKey
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
DECISIONS = {"advance": ApplicationStatus.advanced, "reject": ApplicationStatus.rejected,
             "hold": ApplicationStatus.on_hold}  # fmt: skip


@router.get("/recruiter/jobs/{job_id}")
def job_console(
    job: PageWritableJob,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    sort: SortKey = "overall",
    descending: bool = True,
    # Text, not a float: the form sends an empty "Minimum overall" as `min_score=`, which means
    # no filter rather than a validation error.
    min_score: Annotated[str, Query(max_length=10)] = "",
    min_cefr: Annotated[str | None, Query(pattern=r"^(A1|A2|B1|B2|C1|C2)?$")] = None,
    decided: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The job's candidates with scores, filters, sorting, charts and decision buttons.

    After a decision (`?decided=` names the application) the page confirms what changed.
    """
    rows = console.job_candidates(session, job)
    minimum = console.parse_min_score(min_score)
    shown = console.filter_and_sort(
        rows, sort=sort, descending=descending, min_score=minimum, min_cefr=min_cefr or None
    )
    return render(
        request,
        "job_console.html",
        settings,
        user=user,
        job=job,
        rows=shown,
        confirmed=next((r for r in rows if r.application_id == decided), None),
        status_label=console.status_label,
        funnel=console.funnel(rows),
        distribution=console.distribution(rows),
        sort=sort,
        descending=descending,
        min_score=minimum,
        min_cefr=min_cefr or "",
        stage_names=list(StageKind),
        cefr_levels=console.CEFR_ORDER,
        structured=jobs.structured(job),
        pipeline=jobs.board(session, job=job),
        open_requests=appeals.open_count(session, user=user, job_id=job.id),
    )


@router.get("/recruiter/jobs/{job_id}/pipeline")
def pipeline_page(
    job: PageWritableJob,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    moved: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The job's pipeline as columns with counts and the per-stage funnel; each card moves with
    a note. After a move (`?moved=` names the application) the page confirms it."""
    rows = console.job_candidates(session, job)
    board = console.pipeline_board(session, job, rows)
    return render(
        request,
        "job_pipeline.html",
        settings,
        user=user,
        job=job,
        board=board,
        confirmed=next((r for r in rows if r.application_id == moved), None),
        confirmed_stage=next(
            (c.stage.title for c in board.columns if moved in c.stage.application_ids), None
        ),
        status_label=console.status_label,
        stage_choices=STAGE_CHOICES,
    )


@router.get("/recruiter/candidates/{candidate_id}/scorecard")
def scorecard_page(
    candidate: PageCandidateForStaff,
    application: PageJobApplication,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
) -> Response:
    """One candidate's scorecard: evidence, transcript, code diff, integrity, recommendation.

    With `?job=`, the candidate's application to that job comes along for the decision form.
    """
    card = scorecard.build(session, candidate, organization_id=user.organization_id)
    panels = console.panel_sections(session, application, user.id) if application else []
    return render(
        request,
        "scorecard.html",
        settings,
        user=user,
        card=card,
        application=application,
        status_label=console.status_label,
        panels=panels,
        rating_labels=RATING_LABELS,
    )


@router.get("/recruiter/jobs/{job_id}/compare")
def compare_page(
    job: PageWritableJob,
    candidates: PageComparedCandidates,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
) -> Response:
    """Two applicants (`?a=` and `?b=`) side by side."""
    cards = [scorecard.build(session, c, organization_id=user.organization_id) for c in candidates]
    return render(
        request,
        "compare.html",
        settings,
        user=user,
        job=job,
        cards=cards,
        stage_names=list(StageKind),
    )


@router.post("/recruiter/applications/{application_id}/decision")
def decide_page(
    application: PageDecidableApplication,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    decision: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    back: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Advance, reject or hold an applicant, with a note; every decision is audited."""
    check_csrf(request, csrf_token)
    status = DECISIONS.get(decision)
    if status is None:
        return RedirectResponse(back or "/recruiter", status_code=303)
    jobs.decide(
        session,
        actor=user,
        application=application,
        decision=ApplicationDecision(status=status, note=note),
    )
    target = back if back.startswith("/") and not back.startswith("//") else "/recruiter"
    if target.startswith(f"/recruiter/jobs/{application.job_id}") and "?" not in target:
        # The console names the application so it can confirm the decision that was saved.
        target = f"{target}?decided={application.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/candidate/scorecard")
def candidate_scorecard_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageCandidate
) -> Response:
    """The candidate's own results and next steps."""
    card = for_candidate(scorecard.build(session, user))
    return render(
        request,
        "candidate_scorecard.html",
        settings,
        user=user,
        card=card,
        now=dt.datetime.now(dt.UTC),
    )


@router.get("/recruiter/candidates/{candidate_id}")
def candidate_evidence(
    profile: PageReadableProfile,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
) -> Response:
    """A recruiter's view of an applicant's profile with the evidence for every skill."""
    return render(
        request,
        "candidate_evidence.html",
        settings,
        user=user,
        profile=profile,
        parsed=profiles.effective_profile(profile),
        portfolio=profiles.get_portfolio_reviews(session, candidate_id=profile.user_id),
    )
