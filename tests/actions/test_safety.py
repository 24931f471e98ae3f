from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.safety import ActionSafetyReply
from bot import store
from bot.store.models import SafetyReview
from tests.conftest import make_tracker


def run(tracker):
    dispatcher = CollectingDispatcher()
    events = ActionSafetyReply().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def flags():
    with store.session_scope() as session:
        return [(r.sender_id, r.kind) for r in session.execute(select(SafetyReview)).scalars()]


def test_crisis_gets_the_crisis_reply_and_is_flagged(database_url):
    tracker = make_tracker(intent="crisis", sender_id="rest:m1")
    tracker.latest_message["safety_screen"] = "crisis"
    messages, events = run(tracker)
    assert [m["response"] for m in messages] == ["utter_crisis"]
    assert events == []  # nothing was running, nothing to stop
    assert flags() == [("rest:m1", "crisis")]


def test_an_alarm_mid_form_stops_the_form(database_url):
    tracker = make_tracker(
        intent="emergency",
        active_loop="worksheet_form",
        requested_slot="doctors",
        sender_id="rest:m2",
    )
    messages, events = run(tracker)
    assert [m["response"] for m in messages] == ["utter_emergency"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert {"event": "slot", "name": "requested_slot", "value": None, "timestamp": None} in events
    assert flags() == [("rest:m2", "emergency")]


def test_the_reply_goes_out_even_if_the_database_is_down(tmp_path, caplog):
    store.configure(f"sqlite:///{tmp_path / 'missing-dir' / 'no.db'}")  # cannot be opened
    try:
        messages, _ = run(make_tracker(intent="urgent_need", text="SENTINEL-TEXT"))
    finally:
        store.get_engine().dispose()
    assert [m["response"] for m in messages] == ["utter_urgent_need"]
    assert "safety review could not be recorded" in caplog.text
    assert "SENTINEL-TEXT" not in caplog.text


def test_an_unknown_intent_still_gets_a_safety_reply(database_url):
    messages, _ = run(make_tracker(intent="greet"))
    assert [m["response"] for m in messages] == ["utter_crisis"]
