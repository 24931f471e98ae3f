"""bot/rasa/lock_store.py (and its Lua scripts) against a real throwaway redis-server.
Across real processes: tests/server/test_lock_store_processes.py."""

import asyncio
import logging
import socket

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot import settings
from bot.rasa import lock_store as module
from bot.rasa.lock_store import LockStoreUnavailable, RedisTicketLockStore, still_holding
from bot.rasa.runtime import child_env
from bot.settings import ROOT

SENDER = "+15550001234"  # a phone number: never in a log line nor a Redis key


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
async def make_store(redis_url):
    made = []

    def make(url=redis_url, **options):
        store = RedisTicketLockStore(url=url, **options)
        made.append(store)
        return store

    yield make
    for store in made:
        await store.close()


async def test_messages_of_one_conversation_are_served_one_at_a_time_in_arrival_order(make_store):
    store = make_store()
    served, inside = [], []

    async def message(number):
        async with store.lock(SENDER) as lease:
            inside.append(number)
            assert len(inside) == 1
            await asyncio.sleep(0.01)
            served.append((number, lease.token))
            inside.remove(number)

    tasks = []
    for number in range(8):
        tasks.append(asyncio.create_task(message(number)))
        await asyncio.sleep(0.005)  # each has taken its ticket before the next arrives
    await asyncio.gather(*tasks)
    assert [number for number, _ in served] == list(range(8))
    tokens = [token for _, token in served]
    assert tokens == sorted(tokens) and len(set(tokens)) == 8  # fencing tokens only grow


async def test_tokens_keep_growing_after_redis_forgets_the_counter(make_store, redis_url):
    import redis

    store = make_store()
    async with store.lock(SENDER) as first:
        pass
    await asyncio.sleep(0.01)  # Redis's clock moved on by some ms
    with redis.Redis.from_url(redis_url) as client:
        client.flushall()  # a restart without persistence
    async with store.lock(SENDER) as second:
        assert second.token > first.token


async def test_other_conversations_do_not_wait(make_store):
    store = make_store()
    async with store.lock("rest:a"):
        await asyncio.wait_for(_enter(store, "rest:b"), timeout=1)


async def _enter(store, conversation_id):
    async with store.lock(conversation_id):
        pass


async def test_renewal_keeps_a_slow_holders_lock(make_store):
    slow, other = make_store(lifetime=0.3), make_store(lifetime=0.3)
    async with slow.lock(SENDER):
        waiting = asyncio.create_task(_enter(other, SENDER))
        await asyncio.sleep(1.0)  # more than three lifetimes
        assert not waiting.done()
        assert await still_holding(SENDER)
    await asyncio.wait_for(waiting, timeout=2)


async def test_an_expired_holder_is_fenced_off_and_the_next_one_served(make_store, caplog):
    stalled, other = make_store(lifetime=0.3), make_store(lifetime=0.3)
    async with stalled.lock(SENDER) as lease:
        lease.renewal.cancel()  # as if the process stalled past its lifetime
        await asyncio.sleep(0.5)
        async with other.lock(SENDER) as taken:
            assert await still_holding(SENDER)  # the new holder may save
            assert taken.token > lease.token
        assert not await still_holding(SENDER)  # the stalled one may not
        assert not await stalled.still_holds(SENDER, lease.token)


async def test_a_holder_learns_that_its_lock_was_lost_and_logs_no_member_text(
    make_store, redis_url, caplog
):
    import redis

    store = make_store(lifetime=0.3)
    with caplog.at_level(logging.INFO, logger=module.__name__):
        async with store.lock(SENDER) as lease:
            keys = store._keys(SENDER)
            with redis.Redis.from_url(redis_url) as client:
                client.delete(f"{keys.ticket_prefix}{lease.token}")
            await asyncio.sleep(0.3)
            assert lease.lost
            assert not await still_holding(SENDER)
    assert "lock expired or was taken" in caplog.text
    assert SENDER not in caplog.text and "5550001234" not in caplog.text


async def test_a_dead_waiters_ticket_expires_and_the_queue_moves_on(make_store):
    store = make_store(lifetime=0.3)
    await store.issue(SENDER)  # a process that took a ticket and died
    await asyncio.wait_for(_enter(store, SENDER), timeout=2)


async def test_a_waiter_that_gives_up_frees_its_place_at_once(make_store):
    store = make_store(lifetime=30)  # its ticket would otherwise block for 30 s
    async with store.lock(SENDER):
        gone = asyncio.create_task(_enter(store, SENDER))
        await asyncio.sleep(0.05)
        gone.cancel()  # the member's HTTP request went away
        with pytest.raises(asyncio.CancelledError):
            await gone
    await asyncio.wait_for(_enter(store, SENDER), timeout=1)


async def test_redis_keys_name_no_conversation(make_store, redis_url):
    import redis

    store = make_store()
    async with store.lock(SENDER):
        with redis.Redis.from_url(redis_url) as client:
            keys = client.keys("*")
    assert keys and not any(b"5550001234" in key for key in keys)


async def test_redis_down_serialises_the_conversation_in_the_process(make_store, caplog):
    store = make_store(url=closed_port_url(), socket_timeout=0.5)
    inside = []

    async def message():
        async with store.lock(SENDER) as lease:
            assert lease.token is None and await still_holding(SENDER)
            inside.append(1)
            assert len(inside) == 1
            await asyncio.sleep(0.02)
            inside.pop()

    with caplog.at_level(logging.INFO, logger=module.__name__):
        await asyncio.gather(*(message() for _ in range(5)))
    assert caplog.text.count("Redis unreachable") == 1  # once per outage, not per message
    assert SENDER not in caplog.text


async def test_redis_down_can_refuse_instead(make_store):
    store = make_store(url=closed_port_url(), socket_timeout=0.5, on_redis_down="refuse")
    with pytest.raises(LockStoreUnavailable):
        await _enter(store, SENDER)
    assert issubclass(LockStoreUnavailable, LockError)  # what Rasa's callers already expect


async def test_rasa_loads_it_from_an_endpoint_config(redis_url):
    config = EndpointConfig(
        url=redis_url, type="bot.rasa.lock_store.RedisTicketLockStore", lifetime="5"
    )
    store = LockStore.create(config)
    assert isinstance(store, RedisTicketLockStore) and store.lifetime == 5
    await _enter(store, SENDER)
    await store.close()


@pytest.mark.parametrize(
    "redis_value, expected",
    [
        # the default (make run): Rasa's in-memory lock store, exactly as before
        ("", InMemoryLockStore),
        # REDIS_URL set: ours
        ("redis://127.0.0.1:1/0", RedisTicketLockStore),
    ],
)
# Rasa validates endpoints.yml with pykwalify, which loads its extensions the old way
@pytest.mark.filterwarnings("ignore:the load_module:DeprecationWarning")
async def test_endpoints_yml_picks_the_store_from_redis_url(redis_value, expected, monkeypatch):
    env = child_env(settings.load({"REDIS_URL": redis_value}))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    store = LockStore.create(config)
    assert type(store) is expected
    if isinstance(store, RedisTicketLockStore):
        await store.close()


@pytest.mark.parametrize(
    "options",
    [
        {},  # no URL
        {"url": "redis://127.0.0.1:1/0", "on_redis_down": "ignore"},  # not a choice
    ],
)
def test_bad_configuration_is_refused(options):
    with pytest.raises(ValueError):
        RedisTicketLockStore(**options)


def test_a_redis_url_that_is_not_one_is_refused_at_start():
    with pytest.raises(settings.SettingsError, match="REDIS_URL"):
        settings.load({"REDIS_URL": "127.0.0.1:6379"})
