"""SMS over Twilio at `/webhooks/twilio_sms/webhook` (replies as TwiML).

What Rasa 3.6's stock Twilio connector gets wrong, done right here:
- every request's `X-Twilio-Signature` is checked with twilio-python's
  RequestValidator against the configured public URL; failures get 403 and
  nothing is processed or stored;
- a MessageSid is processed and answered once (a unique key in our database);
- STOP and the other opt-out words, English and Spanish, and free-text requests
  to stop texts (bot/sms.py, bot/sms_consent.py), START and HELP, with opt-outs
  kept by phone number: after an opt-out exactly one confirmation, in the
  member's language, then nothing until the member opts back in, except HELP
  and AYUDA, which are always answered (AYUDA in Spanish);
- a message that may be a request to stop texts ("stop it") gets one question,
  "Do you want us to stop texting you? Reply STOP."; a yes or another such
  message right after it opts out (who was asked is kept in this process,
  under a log tag, for an hour: bot/sms.RecentAsks);
- when the database cannot be read, the opt-out state is unknown, so nothing is
  sent (an empty TwiML reply, 200, the error's type logged): not even the
  failure text, which could reach a number that opted out. Twilio does not
  retry a failed inbound-message webhook (a 5xx would only call the number's
  fallback URL, which could text an opted-out number). HELP is still answered,
  as it is for opted-out numbers; STOP cannot be recorded then and gets no
  confirmation that would not be true (Twilio's own opt-out handling, on by
  default, still blocks the number);
- replies are rendered for SMS (numbered buttons, "2" picks the second one, no
  payloads, plain quotes, at most 1,600 characters each) and returned as TwiML in
  the webhook response, so no blocking send runs in the event loop and no network
  error can lose the member's turn;
- a message without a Body (a photo) gets a polite answer, `¡` stays `¡`;
- member phone numbers and texts never reach the logs: a number appears only as
  its keyed HMAC tag (bot/log_tags.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional
from xml.sax.saxutils import escape

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot import log_tags, sms
from bot import settings as settings_module
from bot.channels import inbound
from bot.channels.inbound import (
    KeyedCollector,
    in_thread,
    namespaced,
    offered_buttons_for,
    prepared_text,
)
from bot.store import sms_records

logger = logging.getLogger(__name__)

CHANNEL = "twilio_sms"
KEYWORD_PAYLOADS = {sms.OPT_OUT: "/sms_stop", sms.OPT_IN: "/sms_start", sms.HELP: "/sms_help"}
# Sent only if the assistant itself fails; its words cannot come from the domain then.
FAILURE_TEXT = (
    "Sorry, I could not answer just now. Please try again soon, or call Health Net "
    "at 800-675-6110 (TTY 711), 24 hours a day, 7 days a week."
)


def twiml(bodies: List[str]) -> HTTPResponse:
    messages = "".join(f"<Message>{escape(body)}</Message>" for body in bodies)
    return response.text(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>',
        content_type="text/xml",
    )


def keyword_payload(understood: sms.Understood) -> str:
    """The intent for a keyword, with the language to answer in when it is known
    (`/sms_stop{"language": "es"}` fills the `language` slot)."""
    payload = KEYWORD_PAYLOADS[understood.kind]
    if understood.language:
        payload += json.dumps({"language": understood.language})
    return payload


class SmsCollector(KeyedCollector):
    """Collects replies; its name makes Rasa pick the domain's `channel: twilio_sms`
    response variations (the stock collector calls itself "collector")."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL


class TwilioSmsChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> TwilioSmsChannel:
        return cls()

    def __init__(self, settings: Optional[settings_module.Settings] = None) -> None:
        self.settings = settings or settings_module.load()
        if not self.settings.twilio_auth_token:
            raise settings_module.SettingsError(
                "TWILIO_AUTH_TOKEN is not set: the SMS webhook cannot check signatures "
                "(make run creates a development token)"
            )
        self.validator = RequestValidator(self.settings.twilio_auth_token)
        self.asks = sms.RecentAsks()

    def public_url(self, request: Request) -> str:
        """The URL Twilio called: the configured public origin + this path (+ query)."""
        query = f"?{request.query_string}" if request.query_string else ""
        return f"{self.settings.public_base_url}{request.path}{query}"

    def signed(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return False
        params = {key: values[0] for key, values in (request.form or {}).items()}
        return bool(self.validator.validate(self.public_url(request), params, signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint(f"ecm_{CHANNEL}_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def root(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        return blueprint

    async def receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """One webhook request: check, record, answer (TwiML)."""
        if not self.signed(request):
            logger.warning("sms: rejected a request with a missing or wrong signature")
            return response.text("invalid signature", status=403)
        form = request.form or {}
        phone = (form.get("From") or "").strip()
        message_sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
        if not phone or not message_sid:
            return response.text("From and MessageSid are required", status=400)
        body = form.get("Body")
        tag = log_tags.log_tag(phone, self.settings.encryption_keys)
        understood = sms.understand(body, opted_out=False)
        try:
            first = await in_thread(
                sms_records.first_delivery, message_sid, namespaced("sms", phone)
            )
            if not first:
                return twiml([])  # a repeated delivery: answered the first time
            opted_out = await in_thread(sms_records.is_opted_out, phone)
            understood = sms.understand(body, opted_out, asked=self.asks.take(tag))
            if understood.kind == sms.OPT_OUT:
                await in_thread(sms_records.opt_out, phone)
                if opted_out:
                    return twiml([])  # one confirmation only
            elif understood.kind == sms.OPT_IN:
                await in_thread(sms_records.opt_in, phone)
        except Exception as error:  # noqa: BLE001 - the database is down
            # the opt-out state is unknown: send nothing, except HELP (always answered)
            logger.error("sms: database unavailable for %s (%s)", tag, type(error).__name__)
            if understood.kind != sms.HELP:
                return twiml([])
            opted_out = False
        if opted_out and understood.kind not in (sms.OPT_OUT, sms.OPT_IN, sms.HELP):
            return twiml([])  # nothing until they opt back in
        if understood.kind == sms.ASK_STOP:
            self.asks.remember(tag)
            return twiml([sms.ask_stop_text(understood.language)])

        sender_id = namespaced("sms", phone)
        if understood.kind in KEYWORD_PAYLOADS:
            text = keyword_payload(understood)
        else:
            text = await self.member_text(request.app, sender_id, body)
        collector = SmsCollector()
        error = await inbound.deliver(
            on_new_message, collector, sender_id, CHANNEL, text, body,
            self.settings.max_message_chars,
        )
        if error:  # never log the member's words
            logger.error("sms: handling a message failed for %s (%s)", tag, error)
            return twiml([FAILURE_TEXT])
        return twiml(sms.render(collector.messages))

    async def member_text(self, app: Any, sender_id: str, body: Optional[str]) -> str:
        """The member's words for Rasa: a number picks an offered button."""
        if body and body.strip()[:3].strip("#. )").isdigit():
            offered = await offered_buttons_for(app, sender_id)
            number = sms.choice_number(body, len(offered))
            if number:
                return str(offered[number - 1].get("payload") or body)
        return await prepared_text(app, sender_id, body, self.settings.max_message_chars)
