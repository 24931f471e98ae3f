"""Encryption at rest for member data, with a key ring (Fernet: AES-128-CBC + HMAC-SHA256).

`ENCRYPTION_KEYS` holds Fernet keys, newest first. The first key encrypts; every
key decrypts (cryptography's `MultiFernet`), so a new key can be put in front
while rows saved under the older ones are re-encrypted (`python -m bot.keys
rotate`), and the old key is dropped once `python -m bot.keys check` passes.

Development keys are marked: their first bytes spell `ECM-DEV!`, so a
production start can refuse one wherever it was copied (`bot/production.py`).
`make run` writes one, owner-only from the first byte, to the development
secrets folder (never under the data folder) when no key is configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence, Tuple

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot import settings as settings_module

DEV_MARK = b"ECM-DEV!"


class KeyMissing(RuntimeError):
    """No usable key: none configured, or one that is not a Fernet key."""


class UnknownKey(KeyMissing):
    """Data saved under a key that is not in ENCRYPTION_KEYS (or damaged data)."""


class KeyRing:
    """The configured keys: the first encrypts, any of them decrypts."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyMissing(
                "ENCRYPTION_KEYS is not set (`python -m bot.keys create` makes a key; "
                "make run creates a development key)"
            )
        try:
            self._fernets = [Fernet(key.encode()) for key in keys]
        except (ValueError, TypeError):
            raise KeyMissing(
                "ENCRYPTION_KEYS holds a value that is not a Fernet key "
                "(`python -m bot.keys create` makes one)"
            ) from None
        self._newest = self._fernets[0]
        self._all = MultiFernet(self._fernets)
        self.size = len(self._fernets)

    def encrypt(self, data: bytes) -> bytes:
        return self._newest.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._all.decrypt(token)
        except InvalidToken:
            raise UnknownKey(
                "cannot decrypt: saved under a key that is not in ENCRYPTION_KEYS"
            ) from None

    def is_current(self, token: bytes) -> bool:
        """Whether the newest key reads it (nothing to rotate)."""
        try:
            self._newest.decrypt(token)
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext under the newest key (the original time stamp is kept)."""
        try:
            return self._all.rotate(token)
        except InvalidToken:
            raise UnknownKey(
                "cannot rotate: saved under a key that is not in ENCRYPTION_KEYS"
            ) from None


@lru_cache(maxsize=32)
def derived_key(secret: str, label: bytes) -> bytes:
    """A 32-byte key for one purpose (`label`), derived from a ring key with HKDF-SHA256:
    an encryption key is never itself used to sign or tag."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        secret.encode("utf-8")
    )


def keyed_digest(secret: str, label: bytes, text: str) -> str:
    """HMAC-SHA256 of `text` (hex) under the `label` key derived from `secret`."""
    return hmac.new(derived_key(secret, label), text.encode("utf-8"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)
def _ring(keys: Tuple[str, ...]) -> KeyRing:
    return KeyRing(keys)


def ring(keys: Optional[Sequence[str]] = None) -> KeyRing:
    """The key ring of `keys`, or of the settings (ENCRYPTION_KEYS or the dev key)."""
    if keys is None:
        keys = settings_module.load().encryption_keys
    return _ring(tuple(keys))


def encrypt(text: str) -> bytes:
    return ring().encrypt(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    return ring().decrypt(token).decode("utf-8")


def new_key(development: bool = False) -> str:
    """A new Fernet key; a development one carries the DEV_MARK."""
    raw = secrets.token_bytes(32)
    if development:
        raw = DEV_MARK + raw[len(DEV_MARK) :]
    return base64.urlsafe_b64encode(raw).decode()


def is_development_key(key: str) -> bool:
    try:
        return base64.urlsafe_b64decode(key.encode()).startswith(DEV_MARK)
    except (ValueError, TypeError):
        return False


def write_secret(path: Path, value: str) -> bool:
    """Create `path` holding `value`, owner-only from the start. False if it exists."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    return True


def ensure_dev_key(secrets_dir: Path) -> bool:
    """Create the development key file if there is none. True if one was made."""
    return write_secret(secrets_dir / settings_module.DEV_KEY_FILE, new_key(development=True))
