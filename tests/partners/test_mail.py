"""Invitation e-mails: what they say, and an honest answer when no server takes them."""

from __future__ import annotations

from pathlib import Path

from hiresight.partners import mail
from hiresight.settings import Settings
from tests.partners.conftest import Sink, free_port

INVITATION = mail.Invitation(
    to_email="ada@example.com",
    to_name="Ada Lovelace",
    organization="Acme",
    assessment="Behavioural screen",
    minutes=7,
    link="http://hiresight.test/invite/1.abc",
)


def _settings(tmp_path: Path, **smtp: object) -> Settings:
    return Settings(env="test", data_dir=tmp_path, **smtp)  # type: ignore[arg-type]


def test_the_message_names_the_company_the_assessment_and_the_link() -> None:
    """Subject, recipient and body carry what the candidate needs."""
    msg = mail.compose(INVITATION, sender="jobs@acme.example")
    assert msg["Subject"] == "Acme invites you to an assessment"
    assert msg["To"] == "Ada Lovelace <ada@example.com>"
    body = msg.get_content()
    assert "Behavioural screen" in body
    assert "about 7 minutes" in body
    assert INVITATION.link in body


def test_the_sink_receives_the_message(tmp_path: Path, smtp_sink: Sink) -> None:
    """Sent over SMTP to the local server, the message arrives whole."""
    settings = _settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_sink.port, smtp_starttls=False
    )
    outcome = mail.send(settings, INVITATION)
    assert outcome.sent is True
    assert smtp_sink.recipients == [["ada@example.com"]]
    assert INVITATION.link in smtp_sink.messages[0].get_payload()


def test_no_server_configured_or_reachable_is_reported_not_raised(tmp_path: Path) -> None:
    """Without a host nothing is tried; a port that refuses answers sent=False with why."""
    assert mail.send(_settings(tmp_path), INVITATION) == mail.Outcome(
        False, "SMTP is not configured (HIRESIGHT_SMTP_HOST); send the link."
    )
    refused = mail.send(
        _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=5),
        INVITATION,
    )
    assert refused.sent is False
    assert "did not take the e-mail" in refused.detail


def test_starttls_is_asked_for_and_its_refusal_reported(tmp_path: Path, smtp_sink: Sink) -> None:
    """With STARTTLS on, a server that cannot upgrade is not sent the message in clear text."""
    settings = _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_sink.port)
    outcome = mail.send(settings, INVITATION)
    assert outcome.sent is False
    assert "starttls" in outcome.detail.lower()
    assert smtp_sink.messages == []
