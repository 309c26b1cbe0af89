"""voluntary self-identification for fairness audits

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

SEXES = ("male", "female", "prefer_not_to_say")
RACES = (
    "hispanic_or_latino",
    "white",
    "black_or_african_american",
    "native_hawaiian_or_other_pacific_islander",
    "asian",
    "american_indian_or_alaska_native",
    "two_or_more_races",
    "prefer_not_to_say",
)


def upgrade() -> None:
    op.create_table(
        "self_identifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("sex", sa.Enum(*SEXES, name="sex", native_enum=False, length=20), nullable=True),
        sa.Column(
            "race_ethnicity",
            sa.Enum(*RACES, name="raceethnicity", native_enum=False, length=60),
            nullable=True,
        ),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_self_identifications_candidate_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_identifications")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_self_identifications_candidate_id")),
    )


def downgrade() -> None:
    op.drop_table("self_identifications")
