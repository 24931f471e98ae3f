"""Who may read and drive a web conversation, over real HTTP: the server-issued
cookie, the origin allow-list (CORS) and the REST channel's bearer token."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from typing import Any, Optional, Tuple

import pytest

from tests.conftest import RunningAssistant, production_env

pytestmark = pytest.mark.server

WEB = "/webhooks/web"
COOKIE = "ecm_web_chat"
TOKEN = "test-rest-token-7d1f0c"
PLAN = "https://www.plan.example.org"
SENTINEL = "OKAPI-SENTINEL-9032"


def call(
    assistant: RunningAssistant,
    method: str,
    path: str,
    body: Any = None,
    cookie: Optional[str] = None,
    headers: Optional[dict] = None,
) -> Tuple[int, Any, Any]:
    """(status, headers, JSON body or raw bytes): urllib keeps no cookies of its own."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(assistant.base_url + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if cookie is not None:
        request.add_header("Cookie", f"{COOKIE}={cookie}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            status, found, raw = reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        status, found, raw = error.code, error.headers, error.read()
    try:
        return status, found, json.loads(raw)
    except ValueError:
        return status, found, raw


def issued(headers) -> Optional[Any]:
    """The conversation cookie the response sets (a Morsel), if any."""
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return jar.get(COOKIE)


def say(assistant, message, cookie=None, headers=None):
    status, found, replies = call(
        assistant, "POST", f"{WEB}/message", {"message": message}, cookie, headers
    )
    assert status == 200, replies
    return replies, issued(found).value


def history(assistant, cookie=None, query=""):
    status, _, body = call(assistant, "GET", f"{WEB}/history{query}", cookie=cookie)
    assert status == 200, body
    return body["messages"]


def texts(items):
    return " ".join(item.get("text") or "" for item in items)


@pytest.fixture(scope="module")
def member(assistant):
    """A member's conversation: (its cookie value, its id)."""
    replies, cookie = say(assistant, "does it cost money?")
    assert "does not cost you a thing" in texts(replies)
    return cookie, cookie.split(".")[0]


def test_history_without_the_cookie_is_empty(assistant, member):
    assert history(assistant) == []


def test_history_with_its_own_cookie_is_its_transcript(assistant, member):
    cookie, _ = member
    messages = history(assistant, cookie)
    assert messages[0] == {"from": "member", "text": "does it cost money?"}
    assert "does not cost you a thing" in texts(messages)


@pytest.mark.parametrize(
    "forge",
    [
        lambda cookie, id_: id_,  # the bare id, as the old widget sent it
        lambda cookie, id_: f"{id_}.{cookie.split('.')[1]}.{'A' * 43}",  # an invented mac
        lambda cookie, id_: cookie[:-1] + ("B" if cookie[-1] != "B" else "C"),  # mac changed
        lambda cookie, id_: cookie.replace(id_, id_[:-1] + ("x" if id_[-1] != "x" else "y")),
        lambda cookie, id_: f"{id_}.{int(cookie.split('.')[1]) + 5}.{cookie.split('.')[2]}",
    ],
    ids=["bare-id", "invented-mac", "mac-changed", "id-changed", "time-changed"],
)
def test_a_forged_or_tampered_cookie_gets_nothing(assistant, member, forge):
    cookie, id_ = member
    status, headers, body = call(assistant, "GET", f"{WEB}/history", cookie=forge(cookie, id_))
    assert status == 200 and body["messages"] == []
    assert issued(headers)["max-age"] == "0"  # and the browser is told to forget it


def test_a_query_parameter_never_names_another_conversation(assistant, member):
    cookie, id_ = member
    _, other = say(assistant, "hello")  # someone else, with a cookie of their own
    for query in (f"?session={id_}", f"?sender={id_}", f"?sender=web:{id_}", f"?id={cookie}"):
        assert history(assistant, query=query) == []
        theirs = history(assistant, other, query=query)
        assert [m["text"] for m in theirs if m["from"] == "member"] == ["hello"]


def test_a_message_with_a_forged_cookie_starts_a_new_conversation(assistant, member):
    cookie, id_ = member
    before = history(assistant, cookie)
    forged = f"{id_}.{cookie.split('.')[1]}.{'A' * 43}"
    _, fresh = say(assistant, f"what is ecm {SENTINEL}", cookie=forged)
    assert fresh.split(".")[0] != id_
    assert history(assistant, cookie) == before  # nothing reached the member's conversation
    assert SENTINEL in texts(history(assistant, fresh))


def test_the_cookie_is_http_only_scoped_and_lasts_a_day(assistant):
    status, headers, body = call(assistant, "POST", f"{WEB}/session", {})
    assert status == 200 and body == {"messages": []}
    cookie = issued(headers)
    assert cookie["httponly"] and cookie["path"] == "/webhooks/web/"
    assert cookie["samesite"] == "Lax" and not cookie["secure"]  # plain http here
    assert cookie["max-age"] == "86400"
    assert len(cookie.value.split(".")[0]) >= 22  # 128+ random bits
    assert headers["Cache-Control"] == "no-store"


def test_a_new_session_is_a_new_conversation(assistant, member):
    cookie, id_ = member
    status, headers, _ = call(assistant, "POST", f"{WEB}/session", {}, cookie=cookie)
    fresh = issued(headers).value
    assert status == 200 and fresh.split(".")[0] != id_
    assert history(assistant, fresh) == []


def test_replies_carry_no_conversation_id_and_the_tracker_is_namespaced(assistant, member):
    cookie, id_ = member
    replies, again = say(assistant, "who is on my care team", cookie)
    assert again.split(".")[0] == id_  # the same conversation, its cookie renewed
    assert all("recipient_id" not in reply for reply in replies)
    with sqlite3.connect(assistant.var_dir / "tracker.db") as connection:
        senders = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert f"web:{id_}" in senders and id_ not in senders


@pytest.mark.parametrize(
    "message, expected",
    [("", "did not get any words"), (None, "did not get any words"), ("x" * 5000, "too long")],
)
def test_bad_input_gets_a_polite_answer(assistant, message, expected):
    replies, _ = say(assistant, message)
    assert expected in texts(replies)


@pytest.mark.parametrize("body", [["not", "an", "object"], {"message": 42}])
def test_malformed_requests_get_400(assistant, body):
    status, _, _ = call(assistant, "POST", f"{WEB}/message", body)
    assert status == 400


def test_member_text_never_reaches_the_logs(assistant, member):
    say(assistant, f"my doctor is Dr {SENTINEL}", member[0])
    assert SENTINEL not in assistant.log_path.read_text(errors="replace")


def test_the_own_origin_works_without_a_list(assistant):
    status, headers, _ = call(
        assistant, "POST", f"{WEB}/session", {}, headers={"Origin": assistant.base_url}
    )
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize(
    "method, path, body, extra",
    [
        ("POST", "/message", {"message": "hi"}, {}),
        ("POST", "/session", {}, {}),
        ("GET", "/history", None, {}),
        ("OPTIONS", "/message", None, {"Access-Control-Request-Method": "POST"}),
    ],
)
def test_a_foreign_origin_is_refused_without_cors_headers(
    assistant, member, method, path, body, extra
):
    status, headers, _ = call(
        assistant,
        method,
        WEB + path,
        body,
        cookie=member[0],
        headers={"Origin": "https://evil.example", **extra},
    )
    assert status == 403
    assert not any(key.lower().startswith("access-control-") for key in headers)
    assert issued(headers) is None


# ---- an assistant with a REST token and the plan's origin on the list


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("guarded")
    running = RunningAssistant(
        var_dir,
        var_dir / "server.log",
        extra_env={"REST_API_TOKEN": TOKEN, "WEB_ALLOWED_ORIGINS": PLAN},
    )
    running.start()
    yield running
    running.stop()


def rest(assistant, authorization=None):
    headers = {"Authorization": authorization} if authorization else {}
    body = {"sender": "token-test", "message": "hi"}
    return call(assistant, "POST", "/webhooks/rest/webhook", body, headers=headers)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}"])
