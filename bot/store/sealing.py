"""Walk every encrypted value at rest: seal plain rows, rotate to the newest key, check.

Member data sits encrypted in two places:
- Rasa's tracker store: `events.data`, a Fernet token as text (plain JSON in
  rows written before encryption, until they are sealed);
- the application database: `worksheet_answers.ciphertext`, a token as bytes.

The walk goes through a table in id order, a batch per transaction, so it can
run while the assistant answers (rows are never changed after they are
written, except by this walk) and an interrupted run is simply started again:
rows already under the newest key are skipped. A row no configured key opens
is counted and reported by id, never dropped or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, List, Optional

import sqlalchemy as sa

from bot.store import encryption
from bot.store.encryption import KeyRing, UnknownKey

BATCH = 500
REPORTED_IDS = 20  # unknown-key rows named in a report; the count is always whole


@dataclass(frozen=True)
class Place:
    """One column of encrypted values."""

    label: str
    url: str
    table: str
    column: str
    binary: bool  # bytes (LargeBinary) rather than ASCII text


@dataclass
class Tally:
    rows: int = 0
    sealed: int = 0  # plain text that is now encrypted
    rotated: int = 0  # re-encrypted under the newest key
    current: int = 0  # already under the newest key
    unknown: int = 0  # under no configured key
    unknown_ids: List[int] = field(default_factory=list)

    def line(self, label: str) -> str:
        text = (
            f"{label}: {self.rows} rows, {self.rotated} re-encrypted, {self.sealed} encrypted "
            f"from plain text, {self.current} already under the newest key, "
            f"{self.unknown} under an unknown key"
        )
        if self.unknown_ids:
            more = " ..." if self.unknown > len(self.unknown_ids) else ""
            text += f" (ids {', '.join(map(str, self.unknown_ids))}{more})"
        return text


def places(database_url: str, tracker_store_url: str) -> List[Place]:
    return [
        Place("conversation events", tracker_store_url, "events", "data", binary=False),
        Place("worksheet answers", database_url, "worksheet_answers", "ciphertext", binary=True),
    ]


def _engine(url: str) -> sa.engine.Engine:
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    return sa.create_engine(url, future=True, connect_args=connect_args)


def count(place: Place) -> Optional[int]:
    """Rows holding a value, or None when the table does not exist (yet)."""
    engine = _engine(place.url)
    try:
        if place.table not in sa.inspect(engine).get_table_names():
            return None
        table = sa.table(place.table, sa.column("id"), sa.column(place.column))
        query = sa.select(sa.func.count()).select_from(table)
        with engine.connect() as connection:
            return connection.execute(query.where(table.c[place.column].isnot(None))).scalar()
    finally:
        engine.dispose()


def _batches(connection: sa.engine.Connection, place: Place, plain_only: bool) -> Iterator[list]:
    table = sa.table(place.table, sa.column("id"), sa.column(place.column))
    value = table.c[place.column]
    last = -1
    while True:
        query = sa.select(table.c.id, value).where(table.c.id > last, value.isnot(None))
        if plain_only:
            query = query.where(value.like("{%"))
        rows = connection.execute(query.order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _token(place: Place, stored: object) -> bytes:
    return bytes(stored) if place.binary else str(stored).encode("ascii")


def _new_value(place: Place, ring: KeyRing, stored: object, tally: Tally, mode: str) -> object:
    """The value to write back, or None to leave the row as it is."""
    if not place.binary and str(stored).startswith("{"):
        if mode == "check":
            tally.sealed += 1  # reported as plain text still to encrypt
            return None
        tally.sealed += 1
        return ring.encrypt(str(stored).encode("utf-8")).decode("ascii")
    token = _token(place, stored)
    if ring.is_current(token):
        tally.current += 1
        return None
    try:
        if mode == "rotate":
            rotated = ring.rotate(token)
            tally.rotated += 1
            return rotated if place.binary else rotated.decode("ascii")
        ring.decrypt(token)
        tally.rotated += 1  # check: readable, but not yet under the newest key
        return None
    except UnknownKey:
        tally.unknown += 1
        return None


def walk(
    place: Place,
    mode: str,
    ring: Optional[KeyRing] = None,
    on_batch: Optional[Callable[[int], None]] = None,
) -> Tally:
    """`seal` (plain rows only), `rotate` (every row to the newest key) or `check`."""
    if mode not in {"seal", "rotate", "check"}:
        raise ValueError(mode)
    ring = ring or encryption.ring()
    tally = Tally()
    engine = _engine(place.url)
    try:
        if place.table not in sa.inspect(engine).get_table_names():
            return tally
        table = sa.table(place.table, sa.column("id"), sa.column(place.column))
        update = (
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({place.column: sa.bindparam("new_value")})
        )
        with engine.connect() as connection:
            for rows in _batches(connection, place, plain_only=(mode == "seal")):
                changes = []
                for row_id, stored in rows:
                    tally.rows += 1
                    unknown_before = tally.unknown
                    new_value = _new_value(place, ring, stored, tally, mode)
                    if tally.unknown > unknown_before and len(tally.unknown_ids) < REPORTED_IDS:
                        tally.unknown_ids.append(row_id)
                    if new_value is not None:
                        changes.append({"row_id": row_id, "new_value": new_value})
                if changes:
                    connection.execute(update, changes)
                connection.commit()  # one batch per transaction: an interrupted run resumes
                if on_batch:
                    on_batch(len(rows))
    finally:
        engine.dispose()
    return tally


def seal_plain_events(tracker_store_url: str, ring: Optional[KeyRing] = None) -> int:
    """Encrypt conversation events stored before encryption; how many were sealed."""
    place = Place("conversation events", tracker_store_url, "events", "data", binary=False)
    return walk(place, "seal", ring).sealed
