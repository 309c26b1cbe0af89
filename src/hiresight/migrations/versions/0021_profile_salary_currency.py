"""candidate profiles: the currency of the minimum salary

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable and not backfilled: an existing expectation was never given a currency, and
    # guessing one would silently change what it means (NULL keeps "read in the job's").
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salary_currency", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.drop_column("salary_currency")
