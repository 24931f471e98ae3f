"""With RETENTION_DAYS set, the running assistant purges old member data at start
(and daily): last year's messages of a member who is still texting are gone."""

import sqlite3
import time

import pytest

from tests.conftest import RunningAssistant

pytestmark = pytest.mark.server


def test_the_server_purges_old_events_at_start_and_audits_it(tmp_path):
    var_dir = tmp_path / "var"
    first = RunningAssistant(var_dir, tmp_path / "one.log")
    first.start()
    try:
        first.say("weekly", "how much does ecm cost")
    finally:
        first.stop()
    with sqlite3.connect(var_dir / "tracker.db") as connection:
        (before,) = connection.execute("SELECT count(*) FROM events").fetchone()
        # the member's first messages were a year ago
        connection.execute(
            "UPDATE events SET timestamp = timestamp - 400 * 86400 WHERE id IN "
            "(SELECT id FROM events ORDER BY id LIMIT 3)"
        )
    again = RunningAssistant(var_dir, tmp_path / "two.log", {"RETENTION_DAYS": "30"})
    again.start()
    try:
        assert "removed daily" in (tmp_path / "two.log").read_text()
        deadline = time.monotonic() + 30
        rows = []
        while time.monotonic() < deadline and not rows:
            with sqlite3.connect(var_dir / "ecm.db") as connection:
                rows = connection.execute(
                    "SELECT actor, action, result FROM audit_events"
                ).fetchall()
            time.sleep(0.5)
        assert ("retention-daily", "purge-days", "ok") in rows
        with sqlite3.connect(var_dir / "tracker.db") as connection:
            (after,) = connection.execute("SELECT count(*) FROM events").fetchone()
        assert after == before - 3
        assert again.say("weekly", "is it free?")  # the conversation goes on
    finally:
        again.stop()
