"""action_clarify: when the model is unsure, offer the closest topics (in the
conversation's language); then the phone line. When "not about ECM" is at least
as likely as any topic, say what the assistant can help with instead."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import content

MAX_CHOICES = 3
MIN_CONFIDENCE = 0.1
OUT_OF_SCOPE = "out_of_scope"


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


def looks_out_of_scope(ranking: List[Dict[str, Any]], topics: List[str]) -> bool:
    """True when the model rates "not about ECM" at least as high as the best topic."""
    confidence = {item.get("name"): item.get("confidence") or 0.0 for item in ranking}
    best_topic = max((confidence.get(t, 0.0) for t in topics), default=0.0)
    return OUT_OF_SCOPE in confidence and confidence[OUT_OF_SCOPE] >= best_topic


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if previous_action(tracker) == self.name():
            dispatcher.utter_message(response="utter_clarify_failed")
            return []
        titles = content.topic_titles(tracker.get_slot("language") or "en")
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        topics = candidate_topics(ranking, titles)
        if looks_out_of_scope(ranking, topics):
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if not topics:
            dispatcher.utter_message(response="utter_default")
            return []
        buttons = [{"title": titles[topic], "payload": f"/{topic}"} for topic in topics]
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
