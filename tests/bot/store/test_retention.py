import sqlite3
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.store import retention, session_scope, worksheets
from bot.store.models import Worksheet

ANSWERS = {"ws_doctors": "Dr. Lee"}


def make_tracker_db(path, rows):
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, data TEXT)"
        )
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
            rows,
        )


def test_purge_older_than(database_url, encryption_key, tmp_path):
    old = worksheets.save("rest:old", "rest", "en", ANSWERS)
    new = worksheets.save("rest:new", "rest", "en", ANSWERS)
    with session_scope() as session:
        session.execute(
            update(Worksheet)
            .where(Worksheet.code == old)
            .values(created_at=datetime.now(timezone.utc) - timedelta(days=40))
        )
    tracker = tmp_path / "tracker.db"
    now = time.time()
    make_tracker_db(
        tracker,
        [
            ("rest:old", now - 40 * 86400),
            ("rest:old", now - 39 * 86400),
            ("rest:mixed", now - 40 * 86400),
            ("rest:mixed", now),
        ],
    )
    counts = retention.purge_older_than(30, f"sqlite:///{tracker}")
    assert counts["worksheets"] == 1 and counts["conversation_events"] == 2
    assert worksheets.load(old) is None and worksheets.load(new) is not None
    with sqlite3.connect(tracker) as connection:
        left = {r[0] for r in connection.execute("SELECT sender_id FROM events")}
    assert left == {"rest:mixed"}  # a conversation still in use is kept whole


def test_purge_sender(database_url, encryption_key, tmp_path):
    code = worksheets.save("sms:+15550100000", "twilio_sms", "en", ANSWERS)
    tracker = tmp_path / "tracker.db"
    make_tracker_db(tracker, [("sms:+15550100000", time.time()), ("rest:x", time.time())])
    counts = retention.purge_sender("sms:+15550100000", f"sqlite:///{tracker}")
    assert counts == {"worksheets": 1, "handoffs": 0, "safety_reviews": 0, "conversation_events": 1}
    assert worksheets.load(code) is None


def test_command_line_delete_by_code(database_url, encryption_key, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    code = worksheets.save("rest:a", "rest", "en", ANSWERS)
    assert retention.main(["--code", code]) == 0
    assert retention.main(["--code", code]) == 1
    assert "no worksheet with that code" in capsys.readouterr().out
