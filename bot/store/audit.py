"""The general audit log (table `audit_events`): who did what, when, with what result.

One row per event: `actor` (a process such as `retention-cli`, or later a staff
account), `action` (`purge-days`, `purge-code`, ...), `result` (`ok` or
`error`) and `details`, a small JSON object. Details hold counts, settings and
error type names only: never member content, worksheet codes, conversation ids
or phone numbers in clear (callers that must tie a row to a member use a keyed
reference, bot/store/sender_refs.py). Rows are never purged by retention.

It is the one audit table: the agent console writes every sign-in (failed and
throttled ones too), sign-out, account change, try, check run and worksheet
look-up here, with the staff account as `actor` and `client_address` (the
address Sanic reports for the request). `as_csv` exports rows for supervisors.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime
from typing import Any, Iterable, List, Mapping, NamedTuple, Optional

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store import session_scope
from bot.store.models import AuditEvent

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


class Entry(NamedTuple):
    at: datetime
    actor: str
    action: str
    result: str
    details: dict
    client_address: Optional[str] = None


def add(
    session: Session,
    actor: str,
    action: str,
    result: str = OK,
    details: Optional[Mapping[str, Any]] = None,
    client_address: Optional[str] = None,
) -> None:
    """Add a row to `session`: it commits with the work it records, or not at all."""
    session.add(
        AuditEvent(
            actor=actor[:64],
            action=action[:64],
            result=result[:16],
            details=json.dumps(dict(details or {}), sort_keys=True),
            client_address=client_address[:64] if client_address else None,
        )
    )


def record(
    actor: str,
    action: str,
    result: str = OK,
    details: Optional[Mapping[str, Any]] = None,
    client_address: Optional[str] = None,
) -> bool:
    """Write a row in a transaction of its own. Never raises: False if it could not."""
    try:
        with session_scope() as session:
            add(session, actor, action, result, details, client_address)
        return True
    except SQLAlchemyError as error:
        logger.error("audit: %s %s not recorded (%s)", actor, action, type(error).__name__)
        return False


def recent(limit: int = 50, action: Optional[str] = None) -> List[Entry]:
    """The newest rows first, optionally of one action."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with session_scope() as session:
        return [
            Entry(
                row.at,
                row.actor,
                row.action,
                row.result,
                json.loads(row.details),
                row.client_address,
            )
            for row in session.execute(query).scalars()
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(entries: Iterable[Entry]) -> str:
    """Rows as CSV (Python's csv module), with a header, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "result", "client_address", "details"])
    for e in entries:
        details = json.dumps(e.details, sort_keys=True)
        row = [e.at.isoformat(), e.actor, e.action, e.result, e.client_address, details]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
