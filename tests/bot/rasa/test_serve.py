"""make run's preparations: development secrets apart and owner-only, the data folder private."""

import os
import stat

import pytest

from bot import settings
from bot.rasa import serve
from bot.store import encryption


@pytest.fixture(autouse=True)
def _environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ECM_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ECM_DEV_SECRETS_DIR", str(tmp_path / "dev"))
    for name in ("ENCRYPTION_KEYS", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def _settings(tmp_path):
    return settings.load()


def test_development_secrets_are_made_once_owner_only_and_marked(tmp_path, capsys):
    loaded = serve.ensure_dev_secrets(_settings(tmp_path))
    key_file = tmp_path / "dev" / settings.DEV_KEY_FILE
    token_file = tmp_path / "dev" / settings.DEV_TWILIO_TOKEN_FILE
    for path in (key_file, token_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "dev").stat().st_mode) == 0o700
    assert loaded.encryption_keys == (key_file.read_text().strip(),)
    assert encryption.is_development_key(loaded.encryption_keys[0])
    assert loaded.twilio_auth_token.startswith("devonly-")
    assert "development-only secret" in capsys.readouterr().out
    again = serve.ensure_dev_secrets(loaded)
    assert again.encryption_keys == loaded.encryption_keys
    assert not (tmp_path / "var").exists()  # nothing secret in the data folder


def test_secrets_an_older_version_left_in_the_data_folder_are_moved_out(tmp_path):
    (tmp_path / "var").mkdir()
    old_key = encryption.new_key()
    (tmp_path / "var" / "dev-encryption.key").write_text(old_key + "\n")
    loaded = serve.ensure_dev_secrets(_settings(tmp_path))
    assert loaded.encryption_keys == (old_key,)  # what it encrypted stays readable
    assert not (tmp_path / "var" / "dev-encryption.key").exists()


def test_the_data_folder_and_its_databases_become_owner_only(tmp_path):
    umask = os.umask(0o022)
    try:
        var = tmp_path / "var"
        var.mkdir(mode=0o755)
        (var / "ecm.db").write_text("")
        (var / "ecm.db").chmod(0o644)
        serve.owner_only(_settings(tmp_path))
        (var / "tracker.db").write_text("")  # created after: the umask covers it
        assert stat.S_IMODE(var.stat().st_mode) == 0o700
        for name in ("ecm.db", "tracker.db"):
            assert stat.S_IMODE((var / name).stat().st_mode) == 0o600
    finally:
        os.umask(umask)
