"""action_clarify: when the model is unsure, offer the closest topics; then the phone line."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import content

MAX_CHOICES = 3
MIN_CONFIDENCE = 0.1


def previous_action(tracker: Tracker) -> str:
    """The last action the assistant ran before the member's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return ""
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") or ""
    return ""


def candidate_topics(ranking: List[Dict[str, Any]], titles: Dict[str, str]) -> List[str]:
    """Up to three answerable intents from the model's ranking, best first."""
    picked = []
    for item in ranking:
        name = item.get("name")
        if (
            name in titles
            and (item.get("confidence") or 0) >= MIN_CONFIDENCE
            and name not in picked
        ):
            picked.append(name)
        if len(picked) == MAX_CHOICES:
            break
    return picked


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if previous_action(tracker) == self.name():
            dispatcher.utter_message(response="utter_clarify_failed")
            return []
        titles = content.topic_titles("en")
        topics = candidate_topics(
            (tracker.latest_message or {}).get("intent_ranking") or [], titles
        )
        if not topics:
            dispatcher.utter_message(response="utter_default")
            return []
        buttons = [{"title": titles[topic], "payload": f"/{topic}"} for topic in topics]
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
