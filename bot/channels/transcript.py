"""A web conversation's transcript as the widget shows it after a reload.

What the member and the assistant said since the conversation's last session
start: button presses shown by their titles, the internal `/empty_message` and
`/message_too_long` left out. A conversation idle past the domain's session
expiration has ended (the widget starts over then too): it shows nothing.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

HIDDEN_TEXTS = {"/empty_message", "/message_too_long"}


def transcript(events: List[Any]) -> List[Dict[str, Any]]:
    """User and assistant messages since the conversation's last session start."""
    items: List[Dict[str, Any]] = []
    for event in events:
        kind = getattr(event, "type_name", None)
        if kind == "session_started":
            items = []
        elif kind == "user":
            text = event.text or ""
            if text in HIDDEN_TEXTS:
                continue
            if text.startswith("/"):  # a button the member pressed: show its title
                text = _button_title(items, text) or text
            items.append({"from": "member", "text": text})
        elif kind == "bot":
            data = event.data or {}
            item: Dict[str, Any] = {"from": "assistant", "text": event.text or ""}
            if data.get("buttons"):
                item["buttons"] = data["buttons"]
            if data.get("custom"):
                item["custom"] = data["custom"]
            key = (event.metadata or {}).get("utter_action")
            if key:
                item["response"] = key
            items.append(item)
    return items


def _button_title(items: List[Dict[str, Any]], payload: str) -> Optional[str]:
    for item in reversed(items):
        for button in item.get("buttons") or []:
            if button.get("payload") == payload:
                return button.get("title")
        if item["from"] == "member":
            break
    return None


def ended(tracker: Any, domain: Any, now: Optional[float] = None) -> bool:
    """The server's session has expired (the domain's `session_config`)."""
    config = getattr(domain, "session_config", None)
    minutes = getattr(config, "session_expiration_time", 0) or 0
    if not minutes or not tracker.events:
        return False
    return (now or time.time()) - tracker.events[-1].timestamp > minutes * 60


def for_widget(tracker: Any, domain: Any) -> List[Dict[str, Any]]:
    """The transcript, each assistant message marked with the conversation's language."""
    if tracker is None or ended(tracker, domain):
        return []
    messages = transcript(tracker.events)
    language = tracker.get_slot("language") or "en"
    for item in messages:
        if item["from"] == "assistant":
            item["lang"] = language
    return messages
