"""spoken answers: voice consents, audio recordings, their chunks and transcripts

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voice_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("notice_version", sa.String(length=40), nullable=False),
        sa.Column("consented_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_voice_consents_candidate_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_consents")),
        sa.UniqueConstraint(
            "candidate_id", "notice_version", name=op.f("uq_voice_consents_candidate_id")
        ),
    )
    with op.batch_alter_table("voice_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voice_consents_candidate_id"), ["candidate_id"], unique=False
        )
    op.create_table(
        "answer_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("mime_type", sa.String(length=80), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "recording",
                "queued",
                "transcribed",
                "failed",
                "unavailable",
                name="recordingstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("chunk_count", sa.Integer(), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("audio", sa.LargeBinary(), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=True),
        sa.Column("transcript_text", sa.Text(), nullable=True),
        sa.Column("engine", sa.String(length=80), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("transcribed_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["stage_attempts.id"],
            name=op.f("fk_answer_recordings_attempt_id_stage_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["voice_consents.id"],
            name=op.f("fk_answer_recordings_consent_id_voice_consents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_recordings")),
    )
    with op.batch_alter_table("answer_recordings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_recordings_attempt_id"), ["attempt_id"], unique=False
        )
    op.create_table(
        "recording_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["answer_recordings.id"],
            name=op.f("fk_recording_chunks_recording_id_answer_recordings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recording_chunks")),
        sa.UniqueConstraint("recording_id", "seq", name=op.f("uq_recording_chunks_recording_id")),
    )
    with op.batch_alter_table("recording_chunks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recording_chunks_recording_id"), ["recording_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recording_chunks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recording_chunks_recording_id"))
    op.drop_table("recording_chunks")
    with op.batch_alter_table("answer_recordings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_recordings_attempt_id"))
    op.drop_table("answer_recordings")
    with op.batch_alter_table("voice_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_consents_candidate_id"))
    op.drop_table("voice_consents")