def test_rest_without_the_right_token_gets_401(guarded, authorization):
    status, headers, body = rest(guarded, authorization)
    assert status == 401 and "error" in body
    assert headers["WWW-Authenticate"] == "Bearer"


def test_rest_with_the_token_is_answered_and_health_stays_open(guarded):
    status, _, replies = rest(guarded, f"Bearer {TOKEN}")
    assert status == 200 and "Enhanced Care Management (ECM)" in texts(replies)
    status, _, _ = call(guarded, "GET", "/webhooks/rest/health")
    assert status == 200


def test_a_listed_origin_gets_cors_headers_with_credentials(guarded):
    status, headers, replies = call(
        guarded, "POST", f"{WEB}/message", {"message": "is ecm free"}, headers={"Origin": PLAN}
    )
    assert status == 200 and "does not cost you a thing" in texts(replies)
    assert headers["Access-Control-Allow-Origin"] == PLAN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in headers["Vary"]
    cookie = issued(headers).value
    status, headers, body = call(guarded, "GET", f"{WEB}/history", cookie=cookie)
    assert "does not cost you a thing" in texts(body["messages"])


def test_a_listed_origin_gets_a_preflight_answer(guarded):
    status, headers, _ = call(
        guarded,
        "OPTIONS",
        f"{WEB}/message",
        headers={
            "Origin": PLAN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == PLAN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("method", ["POST", "OPTIONS"])
def test_an_origin_not_on_the_list_gets_nothing(guarded, method):
    body = {"message": "hi"} if method == "POST" else None
    status, headers, _ = call(
        guarded,
        method,
        f"{WEB}/message",
        body,
        headers={"Origin": "https://plan.example.org.evil.example"},
    )
    assert status == 403
    assert "Access-Control-Allow-Origin" not in headers


# ---- production


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production")
    running = RunningAssistant(var_dir, var_dir / "server.log", extra_env=production_env())
    running.start()
    yield running
    running.stop()


def test_production_without_a_token_turns_the_rest_webhook_off(production):
    status, _, body = rest(production)
    assert status == 403 and "REST_API_TOKEN" in body["error"]
    status, _, _ = rest(production, f"Bearer {TOKEN}")
    assert status == 403
    status, _, _ = call(production, "GET", "/webhooks/rest/health")
    assert status == 200


def test_production_web_cookie_is_secure_and_embeddable(production):
    status, headers, replies = call(production, "POST", f"{WEB}/message", {"message": "hi"})
    assert status == 200 and replies
    cookie = issued(headers)
    assert cookie["secure"] and cookie["samesite"] == "None" and cookie["httponly"]
