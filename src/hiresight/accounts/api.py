"""REST endpoints for accounts: tokens, the current user, and organization users (candidates
sign up through `profiles.api`, which makes their profile too)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response

from hiresight.accounts import service
from hiresight.accounts.deps import AdminUser, CurrentUser, StaffUser
from hiresight.accounts.schemas import (
    OrganizationPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from hiresight.accounts.throttle import LoginThrottle
from hiresight.audit import service as audit
from hiresight.audit.schemas import AuditEntryPublic, AuditQuery
from hiresight.deps import MAX_ID, IdPath, SessionDep, SettingsDep
from hiresight.errors import NotFoundError

router = APIRouter(tags=["accounts"])


def client_ip(request: Request) -> str:
    """The client's address, for login throttling.

    This is the connection's address unless `hiresight serve` was told to believe a proxy
    (HIRESIGHT_FORWARDED_ALLOW_IPS): a client cannot choose it with X-Forwarded-For.
    """
    return request.client.host if request.client else "unknown"


@router.post("/auth/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(
    data: TokenCreate, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenCreated:
    """Exchange e-mail and password for a bearer token (throttled like the login page)."""
    user = service.authenticate(
        session,
        email=data.email,
        password=data.password,
        client_ip=client_ip(request),
        throttle=LoginThrottle.from_settings(settings),
    )
    token, record = service.create_api_token(session, user=user, name=data.name)
    return TokenCreated(token=token, **TokenPublic.model_validate(record).model_dump())


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    """The caller."""
    return UserPublic.model_validate(user)


@router.get("/me/tokens", response_model=list[TokenPublic])
def my_tokens(user: CurrentUser, session: SessionDep) -> list[TokenPublic]:
    """The caller's API tokens (never their secrets)."""
    return [TokenPublic.model_validate(t) for t in service.get_tokens(session, user=user)]


@router.delete("/me/tokens/{token_id}", response_model=TokenPublic)
def revoke_token(token_id: IdPath, user: CurrentUser, session: SessionDep) -> TokenPublic:
    """Revoke one of the caller's API tokens."""
    return TokenPublic.model_validate(
        service.revoke_api_token(session, user=user, token_id=token_id)
    )


@router.get("/organizations/me", response_model=OrganizationPublic)
def my_organization(user: StaffUser) -> OrganizationPublic:
    """The caller's organization."""
    if user.organization is None:  # a staff user always has one; keep the type checker honest
        raise NotFoundError("No organization.")
    return OrganizationPublic.model_validate(user.organization)


@router.get("/organizations/me/users", response_model=list[UserPublic])
def organization_users(user: StaffUser, session: SessionDep) -> list[UserPublic]:
    """The recruiters and admins of the caller's organization."""
    assert user.organization_id is not None
    users = service.get_org_users(session, organization_id=user.organization_id)
    return [UserPublic.model_validate(u) for u in users]


@router.post(
    "/organizations/me/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED
)
def add_organization_user(data: UserCreate, user: AdminUser, session: SessionDep) -> UserPublic:
    """An admin adds a recruiter or admin to their organization."""
    created = service.add_staff_member(
        session,
        admin=user,
        email=data.email,
        full_name=data.full_name,
        password=data.password,
        role=data.role,
    )
    return UserPublic.model_validate(created)


@router.get("/organizations/me/audit", response_model=list[AuditEntryPublic])
def organization_audit(
    user: AdminUser,
    session: SessionDep,
    query: Annotated[AuditQuery, Query()],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[AuditEntryPublic]:
    """Search the organization's audit log, newest first; `before_id` pages back."""
    assert user.organization_id is not None
    entries = audit.search(
        session,
        organization_id=user.organization_id,
        query=query,
        limit=limit,
        before_id=before_id,
    )
    return [AuditEntryPublic.model_validate(e) for e in entries]


@router.get(
    "/organizations/me/audit/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export_organization_audit(
    user: AdminUser,
    session: SessionDep,
    query: Annotated[AuditQuery, Query()],
    format: Annotated[Literal["csv", "jsonl"], Query()] = "csv",
) -> Response:
    """Every matching audit entry, oldest first, as CSV or JSON lines (a download).

    Read in chunks but answered whole: the request's session ends before a streamed body
    would be sent. Narrow the dates to export a very large log in parts.
    """
    assert user.organization_id is not None
    entries = audit.iter_matching(session, organization_id=user.organization_id, query=query)
    lines = audit.csv_lines(entries) if format == "csv" else audit.jsonl_lines(entries)
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    filename = f"hiresight-audit.{format}"
    return Response(
        "".join(lines),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
