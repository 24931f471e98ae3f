"""Delete old or requested member data.

    python -m bot.store.retention --days 90          # everything older than 90 days
    python -m bot.store.retention --code ECM-7KQ4MX  # one worksheet, by its code
    python -m bot.store.retention --sender sms:+15550100000   # one member's data, on request

"Older than N days" covers worksheets (with their answers), handoffs, safety
review flags and whole conversations in Rasa's tracker store whose last
message is older than that.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Dict, Optional

from sqlalchemy import create_engine, delete, inspect, text

from bot import settings as settings_module
from bot.store import session_scope, worksheets
from bot.store.models import Handoff, SafetyReview, Worksheet


def _tracker_delete(sql: str, params: dict, tracker_url: str) -> int:
    engine = create_engine(tracker_url, future=True)
    try:
        if "events" not in inspect(engine).get_table_names():
            return 0
        with engine.begin() as connection:
            return connection.execute(text(sql), params).rowcount or 0
    finally:
        engine.dispose()


def purge_older_than(days: int, tracker_url: Optional[str] = None) -> Dict[str, int]:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    counts = {}
    with session_scope() as session:
        counts["worksheets"] = session.execute(
            delete(Worksheet).where(Worksheet.created_at < cutoff)
        ).rowcount
        counts["handoffs"] = session.execute(
            delete(Handoff).where(Handoff.created_at < cutoff)
        ).rowcount
        counts["safety_reviews"] = session.execute(
            delete(SafetyReview).where(SafetyReview.created_at < cutoff)
        ).rowcount
    if tracker_url:
        counts["conversation_events"] = _tracker_delete(
            "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events "
            "GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)",
            {"cutoff": time.time() - days * 86400},
            tracker_url,
        )
    return counts


def purge_sender(sender_id: str, tracker_url: Optional[str] = None) -> Dict[str, int]:
    counts = {}
    with session_scope() as session:
        counts["worksheets"] = session.execute(
            delete(Worksheet).where(Worksheet.sender_id == sender_id)
        ).rowcount
        counts["handoffs"] = session.execute(
            delete(Handoff).where(Handoff.sender_id == sender_id)
        ).rowcount
        counts["safety_reviews"] = session.execute(
            delete(SafetyReview).where(SafetyReview.sender_id == sender_id)
        ).rowcount
    if tracker_url:
        counts["conversation_events"] = _tracker_delete(
            "DELETE FROM events WHERE sender_id = :sender", {"sender": sender_id}, tracker_url
        )
    return counts


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--days", type=int, help="delete data older than this many days")
    group.add_argument("--code", help="delete the worksheet with this reference code")
    group.add_argument("--sender", help="delete all data of one conversation id")
    args = parser.parse_args(argv)
    settings = settings_module.load()
    if args.days is not None:
        if args.days < 1:
            parser.error("--days must be 1 or more")
        counts = purge_older_than(args.days, settings.tracker_store_url)
    elif args.code:
        found = worksheets.delete_by_code(args.code)
        print("deleted" if found else "no worksheet with that code")
        return 0 if found else 1
    else:
        counts = purge_sender(args.sender, settings.tracker_store_url)
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
