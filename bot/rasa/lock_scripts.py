"""The Lua scripts of the Redis lock store (bot/rasa/lock_store.py): each step of a
conversation's ticket queue is one script, so Redis runs it atomically.

Per conversation, under one hash tag (one Redis Cluster slot):

- `<base>:seq`   INCR counter: ticket numbers, also the fencing tokens (from ms time)
- `<base>:queue` sorted set of waiting and serving tickets, score = number (FIFO)
- `<base>:t:<n>` ticket n is alive while this key exists (PX = the lock lifetime);
  its owner renews it, so a dead process's tickets expire by themselves

The head of the queue is served once it is the caller's ticket; a head whose
key expired is dropped by whoever looks next. The ticket keys are built inside
the scripts from `<base>:t:` (same hash tag, same slot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

# KEYS: seq, queue. ARGV: ticket key prefix, lifetime ms, sequence lifetime ms.
# A new counter starts at Redis's clock in ms, so tokens keep growing after the
# counter expired or Redis restarted empty (no persistence).
ISSUE = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  local now = redis.call('TIME')
  redis.call('SET', KEYS[1], now[1] * 1000 + math.floor(now[2] / 1000))
end
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], n, n)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', ARGV[1] .. n, '1', 'PX', ARGV[2])
return n
"""

# KEYS: queue. ARGV: ticket key prefix, ticket, lifetime ms.
# 1: served now; 0: wait (ticket renewed); -1: the ticket expired, its place is gone.
TAKE = """
if redis.call('PEXPIRE', ARGV[1] .. ARGV[2], ARGV[3]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return -1
end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return -1 end
  if head == ARGV[2] then return 1 end
  if redis.call('EXISTS', ARGV[1] .. head) == 1 then return 0 end
  redis.call('ZREM', KEYS[1], head)
end
"""

# KEYS: queue. ARGV: ticket key prefix, ticket, lifetime ms. 1: renewed; 0: lost.
RENEW = """
if redis.call('ZRANGE', KEYS[1], 0, 0)[1] ~= ARGV[2] then return 0 end
return redis.call('PEXPIRE', ARGV[1] .. ARGV[2], ARGV[3])
"""

# KEYS: queue. ARGV: ticket key prefix, ticket. 1: still the serving ticket.
HOLDS = """
if redis.call('ZRANGE', KEYS[1], 0, 0)[1] ~= ARGV[2] then return 0 end
return redis.call('EXISTS', ARGV[1] .. ARGV[2])
"""

# KEYS: queue. ARGV: ticket key prefix, ticket.
RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('DEL', ARGV[1] .. ARGV[2])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
return 1
"""


class Keys(NamedTuple):
    sequence: str
    queue: str
    ticket_prefix: str

    @classmethod
    def of(cls, base: str) -> Keys:
        return cls(f"{base}:seq", f"{base}:queue", f"{base}:t:")


@dataclass(frozen=True)
class Scripts:
    issue: Any
    take: Any
    renew: Any
    holds: Any
    release: Any


def register(client: Any) -> Scripts:
    """The scripts bound to `client` (redis-py's register_script: EVALSHA, then EVAL
    once if Redis does not know the script yet, e.g. after a restart)."""
    return Scripts(
        issue=client.register_script(ISSUE),
        take=client.register_script(TAKE),
        renew=client.register_script(RENEW),
        holds=client.register_script(HOLDS),
        release=client.register_script(RELEASE),
    )
