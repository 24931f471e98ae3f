"""console: agents.role (existing accounts become `agent`), agent_sessions.last_seen_at
(idle timeout), audit_events.client_address, rate_limits (atomic counters)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite's ALTER TABLE is limited (the same habit as 0005 and 0006).
    # Every existing account gets the least privilege, `agent`; a supervisor is made
    # on purpose (`python -m bot.agents role NAME supervisor`).
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="agent"))
    with op.batch_alter_table("agent_sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("client_address", sa.String(64), nullable=True))
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("client_address")
    with op.batch_alter_table("agent_sessions") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("role")
