"""pending work: the durable record of background grading and scoring

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import datetime as dt

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
    _record_unfinished_work()


def _record_unfinished_work() -> None:
    """Record the work of final answers that were never graded or scored before this revision.

    Before it, a process that died after a submit lost the queued job, and the attempt stayed
    without a grade or a score; upgrading gives those attempts to the reconciler.
    """
    attempts = sa.table(
        "stage_attempts",
        sa.column("id", sa.Integer()),
        sa.column("stage", sa.String()),
        sa.column("state", sa.String()),
        sa.column("answer", sa.JSON()),
        sa.column("result", sa.JSON()),
    )
    scores = sa.table("attempt_scores", sa.column("attempt_id", sa.Integer()))
    work = sa.table(
        "pending_work",
        sa.column("kind", sa.String()),
        sa.column("attempt_id", sa.Integer()),
        sa.column("state", sa.String()),
        sa.column("attempts", sa.Integer()),
        sa.column("next_run_at", hiresight.db.UTCDateTime()),
        sa.column("created_at", hiresight.db.UTCDateTime()),
        sa.column("updated_at", hiresight.db.UTCDateTime()),
    )
    bind = op.get_bind()
    scored = set(bind.execute(sa.select(scores.c.attempt_id).distinct()).scalars())
    final = bind.execute(
        sa.select(attempts.c.id, attempts.c.stage, attempts.c.answer, attempts.c.result).where(
            attempts.c.state.in_(["submitted", "expired"])
        )
    )
    now = dt.datetime.now(dt.UTC)
    rows = []
    for attempt_id, stage, answer, result in final:
        if not answer or attempt_id in scored:
            continue  # nothing to grade, or already scored (scoring comes last)
        kind = "grade" if stage == "code_review" and result is None else "score"
        rows.append({
            "kind": kind, "attempt_id": attempt_id, "state": "pending", "attempts": 0,
            "next_run_at": now, "created_at": now, "updated_at": now,
        })  # fmt: skip
    if rows:
        op.bulk_insert(work, rows)


def downgrade() -> None:
    with op.batch_alter_table("pending_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_work_attempt_id"))
        batch_op.drop_index("ix_pending_work_due")
    op.drop_table("pending_work")
