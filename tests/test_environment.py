"""`make test` passes whatever the caller has exported: the assistant under test
(tests/conftest.py RunningAssistant) never sees the caller's own settings."""

import re

import pytest

from bot.settings import ROOT
from tests.conftest import RunningAssistant, app_variables

# what a developer with a production shell might have exported
CALLER = {
    "TWILIO_AUTH_TOKEN": "caller-twilio-token",
    "TWILIO_ACCOUNT_SID": "ACcaller",
    "PUBLIC_BASE_URL": "https://caller.example.org",
    "REST_API_TOKEN": "caller-rest-token",
    "APP_ENV": "production",
    "ENCRYPTION_KEYS": "caller-key-1,caller-key-2",
    "LOG_LEVEL": "DEBUG",
    "DATABASE_URL": "postgresql://caller@db/ecm",
    "TRACKER_STORE_URL": "postgresql://caller@db/tracker",
    "MAX_MESSAGE_CHARS": "50",
    "RASA_ENABLE_API": "true",
    "RASA_API_TOKEN": "caller-api-token",
    "WEB_ALLOWED_ORIGINS": "https://caller.example.org",
    "RETENTION_DAYS": "1",
    "RASA_PATCHES_OFF": "no_tensorflow",
    "ECM_VAR_DIR": "/caller/var",
    "ECM_DEV_SECRETS_DIR": "/caller/secrets",
    "PORT": "80",
    "HOST": "0.0.0.0",
}


def test_every_setting_the_code_reads_is_listed_in_env_example():
    # RunningAssistant drops the .env.example names: a setting missing there would leak
    source = (ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'\(env, "([A-Z][A-Z0-9_]+)"', source))
    assert read and read <= app_variables()


def test_the_assistant_under_test_gets_none_of_the_callers_values(tmp_path, monkeypatch):
    for name, value in CALLER.items():
        monkeypatch.setenv(name, value)
    running = RunningAssistant(tmp_path / "var", tmp_path / "server.log")
    leaked = {name for name, value in CALLER.items() if running.env.get(name) == value}
    assert not leaked
    for name in ("TWILIO_AUTH_TOKEN", "REST_API_TOKEN", "APP_ENV", "ENCRYPTION_KEYS"):
        assert name not in running.env
    assert running.env["LOG_LEVEL"] == "INFO"


@pytest.mark.server
def test_sms_works_with_the_callers_settings_exported(tmp_path, monkeypatch):
    # one real server start with everything above exported: signed SMS still answered
    from bot import settings
    from bot.tools import sms_sim

    for name, value in CALLER.items():
        monkeypatch.setenv(name, value)
    running = RunningAssistant(tmp_path / "var", tmp_path / "server.log")
    running.start()
    try:
        token = running.dev_secret(settings.DEV_TWILIO_TOKEN_FILE)
        public = f"http://localhost:{running.port}"
        status, body = sms_sim.send(running.base_url, token, public, "+15550109999", "HELP")
        assert status == 200, body
        assert "800-675-6110" in " ".join(body)
    finally:
        running.stop()
