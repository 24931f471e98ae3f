"""A Redis lock store that is correct across processes, in place of Rasa's own.

Rasa 3.6's `RedisLockStore` reads, changes and writes its ticket lock in separate
round trips, so two server processes can both serve one conversation
(RasaHQ/rasa#9213; the fix was reverted from the open-source edition,
#11427/#11428). Here every step is one Lua script, atomic in Redis
(`bot/rasa/lock_scripts.py`): a FIFO queue of tickets per conversation, numbered
by INCR, served head first, one at a time, in arrival order.

- **Lifetime.** A ticket lives while its process keeps it alive: a waiter renews
  it on every poll, the holder from a background task every third of the
  lifetime. A dead process's tickets expire and the queue moves on. A holder
  that loses its ticket anyway (a pause longer than the lifetime) finds out at
  the next renewal and logs it (no conversation id, no member text).
- **Fencing.** The ticket number is the fencing token, monotonic per
  conversation. `await still_holding(sender_id)` (or `store.still_holds(id,
  token)`) tells the tracker store whether the current task still holds the
  conversation; a holder whose ticket expired gets False and must not save.
- **Redis down.** `on_redis_down: local` (the default) serialises each
  conversation within the process (an asyncio lock), logs that once per outage,
  and goes back to Redis when it answers again; `refuse` raises
  `LockStoreUnavailable` (a `LockError`) for the channel to say "try again".
  Either way each message is answered once: a message reaches one process.

endpoints.yml selects it when REDIS_URL is set (bot/settings.py); empty, Rasa's
`InMemoryLockStore` runs as before. Redis keys carry a SHA-256 of the
conversation id, never the id (a phone number for SMS).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Dict, Optional

import redis.exceptions
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

from bot.rasa import lock_scripts

logger = logging.getLogger(__name__)

ON_REDIS_DOWN = ("local", "refuse")
SEQUENCE_LIFETIME_MS = 7 * 24 * 3600 * 1000  # ticket numbers stay monotonic this long idle
FIRST_POLL_SECONDS = 0.005
# what "Redis does not answer" looks like (a refused or dropped connection, a timeout)
REDIS_DOWN = (OSError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class LockStoreUnavailable(LockError):
    """Redis does not answer and `on_redis_down: refuse`: ask the member to retry."""


@dataclass
class Lease:
    """The current task's hold on a conversation: its ticket (the fencing token)."""

    conversation_id: str
    token: Optional[int]  # None: held by the in-process lock while Redis is down
    store: RedisTicketLockStore
    valid_until: float = 0.0  # time.monotonic() up to which the ticket is surely ours
    lost: bool = False
    renewal: Optional[asyncio.Task] = field(default=None, repr=False)

    async def still_holds(self) -> bool:
        if self.token is None:
            return True
        return await self.store.still_holds(self.conversation_id, self.token)


CURRENT_LEASE: contextvars.ContextVar[Optional[Lease]] = contextvars.ContextVar(
    "ecm_lock_lease", default=None
)


async def still_holding(conversation_id: str) -> bool:
    """For the tracker store before a save: False only if this task held the
    conversation's lock and has lost it (no lease, another conversation: True)."""
    lease = CURRENT_LEASE.get()
    if lease is None or lease.conversation_id != conversation_id:
        return True
    return await lease.still_holds()


