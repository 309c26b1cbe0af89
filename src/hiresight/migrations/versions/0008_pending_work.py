"""pending work: the durable record of background grading and scoring

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "running",
                "done",
                "failed",
                name="workstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_run_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["stage_attempts.id"],
            name=op.f("fk_pending_work_attempt_id_stage_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_work")),
        sa.UniqueConstraint("kind", "attempt_id", name=op.f("uq_pending_work_kind")),
    )
    with op.batch_alter_table("pending_work", schema=None) as batch_op:
        batch_op.create_index("ix_pending_work_due", ["state", "next_run_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pending_work_attempt_id"), ["attempt_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_work_attempt_id"))
        batch_op.drop_index("ix_pending_work_due")
    op.drop_table("pending_work")
