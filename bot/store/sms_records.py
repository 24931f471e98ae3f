"""The SMS channel's records: delivered MessageSids (dedupe) and opt-outs by phone.

A MessageSid row carries a keyed reference to its conversation (never the phone
number; bot/store/sender_refs.py) so retention can delete it on a member's
request. Opt-outs are never purged by retention: the row is the legal record
that keeps us from texting the number, and it goes only when the member opts
back in (START).
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.store import sender_refs, session_scope
from bot.store.models import SmsMessage, SmsOptOut


def first_delivery(message_sid: str, sender_id: Optional[str] = None) -> bool:
    """Record the MessageSid; False if it was seen before (a unique key, so this holds
    across several server processes). `sender_id` (`sms:+1...`) is stored only as its
    keyed reference. Database errors propagate."""
    reference = sender_refs.current(sender_id) if sender_id else None
    try:
        with session_scope() as session:
            session.add(SmsMessage(message_sid=message_sid[:64], sender_ref=reference))
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
