"""take-homes: assignments, submissions with their deadline, and uploaded versions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "takehome_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("duration_days", sa.Float(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("archive", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_takehome_assignments_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_takehome_assignments_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takehome_assignments")),
    )
    with op.batch_alter_table("takehome_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takehome_assignments_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takehome_assignments_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "takehome_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("started_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["takehome_assignments.id"],
            name=op.f("fk_takehome_submissions_assignment_id_takehome_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_takehome_submissions_candidate_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takehome_submissions")),
        sa.UniqueConstraint(
            "assignment_id", "candidate_id", name=op.f("uq_takehome_submissions_assignment_id")
        ),
    )
    with op.batch_alter_table("takehome_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takehome_submissions_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takehome_submissions_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "takehome_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "evaluated", "failed", name="versionstate", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("uploaded_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("evaluated_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["takehome_submissions.id"],
            name=op.f("fk_takehome_versions_submission_id_takehome_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takehome_versions")),
        sa.UniqueConstraint(
            "submission_id", "number", name=op.f("uq_takehome_versions_submission_id")
        ),
    )
    with op.batch_alter_table("takehome_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takehome_versions_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("takehome_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takehome_versions_submission_id"))
    op.drop_table("takehome_versions")
    with op.batch_alter_table("takehome_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takehome_submissions_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_takehome_submissions_assignment_id"))
    op.drop_table("takehome_submissions")
    with op.batch_alter_table("takehome_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takehome_assignments_organization_id"))
        batch_op.drop_index(batch_op.f("ix_takehome_assignments_created_by_id"))
    op.drop_table("takehome_assignments")
