"""CSRF tokens for pages and cookie-authenticated API calls (signed double-submit cookie).

Signed in, a page's token is the HMAC of the login session's cookie token, so it is good for
that session only; before signing in, it is a random nonce with its HMAC, kept in a cookie that
anonymous forms are checked against (OWASP CSRF sheet). The shell owns it because every page
form and every cookie-authenticated change goes through it, whatever the domain.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from hiresight.deps import get_settings
from hiresight.errors import AppError
from hiresight.settings import Settings

SESSION_COOKIE = "hs_session"
CSRF_COOKIE = "hs_csrf"
CSRF_HEADER = "x-csrf-token"


class CsrfError(AppError):
    """A cookie-authenticated change came without its CSRF token."""

    status_code = 403
    code = "csrf_failed"


def _mac(secret_key: str, purpose: str, value: str) -> str:
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    """Compare two secrets without leaking where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())


def csrf_token_for(secret_key: str, session_token: str) -> str:
    """The CSRF token bound to one login session (HMAC of its token).

    A token copied from another user's page, or from a page seen before signing in, names
    another session, so it fails.
    """
    return _mac(secret_key, "csrf-session", session_token)


def new_anonymous_csrf_token(secret_key: str) -> str:
    """A CSRF token for forms shown before signing in: a random nonce and its HMAC."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_mac(secret_key, 'csrf-anonymous', nonce)}"


def is_anonymous_csrf_token(secret_key: str, token: str) -> bool:
    """Whether the token was made by new_anonymous_csrf_token with this key."""
    nonce, dot, mac = token.partition(".")
    return bool(nonce and dot) and constant_time_equal(
        mac, _mac(secret_key, "csrf-anonymous", nonce)
    )


def csrf_token(request: Request) -> str:
    """The CSRF token that pages answering this request carry (and the CSRF cookie holds)."""
    secret = get_settings(request).secret_key.get_secret_value()
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        return csrf_token_for(secret, session_token)
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if is_anonymous_csrf_token(secret, current) else new_anonymous_csrf_token(secret)


def csrf_ok(request: Request, sent: str) -> bool:
    """Whether `sent` is this request's CSRF token: bound to its session when there is one,
    else equal to the signed anonymous token in its cookie (signed double-submit)."""
    secret = get_settings(request).secret_key.get_secret_value()
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        expected = csrf_token_for(secret, session_token)
    else:
        expected = request.cookies.get(CSRF_COOKIE, "")
        if not is_anonymous_csrf_token(secret, expected):
            return False
    return bool(sent) and constant_time_equal(sent, expected)


def set_csrf_cookie(response: Response, token: str, settings: Settings) -> None:
    """Keep the page's CSRF token in a cookie: anonymous forms check against it."""
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )
