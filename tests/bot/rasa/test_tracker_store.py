import json
import sqlite3

import pytest
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_store import ConversationStore
from bot.store import encryption, sealing

SENTINEL = "QZX-CONVERSATION-SENTINEL-7731"


@pytest.fixture(autouse=True)
def _key(encryption_key):
    return encryption_key


@pytest.fixture
def store(tmp_path):
    return ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")


async def test_sqlite_gets_write_ahead_logging(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:a")
    tracker.update(UserUttered("hello"))
    await store.save(tracker)
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_a_saved_tracker_comes_back_from_memory_and_from_disk(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:b")
    tracker.update(UserUttered("hello"))
    await store.save(tracker)
    assert await store.retrieve("rest:b") is tracker  # the cached object
    # taken out of the cache by that retrieve: the next one reads the database
    again = await store.retrieve("rest:b")
    assert again is not tracker
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hello"]
    # a fresh store (another process start) reads what was saved
    other = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    reread = await other.retrieve("rest:b")
    assert [e.text for e in reread.events if isinstance(e, UserUttered)] == ["hello"]


async def test_a_turn_that_failed_before_saving_is_read_from_the_database(store):
    tracker = await store.get_or_create_tracker("rest:c")
    tracker.update(UserUttered("saved"))
    await store.save(tracker)
    working = await store.retrieve("rest:c")
    working.update(UserUttered("never saved"))  # the turn fails here, no save
    fresh = await store.retrieve("rest:c")
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == ["saved"]


def _rows(tmp_path, sender):
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            )
        ]


