"""The general audit log (table `audit_events`): who did what, when, with what result.

One row per event: `actor` (a process such as `retention-cli`, or later a staff
account), `action` (`purge-days`, `purge-code`, ...), `result` (`ok` or
`error`) and `details`, a small JSON object. Details hold counts, settings and
error type names only: never member content, worksheet codes, conversation ids
or phone numbers in clear (callers that must tie a row to a member use a keyed
reference, bot/store/sender_refs.py). Rows are never purged by retention.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, List, Mapping, NamedTuple, Optional

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


def add(
    session: Session,
    actor: str,
    action: str,
    result: str = OK,
    details: Optional[Mapping[str, Any]] = None,
) -> None:
    """Add a row to `session`: it commits with the work it records, or not at all."""
    session.add(
        AuditEvent(
            actor=actor[:64],
            action=action[:64],
            result=result[:16],
            details=json.dumps(dict(details or {}), sort_keys=True),
        )
    )


def record(
    actor: str, action: str, result: str = OK, details: Optional[Mapping[str, Any]] = None
) -> bool:
    """Write a row in a transaction of its own. Never raises: False if it could not."""
    try:
        with session_scope() as session:
            add(session, actor, action, result, details)
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
            Entry(row.at, row.actor, row.action, row.result, json.loads(row.details))
            for row in session.execute(query).scalars()
        ]
