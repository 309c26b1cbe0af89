"""Pages: the admin's organization API keys, and the invitation page a candidate's link opens
(sign up or sign in, then start the interview or take-home)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from hiresight.accounts.deps import PageAdmin, PageCandidate, PageUser
from hiresight.accounts.models import User
from hiresight.accounts.pages import sign_in
from hiresight.deps import IdPath, SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.partners import links, service
from hiresight.partners.deps import LinkInvitation
from hiresight.partners.models import PartnerInvitation
from hiresight.profiles import service as profiles
from hiresight.settings import Settings
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
KEYS = "/admin/api-keys"


def _keys_page(
    request: Request,
    session: Session,
    settings: Settings,
    admin: User,
    *,
    new_key: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    assert admin.organization_id is not None  # admins belong to an organization
    return render(
        request,
        "partner_api_keys.html",
        settings,
        status_code=status_code,
        user=admin,
        keys=service.get_keys(session, organization_id=admin.organization_id),
        new_key=new_key,
        error=error,
    )


@router.get(KEYS)
def keys_page(
    request: Request, session: SessionDep, settings: SettingsDep, admin: PageAdmin
) -> Response:
    """The organization's API keys, with a form to make one and a button to revoke each."""
    return _keys_page(request, session, settings, admin)


@router.post(KEYS)
def create_key_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: PageAdmin,
    name: Annotated[str, Form(max_length=100)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Make a key and show its secret on this answer only (it is never shown again)."""
    check_csrf(request, csrf_token)
    if not name.strip():
        return _keys_page(request, session, settings, admin, error="Name the key.", status_code=422)
    secret, _ = service.create_key(session, admin=admin, name=name)
    return _keys_page(request, session, settings, admin, new_key=secret)


@router.post(KEYS + "/{key_id}/revoke")
def revoke_key_page(
    request: Request,
    key_id: IdPath,
    session: SessionDep,
    admin: PageAdmin,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Revoke a key and go back to the list."""
    check_csrf(request, csrf_token)
    service.revoke_key(session, admin=admin, key_id=key_id)
    return RedirectResponse(KEYS, status_code=303)


def _invite_page(
    request: Request,
    session: Session,
    settings: Settings,
    invitation: PartnerInvitation,
    token: str,
    user: User | None,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    notice_url: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "invite.html",
        settings,
        status_code=status_code,
        user=user,
        invitation=invitation,
        assessment=service.offered(session, invitation),
        token=token,
        error=error,
        notice_url=notice_url,
        form=form or {"full_name": invitation.candidate_name, "email": invitation.candidate_email},
    )


@router.get("/invite/{token}")
def invite_page(
    token: str,
    invitation: LinkInvitation,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageUser,
) -> Response:
    """The link's page: sign up or sign in first; then what the assessment is and a button to
    start it; once started, straight on to it. A link that is unknown, expired, used or meant
    for another address answers a page that says so."""
    links.check_claimable(invitation, user)
    if user is not None and invitation.candidate_id == user.id:
        return RedirectResponse(links.destination(invitation), status_code=303)
    return _invite_page(request, session, settings, invitation, token, user)


@router.post("/invite/{token}")
def claim_page(
    token: str,
    request: Request,
    invitation: LinkInvitation,
    session: SessionDep,
    settings: SettingsDep,
    candidate: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Start: open the interview (its clock starts) or the take-home, and go there. A refusal
    (such as an interview notice still to be read) is shown on the invitation page, with the
    notice's address when the refusal names one, and nothing of the attempt is kept."""
    check_csrf(request, csrf_token)
    try:
        target = links.claim(session, invitation=invitation, candidate=candidate)
    except AppError as exc:
        session.rollback()
        details = exc.details if isinstance(exc.details, dict) else {}
        return _invite_page(
            request, session, settings, invitation, token, candidate,
            error=exc.message, notice_url=details.get("notice_url"), status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(target, status_code=303)


@router.post("/invite/{token}/signup")
def signup_page(
    token: str,
    request: Request,
    invitation: LinkInvitation,
    session: SessionDep,
    settings: SettingsDep,
    user: PageUser,
    full_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Create the candidate account (the one sign-up of Hiresight) and come back here signed
    in; someone signed in already is asked to sign out first (403)."""
    check_csrf(request, csrf_token)
    if user is not None:
        raise links.InvitationLinkError(
            "You are signed in already: open the invitation link to continue, or sign out to "
            "create another account.",
            code="signed_in_already",
            status_code=403,
        )
    links.check_claimable(invitation, None)
    try:
        user = profiles.sign_up_candidate(
            session, email=email, full_name=full_name, password=password
        )
    except AppError as exc:
        form = {"full_name": full_name, "email": email}
        return _invite_page(
            request, session, settings, invitation, token, None,
            error=exc.message, form=form, status_code=exc.status_code,
        )  # fmt: skip
    return sign_in(session, user, f"/invite/{token}", settings)
