"""candidate profiles: the minimum salary and the remote preference used in matching

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both optional: a profile without them is matched as before (any pay, remote or not).
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salary_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("remote_preference", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.drop_column("remote_preference")
        batch_op.drop_column("salary_min")
