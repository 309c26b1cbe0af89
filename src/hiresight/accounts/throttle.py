"""Login throttling: growing delays per (account, address) and per address.

A lock per account lets anyone lock anyone out, so failures are counted per (account, client
address): the address that keeps guessing waits, twice as long after each further failure, up to
a cap, while the account owner signing in from any other address is never refused. A second count
per address, over every account, slows password spraying from one address. Failures live in the
database (`login_attempts`), so every web process sees the same counts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import LoginAttempt
from hiresight.db import utcnow
from hiresight.errors import RateLimitedError
from hiresight.settings import Settings


@dataclass(frozen=True)
class LoginThrottle:
    """The limits: free failures before delays start, how long failures count, the longest wait."""

    max_failures: int = 5
    max_failures_per_ip: int = 100
    # Long beside the longest wait, so that a patient guesser's count does not drain away and
    # bring the short delays back: at the cap, about 100 guesses a day per account and address.
    window: dt.timedelta = dt.timedelta(hours=24)
    max_delay_seconds: float = 900.0

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        """The limits configured by HIRESIGHT_LOGIN_*."""
        return cls(
            max_failures=settings.login_max_failures,
            max_failures_per_ip=settings.login_max_failures_per_ip,
            window=dt.timedelta(minutes=settings.login_window_minutes),
            max_delay_seconds=float(settings.login_max_delay_seconds),
        )

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait after the last of `failures` failures: 0 while free, then 1, 2, 4…"""
        if failures < free:
            return 0.0
        return min(self.max_delay_seconds, 2.0 ** (failures - free))


def _failures(
    session: Session, *where: ColumnElement[bool], since: dt.datetime
) -> tuple[int, dt.datetime]:
    """How many failures match, and when the last one was."""
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            *where,
            LoginAttempt.attempted_at >= since,
        )
    ).one()
    return int(count or 0), last or since


def check(session: Session, throttle: LoginThrottle, *, email: str, client_ip: str) -> None:
    """Raise 429 with Retry-After while this address must still wait before trying `email`."""
    now = utcnow()
    since = now - throttle.window
    pair, pair_last = _failures(
        session, LoginAttempt.email == email, LoginAttempt.client_ip == client_ip, since=since
    )
    by_ip, ip_last = _failures(session, LoginAttempt.client_ip == client_ip, since=since)
    wait = max(
        throttle.delay(pair, throttle.max_failures) - (now - pair_last).total_seconds(),
        throttle.delay(by_ip, throttle.max_failures_per_ip) - (now - ip_last).total_seconds(),
    )
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise RateLimitedError(
            f"Too many failed logins from your address. Wait {retry} s and try again.",
            headers={"Retry-After": str(retry)},
            details={"retry_after_seconds": retry},
        )


def record_failure(
    session: Session, throttle: LoginThrottle, *, email: str, client_ip: str
) -> None:
    """Count a failed login, and forget this account's and address's expired ones."""
    now = utcnow()
    since = now - throttle.window
    for key in (LoginAttempt.email == email, LoginAttempt.client_ip == client_ip):
        session.execute(delete(LoginAttempt).where(key, LoginAttempt.attempted_at < since))
    session.add(LoginAttempt(email=email, client_ip=client_ip, attempted_at=now))


def clear(session: Session, *, email: str, client_ip: str) -> None:
    """A right password from this address: forget its failures for this account only."""
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.client_ip == client_ip)
    )
