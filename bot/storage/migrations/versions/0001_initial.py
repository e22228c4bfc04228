"""Initial schema: flow state, cases, gifts, contact requests, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:10:52.444696
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("route_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_role", sa.String(length=80), nullable=False),
        sa.Column("recipient_person", sa.String(length=200), nullable=True),
        sa.Column("section", sa.String(length=80), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("when_text", sa.String(length=200), nullable=False),
        sa.Column("where_text", sa.String(length=300), nullable=True),
        sa.Column("evidence", sa.String(length=20), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporter_channel", sa.String(length=40), nullable=True),
        sa.Column("reporter_user_id", sa.String(length=255), nullable=True),
        sa.Column("reporter_conversation_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("receipt_selector", sa.String(length=8), nullable=False),
        sa.Column("receipt_hash", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org", "reference", name="uq_cases_org_reference"),
        sa.UniqueConstraint("receipt_selector", name="uq_cases_receipt_selector"),
    )
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("requester_name", sa.String(length=100), nullable=False),
        sa.Column("requester_channel", sa.String(length=40), nullable=False),
        sa.Column("requester_user_id", sa.String(length=255), nullable=False),
        sa.Column("reach", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org", "reference", name="uq_contact_requests_org_reference"),
    )
    op.create_table(
        "flow_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=40), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "gifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("employee_name", sa.String(length=100), nullable=False),
        sa.Column("employee_channel", sa.String(length=40), nullable=False),
        sa.Column("employee_user_id", sa.String(length=255), nullable=False),
        sa.Column("gift_kind", sa.String(length=20), nullable=False),
        sa.Column("giver_type", sa.String(length=20), nullable=False),
        sa.Column("giver", sa.String(length=200), nullable=False),
        sa.Column("value_eur", sa.Float(), nullable=True),
        sa.Column("small", sa.String(length=10), nullable=True),
        sa.Column("pending", sa.String(length=10), nullable=False),
        sa.Column("reward", sa.String(length=10), nullable=False),
        sa.Column("received", sa.String(length=10), nullable=False),
        sa.Column("advice", sa.String(length=30), nullable=False),
        sa.Column("advice_section", sa.String(length=80), nullable=True),
        sa.Column("manager_role", sa.String(length=80), nullable=False),
        sa.Column("manager", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org", "reference", name="uq_gifts_org_reference"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("recipient_role", sa.String(length=80), nullable=False),
        sa.Column("recipient", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("for_reporter", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case", ["case_id"], unique=False)


def downgrade() -> None:
    """Undo this migration."""
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_case")

    op.drop_table("case_events")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    op.drop_table("gifts")
    op.drop_table("flow_state")
    op.drop_table("contact_requests")
    op.drop_table("cases")
