"""The staff console against the running assistant: roles on every route, sign-in
throttling, sign-out, security headers, and its tools in a browser."""

import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from bot import settings, store, worksheet
from bot.channels.console import PREFIX, PUBLIC_ROUTES, SUPERVISOR, console_routes, route_roles
from bot.store import agents, audit, worksheets
from bot.store.models import RateLimit
from tests.conftest import ROOT

pytestmark = pytest.mark.server

PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "agent.alvarez": "agent",
    "super.chen": "supervisor",
    "walk.agent": "agent",
    "walk.super": "supervisor",
    "leaving.agent": "agent",
}


@pytest.fixture(scope="module")
def accounts(assistant):
    """Accounts in the running assistant's database (and bot.store pointed at it)."""
    key = assistant.dev_secret(settings.DEV_KEY_FILE)
    mp = pytest.MonkeyPatch()
    mp.setenv("ENCRYPTION_KEYS", key)
    store.configure(assistant.env["DATABASE_URL"])
    for name, role in ACCOUNTS.items():
        agents.create(name, PASSWORD, role)
    yield ACCOUNTS
    store.get_engine().dispose()
    mp.undo()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(assistant, method, path, data=None, headers=None, cookies=None):
    """(status, headers, body) of one request, redirects not followed."""
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = urllib.request.Request(
        assistant.base_url + PREFIX + path, method=method, data=data, headers=headers
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def anonymous(assistant, method, path):
    data = b"{}" if method == "POST" else None
    return call(assistant, method, path, data, {"Content-Type": "application/json"})


def http_sign_in(assistant, name, password=PASSWORD):
    """Sign in as a browser would; (status, headers, body, cookies)."""
    status, headers, body = call(assistant, "GET", "/login")
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie"):
        jar.load(value)
    cookies = {k: m.value for k, m in jar.items()}
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "username": name, "password": password})
    status, headers, body = call(
        assistant,
        "POST",
        "/login",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        cookies,
    )
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return status, headers, body, {k: m.value for k, m in jar.items()}


@pytest.fixture(scope="module")
def sessions(assistant, accounts):
    return {
        role: http_sign_in(assistant, f"walk.{role.replace('visor', '')}")[3]
        for role in ("agent", "supervisor")
    }


def test_the_route_list_is_read_from_the_app():
    routes = console_routes()
    assert ("POST", "/api/lookup") in routes and ("GET", "/") in routes
    assert PUBLIC_ROUTES <= set(routes) and set(route_roles()) == set(routes)


PRIVATE = sorted(r for r in console_routes() if r not in PUBLIC_ROUTES)


@pytest.mark.parametrize("method, path", PRIVATE)
def test_every_console_route_refuses_anonymous_requests(assistant, method, path):
    status, headers, body = anonymous(assistant, method, path)
    if path.startswith("/api/"):
        assert status == 401
    else:
        assert status in (301, 302, 303, 307) and headers["Location"].endswith("/login")
    assert b"ECM-" not in body and b"utter_" not in body


@pytest.mark.parametrize("role", ["agent", "supervisor"])
@pytest.mark.parametrize("method, path", PRIVATE)
def test_every_console_route_checks_the_role(assistant, sessions, role, method, path):
    """POSTs go without the CSRF token: the role is checked first, so an allowed route
    answers "wrong CSRF token" and nothing runs; GETs run for real."""
    data = b"{}" if method == "POST" else None
    status, _, body = call(
        assistant, method, path, data, {"Content-Type": "application/json"}, sessions[role]
    )
    if role == "agent" and route_roles()[(method, path)] == SUPERVISOR:
        assert status == 403 and b"for supervisors only" in body
    elif method == "POST":
        assert status == 403 and b"CSRF" in body
    else:
        assert status == 200, body


def test_sign_out_ends_the_session_and_removes_the_cookie_on_its_path(assistant, accounts):
    *_, cookies = http_sign_in(assistant, "leaving.agent")
    _, _, home = call(assistant, "GET", "/", cookies=cookies)
    csrf = re.search(rb'name="csrf-token" content="([^"]+)"', home).group(1).decode()
    status, headers, _ = call(
        assistant,
        "POST",
        "/logout",
        f"csrf={csrf}".encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        cookies,
    )
    assert status == 302
    (removal,) = [c for c in headers.get_all("Set-Cookie") if c.startswith("ecm_console=")]
    assert f"Path={PREFIX}" in removal and "Max-Age=0" in removal
    assert call(assistant, "GET", "/api/catalog", cookies=cookies)[0] == 401
    assert audit.recent(1)[0][1:3] == ("leaving.agent", "sign-out")


