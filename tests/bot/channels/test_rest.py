"""bot/channels/rest.py: who may use the generic REST webhook."""

import asyncio
import json
import time
from types import SimpleNamespace

import pytest

from bot import settings as settings_module
from bot.channels import rest
from bot.channels.rest import RestChannel

TOKEN = "a-long-random-rest-token"


def channel(tmp_path, **env):
    return RestChannel(settings=settings_module.load({"ECM_DEV_SECRETS_DIR": str(tmp_path), **env}))


def test_development_without_a_token_is_open(tmp_path):
    assert channel(tmp_path).refusal(None) is None


@pytest.mark.parametrize(
    "authorization, allowed",
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),  # the scheme is case-insensitive (RFC 7235)
        (None, False),
        ("", False),
        ("Bearer", False),
        ("Bearer ", False),
        (f"Bearer {TOKEN}x", False),
        (f"Bearer {TOKEN[:-1]}", False),
        (f"Basic {TOKEN}", False),
        (TOKEN, False),  # no scheme
    ],
)
def test_with_a_token_every_request_needs_it(tmp_path, authorization, allowed):
    refused = channel(tmp_path, REST_API_TOKEN=TOKEN).refusal(authorization)
    assert (refused is None) is allowed
    if refused is not None:
        assert refused.status == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_production_without_a_token_is_off(tmp_path):
    refused = channel(tmp_path, APP_ENV="production").refusal(f"Bearer {TOKEN}")
    assert refused is not None and refused.status == 403
    assert "REST_API_TOKEN" in json.loads(refused.body)["error"]


def test_production_with_a_token_needs_it(tmp_path):
    rest = channel(tmp_path, APP_ENV="production", REST_API_TOKEN=TOKEN)
    assert rest.refusal(f"Bearer {TOKEN}") is None
    assert rest.refusal(None).status == 401


class Ready:
    def is_ready(self):
        return True


def app_with_agent():
    return SimpleNamespace(ctx=SimpleNamespace(agent=Ready()))


async def test_a_slow_database_check_does_not_block_other_requests(monkeypatch):
    # the health check used to call the database on the event loop: one stuck
    # database connection stalled every conversation until it returned
    monkeypatch.setattr(rest, "database_ready", lambda: time.sleep(1.0) or True)
    started = time.monotonic()
    checking = asyncio.ensure_future(rest.health(app_with_agent()))
    await asyncio.sleep(0.05)  # another request's work gets its turn at once
    assert time.monotonic() - started < 0.5
    assert not checking.done()
    reply = await checking
    assert reply.status == 200
    assert json.loads(reply.body) == {"status": "ok", "model": True, "database": True}


async def test_health_says_unavailable_when_the_database_is_not(monkeypatch):
    monkeypatch.setattr(rest, "database_ready", lambda: False)
    reply = await rest.health(app_with_agent())
    assert reply.status == 503
    assert json.loads(reply.body)["database"] is False


async def test_concurrent_health_requests_share_one_database_check(monkeypatch):
    # an open endpoint: a flood of requests against a hung database must not take
    # every worker thread (the SMS channel's database work runs there too)
    calls = []
    monkeypatch.setattr(rest, "database_ready", lambda: calls.append(1) or time.sleep(0.3) or True)
    app = app_with_agent()
    replies = await asyncio.gather(*(rest.health(app) for _ in range(20)))
    assert [reply.status for reply in replies] == [200] * 20
    assert len(calls) == 1
    await rest.health(app)  # a later request checks afresh
    assert len(calls) == 2
