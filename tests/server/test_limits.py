"""Request size limits of the running assistant: 413 over 64 KB on every route."""

import http.client
import json

import pytest

from bot.rasa.runtime import REQUEST_MAX_BYTES
from bot.tools import sms_sim

pytestmark = pytest.mark.server

ROUTES = [
    "/webhooks/rest/webhook",
    sms_sim.WEBHOOK_PATH,
    "/webhooks/web/message",
    "/webhooks/console/login",
]


def post(assistant, path, body: bytes, content_type="application/json"):
    """(status, body) of a raw POST; the connection is new each time."""
    connection = http.client.HTTPConnection("127.0.0.1", assistant.port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def rest_body(message: str) -> bytes:
    return json.dumps({"sender": "limits", "message": message}).encode()


@pytest.mark.parametrize("path", ROUTES)
def test_a_body_over_64_kb_is_refused_on_every_route(assistant, path):
    status, _ = post(assistant, path, b"a=" + b"x" * (REQUEST_MAX_BYTES + 1024))
    assert status == 413


def test_a_body_just_under_the_limit_is_handled(assistant):
    # a member message of nearly 64 KB: within the body limit, over MAX_MESSAGE_CHARS
    body = rest_body("y" * (REQUEST_MAX_BYTES - 200))
    assert len(body) < REQUEST_MAX_BYTES
    status, payload = post(assistant, "/webhooks/rest/webhook", body)
    assert status == 200
    assert "too long" in " ".join(reply.get("text", "") for reply in json.loads(payload))


def test_a_200_kb_message_is_refused_and_the_server_keeps_answering(assistant):
    status, _ = post(assistant, "/webhooks/rest/webhook", rest_body("z" * 200_000))
    assert status == 413
    assert assistant.say("limits-after", "hi")


@pytest.mark.parametrize(
    "length, too_long",
    [(1000, False), (1001, True)],  # MAX_MESSAGE_CHARS is 1,000 unless configured
)
def test_rest_text_is_capped_like_every_member_message(assistant, length, too_long):
    replies = assistant.say("limits-cap", "a" * length)
    said = " ".join(reply.get("text", "") for reply in replies)
    assert ("too long" in said) is too_long
