"""drop columns nothing reads or sets: safety_reviews.reviewed_at, agents.is_admin

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot drop a column in place before 3.35
    with op.batch_alter_table("safety_reviews") as batch:
        batch.drop_column("reviewed_at")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("is_admin")


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("safety_reviews") as batch:
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
