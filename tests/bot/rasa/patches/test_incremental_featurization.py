"""bot.rasa.patches.incremental_featurization gives exactly Rasa's answers, sooner.

`featurize_history_incrementally` (states) and `apply_events_incrementally`
(applied events): every call made while real conversations run through the
trained assistant is checked against Rasa's own function on the same tracker,
and so is every step of a tracker that undoes, restarts and meets a new loop;
and a second call carries on from the first instead of starting over.
"""

import os
from itertools import product

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa.patches import incremental_featurization
from bot.rasa.tracker_store import ConversationStore
from tests.conftest import ROOT

pytestmark = [
    pytest.mark.filterwarnings(
        "ignore::DeprecationWarning",
        "ignore::UserWarning",
        "ignore::pyparsing.warnings.PyparsingDeprecationWarning",
    ),
]

FLAGS = list(
    product(
        [False, True],
        [False, True],
        [None, {"rule_only_slots": ["ws_change_target"], "rule_only_loops": ["worksheet_form"]}],
    )
)

CONVERSATIONS = [
    [
        "hi",
        "what is ecm",
        "help me get ready for my call",
        "Dr. Lee at the county clinic",
        "does it cost money?",
        "skip",
        "back",
        "no",
        "the senior center",
        "food and rides",
        "when can I start?",
        "yes",
        "bye",
    ],
    [
        "hola",
        "cuanto cuesta el programa?",
        "quiero prepararme para mi llamada",
        "no sé",
        "the thing",
        "asdfgh",
        "/restart",
        "can I keep my doctor",
        "help me get ready for my call",
        "stop",
        "who is on my care team",
    ],
    [
        "help me get ready for my call",
        "my doctor is Dr. Kim",
        "I want to hurt myself",
        "can I talk to a person",
        "help me get ready for my call",
        "",
        "x" * 2000,
        "🙂",
    ],
]


def _original(domain, tracker, *flags):
    return Domain._ecm_original_states_for_tracker_history(domain, tracker, *flags)


@pytest.fixture
def domain():
    incremental_featurization.install()
    return Domain.load(str(ROOT / "domain.yml"))


def _same_applied_events(tracker):
    ours = tracker.applied_events()
    theirs = DialogueStateTracker._ecm_original_applied_events(tracker)
    return len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("every", [1, 3, 4])
def test_a_tracker_that_undoes_and_restarts_checked_every_few_events(domain, every):
    # Checked after every event, and after every 3rd or 4th: then an undo and the
    # events after it arrive between two calls, and the history no longer begins
    # with what was replayed although it is as long.
    tracker = DialogueStateTracker("rest:undo", domain.slots)
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet", hide_rule_turn=True),
        BotUttered("hello"),
        ActionExecuted("action_listen"),
        UserUttered("ready", {"name": "worksheet_start", "confidence": 1.0}),
        ActionExecuted("worksheet_form"),
        ActiveLoop("worksheet_form"),
        SlotSet("requested_slot", "ws_doctors"),
        ActionExecuted("action_listen"),
        UserUttered("cost?", {"name": "ask_cost", "confidence": 1.0}),
        ActionExecuted("worksheet_form"),  # an unhappy path of the loop
        ActionExecuted("utter_ask_cost", hide_rule_turn=True),
        ActionExecuted("worksheet_form", hide_rule_turn=True),
        ActionExecuted("action_listen"),
        UserUttered("Dr. Lee", {"name": "inform", "confidence": 1.0}),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered("Dr. Lee", {"name": "inform", "confidence": 1.0}),
        ActionExecuted("worksheet_form"),
        SlotSet("ws_doctors", "Dr. Lee"),
        ActionExecuted("utter_ask_cost"),
        ActionReverted(),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        UserUttered("other", {"name": "other", "confidence": 1.0}),
        ActionExecuted("other_form"),
        ActionExecuted("other_form"),  # a loop name the tracker learns only below
        ActiveLoop("other_form"),
        ActionExecuted("action_listen"),
        UserUttered("bye", {"name": "goodbye", "confidence": 1.0}),
        Restarted(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
    ]
    for number, event in enumerate(events):
        tracker.update(event)
        if number % every and number != 20:
            continue
        assert _same_applied_events(tracker), (number, event)
        for flags in FLAGS:
            assert domain.states_for_tracker_history(tracker, *flags) == _original(
                domain, tracker, *flags
            ), (number, event, flags)
        if number == 20:
            # a caller editing what it got back does not change the next answer
            for flags in FLAGS:
                for state in domain.states_for_tracker_history(tracker, *flags):
                    for sub_state in state.values():
                        sub_state.clear()
                    state.clear()
                assert domain.states_for_tracker_history(tracker, *flags) == _original(
                    domain, tracker, *flags
                )


