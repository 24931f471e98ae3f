"""The web chat widget's home on the assistant's server (`/webhooks/web/...`).

- `GET /webhooks/web/widget.js` and `/widget.css`: the widget the plan embeds
  with one script tag (no outside CDN);
- `GET /webhooks/web/demo`: a demo "plan site" page with the widget embedded;
- `GET /webhooks/web/history?session=<id>`: this session's transcript, so the
  conversation survives a page reload. The id is random (128 bits) and namespaced
  like the REST channel's senders (`rest:<id>`); the member's words stay on the
  server, never in the browser's storage.

Messages themselves go to the REST channel (`/webhooks/rest/webhook`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.inbound import namespaced

STATIC = Path(__file__).resolve().parent / "assets"
SESSION_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ASSETS = {"widget.js": "application/javascript", "widget.css": "text/css"}
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


class WebChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> WebChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("ecm_web_widget", __name__)

        @blueprint.route("/<asset:(widget\\.js|widget\\.css)>", methods=["GET"])
        async def asset(request: Request, asset: str) -> HTTPResponse:
            return await response.file(
                STATIC / asset, mime_type=ASSETS[asset], headers={"Cache-Control": "no-cache"}
            )

        @blueprint.route("/demo", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "demo.html", mime_type="text/html")

        @blueprint.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            session = request.args.get("session", "")
            if not SESSION_PATTERN.match(session):
                return response.json({"error": "unknown session"}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or agent.tracker_store is None:
                return response.json({"messages": []})
            tracker = await agent.tracker_store.retrieve(namespaced("rest", session))
            messages = transcript(tracker.events) if tracker else []
            language = (tracker.get_slot("language") if tracker else None) or "en"
            for item in messages:
                if item["from"] == "assistant":
                    item["lang"] = language
            return response.json({"messages": messages}, headers={"Cache-Control": "no-store"})

        return blueprint
