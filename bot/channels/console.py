"""The call-center staff console at `/webhooks/console/` (sign-in required).

Pages and sign-in live here; the JSON API is bot/channels/console_api.py.
- Agents: try a member message, the script catalog, the script checks.
- Supervisors also: worksheet look-up by code, the audit log (table and CSV),
  account management (create, disable/enable, role, password).

Every route is added with the role it needs (`ROUTE_ROLES`; None: public). An
anonymous request is sent to sign-in (pages) or answered 401 (API); a signed-in
agent on a supervisor route gets 403. Forms and API calls carry a CSRF token.
Security headers: bot/channels/headers.py. Sessions: bot/store/agents.py (8 hours
in all, 15 minutes idle; console.js warns 2 minutes before and offers to stay).

Sign-ins run in `HashPool`, two threads with a short queue, so a flood of
attempts (argon2 is slow on purpose) cannot take the threads SMS and web replies
need; when it is full the answer is 503 at once. Sign-in failures are throttled
per name and per client address. The client address is Sanic's
`request.remote_addr` (set only from proxy headers Sanic is configured to trust:
behind a proxy set FORWARDED_SECRET or PROXIES_COUNT/REAL_IP_HEADER, see Sanic's
proxy docs) or else the socket's address; X-Forwarded-For alone is never trusted.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings as settings_module
from bot.channels import console_api, headers
from bot.channels.inbound import in_thread
from bot.store import agents

logger = logging.getLogger(__name__)
PREFIX = "/webhooks/console"
COOKIE = "ecm_console"
LOGIN_COOKIE = "ecm_console_login"
STATIC = Path(__file__).resolve().parent / "assets"
AGENT, SUPERVISOR = agents.ROLES
PUBLIC_ROUTES = {("GET", "/login"), ("POST", "/login"), ("GET", "/console.css")}
BUSY = "The console is busy. Please try again in a minute."


class Busy(Exception):
    pass


class HashPool:
    """A few threads for password checks, and a short queue: past it, `Busy` at once."""

    def __init__(self, workers: int = 2, waiting: int = 6) -> None:
        self.limit = workers + waiting
        self.pending = 0  # changed on the event loop only
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="console-argon2")

    async def run(self, function: Callable, *args: Any) -> Any:
        if self.pending >= self.limit:
            raise Busy()
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)
        finally:
            self.pending -= 1


def client_address(request: Request) -> str:
    return (request.remote_addr or request.ip or "")[:64]


def page(name: str, **values: str) -> str:
    html = (STATIC / name).read_text(encoding="utf-8")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", value)
    return html


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


Handler = Callable[..., Awaitable[HTTPResponse]]


class ConsoleChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "console"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> ConsoleChannel:
        return cls()

    def __init__(self) -> None:
        self.public_base_url = settings_module.load().public_base_url
        self.secure_cookies = self.public_base_url.startswith("https://")
        self.pool = HashPool()
        self.route_roles: Dict[Tuple[str, str], Optional[str]] = {}

    def set_cookie(self, reply: HTTPResponse, name: str, value: str, max_age: int) -> None:
        """Set (or, with max_age 0, remove) a cookie: always on the console's own path."""
        reply.cookies[name] = value
        cookie = reply.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = PREFIX
        cookie["max-age"] = max_age
        if self.secure_cookies:
            cookie["secure"] = True

    def _guard(self, handler: Handler, role: Optional[str], api: bool) -> Handler:
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            if role is None:
                return await handler(request, *args, **kwargs)
            agent = await in_thread(agents.session_for, request.cookies.get(COOKIE))
            if agent is None:
                if api:
                    return response.json({"error": "sign in first"}, status=401)
                return response.redirect(f"{PREFIX}/login")
            if role == SUPERVISOR and agent.role != SUPERVISOR:
                return response.json({"error": "for supervisors only"}, status=403)
            if request.method != "GET" and not hmac.compare_digest(
                request.headers.get("X-CSRF-Token", "") or (request.form or {}).get("csrf", ""),
                agent.csrf_token,
            ):
                return response.json({"error": "missing or wrong CSRF token"}, status=403)
            return await handler(request, agent, *args, **kwargs)

        guarded.__name__ = handler.__name__
        return guarded

    def add(self, bp: Blueprint, method: str, path: str, role: Optional[str], handler: Handler):
        self.route_roles[(method, path)] = role
        api = path.startswith("/api/")
        bp.add_route(self._guard(handler, role, api), path, methods=[method])

    def login_page(self, message: str = "", status: int = 200) -> HTTPResponse:
        token = secrets.token_urlsafe(32)
        reply = response.html(
            page("console_login.html", csrf=token, error=escape(message)), status=status
        )
        self.set_cookie(reply, LOGIN_COOKIE, token, 600)
        return reply

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("ecm_console", __name__)
        channel = self

        async def login_form(request: Request) -> HTTPResponse:
            wrong = request.args.get("error", "")
            return channel.login_page("Wrong name or password." if wrong else "")

        async def login(request: Request) -> HTTPResponse:
            form = request.form or {}
            expected = request.cookies.get(LOGIN_COOKIE, "")
            if not expected or not hmac.compare_digest(form.get("csrf", ""), expected):
                return response.text("The sign-in form expired. Please reload it.", status=403)
            address = client_address(request)
            try:
                result = await channel.pool.run(
                    agents.sign_in, form.get("username", ""), form.get("password", ""), address
                )
            except Busy:
                return response.text(BUSY, status=503, headers={"Retry-After": "60"})
            except agents.Throttled as throttled:
                return channel.login_page(str(throttled), status=429)
            if result is None:
                logger.info("console: a sign-in failed")
                return response.redirect(f"{PREFIX}/login?error=1")
            token, agent = result
            logger.info("console: %s %s signed in", agent.role, agent.username)
            reply = response.redirect(f"{PREFIX}/")
            channel.set_cookie(reply, COOKIE, token, agents.SESSION_HOURS * 3600)
            return reply

        async def logout(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            address = client_address(request)
            await in_thread(agents.sign_out, request.cookies.get(COOKIE), address)
            reply = response.redirect(f"{PREFIX}/login")
            channel.set_cookie(reply, COOKIE, "", 0)  # on the path it was set on
            return reply

        async def home(request: Request, agent: agents.SignedIn) -> HTTPResponse:
            extra = page("console_supervisor.html") if agent.role == SUPERVISOR else ""
            html = page(
                "console.html",
                csrf=agent.csrf_token,
                agent=escape(agent.username),
                role=agent.role,
                idle=str(agents.IDLE_MINUTES),
                supervisor=extra,
            )
            return response.html(html, headers={"Cache-Control": "no-store"})

        def asset(name: str, mime: str) -> Handler:
            async def serve(request: Request, *_: Any) -> HTTPResponse:
                return await response.file(STATIC / name, mime_type=mime)

            serve.__name__ = name.replace(".", "_")
            return serve

        for method, path, role, handler in (
            ("GET", "/login", None, login_form),
            ("POST", "/login", None, login),
            ("POST", "/logout", AGENT, logout),
            ("GET", "/", AGENT, home),
            ("GET", "/console.css", None, asset("console.css", "text/css")),
            ("GET", "/console.js", AGENT, asset("console.js", "application/javascript")),
            *console_api.routes(on_new_message, client_address),
        ):
            channel.add(blueprint, method, path, role, handler)
        headers.protect(blueprint, headers.CONSOLE_CSP, channel.public_base_url, frames=False)
        return blueprint


def _built() -> ConsoleChannel:
    channel = ConsoleChannel()
    channel.blueprint(lambda message: None)
    return channel


def console_routes() -> List[tuple]:
    """(method, path) of every console route, read from the blueprint itself."""
    blueprint = ConsoleChannel().blueprint(lambda message: None)
    routes = []
    for future in blueprint._future_routes:
        for method in future.methods:
            routes.append((method, future.uri))
    return sorted(set(routes))


def route_roles() -> Dict[Tuple[str, str], Optional[str]]:
    """The role each console route needs (None: public), as the routes were added."""
    return dict(_built().route_roles)
