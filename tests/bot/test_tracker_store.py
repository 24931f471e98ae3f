import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from bot.tracker_store import ConversationStore


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
