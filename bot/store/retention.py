"""Delete member data: what is older than N days, or one member's on request.

    python -m bot.store.retention --days 90          # everything older than 90 days
    python -m bot.store.retention --code ECM-7KQ4MX  # the member of this worksheet: all of it
    python -m bot.store.retention --sender sms:+15550100000   # one conversation id: all of it

What goes:
- conversation events in Rasa's tracker store (table `events`), each by its own
  time, so a member who texts every week still loses last year's messages. Only
  the plain columns (sender_id, timestamp) are used; the encrypted event bodies
  are never read;
- worksheets with their answers, handoffs, safety review flags;
- SMS MessageSid records: by age (received_at), and on request by their keyed
  sender reference (bot/store/sender_refs.py); rows written without one (before
  migration 0006, or with no ENCRYPTION_KEYS) go by age only;
- with --days, console sessions that have expired (housekeeping, not member data).

What stays:
- `sms_opt_outs`, by age and on request alike: an opt-out is the legal record
  that keeps us from texting a number that said STOP (47 CFR 64.1200); deleting
  it would let the next text go out. It holds the number and a time, nothing
  the member wrote, and goes only when the member texts START;
- `worksheet_lookups` and `audit_events`: staff audit (who looked up which code,
  what was purged), kept so reads and deletions of member data stay accountable.
  They hold no member content; a looked-up code points at nothing once its
  worksheet is gone.

--code finds the member by the worksheet's conversation id (or by a handoff
carrying the code, once the worksheet itself went by age) and then deletes as
--sender does, every worksheet of that conversation included.

Every run writes one `audit_events` row (bot/store/audit.py): actor, action
(purge-days, purge-code, purge-sender), ok or error, and counts plus the days
value; never the code or the conversation id. The tracker store may be another
database: its events go first, in a transaction of their own; then the
application's rows and the audit row commit together. A run that fails half way
can simply be run again (for --code, the worksheet that leads to the member is
still there). The server runs the age purge daily itself when RETENTION_DAYS is
above 0 (bot/store/retention_schedule.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import column, create_engine, delete, inspect, or_, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot import settings as settings_module
from bot import worksheet
from bot.store import audit, sender_refs, session_scope
from bot.store.models import (
    AgentSession,
    Handoff,
    RateLimit,
    SafetyReview,
    SmsMessage,
    Worksheet,
    WorksheetAnswer,
)

logger = logging.getLogger(__name__)

CLI_ACTOR = "retention-cli"
PURGE_DAYS = "purge-days"
PURGE_CODE = "purge-code"
PURGE_SENDER = "purge-sender"
EVENTS = "conversation_events"
SENDER_MAX = 128  # the width of the sender_id columns (longer ids are stored cut)

# Rasa's tracker table, its plain columns only (`data` is encrypted: never read here)
_events = table("events", column("sender_id"), column("timestamp"))

Counts = Dict[str, int]


def _delete_events(tracker_url: str, where: ColumnElement) -> int:
    """Delete tracker events matching `where` in one transaction; 0 if there is no table
    (nor, for SQLite, a file: none is created)."""
    url = make_url(tracker_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).exists():
            return 0
    connect_args = {"timeout": 15} if url.get_backend_name() == "sqlite" else {}
    engine = create_engine(tracker_url, future=True, connect_args=connect_args)
    try:
        if "events" not in inspect(engine).get_table_names():
            return 0
        with engine.begin() as connection:
            return connection.execute(delete(_events).where(where)).rowcount or 0
    finally:
        engine.dispose()


def _run(session: Session, statements: Sequence[Tuple[str, Any]]) -> Counts:
    """Execute bulk deletes in order (answers before their worksheets), counting rows."""
    counts = {}
    for name, statement in statements:
        if statement is None:
            counts[name] = 0
            continue
        result = session.execute(statement.execution_options(synchronize_session=False))
        counts[name] = result.rowcount or 0
    return counts


def summary(counts: Counts) -> str:
    return ", ".join(f"{name}: {n}" for name, n in counts.items())


def _audited(
    actor: str,
    action: str,
    extra: Dict[str, Any],
    tracker_url: Optional[str],
    events_where: Optional[ColumnElement],
    app_work: Callable[[Session], Counts],
) -> Counts:
    """Tracker events first, then the application's rows with their audit row."""
    counts: Counts = {}
    try:
        if tracker_url and events_where is not None:
            counts[EVENTS] = _delete_events(tracker_url, events_where)
        with session_scope() as session:
            counts.update(app_work(session))
            audit.add(session, actor, action, audit.OK, {**extra, "counts": counts})
    except Exception as error:
        _failed(actor, action, {**extra, "counts": counts}, error)
        raise
    logger.info("retention: %s by %s removed %s", action, actor, summary(counts) or "nothing")
    return counts


def _failed(actor: str, action: str, details: Dict[str, Any], error: BaseException) -> None:
    """Log and audit a failure by the error's type only (its text can hold SQL parameters)."""
    kind = type(error).__name__
    logger.error("retention: %s by %s failed (%s)", action, actor, kind)
    audit.record(actor, action, audit.ERROR, {**details, "error": kind})


