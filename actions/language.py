"""action_other_language: the flyer's tagline in the member's language, then the
language-help line in English (Health Net's interpreters take it from there)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionOtherLanguage(Action):
    def name(self) -> str:
        return "action_other_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        code = (tracker.latest_message or {}).get("other_language")
        tagline = f"utter_tagline_{code}"
        if code and tagline in (domain.get("responses") or {}):
            dispatcher.utter_message(response=tagline)
        dispatcher.utter_message(response="utter_other_language")
        return []
