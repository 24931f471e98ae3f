"""The web chat widget's channel (`/webhooks/web/...`): its files, its messages, its transcript.

- `GET widget.js`, `widget.css`: the widget the plan embeds with one script tag
  (no outside CDN); `GET demo`: a demo "plan site" page with the widget in it;
- `POST session`: a new conversation (what "Start over" asks for);
- `POST message` (`{"message": ...}`): the assistant's replies, as the REST channel
  gives them; without a valid cookie it starts a new conversation;
- `GET history`: this conversation's transcript (`bot.channels.transcript`), so a
  reload keeps it.

Who a conversation belongs to: the server issues its id (144 random bits) in the
HttpOnly cookie `ecm_web_chat`, signed (`ConversationCookie`: HMAC-SHA256 under
keys derived from ENCRYPTION_KEYS), scoped to
`/webhooks/web/`, for a day after the last message. The page script never sees
or sends an id; a missing, forged, tampered or expired cookie reads nothing
(history answers an empty list) and a query parameter is never looked at. The
tracker's sender id is `web:<id>`.

Which pages may use it: the assistant's own origin (the demo page) and the
origins in WEB_ALLOWED_ORIGINS, which get CORS headers with credentials
(`cors_headers`). A request from any other origin is refused with 403, preflight
included, and gets no CORS headers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Sequence
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings as settings_module
from bot.channels import headers, transcript
from bot.channels.inbound import namespaced
from bot.channels.rest import FAILED, answer
from bot.store import encryption

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "assets"
ASSETS = {"widget.js": "application/javascript", "widget.css": "text/css"}

COOKIE = "ecm_web_chat"
COOKIE_PATH = "/webhooks/web/"
COOKIE_MAX_AGE = 24 * 3600  # a day after the conversation's last message
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
# The signing key is derived from each ring key for this purpose alone (HKDF,
# bot/store/encryption.py derived_key): never an encryption key itself.
SIGNING_LABEL = b"ecm web chat conversation cookie v1"
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


class ConversationCookie:
    """Issues conversation ids and recognises the ones this server issued.

    A cookie value is `<id>.<issued, unix seconds>.<mac>`, the mac being
    HMAC-SHA256 over `<id>.<issued>` (base64url). Each secret (the ENCRYPTION_KEYS
    ring, newest first) gives a signing key; the first signs, every one verifies,
    so rotating the keys does not end today's chats.
    """

    def __init__(
        self,
        keys: Sequence[str],
        max_age: int = COOKIE_MAX_AGE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not keys:
            raise ValueError("a signing secret is needed")
        self._keys = [encryption.derived_key(k, SIGNING_LABEL) for k in keys]
        self.max_age = max_age
        self.clock = clock

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(18)  # 144 random bits

    @staticmethod
    def _mac(key: bytes, payload: str) -> str:
        digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def sign(self, conversation: str) -> str:
        payload = f"{conversation}.{int(self.clock())}"
        return f"{payload}.{self._mac(self._keys[0], payload)}"

    def verify(self, value: Optional[str]) -> Optional[str]:
        """The conversation id in a cookie this server issued, still fresh; else None."""
        parts = (value or "").split(".")
        if len(parts) != 3 or not ID_PATTERN.match(parts[0]) or not parts[1].isdigit():
            return None
        age = self.clock() - int(parts[1])
        if not -60 <= age <= self.max_age:  # a minute's leeway for clocks
            return None
        payload = f"{parts[0]}.{parts[1]}"
        given = parts[2].encode()
        if any(hmac.compare_digest(given, self._mac(k, payload).encode()) for k in self._keys):
            return parts[0]
        return None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cors_headers(
    origin: Optional[str], own: Iterable[str], allowed: Iterable[str]
) -> Optional[Dict[str, str]]:
    """The CORS decision for a request's `Origin`: None refuses it (a foreign page);
    otherwise the headers to add (the CORS ones only for a listed origin)."""
    if origin is None:  # not a cross-origin browser request (curl, a same-origin GET)
        return {"Vary": "Origin"}
    wanted = origin.strip().rstrip("/").lower()
    if wanted in {o.rstrip("/").lower() for o in allowed}:
        return {
            "Access-Control-Allow-Origin": origin.strip(),
            "Access-Control-Allow-Credentials": "true",
            "Vary": "Origin",
        }
    if wanted in {o.rstrip("/").lower() for o in own}:
        return {"Vary": "Origin"}
    return None


class WebChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> WebChannel:
        return cls()

    def __init__(self, settings: Optional[settings_module.Settings] = None) -> None:
        settings = settings or settings_module.load()
        self.max_chars = settings.max_message_chars
        self.allowed_origins = settings.web_allowed_origins
        self.public_origin = origin_of(settings.public_base_url)
        keys = settings.encryption_keys
        if not keys:
            logger.warning("web: no ENCRYPTION_KEYS, so chats end when the server restarts")
            keys = (secrets.token_urlsafe(32),)
        self.cookies = ConversationCookie(keys)

    def _https(self, request: Request) -> bool:
        return self.public_origin.startswith("https://") or request.scheme == "https"

    def _set_cookie(self, request: Request, reply: HTTPResponse, value: str, max_age: int) -> None:
        reply.cookies[COOKIE] = value
        cookie = reply.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["path"] = COOKIE_PATH
        cookie["max-age"] = max_age
        if self._https(request):  # a plan site on another site embeds it: None needs Secure
            cookie["secure"] = True
            cookie["samesite"] = "None"
        else:
            cookie["samesite"] = "Lax"

    def _issue(self, request: Request, reply: HTTPResponse, conversation: str) -> None:
        self._set_cookie(request, reply, self.cookies.sign(conversation), self.cookies.max_age)

    def _cors(self, request: Request) -> Optional[Dict[str, str]]:
        own = {self.public_origin, f"{request.scheme}://{request.host}"}
        return cors_headers(request.headers.get("origin"), own, self.allowed_origins)

    def _refused(self) -> HTTPResponse:
        return response.json({"error": "this site may not use the chat"}, status=403)

    def _preflight(self, request: Request) -> HTTPResponse:
        headers = self._cors(request)
        if headers is None:
            return self._refused()
        return response.empty(status=204, headers={**headers, **PREFLIGHT})

    def _guarded(self, handler: Callable[[Request], Awaitable[HTTPResponse]]) -> Callable:
        """Origin check, preflight answer, CORS and no-store headers for an API route."""

        async def guarded(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return self._preflight(request)
            headers = self._cors(request)
            if headers is None:
                return self._refused()
            reply = await handler(request)
            for key, value in {**headers, "Cache-Control": "no-store"}.items():
                reply.headers[key] = value
            return reply

        guarded.__name__ = handler.__name__
        return guarded

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("ecm_web_widget", __name__)
        channel = self

        @blueprint.route("/<asset:(widget\\.js|widget\\.css)>", methods=["GET"])
        async def asset(request: Request, asset: str) -> HTTPResponse:
            return await response.file(
                STATIC / asset, mime_type=ASSETS[asset], headers={"Cache-Control": "no-cache"}
            )

        @blueprint.route("/demo", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "demo.html", mime_type="text/html")

        async def session(request: Request) -> HTTPResponse:
            reply = response.json({"messages": []})
            channel._issue(request, reply, ConversationCookie.new_id())
            return reply

        async def message(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - sanic raises on malformed JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "send a JSON object with message"}, status=400)
            text = body.get("message")
            if text is not None and not isinstance(text, str):
                return response.json({"error": "message must be text"}, status=400)
            conversation = channel.cookies.verify(request.cookies.get(COOKIE))
            conversation = conversation or ConversationCookie.new_id()
            sender_id = namespaced(channel.name(), conversation)
            messages = await answer(
                request, on_new_message, channel.name(), sender_id, text, channel.max_chars
            )
            if messages is None:
                return response.json(FAILED, status=503)
            replies = [
                {k: v for k, v in m.items() if k != "recipient_id"} for m in messages
            ]
            reply = response.json(replies)
            channel._issue(request, reply, conversation)  # a day from now
            return reply

        async def history(request: Request) -> HTTPResponse:
            raw = request.cookies.get(COOKIE)
            conversation = channel.cookies.verify(raw)
            agent = getattr(request.app.ctx, "agent", None)
            messages: List[Dict[str, Any]] = []
            if conversation and agent is not None and agent.tracker_store is not None:
                tracker = await agent.tracker_store.retrieve(namespaced("web", conversation))
                messages = transcript.for_widget(tracker, agent.domain)
            reply = response.json({"messages": messages})
            if raw and conversation is None:
                channel._set_cookie(request, reply, "", 0)  # forget it
            return reply

        for path, handler, method in (
            ("/session", session, "POST"),
            ("/message", message, "POST"),
            ("/history", history, "GET"),
        ):
            blueprint.add_route(channel._guarded(handler), path, methods=[method, "OPTIONS"])

        @blueprint.middleware("response")
        async def preflight(request: Request, reply: HTTPResponse) -> Optional[HTTPResponse]:
            # Rasa's Sanic-CORS layer answers every OPTIONS request before routing (with
            # no CORS headers, as Rasa runs without --cors): on this channel's routes the
            # answer is the channel's own, as the route would give it.
            return channel._preflight(request) if request.method == "OPTIONS" else None

        csp = headers.widget_csp((STATIC / "demo.html").read_text(encoding="utf-8"))
        headers.protect(blueprint, csp, channel.public_origin)
        return blueprint
