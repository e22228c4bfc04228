"""Encryption at rest: the keys table; encrypted columns without a length limit; flow states keyed anew

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:00:00

The migration itself cannot encrypt: the server secret is not the database's to know. The first start after it
(Store.open) creates the first data key and encrypts every row written before, in batches (bot/storage/key_rows.py
sweep); until then an unencrypted value reads as it is. Flow states were keyed by a plain hash of channel and
conversation, which anyone could compute: they are deleted here (a running flow starts over, an unsent confirmation
is not shown again; its case is filed all the same).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The columns that become encrypted, with their old length (bot/storage/crypto.py ENCRYPTED).
WIDENED = {
    "cases": {
        "recipient_person": 200,
        "when_text": 200,
        "where_text": 300,
        "evidence": 20,
        "reporter_name": 100,
        "reporter_channel": 40,
        "reporter_user_id": 255,
        "reporter_conversation_id": 255,
    },
    "gifts": {
        "employee_name": 100,
        "employee_channel": 40,
        "employee_user_id": 255,
        "giver": 200,
        "manager": 200,
        "decision_note": 500,
        "decided_by": 100,
    },
    "contact_requests": {
        "requester_name": 100,
        "requester_channel": 40,
        "requester_user_id": 255,
        "reach": 200,
        "note": 300,
        "handled_by": 100,
    },
}


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "keys",
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kid"),
    )
    # SQLite does not enforce a VARCHAR's length, so only PostgreSQL needs the wider type (and SQLite would have
    # to copy each table to change it).
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length=length))
    op.execute(sa.text("DELETE FROM flow_state"))


def downgrade() -> None:
    """Revert this migration; values encrypted since stay encrypted, which an older version cannot read."""
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(table, column, type_=sa.String(length=length), existing_type=sa.Text())
    op.drop_table("keys")