def test_five_failed_sign_ins_mean_a_wait(assistant, accounts):
    try:
        for _ in range(agents.MAX_FAILED_SIGN_INS):
            status, headers, *_ = http_sign_in(assistant, "no.such.person", "wrong password")
            assert status == 302 and headers["Location"].endswith("error=1")
        status, _, body, _ = http_sign_in(assistant, "no.such.person", "wrong password")
        assert status == 429
        assert b"Too many failed sign-ins. Try again in 15 minutes." in body
        status, *_ = http_sign_in(assistant, "agent.alvarez")  # the same address
        assert status == 429
    finally:  # every test signs in from 127.0.0.1
        with store.session_scope() as session:
            session.execute(delete(RateLimit))


def test_security_headers_on_console_and_widget(assistant):
    _, console, _ = call(assistant, "GET", "/login")
    assert "frame-ancestors 'none'" in console["Content-Security-Policy"]
    assert console["X-Frame-Options"] == "DENY"
    for path in ("/webhooks/web/demo", "/webhooks/web/widget.js"):
        with urllib.request.urlopen(assistant.base_url + path, timeout=10) as reply:
            got = reply.headers
        assert got["X-Content-Type-Options"] == "nosniff", path
        assert got["Referrer-Policy"] == "no-referrer", path
        assert "script-src 'self'" in got["Content-Security-Policy"], path
        assert "frame-ancestors" not in got["Content-Security-Policy"], path
    assert "Strict-Transport-Security" not in console  # plain http here


def test_passwords_are_hashed_and_never_logged(assistant, accounts):
    with store.session_scope() as session:
        from bot.store.models import Agent

        stored = session.query(Agent).filter_by(username="agent.alvarez").one().password_hash
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert PASSWORD not in assistant.log_path.read_text(errors="replace")


