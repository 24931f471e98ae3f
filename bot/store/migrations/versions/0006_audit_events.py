"""audit_events (a general audit log); sms_messages.sender_ref (keyed HMAC of the sender)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    # batch mode: SQLite's ALTER TABLE is limited (the same habit as 0005)
    with op.batch_alter_table("sms_messages") as batch:
        batch.add_column(sa.Column("sender_ref", sa.String(64), nullable=True))
        batch.create_index("ix_sms_messages_sender_ref", ["sender_ref"])


def downgrade() -> None:
    with op.batch_alter_table("sms_messages") as batch:
        batch.drop_index("ix_sms_messages_sender_ref")
        batch.drop_column("sender_ref")
    op.drop_index("ix_audit_events_action", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
