"""panel scorecards: one interviewer's 1-4 ratings of an application at a panel stage

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panel_scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_panel_scorecards_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["users.id"],
            name=op.f("fk_panel_scorecards_interviewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_scorecards")),
        sa.UniqueConstraint(
            "application_id",
            "stage",
            "interviewer_id",
            name=op.f("uq_panel_scorecards_application_id"),
        ),
    )
    with op.batch_alter_table("panel_scorecards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_panel_scorecards_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("panel_scorecards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_scorecards_application_id"))
    op.drop_table("panel_scorecards")