def sign_in(page, assistant, name="agent.alvarez", password=PASSWORD):
    page.goto(f"{assistant.base_url}{PREFIX}/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_console(browser, assistant, name, clock=False):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    if clock:
        page.clock.install()
    sign_in(page, assistant, name)
    page.get_by_role("heading", name="Try a member message").wait_for()
    return context, page


@pytest.fixture
def console(browser, assistant, accounts):
    context, page = open_console(browser, assistant, "agent.alvarez")
    yield page
    context.close()


@pytest.fixture
def supervisor(browser, assistant, accounts):
    context, page = open_console(browser, assistant, "super.chen")
    yield page
    context.close()


def test_wrong_password_is_refused(browser, assistant, accounts):
    page = browser.new_page()
    sign_in(page, assistant, password="not the password at all")
    assert "Wrong name or password." in page.content()
    page.close()
    with store.session_scope() as session:
        session.execute(delete(RateLimit))


def test_an_agent_sees_no_supervisor_tools(console):
    assert console.get_by_role("heading", name="Find a member's worksheet").count() == 0
    assert console.get_by_role("heading", name="Audit log").count() == 0


def test_try_a_message_and_see_reply_intent_and_source(console):
    console.get_by_role("textbox", name="Member message").fill("do I have to pay for this?")
    console.get_by_role("button", name="Try it").click()
    console.locator(".try-intent").wait_for()
    assert console.locator(".try-intent").inner_text() == "ask_cost"
    result = console.locator("#try-result").inner_text()
    assert "does not cost you a thing" in result  # the web and the SMS rendering
    assert "utter_ask_cost" in result
    assert "ECM does not cost you a thing. If you qualify and decide to join" in result
    entry = audit.recent(action="try")[0]
    assert entry.actor == "agent.alvarez" and "pay" not in json.dumps(entry.details)


def test_run_the_scripted_checks(console):
    console.get_by_role("button", name="Run the checks").click()
    summary = console.locator(".checks-summary")
    summary.wait_for(timeout=60_000)
    assert summary.inner_text().endswith(" 0 failed")
    assert console.locator("#checks-result tr").count() > 30
    assert audit.recent(action="checks")[0].details["failed"] == 0


def test_catalog_is_searchable(console):
    console.locator(".catalog-item").first.wait_for()  # the catalog has loaded
    total = console.locator(".catalog-item").count()
    console.get_by_label("Search the scripts").fill("lead care manager")
    expect(console.locator(".catalog-item")).not_to_have_count(total)  # no eval under the CSP
    keys = console.locator(".catalog-item h3").all_inner_texts()
    assert "utter_ask_lead_care_manager" in keys and "utter_greet" not in keys


def test_the_page_warns_before_the_idle_timeout_and_can_stay(browser, assistant, accounts):
    context, page = open_console(browser, assistant, "agent.alvarez", clock=True)
    notice = page.locator("#idle-notice")
    page.clock.run_for((agents.IDLE_MINUTES - 3) * 60_000)
    assert notice.is_hidden()
    page.clock.run_for(90_000)  # 13 minutes and a bit: the warning
    notice.wait_for(state="visible")
    page.get_by_role("button", name="Stay signed in").click()
    notice.wait_for(state="hidden")
    context.close()


def test_look_up_a_worksheet_and_the_audit_log(supervisor, assistant):
    code = worksheets.save(
        "rest:console-test",
        "rest",
        "en",
        {"ws_doctors": "Dr. Okafor", "ws_unseen_needs": worksheet.SKIPPED},
    )
    supervisor.get_by_label("Reference code").fill(code.lower())  # as an agent might type it
    supervisor.get_by_role("button", name="Look up").click()
    supervisor.locator(".lookup-head").wait_for()
    result = supervisor.locator("#lookup-result").inner_text()
    assert code in result and "Dr. Okafor" in result and "skipped" in result
    entry = audit.recent(action="worksheet-lookup")[0]
    assert (entry.actor, entry.result, entry.client_address) == ("super.chen", "ok", "127.0.0.1")
    assert code not in json.dumps(entry.details)
    supervisor.get_by_role("button", name="Show the audit log").click()
    supervisor.locator(".audit-row").first.wait_for()
    assert "worksheet-lookup" in supervisor.locator("#audit-result").inner_text()
    with supervisor.expect_download() as download:
        supervisor.get_by_role("link", name="Download the audit log (CSV)").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("at,actor,action") and "super.chen" in csv_text
    printed = subprocess.run(
        [sys.executable, "-m", "bot.agents", "audit", "--limit", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=assistant.env,
    )
    assert "super.chen" in printed.stdout and code not in printed.stdout


def test_a_supervisor_manages_accounts(supervisor):
    supervisor.get_by_label("Account name").fill("new.agent")
    supervisor.get_by_label("First password (12 or more characters)").fill(PASSWORD)
    supervisor.get_by_role("button", name="Create the account").click()
    supervisor.get_by_text("Created new.agent.").wait_for()
    supervisor.get_by_role("button", name="Disable new.agent").click()
    supervisor.get_by_role("button", name="Enable new.agent").wait_for()
    supervisor.get_by_role("button", name="Make supervisor: new.agent").click()
    supervisor.get_by_role("button", name="Make agent: new.agent").wait_for()
    actions = [e.action for e in audit.recent(3)]
    assert actions == ["account-role", "account-disable", "account-create"]


def test_axe_finds_no_serious_problems_in_the_console(supervisor):
    from axe_playwright_python.sync_playwright import Axe

    supervisor.locator(".account-row").first.wait_for()
    results = Axe().run(supervisor)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in bad]


def test_a_wrong_code_says_so_and_repeats_are_limited(supervisor):
    for attempt in range(agents.MAX_FAILED_LOOKUPS + 1):
        supervisor.get_by_label("Reference code").fill(f"ECM-22222{attempt + 2}")
        supervisor.get_by_role("button", name="Look up").click()
        supervisor.locator("#lookup-result .fail").wait_for()
        text = supervisor.locator("#lookup-result").inner_text()
        if attempt < agents.MAX_FAILED_LOOKUPS:
            assert text == "No worksheet has that code."  # no hint about other codes
    assert "Too many wrong codes" in text


def test_api_calls_need_the_csrf_token(supervisor, assistant):
    cookies = {c["name"]: c["value"] for c in supervisor.context.cookies()}
    status, _, _ = call(
        assistant,
        "POST",
        "/api/lookup",
        json.dumps({"code": "ECM-222222"}).encode(),
        {"Content-Type": "application/json"},
        cookies,
    )
    assert status == 403
