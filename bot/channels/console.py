"""The call-center agent console at `/webhooks/console/` (sign-in required).

- Try it: a member message through the live assistant, shown as the web and SMS
  would show it, with the intent, confidence, response key and flyer passage.
  Tried messages use their own conversation ids (`console-try:...`).
- Script catalog: every scripted answer with its key and flyer source.
- Script checks: tests/script_checks.yml run against the live assistant.
- Worksheet look-up by reference code, audited and rate-limited.

Every route but the sign-in page refuses an anonymous request (pages redirect to
sign-in, the API answers 401). Forms and API calls carry a CSRF token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import content, sms, worksheet
from bot import settings as settings_module
from bot.channels.inbound import KeyedCollector, in_thread, prepared_text
from bot.channels.sms import SmsCollector
from bot.store import agents, worksheets
from bot.tools import checks

logger = logging.getLogger(__name__)
PREFIX = "/webhooks/console"
COOKIE = "ecm_console"
LOGIN_COOKIE = "ecm_console_login"
STATIC = Path(__file__).resolve().parent / "assets"
PUBLIC_ROUTES = {("GET", "/login"), ("POST", "/login")}


def _page(name: str, **values: str) -> str:
    html = (STATIC / name).read_text(encoding="utf-8")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", value)
    return html


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class ConsoleChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "console"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> ConsoleChannel:
        return cls()

    def __init__(self) -> None:
        self.secure_cookies = settings_module.load().public_base_url.startswith("https://")

    def _set_cookie(self, reply: HTTPResponse, name: str, value: str, max_age: int) -> None:
        reply.cookies[name] = value
        cookie = reply.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = PREFIX
        cookie["max-age"] = max_age
        if self.secure_cookies:
            cookie["secure"] = True

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("ecm_console", __name__)
        channel = self

        async def signed_in(request: Request) -> Optional[agents.SignedIn]:
            return await in_thread(agents.session_for, request.cookies.get(COOKIE))

        def page_guard(handler):
            async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                agent = await signed_in(request)
                if agent is None:
                    return response.redirect(f"{PREFIX}/login")
                return await handler(request, agent, *args, **kwargs)

            guarded.__name__ = handler.__name__
            return guarded

        def api_guard(handler):
            async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                agent = await signed_in(request)
                if agent is None:
                    return response.json({"error": "sign in first"}, status=401)
                if request.method != "GET" and not hmac.compare_digest(
                    request.headers.get("X-CSRF-Token", ""), agent.csrf_token
                ):
                    return response.json({"error": "missing or wrong CSRF token"}, status=403)
                return await handler(request, agent, *args, **kwargs)

            guarded.__name__ = handler.__name__
            return guarded

        @blueprint.route("/login", methods=["GET"])
        async def login_page(request: Request) -> HTTPResponse:
            token = secrets.token_urlsafe(32)
            error = request.args.get("error", "")
            message = "Wrong name or password." if error else ""
            reply = response.html(_page("console_login.html", csrf=token, error=message))
            channel._set_cookie(reply, LOGIN_COOKIE, token, 600)
            return reply

        @blueprint.route("/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            form = request.form or {}
            expected = request.cookies.get(LOGIN_COOKIE, "")
            if not expected or not hmac.compare_digest(form.get("csrf", ""), expected):
                return response.text("The sign-in form expired. Please reload it.", status=403)
            result = await in_thread(
                agents.sign_in, form.get("username", ""), form.get("password", "")
            )
            if result is None:
                logger.info("console: a sign-in failed")
                return response.redirect(f"{PREFIX}/login?error=1")
            token, agent = result
            logger.info("console: agent %s signed in", agent.username)
            reply = response.redirect(f"{PREFIX}/")
            channel._set_cookie(reply, COOKIE, token, agents.SESSION_HOURS * 3600)
            return reply

        @blueprint.route("/logout", methods=["POST"])
        @page_guard
        async def logout(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            form = request.form or {}
            if not hmac.compare_digest(form.get("csrf", ""), agent.csrf_token):
                return response.text("missing or wrong CSRF token", status=403)
            await in_thread(agents.sign_out, request.cookies.get(COOKIE))
            reply = response.redirect(f"{PREFIX}/login")
            del reply.cookies[COOKIE]
            return reply

        @blueprint.route("/", methods=["GET"])
        @page_guard
        async def home(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            return response.html(
                _page("console.html", csrf=agent.csrf_token, agent=_escape(agent.username)),
                headers={"Cache-Control": "no-store"},
            )

        @blueprint.route("/console.js", methods=["GET"])
        @page_guard
        async def script(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            return await response.file(STATIC / "console.js", mime_type="application/javascript")

        @blueprint.route("/api/catalog", methods=["GET"])
        @api_guard
        async def catalog(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            domain = request.app.ctx.agent.domain
            items = []
            for key, variations in sorted(domain.responses.items()):
                items.append(
                    {
                        "key": key,
                        "variations": [
                            {
                                "text": v.get("text", ""),
                                "channel": v.get("channel"),
                                "language": content.variation_language(v),
                            }
                            for v in variations
                        ],
                        "sources": content.sources().get(key, []),
                    }
                )
            return response.json({"responses": items})

        @blueprint.route("/api/try", methods=["POST"])
        @api_guard
        async def try_message(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            message = body.get("message")
            if not isinstance(message, str) or not message.strip():
                return response.json({"error": "type a member message"}, status=400)
            base = f"console-try:{agent.username}:{body.get('conversation') or 'default'}"[:100]
            results = {}
            for view, collector in (("web", KeyedCollector()), ("sms", SmsCollector())):
                sender = f"{base}:{view}"
                text = await prepared_text(
                    request.app, sender, message, settings_module.load().max_message_chars
                )
                await on_new_message(UserMessage(text, collector, sender, input_channel=view))
                results[view] = collector.messages
            parse = await request.app.ctx.agent.parse_message(message)
            keys = [m.get("response") for m in results["web"] if m.get("response")]
            return response.json(
                {
                    "web": results["web"],
                    "sms": sms.render(results["sms"]),
                    "intent": (parse.get("intent") or {}).get("name"),
                    "confidence": (parse.get("intent") or {}).get("confidence"),
                    "safety_screen": parse.get("safety_screen"),
                    "responses": keys,
                    "sources": {key: content.sources().get(key, []) for key in keys},
                }
            )

        @blueprint.route("/api/checks", methods=["POST"])
        @api_guard
        async def run_checks(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            responses = checks.response_texts()
            results = []
            for check in checks.load_checks():
                collector = KeyedCollector()
                sender = f"console-check:{uuid.uuid4().hex}"
                text = await prepared_text(request.app, sender, check.message, 10_000)
                await on_new_message(UserMessage(text, collector, sender, input_channel="console"))
                reply = "\n".join(m.get("text") or "" for m in collector.messages)
                result = checks.judge(check, reply, responses)
                results.append(
                    {
                        "message": check.message,
                        "expect": check.expect,
                        "contains": check.contains,
                        "passed": result.passed,
                        "problems": result.problems,
                        "reply": reply,
                    }
                )
            passed = sum(1 for r in results if r["passed"])
            return response.json(
                {"passed": passed, "failed": len(results) - passed, "results": results}
            )

        @blueprint.route("/api/lookup", methods=["POST"])
        @api_guard
        async def lookup(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            typed = str(body.get("code") or "")
            if await in_thread(agents.too_many_failed_lookups, agent.agent_id):
                return response.json(
                    {"error": "Too many wrong codes. Please wait 15 minutes and try again."},
                    status=429,
                )
            code = worksheet.normalize_code(typed)
            record = await in_thread(worksheets.load, code) if code else None
            await in_thread(
                agents.audit_lookup, agent.agent_id, code or typed[:32], record is not None
            )
            if record is None:
                return response.json({"error": "No worksheet has that code."}, status=404)
            logger.info("console: agent %s opened a worksheet", agent.username)
            labels = worksheet.LABELS["en"]
            return response.json(
                {
                    "code": record.code,
                    "channel": record.channel,
                    "language": record.language,
                    "created_at": record.created_at.isoformat(),
                    "complete": record.complete,
                    "answers": [
                        {"question": labels[q], "answer": worksheet.display(a)}
                        for q, a in worksheet.ordered(record.answers)
                    ],
                }
            )

        return blueprint


def console_routes() -> List[tuple]:
    """(method, path) of every console route, read from the blueprint itself."""
    blueprint = ConsoleChannel().blueprint(lambda message: None)
    routes = []
    for future in blueprint._future_routes:
        for method in future.methods:
            routes.append((method, future.uri))
    return sorted(set(routes))
