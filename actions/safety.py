"""action_safety_reply: the fixed crisis/emergency/urgent-need reply; the flow stops."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import safety
from bot.store import reviews


class ActionSafetyReply(Action):
    def name(self) -> str:
        return "action_safety_reply"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        latest = tracker.latest_message or {}
        kind = latest.get("safety_screen") or (latest.get("intent") or {}).get("name")
        if kind not in safety.KINDS:
            kind = safety.CRISIS  # never answer a rule-matched alarm with nothing
        dispatcher.utter_message(response=f"utter_{kind}")
        reviews.flag(tracker.sender_id, tracker.get_latest_input_channel() or "unknown", kind)
        events: List[Dict[str, Any]] = []
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events