class RedisTicketLockStore(LockStore):
    """`lock_store: type: bot.rasa.lock_store.RedisTicketLockStore`, `url: redis://...`."""

    def __init__(
        self,
        endpoint_config: Any = None,
        url: Optional[str] = None,
        lifetime: float = LOCK_LIFETIME,
        poll_seconds: float = 0.05,
        on_redis_down: str = "local",
        socket_timeout: float = 2.0,
        key_prefix: str = "ecm:lock",
    ) -> None:
        options = dict(getattr(endpoint_config, "kwargs", None) or {})
        url = url or getattr(endpoint_config, "url", None)
        if not url:
            raise ValueError("RedisTicketLockStore needs a redis:// URL (REDIS_URL)")
        on_redis_down = str(options.get("on_redis_down", on_redis_down))
        if on_redis_down not in ON_REDIS_DOWN:
            raise ValueError(f"on_redis_down must be one of {ON_REDIS_DOWN}, not {on_redis_down!r}")
        import redis.asyncio

        self.lifetime = float(options.get("lifetime", lifetime))
        self.poll_seconds = float(options.get("poll_seconds", poll_seconds))
        self.on_redis_down = on_redis_down
        self.key_prefix = str(options.get("key_prefix", key_prefix))
        timeout = float(options.get("socket_timeout", socket_timeout))
        self.redis = redis.asyncio.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.scripts = lock_scripts.register(self.redis)
        self._local: Dict[str, asyncio.Lock] = {}
        self._local_users: Dict[str, int] = {}
        self._redis_down = False
        super().__init__()

    # -- keys -------------------------------------------------------------------------
    def _keys(self, conversation_id: str) -> lock_scripts.Keys:
        digest = hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:32]
        return lock_scripts.Keys.of(f"{self.key_prefix}:{{{digest}}}")

    @property
    def _lifetime_ms(self) -> int:
        return max(1, int(self.lifetime * 1000))

    # -- Redis state ------------------------------------------------------------------
    def _note_redis(self, up: bool) -> None:
        if up and self._redis_down:
            logger.warning("lock store: Redis answers again; conversation locks are shared")
        elif not up and not self._redis_down:
            logger.error(
                "lock store: Redis unreachable; %s",
                "each conversation is serialised within this process only"
                if self.on_redis_down == "local"
                else "messages are refused until it answers",
            )
        self._redis_down = not up

    # -- the Redis operations -----------------------------------------------------------
    async def issue(self, conversation_id: str) -> int:
        keys = self._keys(conversation_id)
        return int(
            await self.scripts.issue(
                keys=[keys.sequence, keys.queue],
                args=[keys.ticket_prefix, self._lifetime_ms, SEQUENCE_LIFETIME_MS],
            )
        )

    async def take(self, conversation_id: str, ticket: int) -> int:
        """1: this ticket is served now; 0: wait; -1: the ticket expired (lost)."""
        keys = self._keys(conversation_id)
        return int(
            await self.scripts.take(
                keys=[keys.queue], args=[keys.ticket_prefix, ticket, self._lifetime_ms]
            )
        )

    async def renew(self, conversation_id: str, ticket: int) -> bool:
        keys = self._keys(conversation_id)
        renewed = await self.scripts.renew(
            keys=[keys.queue], args=[keys.ticket_prefix, ticket, self._lifetime_ms]
        )
        return int(renewed) == 1

    async def still_holds(self, conversation_id: str, token: int) -> bool:
        """Whether `token` is still the serving ticket of the conversation (fencing).

        If Redis does not answer, True only while the holder's last renewal
        guarantees it (the ticket cannot have expired yet)."""
        keys = self._keys(conversation_id)
        try:
            held = await self.scripts.holds(keys=[keys.queue], args=[keys.ticket_prefix, token])
            return int(held) == 1
        except REDIS_DOWN:
            lease = CURRENT_LEASE.get()
            return bool(
                lease
                and lease.token == token
                and not lease.lost
                and time.monotonic() < lease.valid_until
            )

    async def release(self, conversation_id: str, ticket: int) -> None:
        keys = self._keys(conversation_id)
        await self.scripts.release(keys=[keys.queue], args=[keys.ticket_prefix, ticket])

    # -- Rasa's interface ---------------------------------------------------------------
    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[Lease]:
        """Serve `conversation_id` after every message that arrived before (FIFO)."""
        lease = await self._acquire(conversation_id)
        if lease is None:
            async with self._local_lock(conversation_id):
                lease = Lease(conversation_id, None, self)
                reset = CURRENT_LEASE.set(lease)
                try:
                    yield lease
                finally:
                    CURRENT_LEASE.reset(reset)
            return
        lease.renewal = asyncio.create_task(self._keep_renewing(lease))
        reset = CURRENT_LEASE.set(lease)
        try:
            yield lease
        finally:
            CURRENT_LEASE.reset(reset)
            lease.renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await lease.renewal
            await self._release_quietly(conversation_id, lease.token or 0)

    async def _acquire(self, conversation_id: str) -> Optional[Lease]:
        """The served lease, or None to fall back to the in-process lock."""
        try:
            ticket = await self.issue(conversation_id)
            try:
                return await self._wait_turn(conversation_id, ticket)
            except REDIS_DOWN:
                raise  # the ticket expires by itself
            except BaseException:  # cancelled (client gone) or expired: free the place now
                await self._release_quietly(conversation_id, ticket)
                raise
        except REDIS_DOWN as error:
            self._note_redis(False)
            if self.on_redis_down == "refuse":
                raise LockStoreUnavailable("lock store: Redis unreachable") from error
            return None

    async def _wait_turn(self, conversation_id: str, ticket: int) -> Lease:
        pause = FIRST_POLL_SECONDS
        while True:
            started = time.monotonic()
            state = await self.take(conversation_id, ticket)
            self._note_redis(True)
            if state == 1:
                return Lease(conversation_id, ticket, self, started + self.lifetime)
            if state < 0:
                raise LockError("lock store: a waiting ticket expired before its turn")
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.poll_seconds)

    async def _release_quietly(self, conversation_id: str, ticket: int) -> None:
        try:
            await self.release(conversation_id, ticket)
        except REDIS_DOWN:
            self._note_redis(False)  # the ticket expires by itself

    async def _keep_renewing(self, lease: Lease) -> None:
        assert lease.token is not None
        while True:
            await asyncio.sleep(self.lifetime / 3)
            started = time.monotonic()
            try:
                renewed = await self.renew(lease.conversation_id, lease.token)
            except REDIS_DOWN:
                self._note_redis(False)
                continue
            if not renewed:
                lease.lost = True
                logger.error(
                    "lock store: a conversation's lock expired or was taken while its "
                    "message was still being handled; that turn's save will be refused"
                )
                return
            lease.valid_until = started + self.lifetime

    @asynccontextmanager
    async def _local_lock(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._local.setdefault(conversation_id, asyncio.Lock())
        self._local_users[conversation_id] = self._local_users.get(conversation_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._local_users[conversation_id] -= 1
            if not self._local_users[conversation_id]:
                del self._local_users[conversation_id]
                del self._local[conversation_id]

    async def close(self) -> None:
        await self.redis.close(close_connection_pool=True)
