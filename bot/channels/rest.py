"""The REST channel at `/webhooks/rest/webhook`, hardened.

Differences from Rasa 3.6's stock `RestInput`:
- the client's `sender` is namespaced (`rest:<sender>`), so it can never name
  another channel's conversation (an SMS member's phone number, say);
- the client cannot choose `input_channel` or inject metadata;
- member text passes through `bot.channels.inbound.prepare_text` (no `/intent`
  commands unless just offered as a button; empty and over-long messages are
  answered politely);
- failures are logged without the member's text;
- it is for scripts and server-to-server use: with REST_API_TOKEN set, every POST
  needs `Authorization: Bearer <token>` (401 otherwise); in production without a
  token the webhook is off (403). The web widget has its own channel (web.py);
- `GET /webhooks/rest/health` (always open) reports whether the model and database
  are ready; the database check runs in a worker thread (one at a time, shared by
  concurrent requests), so a slow database never stalls the event loop.
"""

from __future__ import annotations

import asyncio
import hmac
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
from bot.channels.inbound import KeyedCollector, in_thread, namespaced, prepared_text

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


async def database_check(app: Any) -> bool:
    """`database_ready` in a worker thread; callers that come while a check is under
    way share it, so a hung database ties up one thread, not one per health request."""
    running = getattr(app.ctx, "ecm_database_check", None)
    if running is None or running.done():
        running = asyncio.ensure_future(in_thread(database_ready))
        app.ctx.ecm_database_check = running
    return await asyncio.shield(running)


async def health(app: Any) -> HTTPResponse:
    """The health report: 200 when the model is loaded and the database answers."""
    agent = getattr(app.ctx, "agent", None)
    model_ready = bool(agent and agent.is_ready())
    db_ready = await database_check(app)
    status = 200 if model_ready and db_ready else 503
    return response.json(
        {
            "status": "ok" if status == 200 else "unavailable",
            "model": model_ready,
            "database": db_ready,
        },
        status=status,
    )


FAILED = {"error": "The assistant could not answer just now. Please try again."}


async def answer(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    channel: str,
    sender_id: str,
    message: Optional[str],
    max_chars: int,
) -> Optional[List[dict]]:
    """The replies to one member message, each tagged with its language (what the REST
    channel and the web widget answer); None if handling it failed (logged without
    the member's text or the conversation id)."""
    text = await prepared_text(request.app, sender_id, message, max_chars)
    collector = KeyedCollector()
    error = await inbound.deliver(
        on_new_message, collector, sender_id, channel, text, message, max_chars
    )
    if error:
        logger.error("%s: handling a message failed (%s)", channel, error)
        return None
    await tag_language(request.app, sender_id, collector.messages)
    return collector.messages


class RestChannel(InputChannel):
    """JSON in (`{"sender": ..., "message": ...}`), the assistant's messages out."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> RestChannel:
        return cls()

    def __init__(
        self, max_chars: Optional[int] = None, settings: Optional[settings_module.Settings] = None
    ) -> None:
        settings = settings or settings_module.load()
        self.max_chars = max_chars or settings.max_message_chars
        self.token = settings.rest_api_token
        self.off = settings.production and not self.token

    def refusal(self, authorization: Optional[str]) -> Optional[HTTPResponse]:
        """Why a webhook request may not be handled (an error response), or None."""
        if self.off:
            return response.json(
                {"error": "the REST webhook is off in production: set REST_API_TOKEN to use it"},
                status=403,
            )
        if self.token is None:
            return None
        scheme, _, given = (authorization or "").strip().partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        ):
            return None
        return response.json(
            {"error": "send Authorization: Bearer <REST_API_TOKEN>"},
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint(f"ecm_{self.name()}_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def root(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/health", methods=["GET"])
        async def health_route(request: Request) -> HTTPResponse:
            return await health(request.app)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.refusal(request.headers.get("authorization"))
            if refused is not None:
                return refused
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
            replies = await answer(
                request, on_new_message, self.name(), sender_id, message, self.max_chars
            )
            if replies is None:
                return response.json(FAILED, status=503)
            return response.json(replies)

        return blueprint
