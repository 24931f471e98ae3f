"""action_handoff: send the member to Health Net's 24/7 line, with their code if any."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.store import worksheets


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        code = tracker.get_slot("worksheet_code")
        worksheets.record_handoff(
            tracker.sender_id, tracker.get_latest_input_channel() or "unknown", code
        )
        if code:
            dispatcher.utter_message(response="utter_handoff_with_code", code=code)
        else:
            dispatcher.utter_message(response="utter_handoff")
        return []
