"""Pages: the candidate's self-identification form, and the admins' fairness audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hiresight.accounts.deps import PageAdmin, PageCandidate
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.fairness import export, pdf, service
from hiresight.fairness.deps import PageReadableAudit
from hiresight.fairness.models import RACE_LABELS, SEX_LABELS, RaceEthnicity, Sex
from hiresight.fairness.schemas import SelfIdentificationWrite
from hiresight.fairness.text import DEFINITIONS, LIMITS, TABLE_TITLES, period
from hiresight.jobs import service as jobs
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/candidate/self-identification"
Answer = Annotated[str, Form(max_length=60)]


def _answers(sex: str, race_ethnicity: str) -> SelfIdentificationWrite:
    """The form's answers ("" is not answered); a value outside the lists answers 422."""
    try:
        return SelfIdentificationWrite(
            sex=Sex(sex) if sex else None,
            race_ethnicity=RaceEthnicity(race_ethnicity) if race_ethnicity else None,
        )
    except ValueError:
        raise AppError(
            "Choose one of the listed answers.", code="validation_error", status_code=422
        ) from None


@router.get(PAGE)
def self_identification_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    saved: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The voluntary questions, with what the candidate gave and how it is used."""
    return render(
        request, "self_identification.html", settings, user=user, saved=saved,
        current=service.get_self_identification(session, candidate=user),
        sexes=SEX_LABELS, races=RACE_LABELS,
    )  # fmt: skip


@router.post(PAGE)
def save_self_identification(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    sex: Answer = "",
    race_ethnicity: Answer = "",
) -> Response:
    """Store or change the answers."""
    check_csrf(request, csrf_token)
    data = _answers(sex, race_ethnicity)
    service.set_self_identification(session, candidate=user, data=data)
    return RedirectResponse(f"{PAGE}?saved=saved", status_code=303)


@router.post(f"{PAGE}/withdraw")
def withdraw_self_identification(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Erase the answers."""
    check_csrf(request, csrf_token)
    service.withdraw_self_identification(session, candidate=user)
    return RedirectResponse(f"{PAGE}?saved=withdrawn", status_code=303)


@router.get("/admin/fairness")
def fairness_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageAdmin,
    scope: PageReadableAudit,
) -> Response:
    """Admins: the audit of the organization or one job, over an optional period."""
    report = service.build_report(session, scope=scope)
    return render(
        request, "fairness_report.html", settings, user=user, report=report,
        jobs=jobs.get_all(session, user=user, limit=500), titles=TABLE_TITLES,
        definitions=DEFINITIONS, limits=LIMITS, period=period(scope.date_from, scope.date_to),
        query=request.url.query,
    )  # fmt: skip


@router.get("/admin/fairness.csv")
def fairness_csv(session: SessionDep, scope: PageReadableAudit) -> Response:
    """Admins: the audit's tables as CSV."""
    report = service.build_report(session, scope=scope)
    return Response(
        export.to_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename(report)}.csv"'},
    )


@router.get("/admin/fairness.pdf")
def fairness_pdf(session: SessionDep, scope: PageReadableAudit) -> Response:
    """Admins: the audit as a PDF."""
    report = service.build_report(session, scope=scope)
    return Response(
        pdf.render(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{export.filename(report)}.pdf"'},
    )
