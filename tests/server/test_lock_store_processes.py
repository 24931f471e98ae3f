"""bot/rasa/lock_store.py across real processes sharing one throwaway redis-server:
what Rasa's own RedisLockStore gets wrong (RasaHQ/rasa#9213)."""

import asyncio
import multiprocessing
import os
import signal
import time

import pytest

CONVERSATION = "+15550009876"
PROCESSES, WORKERS, ROUNDS = 4, 8, 25


def _client(url):
    import redis

    return redis.Redis.from_url(url)


async def _increments(url, run):
    """WORKERS tasks, each ROUNDS times: GET, pause, SET (not atomic) under the lock."""
    from bot.rasa.lock_store import RedisTicketLockStore, still_holding

    store = RedisTicketLockStore(url=url, poll_seconds=0.01)
    redis_client = store.redis

    async def worker():
        for _ in range(ROUNDS):
            async with store.lock(CONVERSATION) as lease:
                value = int(await redis_client.get(f"{run}:counter") or 0)
                await asyncio.sleep(0.001)  # let every other process try to get in
                assert await still_holding(CONVERSATION)
                await redis_client.set(f"{run}:counter", value + 1)
                await redis_client.rpush(f"{run}:tokens", lease.token)

    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    await store.close()


def increment_process(url, run):
    asyncio.run(_increments(url, run))


async def _hold(url, run, lifetime, seconds):
    """Take the lock, say so, hold it `seconds`, then record whether it still holds."""
    from bot.rasa.lock_store import RedisTicketLockStore, still_holding

    store = RedisTicketLockStore(url=url, lifetime=lifetime, poll_seconds=0.01)
    async with store.lock(CONVERSATION) as lease:
        await store.redis.set(f"{run}:holder", lease.token)
        await asyncio.sleep(seconds)
        held = await still_holding(CONVERSATION)
        await store.redis.set(f"{run}:still-holds", "yes" if held else "no")
        if held:
            await store.redis.incr(f"{run}:saves")  # the tracker save it may make
    await store.close()


def hold_process(url, run, lifetime, seconds):
    asyncio.run(_hold(url, run, lifetime, seconds))


def _start(target, *args):
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def _wait_for(client, key, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = client.get(key)
        if value is not None:
            return value
        time.sleep(0.02)
    raise AssertionError(f"{key} never set")


def test_processes_never_share_a_conversation_and_keep_ticket_order(redis_url):
    processes = [_start(increment_process, redis_url, "count") for _ in range(PROCESSES)]
    for process in processes:
        process.join(timeout=180)
        assert process.exitcode == 0
    with _client(redis_url) as client:
        # a lost update (two holders at once) would leave the count short
        assert int(client.get("count:counter")) == PROCESSES * WORKERS * ROUNDS
        tokens = [int(token) for token in client.lrange("count:tokens", 0, -1)]
    # served in the order the tickets were issued, each once
    assert tokens == sorted(tokens) and len(set(tokens)) == len(tokens)


def test_a_stalled_holder_is_fenced_off_when_it_wakes(redis_url):
    stalled = _start(hold_process, redis_url, "stall", 0.5, 2.0)
    with _client(redis_url) as client:
        first = int(_wait_for(client, "stall:holder"))
        os.kill(stalled.pid, signal.SIGSTOP)  # no renewal while stopped
        try:
            time.sleep(1.0)  # twice its lifetime
            other = _start(hold_process, redis_url, "after", 0.5, 0.1)
            other.join(timeout=60)
            assert other.exitcode == 0
        finally:
            os.kill(stalled.pid, signal.SIGCONT)
        stalled.join(timeout=60)
        assert stalled.exitcode == 0
        assert int(client.get("after:holder")) > first  # tokens only grow
        assert client.get("after:still-holds") == b"yes"
        assert client.get("stall:still-holds") == b"no"  # its save would be refused
        assert client.get("stall:saves") is None


def test_a_slow_holder_keeps_its_lock_by_renewal(redis_url):
    slow = _start(hold_process, redis_url, "slow", 0.3, 1.5)
    with _client(redis_url) as client:
        _wait_for(client, "slow:holder")
        waiting = _start(hold_process, redis_url, "next", 0.3, 0.0)
        slow.join(timeout=60)
        waiting.join(timeout=60)
        assert client.get("slow:still-holds") == b"yes"
        assert client.get("next:still-holds") == b"yes"
        assert int(client.get("next:holder")) > int(client.get("slow:holder"))


def test_a_killed_holder_does_not_block_the_conversation(redis_url):
    killed = _start(hold_process, redis_url, "killed", 0.5, 60)
    with _client(redis_url) as client:
        _wait_for(client, "killed:holder")
        killed.kill()
        killed.join(timeout=30)
        started = time.monotonic()
        survivor = _start(hold_process, redis_url, "survivor", 0.5, 0.0)
        survivor.join(timeout=60)
        assert survivor.exitcode == 0
        assert client.get("survivor:still-holds") == b"yes"
        assert time.monotonic() - started < 30


def test_the_assistant_takes_its_conversation_locks_in_redis_when_redis_url_is_set(
    redis_url, tmp_path
):
    from bot.rasa.train import MODEL_PATH
    from tests.conftest import RunningAssistant

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    running = RunningAssistant(
        tmp_path / "var", tmp_path / "server.log", extra_env={"REDIS_URL": redis_url}
    )
    running.start()
    try:
        assert running.say("lock-check", "hello")
        assert running.say("lock-check", "hello")
    finally:
        running.stop()
    with _client(redis_url) as client:
        sequences = client.keys("ecm:lock:*:seq")
        assert sequences and any(int(client.get(key)) >= 2 for key in sequences)
        assert not client.keys("ecm:lock:*:queue")  # every ticket released
