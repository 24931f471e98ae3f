import json
import logging
import sqlite3

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import OperationalError

from bot.store import retention, session_scope, sms_records, worksheets
from bot.store.models import (
    AgentSession,
    Handoff,
    SafetyReview,
    SmsMessage,
    SmsOptOut,
    Worksheet,
    WorksheetLookup,
)
from tests.bot.store.conftest import (
    MEMBER,
    MEMBER_PHONE,
    OLD_DAYS,
    OTHER,
    RECENT_DAYS,
    SENTINEL,
    answer_count,
    audit_rows,
    column_values,
    events_left,
    leaky_database_error,
)

PHONE_DIGITS = MEMBER_PHONE.lstrip("+")


def staff_and_opt_outs_kept():
    # the opt-out is the legal record that keeps us from texting the number: never purged
    assert column_values(SmsOptOut.phone) == {MEMBER_PHONE}
    assert len(column_values(WorksheetLookup.id)) == 1  # staff audit stays


def member_gone_other_kept(seeded):
    assert events_left(seeded.tracker_path) == [(OTHER, OLD_DAYS), (OTHER, 0)]
    assert column_values(Worksheet.code) == {seeded.other_old, seeded.other_new}
    assert answer_count() == 4
    assert column_values(Handoff.sender_id) == {OTHER}
    assert column_values(SafetyReview.sender_id) == {OTHER}
    # another member's SMS record and one with no sender reference are not this member's
    assert column_values(SmsMessage.message_sid) == {"SM-other-old", "SM-legacy-old"}
    assert column_values(AgentSession.token_hash) == {"expired", "valid"}  # not member data
    staff_and_opt_outs_kept()


MEMBER_COUNTS = {
    "conversation_events": 3,
    "worksheet_answers": 4,
    "worksheets": 2,
    "handoffs": 1,
    "safety_reviews": 2,
    "sms_messages": 2,
}


def assert_audit_has_no_identifiers(seeded):
    for row in audit_rows():
        text = " ".join(str(v) for v in (row.actor, row.action, row.result, row.details))
        for secret in (MEMBER, PHONE_DIGITS, seeded.member_old, seeded.member_new, SENTINEL):
            assert secret not in text
        assert secret.replace("ECM-", "") not in text


def test_purge_by_days_removes_each_event_by_its_own_time(seeded):
    counts = retention.purge_older_than(30, seeded.tracker_url)
    assert counts == {
        "conversation_events": 3,  # two old events of the member, one of the other
        "worksheet_answers": 4,
        "worksheets": 2,
        "handoffs": 1,
        "safety_reviews": 2,
        "sms_messages": 3,  # the member's old one, the other's old one, the unreferenced one
        "expired_agent_sessions": 1,
        "spent_rate_limits": 1,  # a two-day-old sign-in window; the current one stays
    }
    # a member who texts again keeps the recent messages and loses last year's
    assert events_left(seeded.tracker_path) == [(MEMBER, RECENT_DAYS), (OTHER, 0)]
    assert column_values(Worksheet.code) == {seeded.member_new, seeded.other_new}
    assert answer_count() == 4
    assert worksheets.load(seeded.member_new).answers["ws_doctors"].endswith(SENTINEL)
    assert column_values(Handoff.code) == {seeded.other_new}
    assert column_values(SafetyReview.kind) == {"urgent_need"}
    assert column_values(SmsMessage.message_sid) == {"SM-member-new"}
    assert column_values(AgentSession.token_hash) == {"valid"}
    staff_and_opt_outs_kept()
    (row,) = audit_rows()
    assert (row.actor, row.action, row.result) == ("retention-cli", "purge-days", "ok")
    assert json.loads(row.details) == {"days": 30, "counts": counts}


def test_purge_by_days_twice_finds_nothing_more(seeded):
    retention.purge_older_than(30, seeded.tracker_url)
    again = retention.purge_older_than(30, seeded.tracker_url, actor="retention-daily")
    assert set(again.values()) == {0}
    assert [r.actor for r in audit_rows()] == ["retention-cli", "retention-daily"]


def test_purge_sender_removes_one_members_data_everywhere(seeded):
    counts = retention.purge_sender(MEMBER, seeded.tracker_url)
    assert counts == MEMBER_COUNTS
    member_gone_other_kept(seeded)
    (row,) = audit_rows()
    assert (row.action, row.result) == ("purge-sender", "ok")
    assert json.loads(row.details) == {"counts": counts}
    assert_audit_has_no_identifiers(seeded)


def test_purge_code_removes_the_members_data_not_only_the_worksheet(seeded):
    counts = retention.purge_code(seeded.member_old.lower(), seeded.tracker_url)
    assert counts == MEMBER_COUNTS
    member_gone_other_kept(seeded)
    (row,) = audit_rows()
    assert (row.action, row.result) == ("purge-code", "ok")
    assert json.loads(row.details) == {"found": True, "counts": counts}
    assert_audit_has_no_identifiers(seeded)


