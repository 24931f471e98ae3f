"""The worksheet through the running assistant, saved encrypted, read back by code."""

import re
import sqlite3

import pytest

from bot import settings, store
from bot.store import worksheets

pytestmark = pytest.mark.server

SENTINEL = "WORKSHEET-SENTINEL-5521"


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_worksheet_saved_through_the_assistant_and_read_back(assistant, monkeypatch):
    say = lambda message: assistant.say("ws-flow", message)  # noqa: E731

    first = say("help me get ready for my call")
    assert "not private" in texts(first) and "Question 1 of 5" in texts(first)
    # an ECM question in the middle is answered, then the same question comes back
    aside = say("wait, does this cost money?")
    assert "does not cost you a thing" in texts(aside) and "Question 1 of 5" in texts(aside)
    assert "Question 2 of 5" in texts(say(f"Dr. Lee at the county clinic {SENTINEL}"))
    assert "Question 3 of 5" in texts(say("skip"))
    assert "Question 2 of 5" in texts(say("go back"))  # change the last answer
    assert "Question 3 of 5" in texts(say("my knee hurts when I walk"))
    emoji = say("🙂")  # an answer with no words is asked again, politely
    assert "answer in words" in texts(emoji) and "Question 3 of 5" in texts(emoji)
    assert "Question 4 of 5" in texts(say("the senior center on Main St"))
    assert "Question 5 of 5" in texts(say("food and rides to the doctor"))
    review = say("when can I start?")
    assert f"Dr. Lee at the county clinic {SENTINEL}" in texts(review)  # web shows answers
    assert any(b["payload"] == "/affirm" for r in review for b in r.get("buttons", []))

    saved = say("yes")
    match = re.search(r"ECM-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", texts(saved))
    assert match, texts(saved)
    code = match.group(0)
    assert "800-675-6110" in texts(saved)
    assert any(r.get("custom", {}).get("type") == "tel" for r in saved)  # widget's tel: link

    handoff = say("can I talk to a real person")
    assert code in texts(handoff) and "800-675-6110" in texts(handoff)

    # read it back through the bot/store API with the key the assistant used
    key = assistant.dev_secret(settings.DEV_KEY_FILE)
    monkeypatch.setenv("ENCRYPTION_KEYS", key)
    store.configure(assistant.env["DATABASE_URL"])
    try:
        record = worksheets.load(code)
        handoffs = worksheets.handoffs_for(code)
    finally:
        store.get_engine().dispose()
    assert record.answers["ws_doctors"] == f"Dr. Lee at the county clinic {SENTINEL}"
    assert record.answers["ws_unseen_needs"] == "my knee hurts when I walk"
    assert record.answers["ws_questions"] == "when can I start?"
    assert record.channel == "rest" and record.complete
    assert len(handoffs) == 2  # at saving, and when they asked for a person

    with sqlite3.connect(assistant.var_dir / "ecm.db") as connection:
        raw = [row[0] for row in connection.execute("SELECT ciphertext FROM worksheet_answers")]
    assert raw and all(SENTINEL.encode() not in (value or b"") for value in raw)
    assert SENTINEL not in assistant.log_path.read_text(errors="replace")


def test_stop_and_discard_then_nothing_is_saved(assistant):
    say = lambda message: assistant.say("ws-stop", message)  # noqa: E731
    say("help me fill out the worksheet")
    say("Dr. Lee")
    ask = say("stop")
    assert "keep the answers" in texts(ask)
    assert "did not keep" in texts(say("no"))


def test_crisis_in_the_middle_of_the_worksheet(assistant):
    say = lambda message: assistant.say("ws-crisis", message)  # noqa: E731
    say("help me get ready for my call")
    reply = say("i want to kill myself")
    assert "988" in texts(reply) and "Question" not in texts(reply)
    # the worksheet stopped: an ordinary question gets an ordinary answer
    assert "does not cost you a thing" in texts(say("is ecm free?"))


def test_change_one_answer_at_the_review(assistant):
    say = lambda message: assistant.say("ws-change", message)  # noqa: E731
    say("help me get ready for my call")
    for answer in ["Dr. Lee", "my knee", "church", "food"]:
        say(answer)
    review = say("none")
    offered = [b["payload"] for r in review for b in r.get("buttons", [])]
    assert "/worksheet_change" in offered
    choices = [b for r in say("/worksheet_change") for b in r.get("buttons", [])]
    assert len(choices) == 5
    asked = say(choices[2]["payload"])  # the third question, about local groups
    assert "Question 3 of 5" in texts(asked)
    again = texts(say("the family resource center"))
    assert "Groups you go to: the family resource center" in again
    assert "Your doctors: Dr. Lee" in again  # the other answers are kept
