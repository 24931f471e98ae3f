"""Encryption at rest for worksheet answers (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from ENCRYPTION_KEY (a Fernet key: `python -m bot.store.encryption`
prints a new one). `make run` generates a development key under var/ when
none is set, and says so.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot import settings as settings_module


class KeyMissing(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError):
        raise KeyMissing("ENCRYPTION_KEY is not a valid Fernet key") from None


def cipher() -> Fernet:
    key = settings_module.load().encryption_key
    if not key:
        raise KeyMissing("ENCRYPTION_KEY is not set (make run creates a development key)")
    return _fernet(key)


def encrypt(text: str) -> bytes:
    return cipher().encrypt(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    try:
        return cipher().decrypt(token).decode("utf-8")
    except InvalidToken:
        raise KeyMissing(
            "cannot decrypt: ENCRYPTION_KEY is not the key this was saved with"
        ) from None


def ensure_dev_key(var_dir: Path) -> bool:
    """Create var/dev-encryption.key if no key is configured. True if one was made."""
    path = var_dir / settings_module.DEV_KEY_FILE
    if path.exists():
        return False
    var_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(Fernet.generate_key().decode() + "\n")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    print(Fernet.generate_key().decode())
    sys.exit(0)
