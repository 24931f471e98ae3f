import configparser
import dataclasses
import json
import shlex
import threading
import time
from pathlib import Path

import pytest

from bot import settings as settings_module
from bot.store import retention, retention_schedule
from bot.store.models import Worksheet
from tests.bot.store.conftest import (
    MEMBER,
    OTHER,
    RECENT_DAYS,
    SENTINEL,
    audit_rows,
    column_values,
    events_left,
    leaky_database_error,
)
from tests.conftest import ROOT

UNITS = ROOT / "deploy" / "systemd"


def settings_for(seeded, days):
    return dataclasses.replace(
        settings_module.load(), retention_days=days, tracker_store_url=seeded.tracker_url
    )


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def stop():
    event = threading.Event()
    yield event
    event.set()


def test_daily_run_purges_at_start_and_again_each_interval(seeded, stop):
    thread = retention_schedule.start_daily(settings_for(seeded, 30), interval=0.05, stop=stop)
    assert thread is not None and thread.daemon
    assert wait_for(lambda: len(audit_rows()) >= 2)  # at start, then after one interval
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert events_left(seeded.tracker_path) == [(MEMBER, RECENT_DAYS), (OTHER, 0)]
    assert column_values(Worksheet.code) == {seeded.member_new, seeded.other_new}
    rows = audit_rows()
    assert {(r.actor, r.action, r.result) for r in rows} == {
        ("retention-daily", "purge-days", "ok")
    }
    assert json.loads(rows[0].details)["counts"]["conversation_events"] == 3
    assert json.loads(rows[1].details)["counts"]["conversation_events"] == 0


def test_retention_days_zero_starts_nothing(seeded, monkeypatch, stop):
    calls = []
    monkeypatch.setattr(retention, "purge_older_than", lambda *a, **k: calls.append(a))
    assert retention_schedule.start_daily(settings_for(seeded, 0), interval=0.01, stop=stop) is None
    time.sleep(0.2)
    assert calls == [] and audit_rows() == []
    assert len(column_values(Worksheet.code)) == 4


def test_a_database_error_is_logged_without_content_and_retried(seeded, monkeypatch, caplog, stop):
    real = retention._delete_events
    failures = []

    def fail_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise leaky_database_error()
        return real(*args, **kwargs)

    monkeypatch.setattr(retention, "_delete_events", fail_once)
    thread = retention_schedule.start_daily(
        settings_for(seeded, 30), interval=3600, retry_after=0.05, stop=stop
    )
    assert wait_for(lambda: len(audit_rows()) >= 2)
    assert thread.is_alive()  # the failure did not end the thread
    first, second = audit_rows()[:2]
    assert (first.result, json.loads(first.details)["error"]) == ("error", "OperationalError")
    assert second.result == "ok"
    assert "OperationalError" in caplog.text
    assert SENTINEL not in caplog.text and "5550100000" not in caplog.text
    assert events_left(seeded.tracker_path) == [(MEMBER, RECENT_DAYS), (OTHER, 0)]


def test_run_once_survives_anything(seeded, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError(SENTINEL)

    monkeypatch.setattr(retention, "purge_older_than", boom)
    assert retention_schedule.run_once(settings_for(seeded, 30)) is False


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((UNITS / name).read_text())
    return parser


def test_the_systemd_timer_runs_the_retention_command_daily():
    service = unit("ecm-retention.service")["Service"]
    assert service["Type"] == "oneshot"
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name == "python" and argv[1:3] == ["-m", "bot.store.retention"]
    assert argv[3:] == ["--days", "${RETENTION_DAYS}"]
    # what systemd passes after expanding the variable is what the command accepts
    assert retention.build_parser().parse_args(["--days", "90"]).days == 90
    assert "RETENTION_DAYS" in service["ExecCondition"]  # 0 or unset: skipped, not failed
    timer = unit("ecm-retention.timer")
    assert timer["Timer"]["OnCalendar"] == "daily"
    assert timer["Timer"]["Unit"] == "ecm-retention.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
