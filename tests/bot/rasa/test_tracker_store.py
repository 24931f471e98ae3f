import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_store import ConversationStore


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
