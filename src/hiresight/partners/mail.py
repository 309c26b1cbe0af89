"""Invitation e-mails over SMTP (the standard library's smtplib and email), configured by the
HIRESIGHT_SMTP_* settings. No database here: the caller records the outcome."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from hiresight.settings import Settings


@dataclass(frozen=True)
class Outcome:
    """Whether the message was handed to the SMTP server, and if not, why."""

    sent: bool
    detail: str


@dataclass(frozen=True)
class Invitation:
    """What an invitation e-mail says."""

    to_email: str
    to_name: str
    organization: str
    assessment: str
    minutes: int | None
    link: str


def compose(invitation: Invitation, *, sender: str) -> EmailMessage:
    """The invitation as a plain-text e-mail."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = formataddr((invitation.to_name, invitation.to_email))
    msg["Subject"] = f"{invitation.organization} invites you to an assessment"
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    length = f" It takes about {invitation.minutes} minutes." if invitation.minutes else ""
    msg.set_content(
        f"Hello {invitation.to_name},\n\n"
        f'{invitation.organization} invites you to take "{invitation.assessment}" on '
        f"Hiresight.{length}\n\n"
        f"Open this link to sign up or sign in, and start when you are ready:\n"
        f"{invitation.link}\n\n"
        "A person at the company reviews the results; Hiresight never rejects anyone on its "
        "own.\n"
    )
    return msg


def send(settings: Settings, invitation: Invitation) -> Outcome:
    """Send the invitation; never raises for a server that is missing, down or refusing."""
    if not settings.smtp_host:
        return Outcome(False, "SMTP is not configured (HIRESIGHT_SMTP_HOST); send the link.")
    msg = compose(invitation, sender=settings.smtp_from)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                password = (
                    settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                )
                smtp.login(settings.smtp_username, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        # OSError covers refused connections and timeouts; the reason is kept for the partner.
        return Outcome(
            False, f"The SMTP server did not take the e-mail: {type(exc).__name__}: {exc}"
        )
    return Outcome(True, f"Sent to {invitation.to_email}.")
