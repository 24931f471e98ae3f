"""The NLU pipeline's own Rasa components, and the helper they share (decide_intent)."""

from __future__ import annotations

from typing import Any, Dict


def decide_intent(message: Any, name: str) -> Dict[str, Any]:
    """Set `name` as the message's intent with full confidence, first in the ranking."""
    verdict = {"name": name, "confidence": 1.0}
    ranking = [verdict] + [
        item for item in (message.get("intent_ranking") or []) if item.get("name") != name
    ]
    message.set("intent", verdict, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)
    return verdict