def test_purge_code_finds_the_member_by_handoff_once_the_worksheet_aged_out(seeded):
    with session_scope() as session:
        session.execute(delete(Worksheet).where(Worksheet.code == seeded.member_old))
    counts = retention.purge_code(seeded.member_old, seeded.tracker_url)
    assert counts["handoffs"] == 1 and counts["worksheets"] == 1  # the newer worksheet
    assert counts["conversation_events"] == 3


def test_unknown_code_deletes_nothing_and_is_audited(seeded):
    assert retention.purge_code("ECM-ZZZZZZ", seeded.tracker_url) is None
    assert retention.purge_code("not a code", seeded.tracker_url) is None
    assert len(column_values(Worksheet.code)) == 4
    assert [json.loads(r.details) for r in audit_rows()] == [{"found": False, "counts": {}}] * 2


def test_sms_records_written_under_an_older_key_are_still_found(
    database_url, encryption_key, monkeypatch
):
    from cryptography.fernet import Fernet

    assert sms_records.first_delivery("SM-before-rotation", MEMBER)
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},{encryption_key}")
    assert sms_records.first_delivery("SM-after-rotation", MEMBER)
    assert retention.purge_sender(MEMBER)["sms_messages"] == 2


def test_sender_ids_are_matched_exactly(seeded):
    # a conversation id that is a prefix of another is someone else
    assert retention.purge_sender(MEMBER[:-1], seeded.tracker_url)["conversation_events"] == 0
    assert retention.purge_sender(MEMBER.upper(), seeded.tracker_url)["worksheets"] == 0


def test_no_tracker_table_yet(database_url, encryption_key, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert retention.purge_sender(MEMBER, f"sqlite:///{empty}")["conversation_events"] == 0
    missing = tmp_path / "none-yet.db"
    assert retention.purge_sender(MEMBER, f"sqlite:///{missing}")["conversation_events"] == 0
    assert not missing.exists()  # a purge creates no database


def test_days_must_be_positive(database_url):
    with pytest.raises(ValueError):
        retention.purge_older_than(0)


def leaky_error(*_args, **_kwargs):
    raise leaky_database_error()


def test_a_failed_purge_is_audited_and_logged_without_content(seeded, monkeypatch, caplog):
    monkeypatch.setattr(retention, "_delete_events", leaky_error)
    caplog.set_level(logging.INFO)
    with pytest.raises(OperationalError):
        retention.purge_sender(MEMBER, seeded.tracker_url)
    assert len(column_values(Worksheet.code)) == 4  # nothing half done in the application tables
    (row,) = audit_rows()
    assert (row.action, row.result) == ("purge-sender", "error")
    assert json.loads(row.details) == {"counts": {}, "error": "OperationalError"}
    assert "OperationalError" in caplog.text
    for secret in (SENTINEL, PHONE_DIGITS):
        assert secret not in caplog.text
    assert_audit_has_no_identifiers(seeded)


@pytest.fixture
def cli_env(seeded, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_STORE_URL", seeded.tracker_url)
    return seeded


def test_command_line_by_code(cli_env, capsys):
    assert retention.main(["--code", cli_env.member_old]) == 0
    assert "conversation_events: 3" in capsys.readouterr().out
    member_gone_other_kept(cli_env)
    assert retention.main(["--code", cli_env.member_old]) == 1
    assert "no worksheet with that code" in capsys.readouterr().out


def test_command_line_by_days_and_sender(cli_env, capsys):
    assert retention.main(["--days", "30"]) == 0
    assert retention.main(["--sender", MEMBER]) == 0
    assert events_left(cli_env.tracker_path) == [(OTHER, 0)]
    assert [r.action for r in audit_rows()] == ["purge-days", "purge-sender"]
    with pytest.raises(SystemExit):
        retention.main(["--days", "0"])


def test_command_line_failure_prints_no_content(cli_env, monkeypatch, capsys):
    monkeypatch.setattr(retention, "_delete_events", leaky_error)
    assert retention.main(["--sender", MEMBER]) == 1
    output = capsys.readouterr()
    assert "OperationalError" in output.err
    assert PHONE_DIGITS not in output.out + output.err and SENTINEL not in output.err


def test_event_bodies_are_never_read(seeded):
    # the tracker's `data` column is encrypted by the tracker store: retention uses
    # only plain columns, so unreadable bodies change nothing
    with sqlite3.connect(seeded.tracker_path) as connection:
        connection.execute("UPDATE events SET data = 'gAAAAA-not-json'")
    connection.close()
    assert retention.purge_older_than(30, seeded.tracker_url)["conversation_events"] == 3
