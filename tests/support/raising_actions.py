"""Actions that raise, for tests of what a failing action leaves in logs and replies.

Loaded only by the action server under test (`ECM_TEST_ACTIONS=tests.support.raising_actions`,
refused in production: bot/rasa/action_server.py). Each class replaces the real action
of the same name, and raises when the member's latest message contains `TRIGGER`, with
the member's words and the tracker's slots in the exception's message and in local
variables: exactly what must reach no log line and no reply.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import ActionHandoff
from actions.worksheet import ValidateWorksheetForm

TRIGGER = "RAISE-IN-ACTION"


def raise_if_triggered(tracker: Tracker) -> None:
    text = (tracker.latest_message or {}).get("text") or ""
    if TRIGGER in text:
        slots = dict(tracker.slots)  # a local variable holding every answer so far
        raise KeyError(f"no answer for {text!r}; slots were {slots}")


class RaisingValidateWorksheetForm(ValidateWorksheetForm):
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        raise_if_triggered(tracker)
        return await super().run(dispatcher, tracker, domain)


class RaisingActionHandoff(ActionHandoff):
    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        raise_if_triggered(tracker)
        return super().run(dispatcher, tracker, domain)
