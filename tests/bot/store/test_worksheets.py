import sqlite3

import pytest

from bot import worksheet
from bot.store import encryption, session_scope, worksheets
from bot.store.models import Handoff

SENTINEL = "PLAINTEXT-SENTINEL-88"
ANSWERS = {
    "ws_doctors": f"Dr. Lee {SENTINEL}",
    "ws_unseen_needs": worksheet.SKIPPED,
    "ws_community_orgs": "senior center",
    "ws_other_support": "rides",
    "ws_questions": None,
}


def test_save_and_load_round_trip_encrypted(database_url, encryption_key):
    code = worksheets.save("rest:a", "rest", "en", ANSWERS)
    loaded = worksheets.load(code.lower().replace("-", " "))  # as a person types it
    assert loaded.code == code
    assert loaded.answers == ANSWERS
    assert loaded.complete is False  # one question never answered
    path = database_url[len("sqlite:///") :]
    with sqlite3.connect(path) as connection:
        raw = b"".join(
            row[0] or b"" for row in connection.execute("SELECT ciphertext FROM worksheet_answers")
        )
        dump = "\n".join(connection.iterdump())
    assert raw and SENTINEL.encode() not in raw
    assert SENTINEL not in dump


def test_wrong_key_cannot_read(database_url, encryption_key, monkeypatch):
    code = worksheets.save("rest:a", "rest", "en", ANSWERS)
    from cryptography.fernet import Fernet

    monkeypatch.setenv("ENCRYPTION_KEYS", Fernet.generate_key().decode())
    with pytest.raises(encryption.KeyMissing):
        worksheets.load(code)


def test_unknown_code_is_none(database_url, encryption_key):
    assert worksheets.load("ECM-222222") is None
    assert worksheets.load("nonsense") is None


def test_save_without_key_fails_cleanly(database_url, monkeypatch, tmp_path):
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    monkeypatch.setenv("ECM_VAR_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("ECM_DEV_SECRETS_DIR", str(tmp_path / "no-secrets"))
    with pytest.raises(worksheets.SaveFailed):
        worksheets.save("rest:a", "rest", "en", ANSWERS)


def test_database_down_fails_cleanly_and_logs_no_answers(encryption_key, tmp_path, caplog):
    from bot import store

    store.configure(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    try:
        with pytest.raises(worksheets.SaveFailed):
            worksheets.save("rest:a", "rest", "en", ANSWERS)
    finally:
        store.get_engine().dispose()
    assert "worksheet save failed" in caplog.text
    assert SENTINEL not in caplog.text


def test_a_taken_code_is_drawn_again(database_url, encryption_key, monkeypatch):
    first = worksheets.save("rest:a", "rest", "en", ANSWERS)
    draws = iter([first, "ECM-333333"])
    monkeypatch.setattr(worksheet, "new_code", lambda: next(draws))
    assert worksheets.save("rest:b", "rest", "en", ANSWERS) == "ECM-333333"


def test_delete_by_code_removes_answers_and_handoffs(database_url, encryption_key):
    code = worksheets.save("rest:a", "rest", "en", ANSWERS)
    worksheets.record_handoff("rest:a", "rest", code)
    assert worksheets.delete_by_code(code)
    assert worksheets.load(code) is None
    with session_scope() as session:
        assert session.query(Handoff).count() == 0
    path = database_url[len("sqlite:///") :]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM worksheet_answers").fetchone() == (0,)
    assert not worksheets.delete_by_code(code)


def test_handoff_is_recorded(database_url):
    assert worksheets.record_handoff("sms:+15550100000", "twilio_sms", None)
    assert worksheets.record_handoff("rest:a", "rest", "ECM-444444")
    assert [h.channel for h in worksheets.handoffs_for("ECM-444444")] == ["rest"]


def test_save_with_handoff_records_both_at_once(database_url, encryption_key):
    code = worksheets.save("rest:h", "rest", "en", ANSWERS, handoff=True)
    assert [h.code for h in worksheets.handoffs_for(code)] == [code]
