"""worksheets, their encrypted answers, handoffs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worksheets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_worksheets_sender_id", "worksheets", ["sender_id"])
    op.create_index("ix_worksheets_created_at", "worksheets", ["created_at"])
    op.create_table(
        "worksheet_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "worksheet_id",
            sa.Integer(),
            sa.ForeignKey("worksheets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=True),
        sa.UniqueConstraint("worksheet_id", "question"),
    )
    op.create_index("ix_worksheet_answers_worksheet_id", "worksheet_answers", ["worksheet_id"])
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_handoffs_code", "handoffs", ["code"])
    op.create_index("ix_handoffs_sender_id", "handoffs", ["sender_id"])
    op.create_index("ix_handoffs_created_at", "handoffs", ["created_at"])


def downgrade() -> None:
    op.drop_table("handoffs")
    op.drop_table("worksheet_answers")
    op.drop_table("worksheets")
