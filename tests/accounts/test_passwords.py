"""Password rules: minimum length, the shipped common list, and trivial patterns."""

from __future__ import annotations

import pytest

from hiresight.accounts.passwords import (
    MIN_LENGTH,
    WeakPasswordError,
    check_password,
    common_passwords,
    password_problem,
)
from hiresight.demo.service import DEMO_PASSWORD
from tests.factories import PASSWORD


def test_the_shipped_list_loads_lowercase_without_comments() -> None:
    """The list holds a few hundred lowercase words and none of its comment lines."""
    words = common_passwords()
    assert 200 <= len(words) <= 1000
    assert "password" in words
    assert all(w == w.lower() and not w.startswith("#") for w in words)


@pytest.mark.parametrize(
    "password",
    ["password", "PASSWORD1", "Football2026!", "iloveyou", "letmein!!", "Qwerty123"],
)
def test_common_passwords_and_their_suffixed_forms_are_refused(password: str) -> None:
    """A listed password, in any case or with digits and punctuation added, is refused."""
    assert "common" in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password",
    ["zzzzzzzz", "abababab", "23456789", "987654321", "lmnopqrstu", "asdfghjkl;", "9012345678"],
)
def test_repeated_and_consecutive_characters_are_refused(password: str) -> None:
    """One or two characters repeated, and runs of the alphabet, digits or keyboard are refused."""
    assert password_problem(password) is not None


def test_the_email_is_not_a_password() -> None:
    """The address, or its local part with digits added, is refused for that user only."""
    assert "e-mail" in (password_problem("zoe.celik", email="Zoe.Celik@example.com") or "")
    assert "e-mail" in (password_problem("zoe.celik99", email="zoe.celik@example.com") or "")
    assert "e-mail" in (
        password_problem("zoe.celik@example.com", email="zoe.celik@example.com") or ""
    )
    assert password_problem("zoe.celik", email="someone@example.com") is None


def test_the_minimum_length_holds() -> None:
    """Seven characters are too few, whatever they are."""
    assert "at least" in (password_problem("x7#Kq2!"[: MIN_LENGTH - 1]) or "")


@pytest.mark.parametrize(
    "password", [PASSWORD, DEMO_PASSWORD, "longenough", "tofu-lamp-9-orbit", "K8#vq2!xLm"]
)
def test_ordinary_passwords_pass(password: str) -> None:
    """Passwords that are neither common nor trivial are accepted."""
    assert password_problem(password, email="ada@example.com") is None


def test_check_password_raises_the_stable_code() -> None:
    """check_password raises weak_password (422) with the reason as its message."""
    with pytest.raises(WeakPasswordError) as caught:
        check_password("12345678")
    assert caught.value.code == "weak_password"
    assert caught.value.status_code == 422
