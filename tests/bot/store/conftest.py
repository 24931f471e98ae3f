"""Member data of every kind, at two ages, for two members: what retention works on."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Tuple

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.exc import OperationalError

from bot.store import reviews, session_scope, sms_records, worksheets
from bot.store.models import (
    Agent,
    AgentSession,
    AuditEvent,
    Handoff,
    RateLimit,
    SafetyReview,
    SmsMessage,
    SmsOptOut,
    Worksheet,
    WorksheetAnswer,
    WorksheetLookup,
)

MEMBER_PHONE = "+15550100000"
MEMBER = f"sms:{MEMBER_PHONE}"
OTHER = "web:0f3c9a5e"
OTHER_SMS = "sms:+15550100001"
SENTINEL = "RETENTION-SENTINEL-4411"
ANSWERS = {"ws_doctors": f"Dr. Lee {SENTINEL}", "ws_other_support": "rides"}
OLD_DAYS = 400
RECENT_DAYS = 10
DAY = 86400


@dataclass
class Seeded:
    tracker_path: Path
    tracker_url: str
    member_old: str  # worksheet codes
    member_new: str
    other_old: str
    other_new: str


def ago(days: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=days)


def make_tracker_db(path: Path, rows: List[Tuple[str, float, str]]) -> str:
    """Rasa's own `events` table (its SQLTrackerStore's table definition), rows (sender,
    age in days, type). `data` stands for an encrypted body that retention never needs."""
    from rasa.core.tracker_store import SQLTrackerStore

    engine = create_engine(f"sqlite:///{path}", future=True)
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    engine.dispose()
    now = time.time()
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (?, ?, ?, NULL, NULL, ?)",
            [
                (sender, kind, now - age * DAY, json.dumps({"text": SENTINEL}))
                for sender, age, kind in rows
            ],
        )
    connection.close()
    return f"sqlite:///{path}"


def events_left(path: Path) -> List[Tuple[str, int]]:
    """(sender, age in whole days) of every event still stored."""
    now = time.time()
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT sender_id, timestamp FROM events ORDER BY id").fetchall()
    finally:
        connection.close()
    return [(sender, int((now - stamp) // DAY)) for sender, stamp in rows]


def _age(session, model, column, where, days: float) -> None:
    session.execute(
        update(model)
        .where(where)
        .values({column: ago(days)})
        .execution_options(synchronize_session=False)
    )


def seed(tmp_path: Path) -> Seeded:
    member_old = worksheets.save(MEMBER, "twilio_sms", "en", ANSWERS, handoff=True)
    member_new = worksheets.save(MEMBER, "twilio_sms", "en", ANSWERS)
    other_old = worksheets.save(OTHER, "web", "en", ANSWERS)
    other_new = worksheets.save(OTHER, "web", "en", ANSWERS, handoff=True)
    for sender, channel in ((MEMBER, "twilio_sms"), (OTHER, "web")):
        reviews.flag(sender, channel, "crisis")
        reviews.flag(sender, channel, "urgent_need")
    for sid, sender in (
        ("SM-member-old", MEMBER),
        ("SM-member-new", MEMBER),
        ("SM-other-old", OTHER_SMS),
        ("SM-legacy-old", None),  # written before sender references existed
    ):
        assert sms_records.first_delivery(sid, sender)
    sms_records.opt_out(MEMBER_PHONE)
    with session_scope() as session:
        old_codes = (member_old, other_old)
        _age(session, Worksheet, "created_at", Worksheet.code.in_(old_codes), OLD_DAYS)
        _age(session, Handoff, "created_at", Handoff.code == member_old, OLD_DAYS)
        _age(session, SafetyReview, "created_at", SafetyReview.kind == "crisis", OLD_DAYS)
        _age(session, SmsMessage, "received_at", SmsMessage.message_sid.like("%-old"), OLD_DAYS)
        _age(session, SmsOptOut, "opted_out_at", SmsOptOut.phone == MEMBER_PHONE, OLD_DAYS)
        agent = Agent(username="agent1", password_hash="not-a-real-hash")
        session.add(agent)
        session.flush()
        session.add_all(
            [
                AgentSession(
                    token_hash="expired", agent_id=agent.id, csrf_token="c", expires_at=ago(1 / 24)
                ),
                AgentSession(
                    token_hash="valid", agent_id=agent.id, csrf_token="c", expires_at=ago(-1 / 24)
                ),
                WorksheetLookup(
                    agent_id=agent.id, code=member_old, found=True, looked_up_at=ago(OLD_DAYS)
                ),
                RateLimit(key="sign-in:spent", window_start=ago(2), count=5),
                RateLimit(key="sign-in:current", window_start=ago(1 / 96), count=2),
            ]
        )
    path = tmp_path / "tracker.db"
    url = make_tracker_db(
        path,
        [
            (MEMBER, OLD_DAYS, "session_started"),
            (MEMBER, OLD_DAYS, "user"),
            (MEMBER, RECENT_DAYS, "user"),  # a member who came back keeps only this
            (OTHER, OLD_DAYS, "user"),
            (OTHER, 0.5, "user"),
        ],
    )
    return Seeded(path, url, member_old, member_new, other_old, other_new)


@pytest.fixture
def seeded(database_url, encryption_key, tmp_path) -> Seeded:
    return seed(tmp_path)


def column_values(column) -> set:
    with session_scope() as session:
        return set(session.execute(select(column)).scalars())


def answer_count() -> int:
    with session_scope() as session:
        return len(session.execute(select(WorksheetAnswer.id)).scalars().all())


def audit_rows() -> List[AuditEvent]:
    with session_scope() as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())


def leaky_database_error() -> OperationalError:
    """A database error as SQLAlchemy makes them: statement and parameters in its text."""
    return OperationalError(
        f"events where sender_id = '{MEMBER}' -- {SENTINEL}",
        {"sender_id": MEMBER},
        Exception(f"database is locked {SENTINEL}"),
    )
