"""Imports every domain's tables so that `Base.metadata` is complete (for Alembic and tests)."""

from hiresight.accounts.models import ApiToken, LoginAttempt, Organization, User, WebSession
from hiresight.appeals.models import CandidateRequest
from hiresight.audit.models import AuditLog
from hiresight.db import Base
from hiresight.engagement.models import EngagementEvent
from hiresight.fairness.models import SelfIdentification
from hiresight.interviews.accommodations import Accommodation
from hiresight.interviews.consent import InterviewConsent
from hiresight.interviews.models import (
    IntegrityEvent,
    InterviewSession,
    InterviewTemplate,
    StageAttempt,
)
from hiresight.interviews.scores import AttemptScore
from hiresight.interviews.voice.models import AnswerRecording, RecordingChunk, VoiceConsent
from hiresight.jobs.models import Application, Job
from hiresight.matching.models import RecsExposure
from hiresight.partners.models import PartnerApiKey, PartnerInvitation
from hiresight.privacy.models import DeletionRequest, RetentionSetting
from hiresight.profiles.models import CandidateProfile, PortfolioReview, ResumeVersion
from hiresight.takehome.models import TakehomeAssignment, TakehomeSubmission, TakehomeVersion
from hiresight.tasks.models import PendingWork
from hiresight.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "Accommodation",
    "AnswerRecording",
    "ApiToken",
    "Application",
    "AttemptScore",
    "AuditLog",
    "Base",
    "CandidateProfile",
    "CandidateRequest",
    "DeletionRequest",
    "EngagementEvent",
    "IntegrityEvent",
    "InterviewConsent",
    "InterviewSession",
    "InterviewTemplate",
    "Job",
    "LoginAttempt",
    "Organization",
    "PartnerApiKey",
    "PartnerInvitation",
    "PendingWork",
    "PortfolioReview",
    "RecordingChunk",
    "RecsExposure",
    "ResumeVersion",
    "RetentionSetting",
    "SelfIdentification",
    "StageAttempt",
    "TakehomeAssignment",
    "TakehomeSubmission",
    "TakehomeVersion",
    "User",
    "VoiceConsent",
    "WebSession",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
