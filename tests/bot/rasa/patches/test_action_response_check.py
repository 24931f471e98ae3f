"""bot.rasa.patches.action_response_check: Rasa's verdict and error on every
custom-action response, without Rasa's jsonschema.validate() call each time."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa.patches import action_response_check


def test_the_cached_validator_accepts_and_refuses_like_rasa():
    action_response_check.install()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


def test_a_response_is_checked_without_calling_jsonschema_validate(monkeypatch):
    # Rasa's own check calls jsonschema.validate(), which checks the schema itself
    # against the meta-schema every time (about 20 ms): ours never calls it
    action_response_check.install()

    def validate(*args, **kwargs):
        raise AssertionError("jsonschema.validate() was called")

    monkeypatch.setattr(jsonschema, "validate", validate)
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "slot"}]})


def _events():
    """One event of every kind Rasa knows, as an action server sends it."""
    from rasa.shared.core import events as e

    made = [
        e.UserUttered(
            "hi",
            {"name": "greet", "confidence": 1.0},
            [{"entity": "x", "start": 0, "end": 1, "value": "h"}],
        ),
        e.ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0),
        e.SlotSet("ws_doctors", "Dr. Lee"),
        e.SlotSet("ws_doctors", None),
        e.EntitiesAdded([{"entity": "x", "start": 0, "end": 1, "value": "h"}]),
        e.DefinePrevUserUtteredFeaturization(False),
        e.ReminderCancelled(name="r"),
        e.ReminderScheduled(
            "intent", trigger_date_time=__import__("datetime").datetime(2030, 1, 1)
        ),
        e.ActionExecutionRejected("worksheet_form"),
        e.LoopInterrupted(True),
        e.ActiveLoop("worksheet_form"),
        e.ActiveLoop(None),
        e.AllSlotsReset(),
        e.ConversationResumed(),
        e.ConversationPaused(),
        e.FollowupAction("action_listen"),
        e.StoryExported(),
        e.Restarted(),
        e.ActionReverted(),
        e.UserUtteranceReverted(),
        e.BotUttered("hello", {"buttons": []}, {"utter_action": "utter_greet"}),
        e.SessionStarted(),
        e.AgentUttered("hello"),
    ]
    # the two legacy kinds Rasa 3 still reads but no longer writes
    legacy = [
        {"event": "form", "name": "worksheet_form", "timestamp": None},
        {"event": "form_validation", "validate": True, "timestamp": None},
    ]
    return [event.as_dict() for event in made] + legacy


def _variants(event):
    """The event as it is, and broken in every way we can think of."""
    yield event
    for key in list(event):
        without = dict(event)
        del without[key]
        yield without
        for wrong in (5, 1.5, True, None, "text", [], {}, ["a"], {"a": 1}):
            yield {**event, key: wrong}
    yield {**event, "extra": 1}
    yield {**event, "event": "no_such_event"}
    yield {**event, "event": ["slot"]}


def _responses():
    events = _events()
    assert len({e["event"] for e in events}) == 23  # every branch of Rasa's oneOf
    for event in events:
        for number, variant in enumerate(_variants(event)):
            yield {"events": [variant]}
            if number % 2 == 0:  # and among others
                yield {"events": [events[0], variant, events[2]], "responses": [{"text": "hi"}]}
    yield from (
        {},
        {"events": [], "responses": []},
        {"events": events, "responses": [{"response": "utter_greet", "buttons": []}]},
        {"events": ["not an object"]},
        {"events": [None]},
        {"events": None},
        {"events": {"event": "slot"}},
        {"responses": "not a list"},
        {"responses": [1, 2]},
        {"responses": None},
        {"responses": [{}], "extra": True},
        [],
        "text",
        None,
        5,
    )


def test_the_quick_check_agrees_with_jsonschema_on_every_response():
    action_response_check.install()
    schema = RemoteAction.action_response_format_spec()
    validator = jsonschema.validators.validator_for(schema)(schema)
    action = RemoteAction("action_x", None)
    assert RemoteAction._ecm_fast_check({"events": _events()})  # the quick path is in use
    accepted = refused = 0
    for response in _responses():
        # what jsonschema.validate(response, schema), Rasa's own call, raises
        error = jsonschema.exceptions.best_match(validator.iter_errors(response))
        expected = None if error is None else error.message
        # the quick check never accepts what jsonschema refuses
        assert action._ecm_fast_check(response) == (expected is None), response
        if expected is None:
            accepted += 1
            assert action._validate_action_result(response) is True
        else:
            refused += 1
            with pytest.raises(ValidationError) as raised:
                action._validate_action_result(response)
            assert raised.value.message.startswith(expected)
            assert "Failed to validate Action server response" in raised.value.message
    assert accepted > 400 and refused > 800, (accepted, refused)
