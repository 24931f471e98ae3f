"""safety reviews

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_safety_reviews_sender_id", "safety_reviews", ["sender_id"])
    op.create_index("ix_safety_reviews_created_at", "safety_reviews", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_safety_reviews_created_at", table_name="safety_reviews")
    op.drop_index("ix_safety_reviews_sender_id", table_name="safety_reviews")
    op.drop_table("safety_reviews")
