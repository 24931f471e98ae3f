"""Keyed, non-reversible references to a conversation id, for rows that must be
found again by member without holding the member's id (an SMS sender id is a
phone number).

A reference is HMAC-SHA256 of the conversation id (`sms:+15550100000`), hex,
under a key derived with HKDF-SHA256 (info `ecm sender reference v1`) from a key
of ENCRYPTION_KEYS. A plain hash would not do: ten-digit phone numbers are few
enough to try them all; without the key nobody can, and nothing turns a
reference back into a number.

Rows are written under the newest key (`current`). `every_ref` gives the
references under every key of the ring, so rows written before a key rotation
are still found while their key is in ENCRYPTION_KEYS; once an old key is
dropped, its rows can no longer be tied to a member and go with the age-based
purge (RETENTION_DAYS) only.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from bot import settings as settings_module
from bot.store import encryption

INFO = b"ecm sender reference v1"
LENGTH = 64  # hex characters of SHA-256: the width of the columns that hold one


def ref_with(encryption_key: str, sender_id: str) -> str:
    """The reference of `sender_id` under the key derived from `encryption_key`."""
    return encryption.keyed_digest(encryption_key, INFO, sender_id)


def _keys(keys: Optional[Sequence[str]]) -> Sequence[str]:
    return settings_module.load().encryption_keys if keys is None else keys


def current(sender_id: str, keys: Optional[Sequence[str]] = None) -> Optional[str]:
    """The reference to store now (newest key); None when no key is configured."""
    ring = _keys(keys)
    return ref_with(ring[0], sender_id) if ring else None


def every_ref(sender_id: str, keys: Optional[Sequence[str]] = None) -> List[str]:
    """The references under every configured key, newest first (for look-ups)."""
    return [ref_with(key, sender_id) for key in _keys(keys)]