@pytest.mark.server  # needs the trained model and the running action server
async def test_every_call_while_real_conversations_run_matches_rasa(
    assistant, monkeypatch, tmp_path, encryption_key
):
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    incremental_featurization.install()
    incremental = Domain.states_for_tracker_history
    calls, mismatches = [], []

    def checked(self, tracker, *flags, **named):
        ours = incremental(self, tracker, *flags, **named)
        theirs = Domain._ecm_original_states_for_tracker_history(self, tracker, *flags, **named)
        calls.append(len(tracker.events))
        if ours != theirs:
            mismatches.append((tracker.sender_id, len(tracker.events), flags, named))
        return ours

    monkeypatch.setattr(Domain, "states_for_tracker_history", checked)
    incremental_applied = DialogueStateTracker.applied_events
    applied_calls, applied_mismatches = [], []

    def checked_applied(self):
        ours = incremental_applied(self)
        theirs = DialogueStateTracker._ecm_original_applied_events(self)
        applied_calls.append(len(self.events))
        if len(ours) != len(theirs) or any(a is not b for a, b in zip(ours, theirs, strict=False)):
            applied_mismatches.append((self.sender_id, len(self.events)))
        return ours

    monkeypatch.setattr(DialogueStateTracker, "applied_events", checked_applied)
    action_url = f"http://127.0.0.1:{assistant.env['ACTION_PORT']}/webhook"
    agent = Agent.load(
        str(ROOT / "models" / "ecm.tar.gz"), action_endpoint=EndpointConfig(action_url)
    )
    # our store hands the same tracker object back turn after turn, as in the server
    store = ConversationStore(domain=agent.domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    agent.tracker_store = agent.processor.tracker_store = store
    for number, conversation in enumerate(CONVERSATIONS):
        for text in conversation:
            await agent.handle_text(text, sender_id=f"rest:incremental-{number}")
    assert not mismatches and not applied_mismatches
    assert len(applied_calls) > 100
    assert len(calls) > 50 and max(calls) > 60  # long conversations were featurized


def test_applied_events_after_the_history_is_replaced_or_the_answer_edited(domain):
    from collections import deque

    tracker = DialogueStateTracker("rest:replaced", domain.slots)
    for text in ("one", "two", "three"):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
    assert _same_applied_events(tracker)
    # a caller editing the list it got does not change the next answer
    tracker.applied_events().clear()
    assert _same_applied_events(tracker)
    # the history replaced by other events, as long and longer: read again from the start
    other = [ActionExecuted("action_listen"), UserUttered("x", {"name": "deny"})]
    tracker.events = deque(other * 5)
    assert _same_applied_events(tracker)
    assert [e.text for e in tracker.applied_events() if isinstance(e, UserUttered)] == ["x"] * 5
    tracker.events = deque(other * 6)
    assert _same_applied_events(tracker)


def _counting(monkeypatch, tracker, name):
    calls = []
    method = getattr(tracker, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return method(*args, **kwargs)

    monkeypatch.setattr(tracker, name, counted)
    return calls


def test_a_second_call_carries_on_from_where_the_first_got_to(domain, monkeypatch):
    # Rasa replays from a fresh copy of the tracker (init_copy) and reads every
    # event again (the undo too) on every call; ours does each once at most.
    tracker = DialogueStateTracker("rest:again", domain.slots)
    for event in (
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        ActionReverted(),
    ):
        tracker.update(event)
    copies = _counting(monkeypatch, tracker, "init_copy")
    undos = _counting(monkeypatch, tracker, "_undo_till_previous")
    for text in ("one", "two", "three"):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
        assert tracker.applied_events()
        assert domain.states_for_tracker_history(tracker)
    assert len(copies) == 1 and len(undos) <= 1, (copies, undos)
    monkeypatch.undo()
    assert _same_applied_events(tracker)
    assert domain.states_for_tracker_history(tracker) == _original(domain, tracker)
