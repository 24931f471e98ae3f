"""The agent console: sign-in, refusal of anonymous requests, and its tools in a browser."""

import json
import subprocess
import sys
import urllib.request

import pytest

from bot import settings, store, worksheet
from bot.channels.console import PREFIX, PUBLIC_ROUTES, console_routes
from bot.store import agents, worksheets
from tests.conftest import ROOT

pytestmark = pytest.mark.server

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def agent_account(assistant, tmp_path_factory):
    """An agent in the running assistant's database (and bot.store pointed at it)."""
    key = assistant.dev_secret(settings.DEV_KEY_FILE)
    mp = pytest.MonkeyPatch()
    mp.setenv("ENCRYPTION_KEYS", key)
    store.configure(assistant.env["DATABASE_URL"])
    agents.create("agent.alvarez", PASSWORD)
    yield "agent.alvarez"
    store.get_engine().dispose()
    mp.undo()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def anonymous(assistant, method, path):
    request = urllib.request.Request(
        assistant.base_url + PREFIX + path,
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_route_list_is_read_from_the_app():
    routes = console_routes()
    assert ("POST", "/api/lookup") in routes and ("GET", "/") in routes
    assert PUBLIC_ROUTES <= set(routes)


@pytest.mark.parametrize("method, path", [r for r in console_routes() if r not in PUBLIC_ROUTES])
def test_every_console_route_refuses_anonymous_requests(assistant, method, path):
    status, headers, body = anonymous(assistant, method, path)
    if path.startswith("/api/"):
        assert status == 401
    else:
        assert status in (301, 302, 303, 307) and headers["Location"].endswith("/login")
    assert b"ECM-" not in body and b"utter_" not in body


def test_passwords_are_hashed_and_never_logged(assistant, agent_account):
    with store.session_scope() as session:
        from bot.store.models import Agent

        stored = session.query(Agent).filter_by(username=agent_account).one().password_hash
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert PASSWORD not in assistant.log_path.read_text(errors="replace")


def sign_in(page, assistant, password=PASSWORD):
    page.goto(f"{assistant.base_url}{PREFIX}/login")
    page.get_by_label("Name").fill("agent.alvarez")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def console(browser, assistant, agent_account):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, assistant)
    page.get_by_role("heading", name="Try a member message").wait_for()
    yield page
    context.close()


def test_wrong_password_is_refused(browser, assistant, agent_account):
    page = browser.new_page()
    sign_in(page, assistant, password="not the password at all")
    assert "Wrong name or password." in page.content()
    page.close()


def test_try_a_message_and_see_reply_intent_and_source(console):
    console.get_by_role("textbox", name="Member message").fill("do I have to pay for this?")
    console.get_by_role("button", name="Try it").click()
    console.locator(".try-intent").wait_for()
    assert console.locator(".try-intent").inner_text() == "ask_cost"
    result = console.locator("#try-result").inner_text()
    assert "does not cost you a thing" in result  # the web and the SMS rendering
    assert "utter_ask_cost" in result
    assert "ECM does not cost you a thing. If you qualify and decide to join" in result


def test_run_the_scripted_checks(console):
    console.get_by_role("button", name="Run the checks").click()
    summary = console.locator(".checks-summary")
    summary.wait_for(timeout=60_000)
    assert summary.inner_text().endswith(" 0 failed")
    assert console.locator("#checks-result tr").count() > 30


def test_catalog_is_searchable(console):
    console.locator(".catalog-item").first.wait_for()  # the catalog has loaded
    total = console.locator(".catalog-item").count()
    console.get_by_label("Search the scripts").fill("lead care manager")
    console.wait_for_function(f"document.querySelectorAll('.catalog-item').length < {total}")
    keys = console.locator(".catalog-item h3").all_inner_texts()
    assert "utter_ask_lead_care_manager" in keys and "utter_greet" not in keys


def test_look_up_a_worksheet_by_code_and_the_audit_log(console, assistant, agent_account):
    code = worksheets.save(
        "rest:console-test",
        "rest",
        "en",
        {"ws_doctors": "Dr. Okafor", "ws_unseen_needs": worksheet.SKIPPED},
    )
    console.get_by_label("Reference code").fill(code.lower())  # as an agent might type it
    console.get_by_role("button", name="Look up").click()
    console.locator(".lookup-head").wait_for()
    result = console.locator("#lookup-result").inner_text()
    assert code in result and "Dr. Okafor" in result and "skipped" in result
    assert agents.audit_log(1)[0][1:] == (agent_account, code, True)
    printed = subprocess.run(
        [sys.executable, "-m", "bot.store.agents", "audit", "--limit", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**assistant.env, "DATABASE_URL": assistant.env["DATABASE_URL"]},
    )
    assert code in printed.stdout and agent_account in printed.stdout


def test_a_wrong_code_says_so_and_repeats_are_limited(console):
    for attempt in range(agents.MAX_FAILED_LOOKUPS + 1):
        console.get_by_label("Reference code").fill(f"ECM-22222{attempt + 2}")
        console.get_by_role("button", name="Look up").click()
        console.locator("#lookup-result .fail").wait_for()
        text = console.locator("#lookup-result").inner_text()
        if attempt < agents.MAX_FAILED_LOOKUPS:
            assert text == "No worksheet has that code."  # no hint about other codes
    assert "Too many wrong codes" in text


def test_api_calls_need_the_csrf_token(console, assistant):
    cookies = {c["name"]: c["value"] for c in console.context.cookies()}
    request = urllib.request.Request(
        f"{assistant.base_url}{PREFIX}/api/lookup",
        method="POST",
        data=json.dumps({"code": "ECM-222222"}).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 403
