"""Member words at rest: a sentinel typed over REST and SMS (FAQ turns and a whole
worksheet) is in no file under the data folder (SQLite, WAL and SHM included), no
log line and, on PostgreSQL, no pg_dump; the assistant still works with them."""

import re
import stat

import pytest

from bot import settings
from bot.store import encryption
from bot.tools import sms_sim
from tests import postgres
from tests.conftest import RunningAssistant, free_port
from tests.server import test_web_access as web

pytestmark = pytest.mark.server

SENTINEL = "ZqxPhiSentinel4471"
CODE = re.compile(r"ECM-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def converse(assistant: RunningAssistant, tag: str) -> str:
    """FAQ turns and a confirmed worksheet over REST, FAQ and worksheet over SMS."""
    say = lambda message: assistant.say(f"phi-{tag}", message)  # noqa: E731
    assert "does not cost" in texts(say(f"how much does ecm cost, I live at {SENTINEL} St"))
    assert "Question 1 of 5" in texts(say("help me get ready for my call"))
    for n in range(2, 6):
        assert f"Question {n} of 5" in texts(say(f"answer {n - 1} {SENTINEL}"))
    review = say(f"my last question {SENTINEL}")
    assert SENTINEL in texts(review)  # the member sees their answers to check them
    saved = texts(say("yes"))
    code = CODE.search(saved).group(0)

    token = assistant.dev_secret(settings.DEV_TWILIO_TOKEN_FILE)
    public = f"http://localhost:{assistant.port}"

    def sms(text):
        status, replies = sms_sim.send(assistant.base_url, token, public, "+15550107788", text)
        assert status == 200
        return "\n".join(replies)

    assert "does not cost" in sms(f"is ecm free? my name is {SENTINEL}")
    assert "Question 1 of 5" in sms("help me fill out the worksheet")
    for n in range(2, 6):
        assert f"Question {n} of 5" in sms(f"sms answer {n - 1} {SENTINEL}")
    sms(f"sms last {SENTINEL}")
    assert CODE.search(sms("yes"))

    replies, cookie = web.say(assistant, f"what is ecm? my phone is {SENTINEL}")
    assert replies
    return code, cookie


def files_holding(folder, needle: bytes):
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and needle.lower() in path.read_bytes().lower():
            found.append(str(path.relative_to(folder)))
    return found


def agent_finds(assistant: RunningAssistant, code: str, monkeypatch) -> dict:
    from bot import store
    from bot.store import worksheets

    monkeypatch.setenv("ENCRYPTION_KEYS", assistant.dev_secret(settings.DEV_KEY_FILE))
    store.configure(assistant.env["DATABASE_URL"])
    try:
        return worksheets.load(code).answers
    finally:
        store.get_engine().dispose()


def check_member_data_unreadable(assistant, code, cookie, log, monkeypatch):
    needle = SENTINEL.encode()
    assert files_holding(assistant.var_dir, needle) == []  # while running: WAL and SHM too
    # it still works: the conversation goes on, the agent reads the worksheet by code,
    # and the web transcript reloads with the member's words
    assert "does not cost" in texts(assistant.say("phi-rest", "and is it free?"))
    assert SENTINEL in web.texts(web.history(assistant, cookie))
    assert agent_finds(assistant, code, monkeypatch)["ws_doctors"] == f"answer 1 {SENTINEL}"
    assistant.stop()
    assert files_holding(assistant.var_dir, needle) == []
    assert needle.lower() not in log.read_bytes().lower()


def test_sqlite_holds_no_member_words_in_clear(tmp_path, monkeypatch):
    var_dir = tmp_path / "var"
    log = tmp_path / "server.log"  # outside the data folder, checked on its own
    assistant = RunningAssistant(var_dir, log)
    assistant.start()
    try:
        code, cookie = converse(assistant, "rest")
        check_member_data_unreadable(assistant, code, cookie, log, monkeypatch)
    finally:
        assistant.stop()
    # the data folder and its databases are the owner's alone; the key is elsewhere
    assert stat.S_IMODE(var_dir.stat().st_mode) == 0o700
    for path in var_dir.glob("*.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    secrets_dir = var_dir.parent / (var_dir.name + "-dev-secrets")
    key_file = secrets_dir / settings.DEV_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert encryption.is_development_key(key_file.read_text().strip())
    assert not any(p.name.startswith("DEV-ONLY") for p in var_dir.rglob("*"))


def test_postgresql_holds_no_member_words_in_clear(tmp_path, monkeypatch):
    server = postgres.started(free_port())
    try:
        var_dir = tmp_path / "var"
        log = tmp_path / "server.log"
        assistant = RunningAssistant(
            var_dir,
            log,
            {
                "DATABASE_URL": server.create_database("ecm"),
                "TRACKER_STORE_URL": server.create_database("ecm_tracker"),
            },
        )
        assistant.start()
        try:
            code, cookie = converse(assistant, "rest")
            for database in ("ecm", "ecm_tracker"):
                assert SENTINEL.encode().lower() not in server.dump(database).lower(), database
            assert int(server.psql("ecm_tracker", "SELECT count(*) FROM events")) > 50
            check_member_data_unreadable(assistant, code, cookie, log, monkeypatch)
        finally:
            assistant.stop()
    finally:
        server.stop()
