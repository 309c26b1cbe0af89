"""API shapes for interview templates, sessions and attempts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hiresight.interviews.config import StageKind, TemplateConfig
from hiresight.interviews.models import AttemptState, SessionState
from hiresight.storable import max_depth_validator


class TemplateCreate(BaseModel):
    """A new interview template for the recruiter's organization."""

    name: str = Field(min_length=1, max_length=200)
    job_id: int | None = Field(None, ge=1, le=2_147_483_647)
    config: TemplateConfig


class TemplateUpdate(BaseModel):
    """A change to a template; running sessions keep their snapshot."""

    name: str | None = Field(None, min_length=1, max_length=200)
    config: TemplateConfig | None = None


class TemplatePublic(BaseModel):
    """A template as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int | None
    organization_id: int | None
    job_id: int | None
    name: str
    config: TemplateConfig


class SessionCreate(BaseModel):
    """Start an interview: the default template, an organization's template, or a job's."""

    template_id: int | None = Field(None, ge=1, le=2_147_483_647)
    job_id: int | None = Field(None, ge=1, le=2_147_483_647)
    practice: bool = False
    stages: list[StageKind] | None = Field(None, min_length=1, max_length=5)


class AttemptPublic(BaseModel):
    """An attempt as the candidate sees it: questions, draft, timing; never hidden material."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    session_id: int
    stage: StageKind
    attempt_no: int | None
    counted: bool
    state: AttemptState
    started_at: dt.datetime
    deadline_at: dt.datetime
    remaining_seconds: float
    server_time: dt.datetime
    submitted_at: dt.datetime | None
    last_saved_at: dt.datetime | None
    content: dict[str, Any]
    draft: dict[str, Any]
    draft_revision: int
    answer: dict[str, Any] | None
    feedback: dict[str, Any] | None
    practice_feedback: dict[str, Any] | None = None
    score: float | None
    note: str
    selected: bool
    ended_by: str | None
    counts: bool = Field(
        False, description="This attempt is the one that counts for its stage now."
    )


class SubmitAccepted(AttemptPublic):
    """A submitted attempt (202): the answer is stored, and its grading or scoring is queued."""

    queued: list[str] = Field(description="Background work recorded: `grade`, then `score`.")
    message: str


class CountingAttempt(BaseModel):
    """The attempt that counts for a stage: the one the candidate chose, else the latest
    finished, counted one (`interviews.scores.counted_attempts`)."""

    attempt_id: int
    session_id: int
    attempt_no: int | None
    score: float | None
    chosen: bool


class SessionPublic(BaseModel):
    """A session with its stages' state and the server's clock."""

    id: int
    state: SessionState
    practice: bool
    job_id: int | None
    config: TemplateConfig
    created_at: dt.datetime
    started_at: dt.datetime | None
    deadline_at: dt.datetime | None
    ended_at: dt.datetime | None
    remaining_seconds: float | None
    server_time: dt.datetime
    attempts: list[AttemptPublic]
    attempts_left: dict[StageKind, int]
    counting: dict[StageKind, CountingAttempt] = Field(
        default_factory=dict,
        description="Per stage of this session, the candidate's attempt that counts now.",
    )
    time_multipliers: dict[StageKind, float] = Field(
        default_factory=dict,
        description="Extra time granted: per stage, the multiplier of its minutes.",
    )


class RetakeRequest(BaseModel):
    """Retake a stage; `confirm` is required once a scored attempt exists at that stage."""

    confirm: bool = False


# The room's drafts nest three or four levels (answers, files, hunks); far deeper ones are refused
# before they are stored, since the response serialiser gives up at a few hundred levels.
# Their size is capped by the service (MAX_DRAFT_BYTES).
MAX_DRAFT_DEPTH = 32
Draft = Annotated[dict[str, Any], max_depth_validator(MAX_DRAFT_DEPTH, "draft_too_deep")]


class DraftSave(BaseModel):
    """An autosave: the client's revision number (increasing) and the whole draft."""

    revision: int = Field(ge=1, le=1_000_000_000)
    draft: Draft


class DraftSaved(BaseModel):
    """An autosave's answer: small, because it is sent every few seconds by every candidate."""

    revision: int
    saved_at: dt.datetime
    server_time: dt.datetime


class SubmitRequest(BaseModel):
    """Final answer; without a draft the latest autosave is submitted."""

    revision: int | None = Field(None, ge=1, le=1_000_000_000)
    draft: Draft | None = None


class QuestionAnswer(BaseModel):
    """One question's answer: free text, or the chosen option of a multiple-choice item."""

    text: str | None = Field(None, max_length=20_000)
    choice: int | None = Field(None, ge=0, le=3)


class NoteUpdate(BaseModel):
    """The candidate's own note on an attempt."""

    note: str = Field(max_length=5_000)


# Integrity signals: one typed shape per kind the interview room sends (web/static/interview.js).
# Keys a kind does not define are dropped, so what is stored is bounded by these fields alone.
EVENTS_PER_REQUEST = 200
EVENTS_PER_ATTEMPT = 1_000
EVENTS_BODY_BYTES = 64 * 1024  # 200 events of the room's shape take about 20 KB
_MAX_AWAY_MS = 24 * 3600 * 1000
_MAX_PASTE_CHARS = 10_000_000


class FocusLostData(BaseModel):
    """The interview window was hidden; the matching `focus_gained` says for how long."""

    model_config = ConfigDict(extra="ignore")


class FocusGainedData(BaseModel):
    """The window is visible again after `ms` milliseconds away."""

    model_config = ConfigDict(extra="ignore")

    ms: float = Field(ge=0, le=_MAX_AWAY_MS, allow_inf_nan=False)


class PasteData(BaseModel):
    """Text of `chars` characters was pasted into an answer box."""

    model_config = ConfigDict(extra="ignore")

    chars: int = Field(ge=0, le=_MAX_PASTE_CHARS)


class FocusLostEvent(BaseModel):
    """The candidate left the interview window."""

    kind: Literal["focus_lost"]
    data: FocusLostData = Field(default_factory=FocusLostData)
    client_at: dt.datetime | None = None


class FocusGainedEvent(BaseModel):
    """The candidate came back to the interview window."""

    kind: Literal["focus_gained"]
    data: FocusGainedData
    client_at: dt.datetime | None = None


class PasteEvent(BaseModel):
    """The candidate pasted text into an answer."""

    kind: Literal["paste"]
    data: PasteData
    client_at: dt.datetime | None = None


IntegrityEventIn = Annotated[
    FocusLostEvent | FocusGainedEvent | PasteEvent, Field(discriminator="kind")
]


class IntegrityBatch(BaseModel):
    """Signals sent together."""

    events: list[IntegrityEventIn] = Field(max_length=EVENTS_PER_REQUEST)


class EventsRecorded(BaseModel):
    """How many signals of a batch were stored, and how many the per-attempt cap turned away
    (`dropped` is left out of the answer when it is 0)."""

    recorded: int
    dropped: int = 0


class NoticePublic(BaseModel):
    """The interview notice in force and whether the caller has consented to it."""

    notice_version: str
    notice_url: str
    consented_at: dt.datetime | None


class ConsentCreate(BaseModel):
    """Consent to the notice version the candidate read."""

    notice_version: str = Field(min_length=1, max_length=40)
