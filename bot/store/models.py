"""Tables the application owns (Rasa's tracker store keeps its own)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

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


class Worksheet(Base):
    """A member's confirmed worksheet. Answers are encrypted (bot/store/encryption.py)."""

    __tablename__ = "worksheets"

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, unique=True)
    sender_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False, default="en")
    complete = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    answers = relationship(
        "WorksheetAnswer", cascade="all, delete-orphan", order_by="WorksheetAnswer.position"
    )


class WorksheetAnswer(Base):
    __tablename__ = "worksheet_answers"
    __table_args__ = (UniqueConstraint("worksheet_id", "question"),)

    id = Column(Integer, primary_key=True)
    worksheet_id = Column(
        Integer, ForeignKey("worksheets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    question = Column(String(32), nullable=False)
    position = Column(Integer, nullable=False)
    skipped = Column(Boolean, nullable=False, default=False)
    ciphertext = Column(LargeBinary, nullable=True)


class Handoff(Base):
    """A member sent to Health Net's line: with the worksheet code when there is one."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=True, index=True)
    sender_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class SmsMessage(Base):
    """Every Twilio MessageSid seen once: a second delivery is neither answered nor processed.

    `sender_ref` ties the record to its conversation without the phone number: a
    keyed HMAC of the sender id (bot/store/sender_refs.py), so a member's data
    request can delete it. NULL for rows recorded without one.
    """

    __tablename__ = "sms_messages"

    message_sid = Column(String(64), primary_key=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    sender_ref = Column(String(64), nullable=True, index=True)


class SmsOptOut(Base):
    """Phone numbers that texted STOP (or the like): nothing is sent to them until START."""

    __tablename__ = "sms_opt_outs"

    phone = Column(String(32), primary_key=True)
    opted_out_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Agent(Base):
    """A call-center agent who may use the console. Passwords: argon2 hashes only."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    disabled = Column(Boolean, nullable=False, default=False)
    role = Column(String(16), nullable=False, default="agent", server_default="agent")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AgentSession(Base):
    """A signed-in console session; the cookie holds the token, we keep its hash."""

    __tablename__ = "agent_sessions"

    token_hash = Column(String(64), primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)  # absolute end
    last_seen_at = Column(DateTime(timezone=True), nullable=True)  # for the idle timeout


class WorksheetLookup(Base):
    """The old look-up log (until migration 0007); new look-ups go to `audit_events`."""

    __tablename__ = "worksheet_lookups"

    id = Column(Integer, primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    code = Column(String(32), nullable=False)
    found = Column(Boolean, nullable=False)
    looked_up_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class AuditEvent(Base):
    """The general audit log: who (actor) did what (action), when, with what result.

    `details` is JSON text of counts and settings (bot/store/audit.py), never member
    content, codes or conversation ids in clear.
    """

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(64), nullable=False, index=True)
    result = Column(String(16), nullable=False)
    details = Column(Text, nullable=False, default="{}")
    client_address = Column(String(64), nullable=True)  # console events: where from


class RateLimit(Base):
    """A counter per key (`sign-in:name:<hash>`, `lookup:<agent id>`) in a fixed window.

    Changed only by single conditional statements (bot/store/agents.py `take`), so
    parallel requests cannot pass the limit.
    """

    __tablename__ = "rate_limits"

    key = Column(String(128), primary_key=True)
    window_start = Column(DateTime(timezone=True), nullable=False)
    count = Column(Integer, nullable=False)
