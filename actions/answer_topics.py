"""action_answer_topics: a message that asked two things gets both answers, in order.

The intent classifier marks such a message `two_questions` with one `topic`
entity per question (bot/rasa/components/intent_classifier.py). Each topic's
scripted answer is sent as usual, in the conversation's language.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

# Answers that need a second message after the first (the domain keeps both).
FOLLOW_UPS = {"utter_ask_complaint": "utter_ask_complaint_more"}
TOPIC = "topic"


def utter_answer(dispatcher: CollectingDispatcher, intent: str) -> None:
    """The scripted answer of one topic (request_human: the handoff)."""
    response = "utter_handoff" if intent == "request_human" else f"utter_{intent}"
    dispatcher.utter_message(response=response)
    if response in FOLLOW_UPS:
        dispatcher.utter_message(response=FOLLOW_UPS[response])


def asked_topics(latest_message: Dict[str, Any]) -> List[str]:
    """The topics of a two-question message, in the order they were asked."""
    topics: List[str] = []
    for entity in latest_message.get("entities") or []:
        value = entity.get("value")
        if entity.get("entity") == TOPIC and value and value not in topics:
            topics.append(value)
    return topics


class ActionAnswerTopics(Action):
    def name(self) -> str:
        return "action_answer_topics"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        topics = asked_topics(tracker.latest_message or {})
        if not topics:
            dispatcher.utter_message(response="utter_default")
        for topic in topics:
            utter_answer(dispatcher, topic)
        return []
