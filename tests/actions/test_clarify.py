import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionClarify, candidate_topics
from bot import content
from tests.conftest import make_tracker

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "ask_cost", "confidence": 0.25},
    {"name": "greet", "confidence": 0.2},  # not a topic: never a button
    {"name": "ask_keep_doctors", "confidence": 0.2},
    {"name": "ask_care_team", "confidence": 0.1},
    {"name": "ask_qualify", "confidence": 0.1},
]


def run(tracker):
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, tracker, {})
    return dispatcher.messages


def test_offers_the_three_closest_topics_as_buttons():
    messages = run(make_tracker(intent="nlu_fallback", intent_ranking=RANKING))
    assert len(messages) == 1
    assert messages[0]["response"] == "utter_clarify"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_cost",
        "/ask_keep_doctors",
        "/ask_care_team",
    ]
    titles = content.topic_titles("en")
    assert messages[0]["buttons"][0]["title"] == titles["ask_cost"]


def test_second_unclear_message_in_a_row_offers_the_phone_line():
    events = [
        {"event": "user", "text": "hmm"},
        {"event": "action", "name": "action_clarify"},
        {"event": "bot", "text": "Did you mean"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hmm again"},
    ]
    messages = run(make_tracker(intent="nlu_fallback", intent_ranking=RANKING, events=events))
    assert [m["response"] for m in messages] == ["utter_clarify_failed"]


def test_no_plausible_topic_gets_the_general_answer():
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "greet", "confidence": 0.2}]
    messages = run(make_tracker(intent="nlu_fallback", intent_ranking=ranking))
    assert [m["response"] for m in messages] == ["utter_default"]


@pytest.mark.parametrize(
    "ranking, expected",
    [
        ([{"name": "ask_cost", "confidence": 0.05}], []),  # too unlikely to offer
        (
            [{"name": "ask_cost", "confidence": 0.2}, {"name": "ask_cost", "confidence": 0.1}],
            ["ask_cost"],
        ),  # no duplicate buttons
    ],
)
def test_candidate_topics(ranking, expected):
    assert candidate_topics(ranking, content.topic_titles("en")) == expected


def test_buttons_are_in_the_conversations_language():
    # a Spanish conversation must never get English "did you mean" titles
    messages = run(
        make_tracker(intent="nlu_fallback", intent_ranking=RANKING, slots={"language": "es"})
    )
    titles = content.topic_titles("es")
    assert [b["title"] for b in messages[0]["buttons"]] == [
        titles["ask_cost"],
        titles["ask_keep_doctors"],
        titles["ask_care_team"],
    ]


def test_a_request_more_likely_not_about_ecm_is_declined_not_clarified():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "out_of_scope", "confidence": 0.28},
        {"name": "ask_cost", "confidence": 0.2},
    ]
    messages = run(make_tracker(intent="nlu_fallback", intent_ranking=ranking))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]
    # and one where a topic is ahead still offers it
    ranking[1]["confidence"] = 0.1
    messages = run(make_tracker(intent="nlu_fallback", intent_ranking=ranking))
    assert messages[0]["response"] == "utter_clarify"
