"""attempt scores: the closest sentence to each missed rubric point

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Scores stored before this revision have no closest sentences: the server default gives
    # every existing row an empty list, so the column can be NOT NULL from the start.
    with op.batch_alter_table("attempt_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closest", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("attempt_scores", schema=None) as batch_op:
        batch_op.drop_column("closest")
