"""scripts/install: which locks it installs, with hashes, and when it does nothing.

Runs the real script in a scratch checkout whose `.venv/bin/python` is a stand-in
that answers the version question and records every pip call."""

import shutil
import subprocess

import pytest

from bot.settings import ROOT

FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-c" ]; then echo 3.10; exit 0; fi
echo "$*" >> "$(dirname "$0")/../../pip-calls"
"""


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "install", tmp_path / "scripts" / "install")
    (tmp_path / "requirements.lock").write_text("rasa==3.6.21 \\\n    --hash=sha256:aa\n")
    (tmp_path / "requirements-dev.lock").write_text("pytest==8.4.2 \\\n    --hash=sha256:bb\n")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def install(checkout, *flags):
    """The pip install calls one run made (the pip self-pin and `pip check` left out)."""
    calls = checkout / "pip-calls"
    calls.unlink(missing_ok=True)
    subprocess.run([str(checkout / "scripts" / "install"), *flags], check=True, capture_output=True)
    made = calls.read_text().splitlines() if calls.exists() else []
    return [call for call in made if "-r " in call]


def test_dev_installs_both_locks_with_hashes_and_only_once(checkout):
    (call,) = install(checkout, "--dev")
    assert "--require-hashes --no-deps" in call
    assert "-r requirements.lock -r requirements-dev.lock" in call
    assert install(checkout, "--dev") == []
    assert install(checkout) == []  # the runtime is part of what is there


def test_the_runtime_install_leaves_the_test_tools_out(checkout):
    (call,) = install(checkout)
    assert "-r requirements.lock" in call and "requirements-dev.lock" not in call
    assert install(checkout) == []
    (call,) = install(checkout, "--dev")  # the dev lock was never installed
    assert "requirements-dev.lock" in call


def test_a_changed_lock_is_installed_again(checkout):
    install(checkout, "--dev")
    (checkout / "requirements-dev.lock").write_text("pytest==8.4.3 \\\n    --hash=sha256:cc\n")
    assert install(checkout) == []  # the runtime did not change
    assert len(install(checkout, "--dev")) == 1
    (checkout / "requirements.lock").write_text("rasa==3.6.22 \\\n    --hash=sha256:dd\n")
    assert len(install(checkout)) == 1
    assert install(checkout, "--dev") == []  # the dev lock's line was kept


def test_a_stamp_from_before_the_split_means_installing(checkout):
    # the old stamp held only the single lock's sha256
    (checkout / ".venv" / ".installed-lock").write_text("0" * 64 + "\n")
    assert len(install(checkout, "--dev")) == 1


def test_unknown_flags_are_refused(checkout):
    result = subprocess.run([str(checkout / "scripts" / "install"), "--prod"], capture_output=True)
    assert result.returncode == 2