def purge_older_than(
    days: int,
    tracker_url: Optional[str] = None,
    actor: str = CLI_ACTOR,
    now: Optional[datetime] = None,
) -> Counts:
    """Delete member data older than `days` days (see the module's docstring)."""
    if days < 1:
        raise ValueError("days must be 1 or more")
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=days)
    day_ago = now - timedelta(days=1)

    def work(session: Session) -> Counts:
        old = select(Worksheet.id).where(Worksheet.created_at < cutoff)
        return _run(
            session,
            [
                (
                    "worksheet_answers",
                    delete(WorksheetAnswer).where(WorksheetAnswer.worksheet_id.in_(old)),
                ),
                ("worksheets", delete(Worksheet).where(Worksheet.created_at < cutoff)),
                ("handoffs", delete(Handoff).where(Handoff.created_at < cutoff)),
                ("safety_reviews", delete(SafetyReview).where(SafetyReview.created_at < cutoff)),
                ("sms_messages", delete(SmsMessage).where(SmsMessage.received_at < cutoff)),
                (
                    "expired_agent_sessions",
                    delete(AgentSession).where(AgentSession.expires_at < now),
                ),
                # sign-in and look-up counters live minutes; a day-old window is spent
                ("spent_rate_limits", delete(RateLimit).where(RateLimit.window_start < day_ago)),
            ],
        )

    events_where = _events.c.timestamp < cutoff.timestamp()
    return _audited(actor, PURGE_DAYS, {"days": days}, tracker_url, events_where, work)


def _senders_work(senders: List[str], codes: List[str]) -> Callable[[Session], Counts]:
    def work(session: Session) -> Counts:
        theirs = select(Worksheet.id).where(Worksheet.sender_id.in_(senders))
        all_codes = list(codes) + list(
            session.execute(select(Worksheet.code).where(Worksheet.sender_id.in_(senders)))
            .scalars()
            .all()
        )
        refs = [ref for sender in senders for ref in sender_refs.every_ref(sender)]
        if not refs:
            logger.warning("retention: no ENCRYPTION_KEYS, SMS records go by age only")
        handoffs = or_(Handoff.sender_id.in_(senders), Handoff.code.in_(all_codes))
        return _run(
            session,
            [
                (
                    "worksheet_answers",
                    delete(WorksheetAnswer).where(WorksheetAnswer.worksheet_id.in_(theirs)),
                ),
                ("worksheets", delete(Worksheet).where(Worksheet.sender_id.in_(senders))),
                ("handoffs", delete(Handoff).where(handoffs)),
                ("safety_reviews", delete(SafetyReview).where(SafetyReview.sender_id.in_(senders))),
                (
                    "sms_messages",
                    delete(SmsMessage).where(SmsMessage.sender_ref.in_(refs)) if refs else None,
                ),
            ],
        )

    return work


def purge_sender(
    sender_id: str, tracker_url: Optional[str] = None, actor: str = CLI_ACTOR
) -> Counts:
    """Delete everything of one conversation id (a member's request); opt-outs stay."""
    senders = sorted({sender_id, sender_id[:SENDER_MAX]})
    events_where = _events.c.sender_id.in_(senders)
    work = _senders_work(senders, [])
    return _audited(actor, PURGE_SENDER, {}, tracker_url, events_where, work)


def _senders_of(code: str) -> List[str]:
    """The conversation ids that saved a worksheet or were handed off with `code`."""
    found = set()
    with session_scope() as session:
        for model in (Worksheet, Handoff):
            query = select(model.sender_id).where(model.code == code)
            found.update(session.execute(query).scalars())
    return sorted(found)


def purge_code(
    code: str, tracker_url: Optional[str] = None, actor: str = CLI_ACTOR
) -> Optional[Counts]:
    """Delete everything of the member who saved worksheet `code`; None if no row has it."""
    normalized = worksheet.normalize_code(code)
    try:
        senders = _senders_of(normalized) if normalized is not None else []
    except Exception as error:
        _failed(actor, PURGE_CODE, {}, error)
        raise
    if normalized is None or not senders:
        audit.record(actor, PURGE_CODE, audit.OK, {"found": False, "counts": {}})
        return None
    events_where = _events.c.sender_id.in_(senders)
    work = _senders_work(senders, [normalized])
    return _audited(actor, PURGE_CODE, {"found": True}, tracker_url, events_where, work)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--days", type=int, help="delete member data older than this many days")
    group.add_argument("--code", help="delete all data of the member with this worksheet code")
    group.add_argument("--sender", help="delete all data of one conversation id (sms:+1...)")
    return parser


def main(argv: Optional[list] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 1:
        parser.error("--days must be 1 or more")
    settings = settings_module.load()
    try:
        if args.days is not None:
            counts = purge_older_than(args.days, settings.tracker_store_url)
        elif args.code is not None:
            found = purge_code(args.code, settings.tracker_store_url)
            if found is None:
                print("no worksheet with that code")
                return 1
            counts = found
        else:
            counts = purge_sender(args.sender, settings.tracker_store_url)
    except Exception as error:  # noqa: BLE001 - a traceback would print SQL parameters
        print(f"retention failed: {type(error).__name__} (see audit_events)", file=sys.stderr)
        return 1
    print(summary(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
