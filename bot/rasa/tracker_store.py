"""Rasa's SQL tracker store, with a checked in-memory copy of each conversation.

Same tables, rows and behaviour as Rasa's `SQLTrackerStore`, for SQLite and
PostgreSQL alike. What changes is the cost of a turn:

- **No replay on retrieve.** The tracker saved last for each of the most recent
  conversations (TRACKER_CACHE_SIZE of them) is kept in memory together with the
  id of the last event row written for it. A retrieve asks the database for the
  conversation's newest event id (one indexed query) and hands the kept tracker
  back if nothing was written since; otherwise (another server process took a
  turn, a tracker was edited through the HTTP API, the copy was evicted) it reads
  and replays the events as Rasa does. So any number of server processes can
  share the database, as long as they share a lock store (Rasa's rule for more
  than one process anyway).
- **No count on save.** Rasa counts the conversation's stored events on every save
  to find the new ones. A tracker this store handed out carries how many of its
  events are stored, so a save writes the rest without asking, in one
  multi-row insert (SQLAlchemy Core, statements built once) instead of the ORM.
- **SQLite:** one open connection per thread instead of one per query, with
  write-ahead logging and `synchronous=NORMAL`, so a turn's commit does not wait
  for a full fsync of the journal.

A retrieve takes the copy out of the cache, and only a successful save puts it
back, so a turn that fails half way is read again from the database. The copy
is also checked against the conversation's oldest event id, so a retention
purge of old events (another process) is seen too.

**Encrypted at rest.** Each event's body (`data`: member and bot texts, slot
values, metadata) is written as a Fernet token under the newest key of
ENCRYPTION_KEYS (`bot/store/encryption.py`); what must stay queryable
(conversation id, event type, timestamp, intent and action names) stays in
plain columns. Rows written before encryption (plain JSON) are still read, and
`bot.store.sealing` (run by `make run` at start and by `python -m bot.keys
rotate`) encrypts them. Rasa and the in-memory copy see plaintext as before.
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from typing import Any, List, NamedTuple, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from bot.rasa import lock_store
from bot.store import encryption

DEFAULT_CACHE_SIZE = 500  # TRACKER_CACHE_SIZE; about 0.3 MB per 16-message conversation
# Set on trackers this store hands out: how many of tracker.events are in the database.
STORED_ATTRIBUTE = "_ecm_stored_events"


class _Kept(NamedTuple):
    tracker: DialogueStateTracker
    marks: Tuple[Optional[int], Optional[int]]  # (newest, oldest) event id when saved


def seal(ring: encryption.KeyRing, data: dict) -> str:
    """An event's body as stored: a Fernet token (ASCII) of its JSON."""
    return ring.encrypt(json.dumps(data).encode("utf-8")).decode("ascii")


def unseal(ring: encryption.KeyRing, stored: str) -> dict:
    """An event's body from its stored form (a token, or plain JSON from before)."""
    if stored.startswith("{"):
        return json.loads(stored)
    return json.loads(ring.decrypt(stored.encode("ascii")))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class ConversationStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Any] = None,
        host: Optional[str] = None,
        cache_size: Any = DEFAULT_CACHE_SIZE,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        self._ring = encryption.ring()
        self._cache: OrderedDict[str, _Kept] = OrderedDict()
        self._cache_size = int(cache_size)  # endpoints.yml passes it as text
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
        # Built once: SQLAlchemy Core statements, no ORM unit of work per turn.
        table = self.SQLEvent.__table__
        self._insert = table.insert()
        # two scalar subqueries, not max() and min() in one: each then reads one end of
        # the sender_id index (SQLite's min/max optimization takes a single aggregate)
        mine = table.c.sender_id == sa.bindparam("sender_id")
        self._marks_query = sa.select(
            sa.select(sa.func.max(table.c.id)).where(mine).scalar_subquery(),
            sa.select(sa.func.min(table.c.id)).where(mine).scalar_subquery(),
        )

    def _marks(self, connection: Any, sender_id: str) -> Tuple[Optional[int], Optional[int]]:
        newest, oldest = connection.execute(self._marks_query, {"sender_id": sender_id}).one()
        return newest, oldest

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        kept = self._cache.pop(sender_id, None)
        if kept is not None:
            with self.engine.connect() as connection:
                current = kept.marks == self._marks(connection, sender_id)
            if current:
                return kept.tracker
        tracker = await self._retrieve(sender_id, fetch_events_from_all_sessions=False)
        if tracker is not None:
            setattr(tracker, STORED_ATTRIBUTE, len(tracker.events))
        return tracker

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Rasa's `_retrieve`, decrypting each event's body."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [unseal(self._ring, row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _unsaved_events(self, tracker: DialogueStateTracker) -> List[Any]:
        stored = getattr(tracker, STORED_ATTRIBUTE, None)
        if stored is None or stored > len(tracker.events):
            # A tracker this store did not hand out: Rasa's own count.
            with self.session_scope() as session:
                return list(self._additional_events(session, tracker))
        return list(itertools.islice(tracker.events, stored, None))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (broker first, then the new event rows), keeping the tracker.

        Refused when this turn held the conversation's Redis lock and lost it
        (`bot/rasa/lock_store.py` fencing): another process has the conversation now."""
        if not await lock_store.still_holding(tracker.sender_id):
            raise lock_store.LockError("the conversation's lock was lost: save refused")
        await self.stream_events(tracker)
        rows = []
        for new_event in self._unsaved_events(tracker):
            data = new_event.as_dict()
            rows.append(
                {
                    "sender_id": tracker.sender_id,
                    "type_name": new_event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {})
                    .get("intent", {})
                    .get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": seal(self._ring, data),
                }
            )
        with self.engine.begin() as connection:
            if rows:
                connection.execute(self._insert, rows)
            if self._cache_size > 0:
                marks = self._marks(connection, tracker.sender_id)
        setattr(tracker, STORED_ATTRIBUTE, len(tracker.events))
        if self._cache_size <= 0:
            return
        self._cache[tracker.sender_id] = _Kept(tracker, marks)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
