"""job pipelines: each job's ordered stages, each application's current stage, and its moves

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The default pipeline as it was when this revision was written (jobs/pipeline.py may change
# later; a migration must not): AI screening, a presentation panel, an offer.
_DEFAULT_PIPELINE = (
    '[{"kind": "ai_screening", "panel_kind": null, "key": "ai_screening", "title": "AI screening"},'
    ' {"kind": "panel", "panel_kind": "presentation", "key": "panel_presentation",'
    ' "title": "Panel: presentation and Q&A"},'
    ' {"kind": "offer", "panel_kind": null, "key": "offer", "title": "Offer"}]'
)


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pipeline", sa.JSON(), server_default=_DEFAULT_PIPELINE, nullable=False)
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stage", sa.String(length=40), server_default="ai_screening", nullable=False)
        )
    # Applications decided before pipelines start where their status puts them: an advanced
    # applicant is at the panel, a hired one at the offer; the rest at the AI screening.
    op.execute("UPDATE applications SET stage = 'panel_presentation' WHERE status = 'advanced'")
    op.execute("UPDATE applications SET stage = 'offer' WHERE status = 'hired'")

    op.create_table(
        "application_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_stage", sa.String(length=40), nullable=False),
        sa.Column("to_stage", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_application_moves_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_moves_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_moves")),
    )
    with op.batch_alter_table("application_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_moves_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("application_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_moves_application_id"))
    op.drop_table("application_moves")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("stage")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("pipeline")
