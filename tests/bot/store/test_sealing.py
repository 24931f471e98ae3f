"""The walk over encrypted columns: counts, a missing table, plain rows sealed."""

import sqlite3

from cryptography.fernet import Fernet

from bot.store import encryption, sealing, worksheets


def test_a_table_that_does_not_exist_yet_is_nothing_to_do(tmp_path, encryption_key):
    place = sealing.places("sqlite://", f"sqlite:///{tmp_path / 'none.db'}")[0]
    assert sealing.count(place) is None
    assert sealing.walk(place, "rotate").rows == 0


def test_worksheet_answers_rotate_and_check(database_url, encryption_key, monkeypatch):
    code = worksheets.save("rest:a", "rest", "en", {"ws_doctors": "Dr. Lee"})
    place = sealing.places(database_url, "sqlite://")[1]
    assert sealing.count(place) == 1
    assert sealing.walk(place, "check").current == 1
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},{encryption_key}")
    checked = sealing.walk(place, "check")
    assert checked.rotated == 1 and checked.current == 0  # readable, not yet rotated
    assert sealing.walk(place, "rotate").rotated == 1
    assert sealing.walk(place, "check").current == 1
    assert worksheets.load(code).answers["ws_doctors"] == "Dr. Lee"


def test_plain_event_bodies_are_sealed_only_once(tmp_path, encryption_key):
    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT)")
        connection.executemany(
            "INSERT INTO events (data) VALUES (?)", [('{"text": "plain"}',), (None,)]
        )
    url = f"sqlite:///{path}"
    assert sealing.seal_plain_events(url) == 1
    assert sealing.seal_plain_events(url) == 0
    with sqlite3.connect(path) as connection:
        stored = connection.execute("SELECT data FROM events WHERE id = 1").fetchone()[0]
    assert encryption.ring().decrypt(stored.encode()) == b'{"text": "plain"}'
    line = sealing.walk(sealing.places("sqlite://", url)[0], "check").line("events")
    assert line.startswith("events: 1 rows") and "1 already under the newest key" in line
