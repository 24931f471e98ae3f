"""The SMS channel's records: delivered MessageSids (dedupe) and opt-outs by phone."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.store import session_scope
from bot.store.models import SmsMessage, SmsOptOut


def first_delivery(message_sid: str) -> bool:
    """Record the MessageSid; False if it was seen before (a unique key, so this holds
    across several server processes). Database errors propagate."""
    try:
        with session_scope() as session:
            session.add(SmsMessage(message_sid=message_sid[:64]))
        return True
    except IntegrityError:
        return False


def is_opted_out(phone: str) -> bool:
    with session_scope() as session:
        return (
            session.execute(select(SmsOptOut.phone).where(SmsOptOut.phone == phone)).first()
            is not None
        )


def opt_out(phone: str) -> None:
    with session_scope() as session:
        if session.get(SmsOptOut, phone) is None:
            session.add(SmsOptOut(phone=phone[:32]))


def opt_in(phone: str) -> None:
    with session_scope() as session:
        session.execute(delete(SmsOptOut).where(SmsOptOut.phone == phone))
