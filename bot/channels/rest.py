"""The REST channel at `/webhooks/rest/webhook`, hardened.

Differences from Rasa 3.6's stock `RestInput`:
- the client's `sender` is namespaced (`rest:<sender>`), so it can never name
  another channel's conversation (an SMS member's phone number, say);
- the client cannot choose `input_channel` or inject metadata;
- member text passes through `bot.channels.inbound.prepare_text` (no `/intent`
  commands unless just offered as a button; empty and over-long messages are
  answered politely);
- failures are logged without the member's text;
- `GET /webhooks/rest/health` reports whether the model and database are ready.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import content
from bot import settings as settings_module
from bot.channels import inbound
from bot.channels.inbound import KeyedCollector, namespaced, prepared_text

logger = logging.getLogger(__name__)

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _spanish_patterns(domain: Any) -> Dict[str, List[Any]]:
    """Per response key, regexes of its Spanish variations ({placeholders} match anything)."""
    cached = getattr(domain, "_ecm_spanish_patterns", None)
    if cached is None:
        cached = {}
        for key, variations in (getattr(domain, "responses", None) or {}).items():
            for variation in variations:
                if content.variation_language(variation) == "es":
                    parts = re.split(r"{\w+}", variation.get("text") or "")
                    cached.setdefault(key, []).append(
                        re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$", re.S)
                    )
        domain._ecm_spanish_patterns = cached
    return cached


async def tag_language(app: Any, sender_id: str, messages: List[dict]) -> None:
    """Mark each reply with its language (the widget sets `lang`): a reply is Spanish
    when it is one of its response's Spanish variations. No extra database read."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    domain = getattr(agent, "domain", None)
    if domain is None:
        return
    patterns = _spanish_patterns(domain)
    for message in messages:
        key, text = message.get("response"), message.get("text") or ""
        spanish = any(p.match(text) for p in patterns.get(key, [])) if key else False
        if key:
            message["lang"] = "es" if spanish else "en"


def database_ready() -> bool:
    from sqlalchemy import text as sql

    from bot.store import get_engine

    try:
        with get_engine().connect() as connection:
            connection.execute(sql("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("health: the application database is not reachable")
        return False


class RestChannel(InputChannel):
    """JSON in (`{"sender": ..., "message": ...}`), the assistant's messages out."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> RestChannel:
        return cls()

    def __init__(self, max_chars: Optional[int] = None) -> None:
        self.max_chars = max_chars or settings_module.load().max_message_chars

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint(f"ecm_{self.name()}_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def root(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            model_ready = bool(agent and agent.is_ready())
            db_ready = database_ready()
            status = 200 if model_ready and db_ready else 503
            return response.json(
                {
                    "status": "ok" if status == 200 else "unavailable",
                    "model": model_ready,
                    "database": db_ready,
                },
                status=status,
            )

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - sanic raises on malformed JSON
                body = None
            if not isinstance(body, dict):
                return response.json(
                    {"error": "send a JSON object with sender and message"}, status=400
                )
            sender = body.get("sender")
            if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
                return response.json(
                    {"error": "sender must be 1-64 letters, digits, '-' or '_'"}, status=400
                )
            message = body.get("message")
            if message is not None and not isinstance(message, str):
                return response.json({"error": "message must be text"}, status=400)
            sender_id = namespaced(self.name(), sender)
            text = await prepared_text(request.app, sender_id, message, self.max_chars)
            collector = KeyedCollector()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=inbound.metadata_for(text, message, self.max_chars),
                    )
                )
            except Exception:  # noqa: BLE001 - never echo or log the member's text
                logger.error("rest: handling a message failed (%s)", sender_id, exc_info=False)
                return response.json(
                    {"error": "The assistant could not answer just now. Please try again."},
                    status=503,
                )
            await tag_language(request.app, sender_id, collector.messages)
            return response.json(collector.messages)

        return blueprint
