"""python -m bot.keys: create, rotate (resumable, unknown keys reported) and check."""

import sqlite3

import pytest
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from bot import keys
from bot.rasa.tracker_store import ConversationStore, seal
from bot.store import encryption, sealing, worksheets

ANSWERS = {"ws_doctors": "Dr. Lee", "ws_community_orgs": "a shelter"}


@pytest.fixture
def stores(tmp_path, monkeypatch, database_url):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv("ENCRYPTION_KEYS", old)
    monkeypatch.setenv("DATABASE_URL", database_url)
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    return old, tracker_url


async def _conversation(tracker_url: str, sender: str, text: str) -> None:
    store = ConversationStore(domain=Domain.empty(), host=tracker_url)
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text))
    await store.save(tracker)
    store.engine.dispose()


def _insert_many(tracker_url: str, ring: encryption.KeyRing, count: int) -> None:
    path = tracker_url[len("sqlite:///") :]
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', 0, ?)",
            [(f"rest:bulk{i % 50}", seal(ring, {"event": "user", "text": f"t{i}"}))
             for i in range(count)],
        )


def test_create_prints_a_working_key_that_is_not_a_development_key(capsys):
    assert keys.main(["create"]) == 0
    key = capsys.readouterr().out.strip()
    Fernet(key.encode())
    assert not encryption.is_development_key(key)
    assert encryption.is_development_key(encryption.new_key(development=True))


async def test_rotate_re_encrypts_everything_then_the_old_key_can_go(stores, monkeypatch, capsys):
    old, tracker_url = stores
    await _conversation(tracker_url, "rest:member", "hello")
    _insert_many(tracker_url, encryption.ring(), 1200)
    code = worksheets.save("rest:member", "rest", "en", ANSWERS)
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{new},{old}")
    assert keys.main(["check", "--no-progress"]) == 0
    assert keys.main(["rotate", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "conversation events: 120" in out and "0 under an unknown key" in out
    assert keys.main(["rotate", "--no-progress"]) == 0  # again: nothing left to do
    assert "0 re-encrypted" in capsys.readouterr().out
    monkeypatch.setenv("ENCRYPTION_KEYS", new)  # the old key is gone
    assert keys.main(["check", "--no-progress"]) == 0
    answers = worksheets.load(code).answers
    assert {k: v for k, v in answers.items() if v is not None} == ANSWERS
    store = ConversationStore(domain=Domain.empty(), host=tracker_url)
    assert (await store.retrieve("rest:member")).latest_message.text == "hello"


async def test_a_row_under_an_unknown_key_is_reported_and_kept(stores, monkeypatch, capsys):
    old, tracker_url = stores
    await _conversation(tracker_url, "rest:member", "hello")
    stranger = encryption.KeyRing([Fernet.generate_key().decode()])
    _insert_many(tracker_url, stranger, 1)
    path = tracker_url[len("sqlite:///") :]
    with sqlite3.connect(path) as connection:
        row_id, before = connection.execute("SELECT id, data FROM events ORDER BY id DESC").fetchone()
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},{old}")
    assert keys.main(["rotate", "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert f"1 under an unknown key (ids {row_id})" in captured.out
    assert "open with none of the 2 configured keys" in captured.err
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT data FROM events WHERE id = ?", (row_id,)).fetchone()[0] == before
    assert keys.main(["check", "--no-progress"]) == 1


async def test_an_interrupted_rotation_goes_on_where_it_stopped(stores, monkeypatch):
    old, tracker_url = stores
    await _conversation(tracker_url, "rest:member", "hello")
    _insert_many(tracker_url, encryption.ring(), sealing.BATCH * 3)
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},{old}")
    place = sealing.places("sqlite://", tracker_url)[0]

    def stop_after_first(_rows):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sealing.walk(place, "rotate", on_batch=stop_after_first)
    tally = sealing.walk(place, "rotate")
    assert tally.current == sealing.BATCH  # the first batch was saved before the stop
    assert tally.rotated == tally.rows - sealing.BATCH and tally.unknown == 0


def test_rotate_without_keys_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    monkeypatch.setenv("ECM_DEV_SECRETS_DIR", str(tmp_path / "none"))
    assert keys.main(["rotate"]) == 2
    assert "ENCRYPTION_KEYS is not set" in capsys.readouterr().err
