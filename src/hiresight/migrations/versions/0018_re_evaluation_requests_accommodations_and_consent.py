"""re-evaluation requests, accommodations and consent: candidate requests to a person, extra
time per stage, and consent to the interview notice with its version

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "interview_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("notice_version", sa.String(length=40), nullable=False),
        sa.Column("consented_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        _fk("interview_consents", "candidate_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_consents")),
        sa.UniqueConstraint(
            "candidate_id", "notice_version", name=op.f("uq_interview_consents_candidate_id")
        ),
    )
    with op.batch_alter_table("interview_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_consents_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "interview_accommodations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("multipliers", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        _fk("interview_accommodations", "organization_id", "organizations", "CASCADE"),
        _fk("interview_accommodations", "candidate_id", "users", "CASCADE"),
        _fk("interview_accommodations", "job_id", "jobs", "CASCADE"),
        _fk("interview_accommodations", "granted_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_accommodations")),
    )
    with op.batch_alter_table("interview_accommodations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interview_accommodations_candidate_job", ["candidate_id", "job_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_accommodations_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "candidate_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "re_evaluation",
                "alternative_process",
                name="requestkind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "upheld",
                "score_changed",
                "answered",
                name="requeststate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("ai_score", sa.Float(), nullable=True),
        sa.Column("human_score", sa.Float(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        _fk("candidate_requests", "candidate_id", "users", "CASCADE"),
        _fk("candidate_requests", "organization_id", "organizations", "CASCADE"),
        _fk("candidate_requests", "attempt_id", "stage_attempts", "CASCADE"),
        _fk("candidate_requests", "job_id", "jobs", "CASCADE"),
        _fk("candidate_requests", "resolved_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_requests")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_candidate_requests_attempt_id")),
    )
    with op.batch_alter_table("candidate_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_requests_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_requests_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("candidate_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_requests_organization_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_requests_candidate_id"))
    op.drop_table("candidate_requests")
    with op.batch_alter_table("interview_accommodations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_accommodations_organization_id"))
        batch_op.drop_index("ix_interview_accommodations_candidate_job")
    op.drop_table("interview_accommodations")
    with op.batch_alter_table("interview_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_consents_candidate_id"))
    op.drop_table("interview_consents")
