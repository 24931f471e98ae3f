"""What `APP_ENV=production` refuses to start with, one clear message each.

Development (the default) keeps `make run` zero-setup: it makes development
secrets when none are set. Production makes none and checks that:
- ENCRYPTION_KEYS is set, and holds no development key (marked `ECM-DEV!`);
- TWILIO_AUTH_TOKEN is set, and is not a development token;
- PUBLIC_BASE_URL is https (Twilio signs the URL it calls; members' texts
  must not cross the internet in the clear);
- LOG_LEVEL is not DEBUG (Rasa logs members' messages at DEBUG).
"""

from __future__ import annotations

from typing import List

from bot.settings import Settings
from bot.store import encryption

DEV_TOKEN_PREFIX = "devonly-"  # noqa: S105 - the mark of a development token, not a token


def problems(settings: Settings) -> List[str]:
    """Every reason this configuration may not run in production (empty: fine)."""
    if not settings.production:
        return []
    found = []
    if not settings.encryption_keys_from_env:
        found.append(
            "ENCRYPTION_KEYS is not set: production needs its own keys "
            "(`python -m bot.keys create` makes one)"
        )
    elif any(encryption.is_development_key(key) for key in settings.encryption_keys):
        found.append(
            "ENCRYPTION_KEYS holds a development key (made by make run): "
            "create a production key with `python -m bot.keys create`"
        )
    else:
        try:
            encryption.ring(settings.encryption_keys)
        except encryption.KeyMissing as error:
            found.append(str(error))
    if not settings.twilio_auth_token_from_env:
        found.append("TWILIO_AUTH_TOKEN is not set: SMS webhooks cannot be verified")
    elif (settings.twilio_auth_token or "").startswith(DEV_TOKEN_PREFIX):
        found.append("TWILIO_AUTH_TOKEN is a development token: use the Twilio account's")
    if not settings.public_base_url.startswith("https://"):
        found.append(
            f"PUBLIC_BASE_URL must be an https address, not {settings.public_base_url!r}"
        )
    if settings.log_level == "DEBUG":
        found.append("LOG_LEVEL=DEBUG logs members' messages: use INFO or higher")
    return found
