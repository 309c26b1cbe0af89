"""Partner API fixtures: an SMTP sink on 127.0.0.1, the app sending to it, an organization
with an admin, an API key, a job and a template, and a second organization."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role, User
from hiresight.interviews.config import StageConfig, StageKind, TemplateConfig
from hiresight.interviews.models import InterviewTemplate
from hiresight.jobs.models import Job
from hiresight.partners import service
from hiresight.settings import Settings
from hiresight.takehome.models import TakehomeAssignment
from tests.factories import make_job, make_user

PUBLIC_URL = "http://hiresight.test"


@dataclass
class Sink:
    """Messages the local SMTP server received."""

    port: int
    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """aiosmtpd's hook: keep the message."""
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    """A local SMTP server (aiosmtpd) on a free port of 127.0.0.1."""
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def settings(db_url: str, tmp_path: Path, smtp_sink: Sink) -> Settings:
    """Test settings that send e-mail to the sink (a local relay: no STARTTLS)."""
    return Settings(
        env="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        log_level="WARNING",
        public_url=PUBLIC_URL,
        smtp_host="127.0.0.1",
        smtp_port=smtp_sink.port,
        smtp_starttls=False,
        scheduled_maintenance=False,
        scoring_warm_up=False,
    )


@dataclass
class Org:
    """An organization with its admin, a partner key, a job, a one-stage template and a
    take-home."""

    org: Organization
    admin: User
    key: str
    job: Job
    template: InterviewTemplate
    assignment: TakehomeAssignment

    @property
    def headers(self) -> dict[str, str]:
        """The partner API's authorization header."""
        return {"Authorization": f"Bearer {self.key}"}


def make_partner_org(db: Session) -> Org:
    """An organization ready for the partner API (committed)."""
    admin = make_user(db, Role.admin)
    org = admin.organization
    assert org is not None
    key, _ = service.create_key(db, admin=admin, name="Greenhouse")
    job = make_job(db, org)
    config = TemplateConfig(stages=[StageConfig(kind=StageKind.behavioral, minutes=4)])
    template = InterviewTemplate(
        organization_id=org.id, name="Behavioural screen", config=config.model_dump(mode="json")
    )
    # A stored assignment as take-home listings read it; its archive is never unpacked here.
    assignment = TakehomeAssignment(
        organization_id=org.id,
        created_by_id=admin.id,
        title="Next-job ranking",
        duration_days=2,
        spec={},
        archive=b"",
        sha256="ab" * 32,
    )
    db.add_all([template, assignment])
    db.commit()
    return Org(org, admin, key, job, template, assignment)


@pytest.fixture
def acme(db: Session) -> Org:
    """The organization under test."""
    return make_partner_org(db)


@pytest.fixture
def globex(db: Session) -> Org:
    """Another organization."""
    return make_partner_org(db)


def invite_body(assessment_id: str, **extra: Any) -> dict[str, Any]:
    """A valid send body for the candidate Ada."""
    return {
        "assessment_id": assessment_id,
        "candidate_email": "ada@example.com",
        "candidate_name": "Ada Lovelace",
        "external_application_id": "gh-app-1",
        "external_candidate_id": "gh-cand-1",
    } | extra