async def test_another_process_writing_the_conversation_makes_the_kept_copy_stale(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:d")
    tracker.update(UserUttered("first"))
    await store.save(tracker)
    # a second server process takes the next turn of the same conversation
    other = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    theirs = await other.retrieve("rest:d")
    theirs.update(UserUttered("second, on the other process"))
    await other.save(theirs)
    ours = await store.retrieve("rest:d")
    assert ours is not tracker
    assert [e.text for e in ours.events if isinstance(e, UserUttered)] == [
        "first",
        "second, on the other process",
    ]


async def test_each_event_is_written_once_across_turns_and_a_new_session(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:e")
    tracker.update(UserUttered("one"))
    await store.save(tracker)
    expected = [e.type_name for e in tracker.events]
    for text in ("two", "three"):
        tracker = await store.retrieve("rest:e")  # the kept copy
        if text == "three":
            tracker.update(ActionExecuted("action_session_start"))
            tracker.update(SessionStarted())
        tracker.update(UserUttered(text))
        await store.save(tracker)
        await store.save(tracker)  # saving twice writes nothing new
        expected = [e.type_name for e in tracker.events]
    assert _rows(tmp_path, "rest:e") == expected
    # and a fresh read holds just the new session, as Rasa's store gives it
    other = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    reread = await other.retrieve("rest:e")
    assert [e.text for e in reread.events if isinstance(e, UserUttered)] == ["three"]


async def test_a_tracker_the_store_did_not_hand_out_is_saved_by_counting(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:f")
    tracker.update(UserUttered("hello"))
    await store.save(tracker)
    copy = DialogueStateTracker.from_dict("rest:f", [e.as_dict() for e in tracker.events])
    copy.update(UserUttered("again"))
    await store.save(copy)
    assert _rows(tmp_path, "rest:f") == [e.type_name for e in copy.events]


async def test_the_cache_keeps_only_the_most_recent_conversations(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    # endpoints.yml passes the size as text (${TRACKER_CACHE_SIZE})
    store = ConversationStore(domain=Domain.empty(), host=url, cache_size="2")
    trackers = {}
    for sender in ("rest:1", "rest:2", "rest:3"):
        trackers[sender] = await store.get_or_create_tracker(sender)
        trackers[sender].update(UserUttered(sender))
        await store.save(trackers[sender])
    assert await store.retrieve("rest:1") is not trackers["rest:1"]  # the oldest went
    assert await store.retrieve("rest:3") is trackers["rest:3"]
    off = ConversationStore(domain=Domain.empty(), host=url, cache_size=0)
    tracker = await off.retrieve("rest:2")
    tracker.update(UserUttered("again"))
    await off.save(tracker)
    again = await off.retrieve("rest:2")
    assert again is not tracker
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["rest:2", "again"]


def _all_bytes(folder) -> bytes:
    return b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file())


async def test_event_bodies_are_encrypted_and_the_index_columns_stay_plain(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:secret")
    tracker.update(
        UserUttered(f"my address is {SENTINEL}", intent={"name": "ask_cost", "confidence": 1})
    )
    await store.save(tracker)
    # tracker.db, its -wal and -shm: the member's words are in none of them
    assert SENTINEL.encode() not in _all_bytes(tmp_path)
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        rows = connection.execute(
            "SELECT type_name, intent_name, data FROM events WHERE type_name = 'user'"
        ).fetchall()
    assert rows[0][:2] == ("user", "ask_cost")
    assert rows[0][2].startswith("gAAAA")  # a Fernet token
    other = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    reread = await other.retrieve("rest:secret")
    assert reread.latest_message.text == f"my address is {SENTINEL}"


async def test_a_store_without_the_key_cannot_read(store, tmp_path, monkeypatch):
    tracker = await store.get_or_create_tracker("rest:locked")
    tracker.update(UserUttered("hello"))
    await store.save(tracker)
    monkeypatch.setenv("ENCRYPTION_KEYS", Fernet.generate_key().decode())
    other = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    with pytest.raises(encryption.UnknownKey):
        await other.retrieve("rest:locked")


async def test_rows_from_before_encryption_are_read_then_sealed(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:old")
    tracker.update(UserUttered(SENTINEL))
    await store.save(tracker)
    # as an older version wrote them: plain JSON bodies
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        for row_id, data in connection.execute("SELECT id, data FROM events").fetchall():
            body = json.loads(encryption.ring().decrypt(data.encode()))
            connection.execute(
                "UPDATE events SET data = ? WHERE id = ?", (json.dumps(body), row_id)
            )
    fresh = ConversationStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert (await fresh.retrieve("rest:old")).latest_message.text == SENTINEL
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert sealing.seal_plain_events(url) == len(tracker.events)
    assert sealing.seal_plain_events(url) == 0  # nothing left to do
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
    assert SENTINEL.encode() not in _all_bytes(tmp_path)
    again = ConversationStore(domain=Domain.empty(), host=url)
    assert (await again.retrieve("rest:old")).latest_message.text == SENTINEL


async def test_a_purge_of_old_events_elsewhere_makes_the_kept_copy_stale(store, tmp_path):
    tracker = await store.get_or_create_tracker("rest:purged")
    tracker.update(UserUttered("last year"))
    tracker.update(UserUttered("this week"))
    await store.save(tracker)
    with sqlite3.connect(tmp_path / "tracker.db") as connection:  # bot.store.retention's way
        connection.execute(
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE sender_id = ? "
            "ORDER BY id LIMIT 2)",
            ("rest:purged",),
        )
    again = await store.retrieve("rest:purged")
    assert again is not tracker
    assert len(again.events) == len(tracker.events) - 2


async def test_a_turn_whose_lock_was_lost_cannot_save(store, tmp_path):
    from bot.rasa import lock_store

    class LostLease:
        conversation_id = "rest:fenced"

        async def still_holds(self):
            return False  # another process took the conversation after our lock expired

    tracker = await store.get_or_create_tracker("rest:other")
    await store.save(tracker)  # another conversation: not fenced
    fenced = await store.get_or_create_tracker("rest:fenced")
    before = _rows(tmp_path, "rest:fenced")
    fenced.update(UserUttered("late"))
    token = lock_store.CURRENT_LEASE.set(LostLease())
    try:
        with pytest.raises(lock_store.LockError):
            await store.save(fenced)
    finally:
        lock_store.CURRENT_LEASE.reset(token)
    assert _rows(tmp_path, "rest:fenced") == before  # nothing of the late turn written
