"""Conversations the safety screen flagged, for staff to review."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot import safety
from bot.store import session_scope
from bot.store.models import SafetyReview

logger = logging.getLogger(__name__)


def flag(sender_id: str, channel: str, kind: str) -> bool:
    """Record that this conversation needs a staff review. Never raises.

    Returns False if the database could not take it (the member's reply must
    not wait on, or fail with, the database); the failure is logged without
    any member text.
    """
    if kind not in safety.KINDS:
        raise ValueError(f"unknown safety kind {kind!r}")
    try:
        with session_scope() as session:
            session.add(
                SafetyReview(
                    sender_id=sender_id[:128], channel=(channel or "unknown")[:32], kind=kind
                )
            )
        return True
    except SQLAlchemyError as error:
        logger.error(
            "safety review could not be recorded (%s, %s): %s", kind, channel, type(error).__name__
        )
        return False
