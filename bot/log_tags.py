"""Log tags: a short keyed tag that stands for a member (an SMS phone number) in
log lines, so lines about one member can be grouped without naming them.

A plain hash of a phone number is no disguise: ten-digit numbers are few enough
to hash them all. A tag is HMAC-SHA256 of the sender under a key derived with
HKDF-SHA256 (info `ecm log tag v1`, distinct from bot/store/sender_refs.py's
label, so a tag never equals a stored reference or its prefix) from the newest
key of ENCRYPTION_KEYS, cut to TAG_LENGTH hex characters. Without a configured
key (a bare development run) a random key made for this process is used: tags
then change with each start, and still cannot be turned back into numbers.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import Optional, Sequence

from bot import settings as settings_module
from bot.store import encryption

INFO = b"ecm log tag v1"
TAG_LENGTH = 12  # hex characters: 48 bits, enough to tell members apart in a day's logs


@cache
def _process_key() -> str:
    return secrets.token_urlsafe(32)


def tag_with(encryption_key: str, sender: str) -> str:
    """The tag of `sender` under the key derived from `encryption_key`."""
    return encryption.keyed_digest(encryption_key, INFO, sender)[:TAG_LENGTH]


def log_tag(sender: str, keys: Optional[Sequence[str]] = None) -> str:
    """The tag to log instead of `sender` (a phone number or a conversation id)."""
    ring = settings_module.load().encryption_keys if keys is None else keys
    return tag_with(ring[0] if ring else _process_key(), sender)
