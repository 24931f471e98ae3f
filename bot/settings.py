"""The one place that reads the environment.

Every variable is listed in `.env.example`. Defaults make a fresh checkout run
with an embedded SQLite database under the git-ignored `var/` folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Mapping, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
MODELS_DIR = ROOT / "models"
# Development secrets (made by `make run` when the environment sets none) live
# apart from the data folder, so a copy of var/ never carries the key that reads it.
DEV_SECRETS_DIR = ROOT / ".dev-secrets"

DEV_KEY_FILE = "DEV-ONLY-encryption.key"
DEV_TWILIO_TOKEN_FILE = "DEV-ONLY-twilio-token"  # noqa: S105 - a file name
APP_ENVIRONMENTS = ("development", "production")


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


def _list(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    """A comma-separated list, blanks dropped, order kept."""
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


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
    app_env: str
    dev_secrets_dir: Path
    # newest first: the first encrypts, all of them decrypt (bot/store/encryption.py)
    encryption_keys: Tuple[str, ...]
    encryption_keys_from_env: bool
    rest_api_token: Optional[str]
    web_allowed_origins: Tuple[str, ...]
    retention_days: int
    twilio_account_sid: Optional[str]
    twilio_auth_token: Optional[str]
    twilio_auth_token_from_env: bool
    public_base_url: str
    # empty: Rasa's in-memory lock store (one process); set: bot/rasa/lock_store.py
    redis_url: str = ""

    @property
    def production(self) -> bool:
        return self.app_env == "production"

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    @property
    def lock_store_type(self) -> str:
        """endpoints.yml `lock_store: type:`, from REDIS_URL (empty: Rasa's default)."""
        return "bot.rasa.lock_store.RedisTicketLockStore" if self.redis_url else "in_memory"

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
            "APP_ENV": self.app_env,
            "ECM_DEV_SECRETS_DIR": str(self.dev_secrets_dir),
            **(
                {"ENCRYPTION_KEYS": ",".join(self.encryption_keys)}
                if self.encryption_keys
                else {}
            ),
            **({"REST_API_TOKEN": self.rest_api_token} if self.rest_api_token else {}),
            "WEB_ALLOWED_ORIGINS": ",".join(self.web_allowed_origins),
            "RETENTION_DAYS": str(self.retention_days),
            **({"TWILIO_AUTH_TOKEN": self.twilio_auth_token} if self.twilio_auth_token else {}),
            "PUBLIC_BASE_URL": self.public_base_url,
            "REDIS_URL": self.redis_url,
            "LOCK_STORE_TYPE": self.lock_store_type,
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
    app_env = _str(env, "APP_ENV", "development").lower()
    if app_env not in APP_ENVIRONMENTS:
        raise SettingsError(f"APP_ENV must be development or production, not {app_env!r}")
    dev_secrets_dir = Path(_str(env, "ECM_DEV_SECRETS_DIR", str(DEV_SECRETS_DIR)))
    env_keys = _list(env, "ENCRYPTION_KEYS")
    dev_key = _read_secret(dev_secrets_dir / DEV_KEY_FILE)
    origins = tuple(origin.rstrip("/") for origin in _list(env, "WEB_ALLOWED_ORIGINS"))
    for origin in origins:
        if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
            raise SettingsError(
                f"WEB_ALLOWED_ORIGINS entries are origins like https://www.example.org, "
                f"not {origin!r}"
            )
    redis_url = _str(env, "REDIS_URL", "")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
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
        app_env=app_env,
        dev_secrets_dir=dev_secrets_dir,
        encryption_keys=env_keys or ((dev_key,) if dev_key else ()),
        encryption_keys_from_env=bool(env_keys),
        rest_api_token=env.get("REST_API_TOKEN") or None,
        web_allowed_origins=origins,
        retention_days=_int(env, "RETENTION_DAYS", 0, 0, 36_500),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN")
        or _read_secret(dev_secrets_dir / DEV_TWILIO_TOKEN_FILE),
        twilio_auth_token_from_env=bool(env.get("TWILIO_AUTH_TOKEN")),
        public_base_url=_str(env, "PUBLIC_BASE_URL", f"http://localhost:{port}").rstrip("/"),
        redis_url=redis_url,
    )
