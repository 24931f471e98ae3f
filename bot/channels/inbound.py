"""What every channel shares: preparing a member's text before Rasa sees it,
the sender's namespace, the reply collector, and running blocking work off the loop.

Rasa treats a message whose `str.strip()` starts with `/` as a command
(`/intent{"slot": ...}`, RegexMessageHandler) and skips the NLU model. A member
may only send such a payload when the assistant just offered exactly it as a
button; anything else loses every leading slash-like character, space (any
Unicode kind) and invisible format character, so Rasa reads it as ordinary words. Empty and over-long messages become the
internal intents `/empty_message` and `/message_too_long`, which the domain
answers politely.
"""

from __future__ import annotations

import asyncio
import unicodedata
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

EMPTY_MESSAGE = "/empty_message"
MESSAGE_TOO_LONG = "/message_too_long"
# `/` and the characters that look like it (fullwidth, division, fraction, big solidus)
SLASHES = frozenset("/\uff0f\u2215\u2044\u29f8\u2571\u27cb")
# what else may stand before a slash unseen: separators (Z*), format (Cf), control (Cc)
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})


def offered_buttons(events: Sequence[Any]) -> List[dict]:
    """The buttons of the assistant's latest message in a tracker's events.

    `events` are Rasa event objects or their dict form. Only the bot messages
    after the member's last message count: older buttons are no longer on offer.
    """
    buttons: List[dict] = []
    for event in reversed(list(events)):
        kind = event.get("event") if isinstance(event, dict) else getattr(event, "type_name", None)
        if kind == "user":
            break
        if kind == "bot":
            data = event.get("data") if isinstance(event, dict) else getattr(event, "data", None)
            found = (data or {}).get("buttons") or []
            if found:
                buttons = list(found) + buttons
    return buttons


def _is_leading_noise(char: str) -> bool:
    return char in SLASHES or char.isspace() or unicodedata.category(char) in INVISIBLE_CATEGORIES


def without_command_prefix(text: str) -> str:
    """`text` without any leading slashes, spaces or invisible characters (in any mix),
    so Rasa can never read it as a `/intent` command."""
    start = 0
    while start < len(text) and _is_leading_noise(text[start]):
        start += 1
    return text[start:].strip()


def prepare_text(text: Optional[str], offered: Iterable[dict], max_chars: int) -> str:
    """Return the text to hand to Rasa for what the member sent."""
    # str.strip(), as Rasa does, before the payload comparison
    cleaned = (text or "").replace("\x00", "").strip()
    if not cleaned:
        return EMPTY_MESSAGE
    if len(cleaned) > max_chars:
        return MESSAGE_TOO_LONG
    if cleaned.startswith("/"):
        payloads = {str(button.get("payload", "")) for button in offered}
        if cleaned in payloads:
            return cleaned
    cleaned = without_command_prefix(cleaned)
    return cleaned or EMPTY_MESSAGE


def metadata_for(prepared: str, original: Optional[str], max_chars: int) -> Optional[dict]:
    """For an over-long message, its first `max_chars` characters: the worksheet keeps
    those as the answer (and says so) instead of losing what the member wrote."""
    if prepared == MESSAGE_TOO_LONG and original:
        return {"capped_text": original.strip()[:max_chars]}
    return None


async def deliver(
    on_new_message: Callable[[UserMessage], Any],
    collector: CollectingOutputChannel,
    sender_id: str,
    channel: str,
    text: str,
    original: Optional[str],
    max_chars: int,
) -> Optional[str]:
    """Hand one prepared member message to Rasa, replies into `collector`. None when
    it was handled; else the error's type name, for a log line without the text."""
    try:
        await on_new_message(
            UserMessage(
                text,
                collector,
                sender_id,
                input_channel=channel,
                metadata=metadata_for(text, original, max_chars),
            )
        )
    except Exception as error:  # noqa: BLE001 - any failure: the caller answers politely
        return type(error).__name__
    return None


async def in_thread(function: Callable, *args: Any) -> Any:
    """Run blocking work (database calls) off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def namespaced(channel: str, sender: str) -> str:
    return f"{channel}:{sender}"


async def offered_buttons_for(app: Any, sender_id: str) -> List[dict]:
    """Buttons the assistant last offered this conversation (empty if unknown)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    if agent is None or agent.tracker_store is None:
        return []
    tracker = await agent.tracker_store.retrieve(sender_id)
    return offered_buttons(tracker.events) if tracker else []


async def prepared_text(app: Any, sender_id: str, text: Optional[str], max_chars: int) -> str:
    """`inbound.prepare_text`, looking up offered buttons only for a `/` message."""
    offered: List[dict] = []
    if (text or "").strip().startswith("/"):
        offered = await offered_buttons_for(app, sender_id)
    return prepare_text(text, offered, max_chars)


class KeyedCollector(CollectingOutputChannel):
    """Collects the assistant's messages and tags each with the domain response it
    came from (`response`), so the widget can mark the crisis reply as an alert and
    the agent console can show the script's key."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        key = message.get("utter_action")
        before = len(self.messages)
        await super().send_response(recipient_id, dict(message))
        if key:
            for collected in self.messages[before:]:
                collected["response"] = key
