"""assessment-partner API keys and invitations

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hiresight.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_partner_api_keys_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_partner_api_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_partner_api_keys_key_hash")),
    )
    with op.batch_alter_table("partner_api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_api_keys_organization_id"), ["organization_id"], unique=False
        )
    op.create_table(
        "partner_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.String(length=40), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("candidate_email", sa.String(length=320), nullable=False),
        sa.Column("candidate_name", sa.String(length=200), nullable=False),
        sa.Column("external_application_id", sa.String(length=200), nullable=False),
        sa.Column("external_candidate_id", sa.String(length=200), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("created_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", hiresight.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("email_sent_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.Text(), nullable=True),
        sa.Column("claimed_at", hiresight.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("takehome_invitation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["partner_api_keys.id"],
            name=op.f("fk_partner_invitations_api_key_id_partner_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["takehome_assignments.id"],
            name=op.f("fk_partner_invitations_assignment_id_takehome_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_partner_invitations_candidate_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview_sessions.id"],
            name=op.f("fk_partner_invitations_interview_id_interview_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_partner_invitations_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_partner_invitations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["takehome_invitation_id"],
            ["takehome_invitations.id"],
            name=op.f("fk_partner_invitations_takehome_invitation_id_takehome_invitations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["interview_templates.id"],
            name=op.f("fk_partner_invitations_template_id_interview_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_invitations")),
        sa.UniqueConstraint(
            "organization_id",
            "assessment_id",
            "external_application_id",
            name=op.f("uq_partner_invitations_organization_id"),
        ),
    )
    with op.batch_alter_table("partner_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_invitations_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partner_invitations_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("partner_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_invitations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_partner_invitations_candidate_id"))
    op.drop_table("partner_invitations")
    with op.batch_alter_table("partner_api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_api_keys_organization_id"))
    op.drop_table("partner_api_keys")
