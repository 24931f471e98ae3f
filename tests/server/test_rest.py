"""The running assistant over real HTTP: greeting, health, input hardening, logs."""

import json
import sqlite3

import pytest

pytestmark = pytest.mark.server

SENTINEL = "ZEBRA-SENTINEL-4417"


def texts(replies):
    return " ".join(reply.get("text", "") for reply in replies)


def test_hi_gets_a_welcome_that_says_what_it_can_do(assistant):
    replies = assistant.say("welcome-test", "hi")
    assert replies, "no reply"
    assert "Enhanced Care Management (ECM)" in texts(replies)
    assert all(reply["recipient_id"] == "rest:welcome-test" for reply in replies)


def test_health_reports_model_and_database(assistant):
    status, body = assistant.request("GET", "/webhooks/rest/health")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "model": True, "database": True}


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", "did not get any words"),  # empty
        ("   ", "did not get any words"),  # only spaces
        (None, "did not get any words"),  # no message field at all
        ("x" * 10_000, "too long"),  # far over the limit
        ("🙂🙂🙂", ""),  # emoji only: the model decides, but there is always an answer
    ],
)
def test_bad_input_gets_a_polite_answer(assistant, message, expected):
    replies = assistant.say("bad-input", message)
    assert texts(replies).strip(), "a silent reply"
    assert expected in texts(replies)


def test_a_typed_slash_command_is_not_obeyed(assistant):
    # `/bot_challenge` would trigger that intent directly in stock Rasa.
    replies = assistant.say("slash-test", "/bot_challenge")
    assert "computer helper" not in texts(replies)
    replies = assistant.say("slash-test", '/greet{"requested_slot": "x"}')
    assert replies  # answered as plain words, no crash


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hi"},  # no sender
        {"sender": "+1 (555) 010-0000", "message": "hi"},  # not a plain id
        {"sender": "sms:+15550100000", "message": "hi"},  # another channel's namespace
        {"sender": "a" * 65, "message": "hi"},
        {"sender": "ok", "message": 42},
        ["not", "an", "object"],
    ],
)
def test_malformed_requests_get_400(assistant, body):
    status, payload = assistant.request("POST", "/webhooks/rest/webhook", body)
    assert status == 400
    assert "error" in json.loads(payload)


def test_invalid_json_gets_400(assistant):
    status, _ = assistant.request("POST", "/webhooks/rest/webhook", raw=b"{not json")
    assert status == 400


def test_conversations_are_stored_under_the_channel_namespace(assistant):
    assistant.say("namespace-test", "hello")
    with sqlite3.connect(assistant.var_dir / "tracker.db") as connection:
        senders = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert "rest:namespace-test" in senders
    assert "namespace-test" not in senders


def test_the_rasa_http_api_is_off(assistant):
    status, _ = assistant.request("GET", "/conversations/rest:namespace-test/tracker")
    assert status == 404


def test_member_text_never_reaches_the_logs(assistant):
    assistant.say("log-test", f"hello my name is {SENTINEL} and my doctor is Dr {SENTINEL}")
    assistant.say("log-test", f"/{SENTINEL}")
    assistant.say("log-test", SENTINEL * 200)
    assistant.say("log-test", f"{SENTINEL} i want to kill myself")  # custom action + database
    assistant.say("log-test", f"{SENTINEL} blorf")  # low confidence: the clarify action
    log = assistant.log_path.read_text(errors="replace")
    assert "The assistant is ready." in log
    assert SENTINEL not in log


def test_unclear_message_offers_topics_and_a_button_works(assistant):
    replies = assistant.say("clarify-test", "the care thing")
    buttons = [b for reply in replies for b in reply.get("buttons", [])]
    assert 1 <= len(buttons) <= 3
    assert all(b["payload"].startswith("/ask_") or b["payload"].startswith("/") for b in buttons)
    # the offered payload is accepted as the member's choice
    chosen = buttons[0]["payload"]
    answer = assistant.say("clarify-test", chosen)
    assert texts(answer) and "not sure what you mean" not in texts(answer)
    # a second unclear message in a row gets the phone line, not more buttons
    assistant.say("clarify-test-2", "the care thing")
    again = assistant.say("clarify-test-2", "hmm")
    assert "800-675-6110" in texts(again)


def test_crisis_reply_and_staff_review_flag(assistant):
    assistant.say("crisis-test", "how much does ecm cost")
    replies = assistant.say("crisis-test", "honestly i just want to die")
    assert "988" in texts(replies) and "911" in texts(replies)
    with sqlite3.connect(assistant.var_dir / "ecm.db") as connection:
        rows = connection.execute(
            "SELECT kind, channel FROM safety_reviews WHERE sender_id = 'rest:crisis-test'"
        ).fetchall()
    assert rows == [("crisis", "rest")]
