"""Console accounts: roles, sessions (idle, absolute, one at a time), sign-in throttling,
the atomic look-up limit, and the audit rows all of it writes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text, update

from bot.store import agents, audit, migrate, session_scope, worksheets
from bot.store.models import Agent, AgentSession, AuditEvent

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"
ADDRESS = "203.0.113.7"


@pytest.fixture
def account(database_url):
    agents.create("alvarez", PASSWORD)
    return "alvarez"


def sign_in(name="alvarez", password=PASSWORD, address=ADDRESS):
    return agents.sign_in(name, password, address)


def test_accounts_are_agents_unless_made_supervisors(account):
    agents.create("boss", PASSWORD, role="supervisor", by="cli")
    assert [(a.username, a.role) for a in agents.all_agents()] == [
        ("alvarez", "agent"),
        ("boss", "supervisor"),
    ]
    with pytest.raises(agents.AgentError):
        agents.create("x", PASSWORD, role="admin")
    agents.change("alvarez", "role", "supervisor", by="boss", address=ADDRESS)
    assert sign_in()[1].role == "supervisor"


def test_migration_0007_makes_existing_accounts_agents(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(migrate.alembic_config(url), "0006")
    from sqlalchemy import create_engine

    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agents (username, password_hash, disabled, created_at)"
                " VALUES ('old', 'h', 0, '2026-01-01')"
            )
        )
    migrate.upgrade(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT role FROM agents")).scalar_one() == "agent"
    engine.dispose()


def test_every_account_change_is_audited_without_the_password(account):
    agents.change("alvarez", "disable", by="boss", address=ADDRESS)
    assert sign_in() is None  # disabled
    agents.change("alvarez", "enable", by="boss", address=ADDRESS)
    agents.change("alvarez", "role", "supervisor", by="boss", address=ADDRESS)
    agents.change("alvarez", "password", "another long password", by="boss", address=ADDRESS)
    actions = [(e.actor, e.action, e.client_address) for e in reversed(audit.recent())]
    assert actions == [
        ("cli", "account-create", None),
        ("boss", "account-disable", ADDRESS),
        ("alvarez", "sign-in", ADDRESS),  # the refused one (the account was disabled)
        ("boss", "account-enable", ADDRESS),
        ("boss", "account-role", ADDRESS),
        ("boss", "account-password", ADDRESS),
    ]
    assert audit.recent()[3].result == audit.ERROR
    with session_scope() as session:
        everything = " ".join(session.execute(select(AuditEvent.details)).scalars())
    assert PASSWORD not in everything and "another long" not in everything


def test_sign_in_sign_out_and_failures_are_audited(account):
    token, _ = sign_in()
    agents.sign_out(token, ADDRESS)
    assert sign_in(password="wrong password!") is None
    assert sign_in(name="nobody", password="wrong password!") is None
    rows = [(e.actor, e.action, e.result) for e in audit.recent(4)]
    assert rows == [
        ("unknown", "sign-in", "error"),
        ("alvarez", "sign-in", "error"),
        ("alvarez", "sign-out", "ok"),
        ("alvarez", "sign-in", "ok"),
    ]


def test_signing_in_again_ends_the_other_sessions(account):
    first, _ = sign_in()
    second, _ = sign_in(address="198.51.100.2")
    assert agents.session_for(first) is None
    assert agents.session_for(second).username == "alvarez"


def _age_session(token_field, minutes):
    with session_scope() as session:
        session.execute(
            update(AgentSession).values({token_field: agents._now() - timedelta(minutes=minutes)})
        )


def test_a_session_ends_after_15_idle_minutes_and_a_request_renews_it(account):
    token, _ = sign_in()
    _age_session("last_seen_at", agents.IDLE_MINUTES - 1)
    assert agents.session_for(token) is not None  # renewed now
    _age_session("last_seen_at", agents.IDLE_MINUTES + 1)
    assert agents.session_for(token) is None


def test_a_session_ends_after_8_hours_however_busy(account):
    token, _ = sign_in()
    _age_session("expires_at", 1)
    assert agents.session_for(token) is None


@pytest.mark.parametrize(
    "names, addresses",
    [
        (["alvarez"] * 5, [f"10.0.0.{i}" for i in range(5)]),  # one account, many addresses
        ([f"guess{i}" for i in range(5)], [ADDRESS] * 5),  # one address, many names
    ],
)
def test_five_failures_mean_a_wait_even_with_the_right_password(account, names, addresses):
    for name, address in zip(names, addresses, strict=True):
        assert sign_in(name, "wrong password!", address) is None
    with pytest.raises(agents.Throttled) as caught:
        sign_in("alvarez", PASSWORD, addresses[-1] if len(set(addresses)) == 1 else "10.0.0.9")
    assert str(caught.value) == "Too many failed sign-ins. Try again in 15 minutes."
    assert audit.recent(1)[0].result == "throttled"


def test_the_wait_does_not_tell_whether_an_account_exists(account):
    outcomes = {}
    for name in ("alvarez", "no-such-account"):
        for i in range(agents.MAX_FAILED_SIGN_INS):
            sign_in(name, "wrong password!", f"10.1.{len(outcomes)}.{i}")
        with pytest.raises(agents.Throttled) as caught:
            sign_in(name, "wrong password!", "10.9.9.9")
        outcomes[name] = str(caught.value)
    assert outcomes["alvarez"] == outcomes["no-such-account"]


def test_a_successful_sign_in_does_not_count(account):
    for _ in range(agents.MAX_FAILED_SIGN_INS * 2):
        assert sign_in() is not None


def test_the_window_passes(account):
    for _ in range(agents.MAX_FAILED_SIGN_INS):
        sign_in(password="wrong password!")
    with session_scope() as session:
        session.execute(text("UPDATE rate_limits SET window_start = '2000-01-01 00:00:00'"))
    assert sign_in() is not None


def test_parallel_requests_cannot_pass_a_limit(database_url):
    """20 threads take at once from a limit of 5: exactly 5 get through."""
    barrier = threading.Barrier(20)
    results = []

    def worker():
        barrier.wait()
        results.append(agents.take("lookup:1", 5, timedelta(minutes=15)))

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 5 and len(results) == 20


def test_lookups_are_limited_audited_first_and_never_store_the_code(account, encryption_key):
    agents.change("alvarez", "role", "supervisor")
    _, who = sign_in()
    code = worksheets.save("web:x", "web", "en", {"ws_doctors": "Dr. Okafor"})
    for _ in range(3):
        assert agents.look_up(who, code, ADDRESS) is True  # found ones do not count
    for i in range(agents.MAX_FAILED_LOOKUPS):
        assert agents.look_up(who, f"ECM-22222{i}", ADDRESS) is False
    assert agents.look_up(who, code, ADDRESS) is None  # limited, even for a real code
    entries = audit.recent(action="worksheet-lookup")
    assert [e.result for e in entries[:2]] == ["limited", "not-found"]
    found = entries[-1]
    assert found.details["found"] is True and len(found.details["code_ref"]) == 64
    with session_scope() as session:
        everything = " ".join(session.execute(select(AuditEvent.details)).scalars())
    assert code not in everything and "22222" not in everything


def test_both_command_lines_make_a_supervisor(database_url):
    """`python -m bot.agents` is the command; `python -m bot.store.agents` still works."""
    env = {**os.environ, "DATABASE_URL": database_url}
    for module, name in (("bot.agents", "boss"), ("bot.store.agents", "boss2")):
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                module,
                "create",
                name,
                "--role",
                "supervisor",
                "--password-stdin",
            ],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert made.returncode == 0, made.stderr
    with session_scope() as session:
        roles = session.execute(select(Agent.username, Agent.role)).all()
    assert sorted(roles) == [("boss", "supervisor"), ("boss2", "supervisor")]
