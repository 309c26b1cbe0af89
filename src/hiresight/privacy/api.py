"""REST endpoints of candidate rights (thin: callers from deps, one service call each).

A candidate downloads their data and asks for (or cancels) the erasure of their account; an
admin sets the organization's retention period and previews what it would delete. There is no
record id in these paths: each acts on the caller or the caller's organization alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import MetaData

from hiresight.accounts.deps import AdminUser, CandidateUser
from hiresight.accounts.models import User
from hiresight.db import utcnow
from hiresight.deps import SessionDep, SettingsDep
from hiresight.privacy import export, service
from hiresight.privacy.deps import SchemaDep
from hiresight.privacy.schemas import (
    DeletionCreate,
    DeletionPublic,
    PrivacyStatus,
    RetentionJobPublic,
    RetentionPreview,
    RetentionPublic,
    RetentionUpdate,
)

router = APIRouter(tags=["privacy"])
CHUNK_BYTES = 1024 * 1024


def export_response(session: SessionDep, schema: MetaData, user: User) -> Response:
    """The candidate's archive as a download, streamed from its temporary file."""
    archive = export.spooled(session, person=service.person_of(user), metadata=schema)

    def chunks() -> Iterator[bytes]:
        with archive:
            yield from iter(lambda: archive.read(CHUNK_BYTES), b"")

    return StreamingResponse(
        chunks(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="hiresight-data-{user.id}.zip"'},
    )


def privacy_status(session: SessionDep, settings: SettingsDep, user_id: int) -> PrivacyStatus:
    """The pending deletion request, if any, and the grace period."""
    request = service.get_request(session, user_id=user_id)
    return PrivacyStatus(
        deletion=None if request is None else DeletionPublic.model_validate(request),
        grace_days=settings.deletion_grace_days,
        confirm_phrase=service.CONFIRM_PHRASE,
    )


@router.get(
    "/me/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "data.json and files"}},
)
def download_export(user: CandidateUser, session: SessionDep, schema: SchemaDep) -> Response:
    """Everything held about the caller: data.json and the original files, as a zip."""
    return export_response(session, schema, user)


@router.get("/me/privacy", response_model=PrivacyStatus)
def get_privacy(user: CandidateUser, session: SessionDep, settings: SettingsDep) -> PrivacyStatus:
    """The caller's pending deletion request and the grace period."""
    return privacy_status(session, settings, user.id)


@router.post("/me/deletion", response_model=DeletionPublic, status_code=status.HTTP_202_ACCEPTED)
def request_deletion(
    data: DeletionCreate, user: CandidateUser, session: SessionDep, settings: SettingsDep
) -> DeletionPublic:
    """Ask for the account to be erased after the grace period (password or typed phrase);
    asking again returns the pending request."""
    request = service.request_deletion(
        session, user=user, password=data.password, phrase=data.phrase,
        grace_days=settings.deletion_grace_days,
    )  # fmt: skip
    return DeletionPublic.model_validate(request)


@router.delete("/me/deletion", status_code=status.HTTP_204_NO_CONTENT)
def cancel_deletion(user: CandidateUser, session: SessionDep) -> Response:
    """Cancel the pending deletion request (404 when there is none)."""
    service.cancel_deletion(session, user=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/organizations/me/retention", response_model=RetentionPublic)
def get_retention(admin: AdminUser, session: SessionDep) -> RetentionPublic:
    """The organization's retention period (null: candidate data is kept)."""
    assert admin.organization_id is not None  # guaranteed by the AdminUser dependency
    return RetentionPublic(
        days=service.get_retention(session, organization_id=admin.organization_id)
    )


@router.put("/organizations/me/retention", response_model=RetentionPublic)
def set_retention(data: RetentionUpdate, admin: AdminUser, session: SessionDep) -> RetentionPublic:
    """Delete candidate data this many days after a job closes (null: keep); audited."""
    return RetentionPublic(days=service.set_retention(session, actor=admin, days=data.days))


@router.get("/organizations/me/retention/preview", response_model=RetentionPreview)
def preview_retention(
    admin: AdminUser, session: SessionDep, settings: SettingsDep, schema: SchemaDep
) -> RetentionPreview:
    """What applying the retention period now would delete (nothing is deleted here)."""
    assert admin.organization_id is not None  # guaranteed by the AdminUser dependency
    report = service.retention(
        session, organization_id=admin.organization_id, metadata=schema,
        files_root=settings.data_dir, now=utcnow(),
    )  # fmt: skip
    return preview_of(report)


def preview_of(report: service.RetentionReport) -> RetentionPreview:
    """A retention report in its API shape."""
    return RetentionPreview(
        days=report.days,
        jobs=[RetentionJobPublic(**vars(job)) for job in report.jobs],
        counts=report.counts,
    )
