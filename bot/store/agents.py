"""Call-center agents: accounts, console sessions, and the worksheet audit log.

    python -m bot.store.agents create NAME   # asks for the password (or --password-stdin)
    python -m bot.store.agents disable NAME | enable NAME
    python -m bot.store.agents list
    python -m bot.store.agents audit [--limit 50]      # who looked up which worksheet, when

Passwords are hashed with argon2 (argon2-cffi) and never stored or logged.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from bot.store import session_scope
from bot.store.models import Agent, AgentSession, WorksheetLookup

SESSION_HOURS = 8
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


class AgentError(ValueError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AgentError(f"the password needs at least {MIN_PASSWORD} characters")
    with session_scope() as session:
        if session.execute(select(Agent).where(Agent.username == username)).first():
            raise AgentError(f"an agent named {username!r} exists")
        session.add(Agent(username=username, password_hash=_hasher.hash(password)))


def set_disabled(username: str, disabled: bool) -> None:
    with session_scope() as session:
        agent = session.execute(
            select(Agent).where(Agent.username == username)
        ).scalar_one_or_none()
        if agent is None:
            raise AgentError(f"no agent named {username!r}")
        agent.disabled = disabled
        if disabled:
            session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))


def all_agents() -> List[Tuple[str, bool, datetime]]:
    with session_scope() as session:
        rows = session.execute(select(Agent).order_by(Agent.username)).scalars()
        return [(a.username, a.disabled, a.created_at) for a in rows]


def sign_in(username: str, password: str) -> Optional[Tuple[str, SignedIn]]:
    """A new session token and who it is for; None for a wrong name or password."""
    with session_scope() as session:
        agent = session.execute(
            select(Agent).where(Agent.username == username)
        ).scalar_one_or_none()
        try:
            _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if agent is None or agent.disabled:
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            AgentSession(
                token_hash=_token_hash(token),
                agent_id=agent.id,
                csrf_token=csrf,
                expires_at=_now() + timedelta(hours=SESSION_HOURS),
            )
        )
        session.execute(delete(AgentSession).where(AgentSession.expires_at < _now()))
        return token, SignedIn(agent.id, agent.username, csrf)


def session_for(token: Optional[str]) -> Optional[SignedIn]:
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
        if agent.disabled or _aware(agent_session.expires_at) < _now():
            session.delete(agent_session)
            return None
        return SignedIn(agent.id, agent.username, agent_session.csrf_token)


def sign_out(token: Optional[str]) -> None:
    if token:
        with session_scope() as session:
            session.execute(
                delete(AgentSession).where(AgentSession.token_hash == _token_hash(token))
            )


def too_many_failed_lookups(agent_id: int) -> bool:
    since = _now() - timedelta(minutes=LOOKUP_WINDOW_MINUTES)
    with session_scope() as session:
        failed = session.execute(
            select(func.count())
            .select_from(WorksheetLookup)
            .where(
                WorksheetLookup.agent_id == agent_id,
                WorksheetLookup.found.is_(False),
                WorksheetLookup.looked_up_at >= since,
            )
        ).scalar_one()
    return failed >= MAX_FAILED_LOOKUPS


def audit_lookup(agent_id: int, code: str, found: bool) -> None:
    with session_scope() as session:
        session.add(WorksheetLookup(agent_id=agent_id, code=code[:32], found=found))


def audit_log(limit: int = 50) -> List[Tuple[datetime, str, str, bool]]:
    with session_scope() as session:
        rows = session.execute(
            select(WorksheetLookup, Agent.username)
            .join(Agent, Agent.id == WorksheetLookup.agent_id)
            .order_by(WorksheetLookup.looked_up_at.desc(), WorksheetLookup.id.desc())
            .limit(limit)
        ).all()
        return [
            (lookup.looked_up_at, username, lookup.code, lookup.found) for lookup, username in rows
        ]


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create_cmd = commands.add_parser("create")
    create_cmd.add_argument("username")
    create_cmd.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        commands.add_parser(name).add_argument("username")
    commands.add_parser("list")
    audit_cmd = commands.add_parser("audit")
    audit_cmd.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            password = (
                sys.stdin.readline().rstrip("\n")
                if args.password_stdin
                else getpass.getpass("Password (12+ characters): ")
            )
            create(args.username, password)
            print(f"created {args.username}")
        elif args.command in ("disable", "enable"):
            set_disabled(args.username, args.command == "disable")
            print(f"{args.command}d {args.username}")
        elif args.command == "list":
            for username, disabled, created in all_agents():
                print(f"{username}\t{created:%Y-%m-%d}\t{'disabled' if disabled else ''}")
        else:
            for when, username, code, found in audit_log(args.limit):
                print(
                    f"{when:%Y-%m-%d %H:%M:%S}\t{username}\t{code}\t"
                    f"{'found' if found else 'not found'}"
                )
    except AgentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
