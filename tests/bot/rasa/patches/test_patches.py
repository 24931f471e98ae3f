"""bot.rasa.patches: the registry, RASA_PATCHES_OFF, and the refusal of any Rasa
but the one the patches were written for."""

import importlib
import importlib.metadata
import os
import subprocess
import sys

import pytest

from bot.rasa import patches
from bot.rasa.patches import (
    action_failure_reply,
    action_response_check,
    incremental_featurization,
    no_tensorflow,
)
from bot.settings import SettingsError, rasa_patches_off
from tests.conftest import ROOT


def _pretend_rasa(monkeypatch, version):
    """importlib.metadata answering `version` for rasa (and the truth for the rest)."""
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: version if name == "rasa" else real(name)
    )


@pytest.fixture
def installed(monkeypatch):
    """Which installers `install()` calls, in order (none of them really runs)."""
    calls = []
    for name in patches.PATCHES:
        monkeypatch.setitem(patches.PATCHES, name, lambda name=name: calls.append(name))
    return calls


def test_the_registry_names_each_module_installer_in_order():
    assert patches.PATCHES == {
        "no_tensorflow": no_tensorflow.install,
        "action_response_check": action_response_check.install,
        "incremental_featurization": incremental_featurization.install,
        "action_failure_reply": action_failure_reply.install,
    }


def test_install_applies_every_change_in_order(installed, monkeypatch):
    monkeypatch.delenv("RASA_PATCHES_OFF", raising=False)
    patches.install()
    assert installed == [
        "no_tensorflow",
        "action_response_check",
        "incremental_featurization",
        "action_failure_reply",
    ]


def test_rasa_patches_off_leaves_the_named_changes_out(installed, monkeypatch):
    monkeypatch.setenv("RASA_PATCHES_OFF", " no_tensorflow, incremental_featurization ,")
    patches.install()
    assert installed == ["action_response_check", "action_failure_reply"]
    patches.install(off=["action_response_check"])  # named in the call: the variable unread
    assert installed[2:] == ["no_tensorflow", "incremental_featurization", "action_failure_reply"]


def test_an_unknown_name_in_rasa_patches_off_is_refused_clearly(installed, monkeypatch):
    assert rasa_patches_off(
        {"RASA_PATCHES_OFF": " no_tensorflow, incremental_featurization ,"}
    ) == {
        "no_tensorflow",
        "incremental_featurization",
    }
    assert rasa_patches_off({}) == frozenset()
    with pytest.raises(SettingsError, match="no such change: no_tensorfow"):
        patches.install(off=["no_tensorfow"])
    monkeypatch.setenv("RASA_PATCHES_OFF", "no_tensorflow,bogus")
    with pytest.raises(
        SettingsError,
        match=r"^RASA_PATCHES_OFF names no such change: bogus \(there are: no_tensorflow, "
        r"action_response_check, incremental_featurization, action_failure_reply\)$",
    ):
        patches.install()
    assert installed == []  # nothing applied when refused


def test_the_rasa_version_is_read_from_the_package_metadata(monkeypatch):
    assert patches.installed_rasa_version() == patches.RASA_VERSION == "3.6.21"
    _pretend_rasa(monkeypatch, "3.6.20")
    assert patches.installed_rasa_version() == "3.6.20"

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert patches.installed_rasa_version() is None


@pytest.mark.parametrize(
    ("found", "says"),
    [
        ("3.6.20", "but rasa 3.6.20 is installed"),
        ("3.7.0", "but rasa 3.7.0 is installed"),
        (None, "but no rasa is installed"),
    ],
)
def test_any_other_rasa_version_is_refused_clearly(monkeypatch, found, says):
    monkeypatch.setattr(patches, "installed_rasa_version", lambda: found)
    with pytest.raises(patches.RasaVersionError) as raised:
        patches.check_rasa_version()
    message = str(raised.value)
    assert message.startswith(f"bot.rasa.patches were written for rasa 3.6.21, {says}: ")
    assert "install rasa==3.6.21" in message
    assert isinstance(raised.value, SettingsError)  # bot.rasa.main reports it in one line


def test_the_version_is_checked_when_the_package_is_imported(monkeypatch):
    _pretend_rasa(monkeypatch, "3.6.20")
    monkeypatch.delitem(sys.modules, "bot.rasa.patches")  # put back after the test
    with pytest.raises(SettingsError, match="written for rasa 3.6.21, but rasa 3.6.20") as raised:
        importlib.import_module("bot.rasa.patches")
    assert type(raised.value).__name__ == "RasaVersionError"


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_patches_imports_no_rasa():
    # they must be installed before Rasa is imported, so the check cannot import it
    done = _python(
        "import sys, bot.rasa.patches; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'tensorflow')))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


OTHER_RASA = """
import importlib.metadata, sys
real = importlib.metadata.version
importlib.metadata.version = lambda name: "3.6.20" if name == "rasa" else real(name)
sys.argv = ["rasa", "--version"]
from bot.rasa.main import main
main()
"""


def test_bot_rasa_main_reports_another_rasa_version_in_one_line():
    done = _python(OTHER_RASA)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        "error: bot.rasa.patches were written for rasa 3.6.21, but rasa 3.6.20 is installed: "
    )
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_bot_rasa_main_reports_an_unknown_patch_name_in_one_line():
    done = _python("from bot.rasa.main import main; main()", RASA_PATCHES_OFF="bogus")
    assert done.returncode == 2
    assert done.stderr.startswith("error: RASA_PATCHES_OFF names no such change: bogus ")
    assert done.stderr.count("\n") == 1
