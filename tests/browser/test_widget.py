"""The web widget in a real browser (Debian's Chromium driven by Playwright)."""

import os
import shutil

import pytest

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture
def page(browser, assistant):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{assistant.base_url}/webhooks/web/demo")
    yield page
    context.close()


def open_widget(page):
    page.get_by_role("button", name="Chat about ECM").click()
    return page.get_by_label("Your message")


def ask(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    count = page.locator(".ecm-assistant").count()
    page.get_by_role("button", name="Send").click()
    # a locator, not wait_for_function: the page's CSP allows no eval
    page.locator(".ecm-assistant").nth(count).wait_for()
    page.wait_for_selector(".ecm-typing", state="hidden")


def log_text(page):
    return page.get_by_role("log").inner_text()


def test_open_ask_about_cost_and_see_the_answer(page):
    box = open_widget(page)
    assert box.evaluate("el => el === document.activeElement")  # focus moves to the input
    ask(page, "does it cost money?")
    assert "does not cost you a thing" in log_text(page)


def test_worksheet_to_the_tel_link(page):
    open_widget(page)
    ask(page, "help me get ready for my call")
    for answer in ["Dr. Lee", "skip", "the senior center", "food", "when can I start?"]:
        ask(page, answer)
    assert "Here is what you told me" in log_text(page)
    page.get_by_role("button", name="Yes, save it").click()
    link = page.locator("a.ecm-tel")
    link.wait_for()
    assert link.get_attribute("href") == "tel:+18006756110"
    assert "ECM-" in log_text(page)


def test_reload_keeps_the_transcript(page):
    open_widget(page)
    ask(page, "who is on my care team")
    before = log_text(page)
    page.reload()
    page.wait_for_selector(".ecm-assistant")
    assert page.get_by_label("Your message").is_visible()  # it stays open
    assert log_text(page) == before
    # the conversation is the server's cookie: HttpOnly, so the page cannot read it,
    # and the browser's storage holds neither an id nor the member's words
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "ecm_web_chat"]
    assert cookie["httpOnly"] and cookie["path"] == "/webhooks/web/"
    assert "ecm_web_chat" not in page.evaluate("document.cookie")
    stored = page.evaluate("JSON.stringify([sessionStorage, localStorage])")
    assert "care team" not in stored and cookie["value"].split(".")[0] not in stored
    # without the cookie, a reload shows nothing: the transcript came through it
    page.context.clear_cookies()
    page.reload()
    page.get_by_label("Your message").wait_for()
    assert page.locator(".ecm-msg").count() == 0


def test_start_over_begins_a_new_conversation(page):
    open_widget(page)
    ask(page, "who is on my care team")
    first = page.context.cookies()[0]["value"]
    page.get_by_role("button", name="Start over").click()
    ask(page, "is ecm free")
    assert "care team" not in log_text(page)
    assert page.context.cookies()[0]["value"].split(".")[0] != first.split(".")[0]
    page.reload()
    page.wait_for_selector(".ecm-assistant")
    assert "care team" not in log_text(page) and "is ecm free" in log_text(page)


def test_keyboard_only_conversation(page):
    page.keyboard.press("Tab")  # the demo page's link
    for _ in range(5):
        if page.evaluate("document.activeElement.className") == "ecm-launcher":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "ecm-launcher"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "ecm-input"
    page.keyboard.type("can they help me get rides to the doctor")
    page.keyboard.press("Enter")
    page.wait_for_selector(".ecm-assistant")
    page.wait_for_selector(".ecm-typing", state="hidden")
    assert "rides" in log_text(page)
    page.keyboard.press("Escape")  # closing returns focus to the launcher
    assert page.evaluate("document.activeElement.className") == "ecm-launcher"


def test_html_is_shown_literally(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_widget(page)
    ask(page, "<img src=x onerror=alert(1)>")
    assert "<img src=x onerror=alert(1)>" in log_text(page)
    assert page.locator(".ecm-log img").count() == 0 and dialogs == []


def test_server_down_then_back(page):
    open_widget(page)
    page.route("**/webhooks/web/message", lambda route: route.abort())
    box = page.get_by_label("Your message")
    box.fill("is ecm free")
    page.get_by_role("button", name="Send").click()
    alert = page.locator(".ecm-alert")
    alert.get_by_text("could not reach").wait_for()
    assert box.input_value() == "is ecm free"  # the member's text is kept
    page.unroute("**/webhooks/web/message")
    alert.get_by_role("button", name="Try again").click()
    page.wait_for_selector(".ecm-assistant")
    page.wait_for_selector(".ecm-typing", state="hidden")
    assert "does not cost you a thing" in log_text(page)


def test_crisis_reply_is_an_alert(page):
    open_widget(page)
    ask(page, "i want to end my life")
    urgent = page.locator(".ecm-assistant[role=alert]")
    assert urgent.count() == 1 and "988" in urgent.inner_text()


def test_idle_warning_can_be_extended(browser, assistant):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.ECM_WIDGET_OPTIONS = {idleWarningSeconds: 1, idleEndSeconds: 4}")
    page.goto(f"{assistant.base_url}/webhooks/web/demo")
    open_widget(page)
    warning = page.locator(".ecm-idle")
    warning.wait_for(state="visible", timeout=5000)
    page.get_by_role("button", name="Keep chatting").click()
    assert warning.is_hidden()
    page.locator(".ecm-alert").get_by_text("chat ended").wait_for(timeout=8000)
    context.close()


def test_reflows_at_320_px_and_200_percent_text(browser, assistant):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{assistant.base_url}/webhooks/web/demo")
    # CSSOM, not an inline <style>: the page's Content-Security-Policy refuses those
    page.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
    open_widget(page)
    ask(page, "what is ecm")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator(".ecm-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    context.close()


def test_axe_finds_no_serious_or_critical_problems(page):
    from axe_playwright_python.sync_playwright import Axe

    open_widget(page)
    ask(page, "what is ecm")  # a conversation with buttons in it
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in bad]


def test_screenshot_for_the_readme(page, tmp_path):
    open_widget(page)
    ask(page, "what is ecm")
    ask(page, "does it cost money?")
    path = tmp_path / "widget.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    if os.environ.get("ECM_SAVE_SCREENSHOT"):
        shutil.copy(path, os.environ["ECM_SAVE_SCREENSHOT"])


def test_spanish_messages_carry_lang_es_and_the_labels_follow(page):
    open_widget(page)
    ask(page, "hola, que es el ECM y cuanto cuesta")
    last = page.locator(".ecm-assistant").last
    assert last.get_attribute("lang") == "es"
    assert page.get_by_label("Su mensaje").is_visible()  # the widget's own labels in Spanish
    assert page.locator(".ecm-widget").get_attribute("lang") == "es"
