"""bot/rasa/runtime.py: the environment Rasa's processes get."""

from bot import settings as settings_module
from bot.rasa import runtime


def settings(tmp_path):
    return settings_module.load({"ECM_DEV_SECRETS_DIR": str(tmp_path)})


def test_the_rasa_server_refuses_bodies_over_64_kb(tmp_path, monkeypatch):
    # Sanic reads SANIC_REQUEST_MAX_SIZE when Rasa creates its app; its default is 100 MB
    monkeypatch.setenv("SANIC_REQUEST_MAX_SIZE", "100000000")
    env = runtime.child_env(settings(tmp_path))
    assert env["SANIC_REQUEST_MAX_SIZE"] == str(64 * 1024) == str(runtime.REQUEST_MAX_BYTES)


def test_the_action_server_keeps_room_for_long_conversations(tmp_path, monkeypatch):
    # the Rasa server sends it the whole tracker, which can outgrow 64 KB
    monkeypatch.setenv("SANIC_REQUEST_MAX_SIZE", "1")
    loaded = settings(tmp_path)
    env = runtime.action_server_env(loaded)
    assert "SANIC_REQUEST_MAX_SIZE" not in env
    assert env["SANIC_HOST"] == loaded.action_host


def test_sanic_reads_the_limit_from_the_environment(monkeypatch):
    # guards the mechanism itself against a Sanic upgrade
    from sanic.config import Config

    monkeypatch.setenv("SANIC_REQUEST_MAX_SIZE", "65536")
    assert Config().REQUEST_MAX_SIZE == 65536
