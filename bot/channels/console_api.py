"""The staff console's JSON API (the pages and the guard are in bot/channels/console.py).

`routes()` gives (method, path, role, handler); every handler gets the signed-in
account. Every try, check run, look-up and account change is written to the
audit table with the account and the client address, never with member content:
not the tried text, not a worksheet's answers, not a looked-up code in clear.
"""

from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, List, Tuple

from rasa.core.channels.channel import UserMessage
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import content, sms, worksheet
from bot import settings as settings_module
from bot.channels.inbound import KeyedCollector, in_thread, prepared_text
from bot.channels.sms import SmsCollector
from bot.store import agents, audit, worksheets
from bot.tools import checks

AUDIT_ROWS = 500


def _body(request: Request) -> dict:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - sanic raises on malformed JSON
        body = None
    return body if isinstance(body, dict) else {}


def routes(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    address: Callable[[Request], str],
) -> List[Tuple[str, str, str, Callable]]:
    async def record(request: Request, agent: agents.SignedIn, action: str, **details) -> None:
        await in_thread(audit.record, agent.username, action, audit.OK, details, address(request))

    async def catalog(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        domain = request.app.ctx.agent.domain
        items = []
        for key, variations in sorted(domain.responses.items()):
            shown = [
                {
                    "text": v.get("text", ""),
                    "channel": v.get("channel"),
                    "language": content.variation_language(v),
                }
                for v in variations
            ]
            items.append(
                {"key": key, "variations": shown, "sources": content.sources().get(key, [])}
            )
        return response.json({"responses": items})

    async def keepalive(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        return response.json({"idle_minutes": agents.IDLE_MINUTES})  # the guard renewed it

    async def try_message(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        body = _body(request)
        message = body.get("message")
        if not isinstance(message, str) or not message.strip():
            return response.json({"error": "type a member message"}, status=400)
        await record(request, agent, "try")  # the text is never recorded
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
        await record(request, agent, "checks", passed=passed, failed=len(results) - passed)
        return response.json(
            {"passed": passed, "failed": len(results) - passed, "results": results}
        )

    async def lookup(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        code = worksheet.normalize_code(str(_body(request).get("code") or ""))
        # counted and audited (committed) before anything is decrypted
        found = await in_thread(agents.look_up, agent, code, address(request))
        if found is None:
            error = "Too many wrong codes. Please wait 15 minutes and try again."
            return response.json({"error": error}, status=429)
        record = await in_thread(worksheets.load, code) if found and code else None
        if record is None:
            return response.json({"error": "No worksheet has that code."}, status=404)
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

    async def audit_rows(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        entries = await in_thread(audit.recent, AUDIT_ROWS)
        rows = [{**e._asdict(), "at": e.at.isoformat()} for e in entries]
        return response.json({"entries": rows})

    async def audit_csv(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        entries = await in_thread(audit.recent, AUDIT_ROWS)
        await record(request, agent, "audit-export", rows=len(entries))
        return response.text(
            audit.as_csv(entries),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="console-audit.csv"',
                "Cache-Control": "no-store",
            },
        )

    async def accounts(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        rows = await in_thread(agents.all_agents)
        shown = [{**a._asdict(), "created_at": a.created_at.isoformat()} for a in rows]
        return response.json({"accounts": shown})

    async def create(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        body = _body(request)
        args = (str(body.get("username") or ""), str(body.get("password") or ""))
        role = str(body.get("role") or "agent")
        try:
            await in_thread(agents.create, *args, role, agent.username, address(request))
        except agents.AgentError as error:
            return response.json({"error": str(error)}, status=400)
        return response.json({"created": args[0]})

    async def change(request: Request, agent: agents.SignedIn) -> HTTPResponse:
        body = _body(request)
        username, action = str(body.get("username") or ""), str(body.get("action") or "")
        if username == agent.username and action in ("disable", "role"):
            return response.json({"error": "ask another supervisor to do that"}, status=400)
        try:
            await in_thread(
                agents.change,
                username,
                action,
                str(body.get("value") or ""),
                agent.username,
                address(request),
            )
        except agents.AgentError as error:
            return response.json({"error": str(error)}, status=400)
        return response.json({"changed": username})

    agent_role, supervisor_role = agents.ROLES
    return [
        ("GET", "/api/catalog", agent_role, catalog),
        ("POST", "/api/keepalive", agent_role, keepalive),
        ("POST", "/api/try", agent_role, try_message),
        ("POST", "/api/checks", agent_role, run_checks),
        ("POST", "/api/lookup", supervisor_role, lookup),
        ("GET", "/api/audit", supervisor_role, audit_rows),
        ("GET", "/api/audit.csv", supervisor_role, audit_csv),
        ("GET", "/api/accounts", supervisor_role, accounts),
        ("POST", "/api/accounts", supervisor_role, create),
        ("POST", "/api/accounts/change", supervisor_role, change),
    ]
