"""The widget embedded in a plan page served from another origin, in Chromium.

Two "plan sites" (python's http.server on their own ports) serve the same page,
whose one script tag points at the assistant's widget.js; the assistant lists
only the first in WEB_ALLOWED_ORIGINS. Both are on 127.0.0.1, so they are
cross-origin but same-site: the SameSite=Lax cookie of plain http goes along
(a plan site on another site needs https, where the cookie is SameSite=None;
Secure: tests/server/test_web_access.py checks that header).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List

import pytest

from tests.conftest import RunningAssistant

pytestmark = [pytest.mark.server, pytest.mark.browser]

PLAN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A Medi-Cal plan's page</title></head>
<body>
  <main><h1>Enhanced Care Management</h1><p>Questions? Use the chat button.</p></main>
  <script src="{assistant}/webhooks/web/widget.js" defer></script>
</body>
</html>
"""


class PlanSite:
    """A minimal plan page on a port of its own, in a thread."""

    def __init__(self) -> None:
        page = {"html": b""}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server calls it by this name
                if self.path != "/":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page["html"])

            def log_message(self, *args: object) -> None:
                pass

        self.page = page
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def serve(self, assistant_url: str) -> None:
        self.page["html"] = PLAN_PAGE.format(assistant=assistant_url).encode()
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[List[PlanSite]]:
    """(the plan's site, on the list; another site, not on it) and their assistant."""
    listed, other = PlanSite(), PlanSite()
    var_dir = tmp_path_factory.mktemp("embedded")
    assistant = RunningAssistant(
        var_dir, var_dir / "server.log", extra_env={"WEB_ALLOWED_ORIGINS": listed.origin}
    )
    assistant.start()
    for site in (listed, other):
        site.serve(assistant.base_url)
    yield [listed, other]
    for site in (listed, other):
        site.stop()
    assistant.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def open_and_type(page, text):
    page.get_by_role("button", name="Chat about ECM").click()
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_the_plan_site_converses_and_a_reload_keeps_the_transcript(sites, context):
    listed, _ = sites
    page = context.new_page()
    page.goto(listed.origin + "/")
    open_and_type(page, "does it cost money?")
    page.wait_for_selector(".ecm-assistant")
    page.wait_for_selector(".ecm-typing", state="hidden")
    log = page.get_by_role("log")
    assert "does not cost you a thing" in log.inner_text()
    before = log.inner_text()
    page.reload()
    page.wait_for_selector(".ecm-assistant")
    assert page.get_by_role("log").inner_text() == before
    assert page.locator(".ecm-alert").inner_text().strip() == ""
    # the cookie belongs to the assistant's origin, not the plan's page
    assert "ecm_web_chat" not in page.evaluate("document.cookie")
    # and the conversation goes on
    page.get_by_label("Your message").fill("who is on my care team")
    page.get_by_role("button", name="Send").click()
    page.wait_for_function("document.querySelectorAll('.ecm-member').length === 2")
    page.wait_for_selector(".ecm-typing", state="hidden")
    assert page.locator(".ecm-assistant").count() > 1


def test_a_site_not_on_the_list_cannot_converse(sites, context):
    _, other = sites
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(other.origin + "/")
    open_and_type(page, "does it cost money?")
    alert = page.locator(".ecm-alert")
    alert.get_by_text("could not reach the helper").wait_for()
    assert page.locator(".ecm-assistant").count() == 0
    assert page.get_by_label("Your message").input_value() == "does it cost money?"
    assert any("/webhooks/web/message" in url for url in failed)
