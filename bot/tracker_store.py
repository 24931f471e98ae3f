"""Rasa's SQL tracker store, tuned for the embedded SQLite default.

Same tables and behaviour as Rasa's `SQLTrackerStore`; PostgreSQL URLs are used
as they are. With SQLite (one assistant process owns the file):

- one open connection per thread instead of one per query, with write-ahead
  logging and `synchronous=NORMAL`, so a turn's commit no longer waits for a
  full fsync of the journal;
- the tracker saved last for a conversation is kept in memory and handed back on
  the next retrieve instead of re-reading and replaying its events. A retrieve
  takes it out of the cache, and only a successful save puts it back, so a turn
  that fails half way is read again from the database. Rasa's lock store runs one
  turn per conversation at a time in this process.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import SingletonThreadPool

CACHE_SIZE = 2000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class ConversationStore(SQLTrackerStore):
    def __init__(
        self, domain: Optional[Any] = None, host: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        self._cache: Optional[OrderedDict[str, DialogueStateTracker]] = None
        if self.engine.dialect.name == "sqlite":
            # Rasa opens and closes an SQLite connection per query (NullPool); keep one
            # per thread open instead, with the pragmas set when it is made.
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(
                url, poolclass=SingletonThreadPool, connect_args={"check_same_thread": False}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sessionmaker(bind=self.engine)
            self._cache = OrderedDict()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        if self._cache is not None:
            cached = self._cache.pop(sender_id, None)
            if cached is not None:
                return cached
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if self._cache is not None:
            self._cache[tracker.sender_id] = tracker
            self._cache.move_to_end(tracker.sender_id)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
