"""Console staff accounts, roles and sessions; sign-in throttling and look-up limits.

Roles: `agent` (try, checks, catalog) and `supervisor` (also worksheet look-up, the
audit log, account management); accounts older than roles are agents. Passwords:
argon2 (argon2-cffi) hashes only, never stored or logged. Sessions end after
SESSION_HOURS, or IDLE_MINUTES without a request; signing in ends the account's
other sessions. Failed sign-ins are counted per typed name (hashed; unknown names
too, so the wait tells nothing) and per client address; look-ups per account. The
counters (`rate_limits`) change only in single conditional statements (`take`), so
parallel requests cannot pass a limit. Every sign-in (failed too), sign-out,
account change and look-up goes to the one audit table (bot/store/audit.py); a
looked-up code only as found or not plus a keyed reference (sender_refs).
Command line: `python -m bot.agents` (bot/agents.py).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, NamedTuple, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store import audit, sender_refs, session_scope
from bot.store.models import Agent, AgentSession, RateLimit, Worksheet

ROLES = ("agent", "supervisor")
SESSION_HOURS = 8
IDLE_MINUTES = 15
SIGN_IN_WINDOW_MINUTES = 15
MAX_FAILED_SIGN_INS = 5
LOOKUP_WINDOW_MINUTES = 15
MAX_FAILED_LOOKUPS = 5
MIN_PASSWORD = 12
_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


@dataclass(frozen=True)
class SignedIn:
    agent_id: int
    username: str
    csrf_token: str
    role: str = "agent"


class Account(NamedTuple):
    username: str
    role: str
    disabled: bool
    created_at: datetime


class AgentError(ValueError):
    pass


class Throttled(Exception):
    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minutes.")
        self.minutes = minutes


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def take(key: str, limit: int, window: timedelta) -> Optional[float]:
    """Count one against `key`: None if under `limit` in the window, else seconds to wait.

    One INSERT ... ON CONFLICT DO NOTHING, then one conditional UPDATE: each is
    atomic on SQLite (the first write takes the database's write lock) and on
    PostgreSQL (the row lock; the WHERE is checked again after a wait).
    """
    now = _now()
    cutoff = now - window
    with session_scope() as session:
        dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(RateLimit).values(key=key, window_start=now, count=1)
        if session.execute(insert.on_conflict_do_nothing()).rowcount:
            return None
        stale = RateLimit.window_start < cutoff
        counted = session.execute(
            update(RateLimit)
            .where(RateLimit.key == key, or_(stale, RateLimit.count < limit))
            .values(
                count=case((stale, 1), else_=RateLimit.count + 1),
                window_start=case((stale, now), else_=RateLimit.window_start),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if counted:
            return None
        start = session.execute(select(RateLimit.window_start).where(RateLimit.key == key))
        return max(1.0, (_aware(start.scalar_one()) + window - now).total_seconds())


def give_back(key: str) -> None:
    """Undo one `take` (a sign-in or look-up that succeeded does not count)."""
    with session_scope() as session:
        session.execute(
            update(RateLimit)
            .where(RateLimit.key == key, RateLimit.count > 0)
            .values(count=RateLimit.count - 1)
            .execution_options(synchronize_session=False)
        )


def _find(session: Session, username: str) -> Agent:
    agent = session.execute(select(Agent).where(Agent.username == username)).scalar_one_or_none()
    if agent is None:
        raise AgentError(f"no account named {username!r}")
    return agent


def _check(password: Optional[str] = None, role: Optional[str] = None) -> None:
    if password is not None and len(password) < MIN_PASSWORD:
        raise AgentError(f"the password needs at least {MIN_PASSWORD} characters")
    if role is not None and role not in ROLES:
        raise AgentError(f"the role is one of {', '.join(ROLES)}")


def create(
    username: str, password: str, role: str = "agent", by: str = "cli", address: str = ""
) -> None:
    _check(password, role)
    if not username or len(username) > 64:
        raise AgentError("a name has 1 to 64 characters")
    with session_scope() as session:
        if session.execute(select(Agent).where(Agent.username == username)).first():
            raise AgentError(f"an account named {username!r} exists")
        session.add(Agent(username=username, password_hash=_hasher.hash(password), role=role))
        details = {"account": username, "role": role}
        audit.add(session, by, "account-create", details=details, client_address=address)


def change(username: str, action: str, value: str = "", by: str = "cli", address: str = "") -> None:
    """`disable`, `enable`, `role` (value: the role) or `password` (value: the new one)."""
    if action not in ("disable", "enable", "role", "password"):
        raise AgentError(f"no such change: {action!r}")
    _check(value if action == "password" else None, value if action == "role" else None)
    with session_scope() as session:
        agent = _find(session, username)
        details = {"account": username}
        if action == "role":
            details.update({"from": agent.role, "to": value})
            agent.role = value
        elif action == "password":
            agent.password_hash = _hasher.hash(value)
        else:
            agent.disabled = action == "disable"
        if action in ("disable", "password"):  # their sessions end now
            session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))
        audit.add(session, by, f"account-{action}", details=details, client_address=address)


def all_agents() -> List[Account]:
    with session_scope() as session:
        rows = session.execute(select(Agent).order_by(Agent.username)).scalars()
        return [Account(a.username, a.role, a.disabled, a.created_at) for a in rows]


def _name_key(username: str) -> str:
    # a hash, so a mistyped password in the name field is not stored in clear
    return "sign-in:name:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()


def sign_in(username: str, password: str, address: str = "") -> Optional[Tuple[str, SignedIn]]:
    """A new session token and who it is for; None for a wrong name or password.

    Raises Throttled, before any password check, after too many failures.
    """
    window = timedelta(minutes=SIGN_IN_WINDOW_MINUTES)
    keys = [_name_key(username), f"sign-in:address:{address}"]
    taken: List[str] = []
    for key in keys:
        wait = take(key, MAX_FAILED_SIGN_INS, window)
        if wait is not None:
            for done in taken:
                give_back(done)
            audit.record("unknown", "sign-in", "throttled", client_address=address)
            raise Throttled(math.ceil(wait / 60))
        taken.append(key)
    with session_scope() as session:
        agent = session.execute(
            select(Agent).where(Agent.username == username)
        ).scalar_one_or_none()
        try:
            _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
            ok = agent is not None and not agent.disabled
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            who = agent.username if agent else "unknown"
            audit.add(session, who, "sign-in", audit.ERROR, client_address=address)
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        session.execute(
            delete(AgentSession).where(
                or_(AgentSession.agent_id == agent.id, AgentSession.expires_at < now)
            )
        )  # signing in ends the account's other sessions
        session.add(
            AgentSession(
                token_hash=_token_hash(token),
                agent_id=agent.id,
                csrf_token=csrf,
                expires_at=now + timedelta(hours=SESSION_HOURS),
                last_seen_at=now,
            )
        )
        audit.add(session, agent.username, "sign-in", client_address=address)
        signed_in = SignedIn(agent.id, agent.username, csrf, agent.role)
    for key in taken:
        give_back(key)
    return token, signed_in


def session_for(token: Optional[str]) -> Optional[SignedIn]:
    """Who holds this session token; None once it ended. A request keeps it alive."""
    if not token:
        return None
    with session_scope() as session:
        row = session.execute(
            select(AgentSession, Agent)
            .join(Agent, Agent.id == AgentSession.agent_id)
            .where(AgentSession.token_hash == _token_hash(token))
        ).first()
        if row is None:
            return None
        agent_session, agent = row
        now = _now()
        seen = _aware(agent_session.last_seen_at or agent_session.created_at)
        idle = now - seen > timedelta(minutes=IDLE_MINUTES)
        if agent.disabled or idle or _aware(agent_session.expires_at) < now:
            session.delete(agent_session)
            return None
        agent_session.last_seen_at = now
        return SignedIn(agent.id, agent.username, agent_session.csrf_token, agent.role)


def sign_out(token: Optional[str], address: str = "") -> None:
    if not token:
        return
    with session_scope() as session:
        row = session.execute(
            select(AgentSession, Agent.username)
            .join(Agent, Agent.id == AgentSession.agent_id)
            .where(AgentSession.token_hash == _token_hash(token))
        ).first()
        if row is not None:
            session.delete(row[0])
            audit.add(session, row[1], "sign-out", client_address=address)


def look_up(agent: SignedIn, code: Optional[str], address: str = "") -> Optional[bool]:
    """Count and audit a worksheet look-up, committed before anything is decrypted.

    None: too many wrong codes lately (refused); else whether the code exists.
    """
    key = f"lookup:{agent.agent_id}"
    if take(key, MAX_FAILED_LOOKUPS, timedelta(minutes=LOOKUP_WINDOW_MINUTES)) is not None:
        audit.record(agent.username, "worksheet-lookup", "limited", client_address=address)
        return None
    with session_scope() as session:
        found = bool(
            code and session.execute(select(Worksheet.id).where(Worksheet.code == code)).first()
        )
        details = {"found": found}
        ref = sender_refs.current(code) if code else None
        if ref:
            details["code_ref"] = ref
        result = audit.OK if found else "not-found"
        audit.add(session, agent.username, "worksheet-lookup", result, details, address)
    if found:
        give_back(key)  # only wrong codes count against the limit
    return found


if __name__ == "__main__":  # the old entry point, `python -m bot.store.agents`, still works
    from bot.agents import main

    raise SystemExit(main())
