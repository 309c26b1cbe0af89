"""take-homes: a recruiter's assignment of a take-home to a candidate

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "takehome_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_takehome_invitations_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_takehome_invitations_assigned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["takehome_assignments.id"],
            name=op.f("fk_takehome_invitations_assignment_id_takehome_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_takehome_invitations_candidate_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takehome_invitations")),
        sa.UniqueConstraint(
            "assignment_id", "candidate_id", name=op.f("uq_takehome_invitations_assignment_id")
        ),
    )
    with op.batch_alter_table("takehome_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takehome_invitations_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takehome_invitations_candidate_id"), ["candidate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("takehome_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takehome_invitations_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_takehome_invitations_assignment_id"))
    op.drop_table("takehome_invitations")
