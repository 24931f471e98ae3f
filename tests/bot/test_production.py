"""APP_ENV=production refuses each missing or unsafe setting, with its own message."""

import os
import subprocess

import pytest

from bot import production, settings
from bot.store import encryption
from tests.conftest import ROOT, app_variables, production_env

SAFE = production_env()

UNSAFE = {
    "no encryption keys": ({"ENCRYPTION_KEYS": ""}, "ENCRYPTION_KEYS is not set"),
    "a development key": (
        {"ENCRYPTION_KEYS": encryption.new_key(development=True)},
        "ENCRYPTION_KEYS holds a development key",
    ),
    "a broken key": ({"ENCRYPTION_KEYS": "not-a-key"}, "not a Fernet key"),
    "no Twilio token": ({"TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN is not set"),
    "a development Twilio token": (
        {"TWILIO_AUTH_TOKEN": production.DEV_TOKEN_PREFIX + "abc"},
        "TWILIO_AUTH_TOKEN is a development token",
    ),
    "plain-http address": (
        {"PUBLIC_BASE_URL": "http://chat.example.org"},
        "PUBLIC_BASE_URL must be an https address",
    ),
    "DEBUG logging": ({"LOG_LEVEL": "DEBUG"}, "LOG_LEVEL=DEBUG logs members' messages"),
}


def _settings(tmp_path, **changes):
    env = {**SAFE, "ECM_DEV_SECRETS_DIR": str(tmp_path / "dev"), **changes}
    return settings.load(env)


def test_a_safe_production_configuration_passes(tmp_path):
    assert production.problems(_settings(tmp_path)) == []


def test_development_needs_none_of_it(tmp_path):
    loose = _settings(tmp_path, APP_ENV="", ENCRYPTION_KEYS="", TWILIO_AUTH_TOKEN="",
                      PUBLIC_BASE_URL="", LOG_LEVEL="DEBUG")
    assert not loose.production and production.problems(loose) == []


@pytest.mark.parametrize("case", list(UNSAFE))
def test_each_unsafe_setting_is_named(case, tmp_path):
    changes, message = UNSAFE[case]
    found = production.problems(_settings(tmp_path, **changes))
    assert len(found) == 1 and message in found[0]


def test_a_development_key_file_is_not_used_in_production(tmp_path):
    encryption.ensure_dev_key(tmp_path / "dev")
    loaded = _settings(tmp_path, ENCRYPTION_KEYS="")
    assert loaded.encryption_keys  # found the development key file ...
    assert "ENCRYPTION_KEYS is not set" in production.problems(loaded)[0]  # ... and refused it


@pytest.mark.parametrize("case", list(UNSAFE))
def test_make_run_exits_non_zero_with_the_message(case, tmp_path):
    changes, message = UNSAFE[case]
    env = {
        **{k: v for k, v in os.environ.items() if k not in app_variables()},
        **SAFE,
        "ECM_VAR_DIR": str(tmp_path / "var"),
        "ECM_DEV_SECRETS_DIR": str(tmp_path / "dev"),
        **changes,
    }
    done = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode != 0
    assert "APP_ENV=production refuses to start: " in done.stderr and message in done.stderr
    assert not (tmp_path / "dev").exists()  # no development secret was made
