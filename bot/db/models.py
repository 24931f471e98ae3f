"""Tables the application owns (Rasa's tracker store keeps its own)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SafetyReview(Base):
    """A conversation the safety screen flagged for staff review.

    Holds the kind of alarm and where it came from, never the member's words.
    """

    __tablename__ = "safety_reviews"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    kind = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    reviewed_at = Column(DateTime(timezone=True), nullable=True)
