import pytest

from bot import settings


def test_defaults_run_a_fresh_checkout_on_sqlite(tmp_path):
    loaded = settings.load({"ECM_VAR_DIR": str(tmp_path)})
    assert loaded.port == 5005
    assert loaded.action_host == "127.0.0.1"  # the action server has no auth: loopback only
    assert loaded.database_url == f"sqlite:///{tmp_path / 'ecm.db'}"
    assert loaded.tracker_store_url == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert loaded.enable_api is False


def test_port_and_urls_come_from_the_environment():
    loaded = settings.load(
        {
            "PORT": "8080",
            "DATABASE_URL": "postgresql://u:p@localhost/ecm",
            "TRACKER_STORE_URL": "postgresql://u:p@localhost/tracker",
        }
    )
    assert loaded.port == 8080
    assert loaded.database_url == "postgresql://u:p@localhost/ecm"
    assert loaded.rasa_environment()["TRACKER_STORE_URL"] == "postgresql://u:p@localhost/tracker"
    assert loaded.rasa_environment()["RASA_TELEMETRY_ENABLED"] == "false"


@pytest.mark.parametrize(
    "env, message",
    [
        # the Rasa HTTP API can run commands on conversations: never without a token
        ({"RASA_ENABLE_API": "true"}, "RASA_API_TOKEN"),
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"RASA_ENABLE_API": "maybe"}, "true or false"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"TRACKER_CACHE_SIZE": "-1"}, "TRACKER_CACHE_SIZE must be between"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(env, message):
    with pytest.raises(settings.SettingsError, match=message):
        settings.load(env)


def test_api_with_token_is_allowed():
    loaded = settings.load({"RASA_ENABLE_API": "yes", "RASA_API_TOKEN": "s3cret"})
    assert loaded.enable_api and loaded.api_token == "s3cret"


def test_env_example_lists_every_variable_the_settings_read():
    import re

    source = (settings.ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'_(?:str|int|bool)\(env, "([A-Z_]+)"', source))
    read |= set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    listed = set(
        re.findall(r"^#?\s*([A-Z_]+)=", (settings.ROOT / ".env.example").read_text(), re.M)
    )
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"
