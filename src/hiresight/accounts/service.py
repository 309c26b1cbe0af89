"""Accounts logic: organizations, users, throttled login, sessions and API tokens."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from hiresight.accounts import throttle as login_throttle
from hiresight.accounts.models import (
    ApiToken,
    Organization,
    Role,
    User,
    WebSession,
)
from hiresight.accounts.passwords import check_password
from hiresight.accounts.security import (
    API_TOKEN_PREFIX,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.errors import AppError, ConflictError, NotFoundError

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_EMAIL: TypeAdapter[str] = TypeAdapter(EmailStr)


class InvalidCredentialsError(AppError):
    """E-mail or password is wrong (we never say which)."""

    status_code = 401
    code = "invalid_credentials"


def slugify(name: str) -> str:
    """A lowercase, dash-separated slug for an organization name."""
    return _SLUG_RE.sub("-", name.lower()).strip("-") or "org"


def create_organization(session: Session, *, name: str, slug: str | None = None) -> Organization:
    """Create an organization with a unique slug."""
    base = slug or slugify(name)
    candidate, n = base, 1
    while session.scalar(select(Organization.id).where(Organization.slug == candidate)):
        n += 1
        candidate = f"{base}-{n}"
    org = Organization(name=name, slug=candidate)
    session.add(org)
    session.flush()
    return org


def checked_email(email: str) -> str:
    """The address normalised (trimmed, lowercase), or 422 invalid_email when the API would
    refuse it: reserved domains such as `x@y.test` are refused here too, so that every stored
    user can be shown."""
    email = email.strip().lower()
    try:
        _EMAIL.validate_python(email)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("value is not a valid email address: ")
        raise AppError(
            f"{email!r} is not a usable e-mail address: {reason}",
            code="invalid_email",
            status_code=422,
        ) from exc
    return email


def get_by_email(session: Session, *, email: str) -> User | None:
    """The user with this e-mail address (case-insensitive), if any."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    organization_id: int | None = None,
    actor: User | None = None,
) -> User:
    """Create a user; recruiters and admins must belong to an organization, candidates must not."""
    email = checked_email(email)
    if not full_name.strip():
        raise AppError("Enter the user's full name.", code="invalid_name", status_code=422)
    check_password(password, email=email)
    if role is Role.candidate and organization_id is not None:
        raise AppError("Candidates do not belong to an organization.", code="invalid_role")
    if role is not Role.candidate and organization_id is None:
        raise AppError("Recruiters and admins belong to an organization.", code="invalid_role")
    if get_by_email(session, email=email):
        raise ConflictError("An account with this e-mail address exists.", code="email_taken")
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        organization_id=organization_id,
    )
    session.add(user)
    session.flush()
    by = actor or user
    audit.record(
        session,
        actor_id=by.id,
        organization_id=by.organization_id if organization_id is None else organization_id,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        details={"role": role.value},
    )
    return user


def add_staff_member(
    session: Session, *, admin: User, email: str, full_name: str, password: str, role: Role
) -> User:
    """An admin adds a recruiter or admin to their own organization (never a candidate)."""
    if role is Role.candidate:
        raise AppError("Organizations add recruiters and admins only.", code="invalid_role")
    return create_user(
        session,
        email=email,
        full_name=full_name,
        password=password,
        role=role,
        organization_id=admin.organization_id,
        actor=admin,
    )


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    client_ip: str,
    throttle: login_throttle.LoginThrottle,
) -> User:
    """Check credentials; an address that keeps failing for an account must wait (429).

    A failed attempt is committed before the error is raised, so that the caller's rollback
    does not erase it and every web process counts it.
    """
    email = email.strip().lower()
    login_throttle.check(session, throttle, email=email, client_ip=client_ip)
    user = get_by_email(session, email=email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        login_throttle.record_failure(session, throttle, email=email, client_ip=client_ip)
        session.commit()
        raise InvalidCredentialsError("The e-mail address or password is wrong.")
    login_throttle.clear(session, email=email, client_ip=client_ip)
    return user


def start_web_session(session: Session, *, user: User, ttl: dt.timedelta) -> str:
    """Create a login session and return the cookie token (only its hash is stored)."""
    token = new_token()
    session.add(
        WebSession(token_hash=token_digest(token), user_id=user.id, expires_at=utcnow() + ttl)
    )
    session.execute(delete(WebSession).where(WebSession.expires_at < utcnow()))
    session.flush()
    return token


# Built once at import with a bound digest: building the statement and its cache key anew on
# every request cost 12-25 % of an autosave's server CPU (docs/benchmarks.md).
_SESSION_AND_USER = (
    select(WebSession.expires_at, User)
    .join(User, User.id == WebSession.user_id)
    .where(WebSession.token_hash == bindparam("digest"))
)
_TOKEN_AND_USER = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("digest"))
)


def user_for_session_token(session: Session, token: str) -> User | None:
    """The active user behind a session cookie, or None when unknown or expired."""
    # The session and its user in one query, built once: this runs on every signed-in page.
    row = session.execute(_SESSION_AND_USER, {"digest": token_digest(token)}).first()
    if row is None or row[0] < utcnow() or not row[1].is_active:
        return None
    user: User = row[1]
    return user


def end_web_session(session: Session, token: str) -> None:
    """Log out: forget the session."""
    session.execute(delete(WebSession).where(WebSession.token_hash == token_digest(token)))


def create_api_token(session: Session, *, user: User, name: str) -> tuple[str, ApiToken]:
    """Create a bearer token for the REST API; the secret is returned once and never stored."""
    token = new_token(API_TOKEN_PREFIX)
    record = ApiToken(
        user_id=user.id,
        name=name,
        prefix=token[: len(API_TOKEN_PREFIX) + 6],
        token_hash=token_digest(token),
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor_id=user.id,
        organization_id=user.organization_id,
        action="api_token.create",
        entity_type="api_token",
        entity_id=record.id,
        details={"name": name},
    )
    return token, record


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active user behind a bearer token, or None when unknown or revoked."""
    # The token and its user in one query, built once: this runs on every API request (each
    # autosave).
    row = session.execute(_TOKEN_AND_USER, {"digest": token_digest(token)}).first()
    if row is None:
        return None
    record, user = row
    if record.revoked_at is not None or not user.is_active:
        return None
    now = utcnow()
    # Writing on every request would serialise readers on SQLite; a minute's precision is enough.
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=1):
        record.last_used_at = now
    result: User = user
    return result


def get_tokens(session: Session, *, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_api_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens."""
    record = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if record is None:
        raise NotFoundError("No such API token.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(
            session,
            actor_id=user.id,
            organization_id=user.organization_id,
            action="api_token.revoke",
            entity_type="api_token",
            entity_id=record.id,
        )
    return record


def get_org_users(session: Session, *, organization_id: int) -> list[User]:
    """The recruiters and admins of one organization."""
    stmt = (
        select(User)
        .where(User.organization_id == organization_id)
        .where(or_(User.role == Role.recruiter, User.role == Role.admin))
        .order_by(User.id)
    )
    return list(session.scalars(stmt))
