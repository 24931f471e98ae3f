"""The one place that reads the environment.

Every variable is listed in `.env.example`. Defaults make a fresh checkout run
with an embedded SQLite database under the git-ignored `var/` folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
MODELS_DIR = ROOT / "models"


DEV_KEY_FILE = "dev-encryption.key"
DEV_TWILIO_TOKEN_FILE = "dev-twilio-token"  # noqa: S105 - a file name


def _read_secret(path: Path) -> Optional[str]:
    """A development secret that `make run` generated under var/ (never in git)."""
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


class SettingsError(ValueError):
    """A variable in the environment has a value we cannot use."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _str(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name)
    return default if raw is None or raw.strip() == "" else raw.strip()


@dataclass(frozen=True)
class Settings:
    """Typed, immutable configuration (Rasa 3.6 pins pydantic 1, so a dataclass)."""

    host: str
    port: int
    action_host: str
    action_port: int
    database_url: str
    tracker_store_url: str
    enable_api: bool
    api_token: Optional[str]
    max_message_chars: int
    tracker_cache_size: int
    log_level: str
    var_dir: Path
    encryption_key: Optional[str]
    twilio_account_sid: Optional[str]
    twilio_auth_token: Optional[str]
    public_base_url: str

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    def rasa_environment(self) -> dict:
        """Variables the Rasa and action-server processes need (`${VAR}` in YAML)."""
        return {
            "RASA_TELEMETRY_ENABLED": "false",
            "DATABASE_URL": self.database_url,
            "TRACKER_STORE_URL": self.tracker_store_url,
            "ACTION_ENDPOINT_URL": self.action_endpoint_url,
            "MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "TRACKER_CACHE_SIZE": str(self.tracker_cache_size),
            "ECM_VAR_DIR": str(self.var_dir),
            **({"ENCRYPTION_KEY": self.encryption_key} if self.encryption_key else {}),
            **({"TWILIO_AUTH_TOKEN": self.twilio_auth_token} if self.twilio_auth_token else {}),
            "PUBLIC_BASE_URL": self.public_base_url,
        }


def rasa_patches_off(env: Optional[Mapping[str, str]] = None) -> FrozenSet[str]:
    """RASA_PATCHES_OFF: names of bot/rasa/patches/ changes to leave out (comma list).

    Read on its own, not by `load()`: the Rasa server process applies the patches
    before anything else and needs nothing more from the settings.
    """
    env = os.environ if env is None else env
    raw = _str(env, "RASA_PATCHES_OFF", "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def load(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    var_dir = Path(_str(env, "ECM_VAR_DIR", str(VAR_DIR)))
    enable_api = _bool(env, "RASA_ENABLE_API", False)
    api_token = env.get("RASA_API_TOKEN") or None
    if enable_api and not api_token:
        raise SettingsError(
            "RASA_ENABLE_API is true but RASA_API_TOKEN is empty: "
            "the Rasa HTTP API may only run behind a token"
        )
    log_level = _str(env, "LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {log_level!r}")
    port = _int(env, "PORT", 5005, 1, 65535)
    return Settings(
        host=_str(env, "HOST", "0.0.0.0"),
        port=port,
        action_host=_str(env, "ACTION_HOST", "127.0.0.1"),
        action_port=_int(env, "ACTION_PORT", 5055, 1, 65535),
        database_url=_str(env, "DATABASE_URL", f"sqlite:///{var_dir / 'ecm.db'}"),
        tracker_store_url=_str(env, "TRACKER_STORE_URL", f"sqlite:///{var_dir / 'tracker.db'}"),
        enable_api=enable_api,
        api_token=api_token,
        max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 1000, 50, 1600),
        tracker_cache_size=_int(env, "TRACKER_CACHE_SIZE", 500, 0, 100_000),
        log_level=log_level,
        var_dir=var_dir,
        encryption_key=env.get("ENCRYPTION_KEY") or _read_secret(var_dir / DEV_KEY_FILE),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN")
        or _read_secret(var_dir / DEV_TWILIO_TOKEN_FILE),
        public_base_url=_str(env, "PUBLIC_BASE_URL", f"http://localhost:{port}").rstrip("/"),
    )
