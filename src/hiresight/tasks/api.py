"""Admin endpoints for background work: see what is pending or failed, retry what failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hiresight import authz
from hiresight.deps import AdminUser, IdPath, SessionDep
from hiresight.tasks import outbox
from hiresight.tasks.models import PendingWork, WorkState
from hiresight.tasks.schemas import PendingWorkPublic

router = APIRouter(prefix="/admin/pending-work", tags=["admin"])


@router.get("", response_model=list[PendingWorkPublic])
def list_work(
    user: AdminUser,
    session: SessionDep,
    state: WorkState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[PendingWork]:
    """Background work on the organization's interviews, newest first (filter by `state`)."""
    return outbox.get_all(session, authz.visible_pending_work(user), state=state, limit=limit)


@router.post("/{work_id}/retry", response_model=PendingWorkPublic)
def retry_work(work_id: IdPath, user: AdminUser, session: SessionDep) -> PendingWork:
    """Give failed work a fresh set of tries now; 409 `work_not_failed` for other work."""
    work = authz.pending_work_for_admin(session, user, work_id)
    return outbox.retry(session, work=work)
