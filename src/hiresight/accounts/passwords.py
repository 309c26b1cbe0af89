"""Password rules: a minimum length, and no common or trivial passwords (pure, no database).

Following NIST SP 800-63B §5.1.1.2: no composition rules, but refuse passwords found in lists of
commonly used ones, repetitive or sequential characters, and context-specific words (here the
e-mail address).
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from hiresight.errors import AppError

MIN_LENGTH = 8
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"

# Runs a password may not be taken from; each is repeated so that a run may wrap around
# ("90123456"), and read backwards too.
_SEQUENCES = (
    "0123456789" * 3,
    string.ascii_lowercase * 2,
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_ENDINGS = string.digits + string.punctuation + " "


class WeakPasswordError(AppError):
    """The password is too short, too common, or trivial to guess."""

    status_code = 422
    code = "weak_password"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lowercased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def _is_sequence(word: str) -> bool:
    return any(word in seq or word in seq[::-1] for seq in _SEQUENCES)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why the password may not be used, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Choose a password of at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Choose a password of at most {MAX_LENGTH} characters."
    word = password.lower()
    # "password2026!" is as weak as "password": compare the word without what was tacked on.
    stem = word.rstrip(_ENDINGS)
    if word in common_passwords() or (len(stem) >= 4 and stem in common_passwords()):
        return "This password is among the most common ones. Choose another."
    if len(set(word)) <= 2 or _is_sequence(word):
        return "This password is too easy to guess (repeated or consecutive characters)."
    email = email.strip().lower()
    local = email.partition("@")[0]
    if word == email or (len(local) >= 3 and (word == local or stem == local)):
        return "The password must not be your e-mail address. Choose another."
    return None


def check_password(password: str, *, email: str = "") -> None:
    """Raise WeakPasswordError when the password may not be used."""
    problem = password_problem(password, email=email)
    if problem:
        raise WeakPasswordError(problem)
