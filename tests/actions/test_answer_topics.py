"""action_answer_topics: both questions of a two-question message answered, in order."""

from rasa_sdk.executor import CollectingDispatcher

from actions.answer_topics import ActionAnswerTopics
from tests.conftest import make_tracker


def topic(value):
    return {"entity": "topic", "value": value}


def run(tracker):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerTopics().run(dispatcher, tracker, {})
    return events, [m["response"] for m in dispatcher.messages]


def test_each_topic_is_answered_in_the_order_asked():
    tracker = make_tracker(
        intent="two_questions", entities=[topic("ask_cost"), topic("ask_keep_doctors")]
    )
    assert run(tracker) == ([], ["utter_ask_cost", "utter_ask_keep_doctors"])


def test_a_person_and_a_complaint_get_their_full_answers():
    # request_human is the handoff; a complaint has its second message
    tracker = make_tracker(
        intent="two_questions", entities=[topic("request_human"), topic("ask_complaint")]
    )
    assert run(tracker)[1] == ["utter_handoff", "utter_ask_complaint", "utter_ask_complaint_more"]


def test_no_topic_gets_the_phone_line():
    # never an empty reply, even if the entities went missing
    assert run(make_tracker(intent="two_questions"))[1] == ["utter_default"]
