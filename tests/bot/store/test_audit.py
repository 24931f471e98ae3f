import json
import logging

from bot import store
from bot.store import audit, session_scope
from bot.store.models import AuditEvent


def test_record_and_read_back(database_url):
    assert audit.record("retention-cli", "purge-days", details={"days": 30, "counts": {"x": 1}})
    assert audit.record("console", "sign-in", audit.ERROR, {"reason": "bad-password"})
    newest, oldest = audit.recent()
    assert (newest.actor, newest.action, newest.result) == ("console", "sign-in", "error")
    assert oldest.details == {"counts": {"x": 1}, "days": 30}
    assert newest.at is not None
    assert [e.action for e in audit.recent(action="purge-days")] == ["purge-days"]


def test_add_commits_with_the_work_or_not_at_all(database_url):
    try:
        with session_scope() as session:
            audit.add(session, "retention-cli", "purge-days", details={"days": 1})
            raise RuntimeError("the work failed")
    except RuntimeError:
        pass
    assert audit.recent() == []
    with session_scope() as session:
        audit.add(session, "retention-cli", "purge-days")
    (entry,) = audit.recent()
    assert entry.details == {}


def test_details_are_json_text(database_url):
    audit.record("retention-daily", "purge-days", details={"counts": {"worksheets": 2}})
    with session_scope() as session:
        (raw,) = session.query(AuditEvent.details).one()
    assert json.loads(raw) == {"counts": {"worksheets": 2}}


def test_record_never_raises(database_url, tmp_path, caplog):
    store.configure(f"sqlite:///{tmp_path / 'no-tables.db'}")  # no audit_events table
    assert audit.record("retention-daily", "purge-days", audit.ERROR, {"days": 1}) is False
    assert "OperationalError" in caplog.text
    assert caplog.records[-1].levelno == logging.ERROR


def test_console_rows_keep_the_client_address(database_url):
    audit.record("alvarez", "sign-in", client_address="203.0.113.7")
    assert audit.recent()[0].client_address == "203.0.113.7"


def test_csv_export_neutralises_spreadsheet_formulas(database_url):
    import csv
    import io

    audit.record('=HYPERLINK("http://x")', "sign-in", audit.ERROR, client_address="+1")
    audit.record("@SUM(A1)", "try", details={"n": 1})
    audit.record("-2+3", "checks", client_address="203.0.113.7")
    rows = list(csv.reader(io.StringIO(audit.as_csv(audit.recent()))))
    assert rows[0] == ["at", "actor", "action", "result", "client_address", "details"]
    actors = [row[1] for row in rows[1:]]
    assert actors == ["'-2+3", "'@SUM(A1)", '\'=HYPERLINK("http://x")']
    assert rows[3][4] == "'+1" and rows[1][4] == "203.0.113.7"
    assert rows[2][5] == '{"n": 1}'
