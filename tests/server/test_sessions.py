"""A member who comes back much later starts a new session with nothing carried over."""

import os

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import SlotSet

from tests.conftest import ROOT

pytestmark = [
    pytest.mark.server,  # needs the trained model
    # Loading a model in this process imports spaCy, TensorFlow, matplotlib...: their
    # own deprecation notices are not ours to fix (the server tests run them apart).
    pytest.mark.filterwarnings(
        "ignore::DeprecationWarning",
        "ignore::UserWarning",
        "ignore::pyparsing.warnings.PyparsingDeprecationWarning",
    ),
]


async def test_slots_do_not_survive_a_new_session():
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    agent = Agent.load(str(ROOT / "models" / "ecm.tar.gz"))
    agent.tracker_store = InMemoryTrackerStore(agent.domain)
    agent.processor.tracker_store = agent.tracker_store
    sender = "sms:+15550104444"
    await agent.handle_text("hi", sender_id=sender)
    tracker = await agent.tracker_store.retrieve(sender)
    tracker.update(SlotSet("worksheet_code", "ECM-7KQ4MX"))
    tracker.update(SlotSet("ws_doctors", "Dr. Lee"))
    two_days = 2 * 24 * 3600
    for event in tracker.events:
        event.timestamp -= two_days  # the member's last message was two days ago
    await agent.tracker_store.save(tracker)

    replies = await agent.handle_text("hello again", sender_id=sender)
    tracker = await agent.tracker_store.retrieve(sender)
    assert tracker.get_slot("worksheet_code") is None
    assert tracker.get_slot("ws_doctors") is None
    assert all("Dr. Lee" not in (r.get("text") or "") for r in replies)
    # the current session holds only the new visit
    said = [e.text for e in tracker.events if e.type_name == "user"]
    assert said == ["hello again"]
