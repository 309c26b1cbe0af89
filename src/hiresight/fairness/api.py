"""REST endpoints: a candidate's own self-identification, and the admins' fairness audit."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from hiresight.accounts.deps import CandidateUser
from hiresight.deps import SessionDep
from hiresight.fairness import export, pdf, service
from hiresight.fairness.deps import ReadableAudit
from hiresight.fairness.models import SelfIdentification
from hiresight.fairness.schemas import (
    FairnessReport,
    SelfIdentificationPublic,
    SelfIdentificationWrite,
)

router = APIRouter(tags=["fairness"])
ME = "/candidates/me/self-identification"


def _public(row: SelfIdentification | None) -> SelfIdentificationPublic:
    if row is None:
        return SelfIdentificationPublic()
    return SelfIdentificationPublic(
        sex=row.sex, race_ethnicity=row.race_ethnicity, updated_at=row.updated_at
    )


@router.get(ME, response_model=SelfIdentificationPublic)
def my_self_identification(user: CandidateUser, session: SessionDep) -> SelfIdentificationPublic:
    """The candidate's voluntary answers (all null when none were given)."""
    return _public(service.get_self_identification(session, candidate=user))


@router.put(ME, response_model=SelfIdentificationPublic)
def set_my_self_identification(
    data: SelfIdentificationWrite, user: CandidateUser, session: SessionDep
) -> SelfIdentificationPublic:
    """Give or change the answers; each may be "prefer_not_to_say" or null (not answered)."""
    return _public(service.set_self_identification(session, candidate=user, data=data))


@router.delete(ME, response_model=SelfIdentificationPublic)
def withdraw_my_self_identification(
    user: CandidateUser, session: SessionDep
) -> SelfIdentificationPublic:
    """Withdraw the answers: they are erased, and later audits count the candidate as unknown."""
    service.withdraw_self_identification(session, candidate=user)
    return SelfIdentificationPublic()


@router.get("/fairness/report", response_model=FairnessReport)
def fairness_report(scope: ReadableAudit, session: SessionDep) -> FairnessReport:
    """Admins: selection, scoring and recommender apply rates with impact ratios per sex,
    race/ethnicity and their intersections, for the organization or one of its jobs."""
    return service.build_report(session, scope=scope)


@router.get(
    "/fairness/report.csv",
    responses={200: {"content": {"text/csv": {}}, "description": "The report's tables."}},
)
def fairness_report_csv(scope: ReadableAudit, session: SessionDep) -> Response:
    """Admins: the report's tables as CSV."""
    report = service.build_report(session, scope=scope)
    return Response(
        export.to_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename(report)}.csv"'},
    )


@router.get(
    "/fairness/report.pdf",
    responses={200: {"content": {"application/pdf": {}}, "description": "The report."}},
)
def fairness_report_pdf(scope: ReadableAudit, session: SessionDep) -> Response:
    """Admins: the report as a PDF, with its definitions and limits."""
    report = service.build_report(session, scope=scope)
    return Response(
        pdf.render(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{export.filename(report)}.pdf"'},
    )
