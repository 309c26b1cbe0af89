"""Password hashing and random tokens: pure helpers with no database access."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Verifying against a real hash when the user does not exist keeps login timing the same for
# known and unknown e-mail addresses, so timing does not reveal who has an account.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

API_TOKEN_PREFIX = "hs_"


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; always does the same work, even without a hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    """A URL-safe random token with 256 bits of entropy."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(secret_key: str, purpose: str, value: str) -> str:
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def csrf_token_for(secret_key: str, session_token: str) -> str:
    """The CSRF token bound to one login session (HMAC of its token).

    A token copied from another user's page, or from a page seen before signing in, names
    another session, so it fails (OWASP CSRF sheet, "signed double-submit cookie").
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


def constant_time_equal(a: str, b: str) -> bool:
    """Compare two secrets without leaking where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())
