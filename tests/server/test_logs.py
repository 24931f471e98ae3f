"""An action that raises, in the running assistant: the member's words reach no log line
of either process and no reply of the action server (issue 15).

The assistant runs with ECM_TEST_ACTIONS=tests.support.raising_actions: the worksheet's
validation and the handoff action raise when a message holds `TRIGGER`, with the
member's words in the exception's message and in local variables.
"""

import json
import time
import urllib.error
import urllib.request
import uuid
import zlib

import pytest

from bot import settings
from bot.tools import sms_sim
from tests.conftest import RunningAssistant
from tests.support.raising_actions import TRIGGER

pytestmark = pytest.mark.server

SENTINEL = "ZQXSENTINEL42"
PHONE = f"+1555{uuid.uuid4().int % 10**7:07d}"


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    from bot.rasa.train import MODEL_PATH

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    var_dir = tmp_path_factory.mktemp("failing")
    running = RunningAssistant(
        var_dir, var_dir / "server.log", {"ECM_TEST_ACTIONS": "tests.support.raising_actions"}
    )
    running.start()
    yield running
    running.stop()


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def log_when(running, *expected, timeout=10.0):
    """Both processes' log once every `expected` line is in it (they write as they go)."""
    deadline = time.monotonic() + timeout
    while True:
        log = running.log_path.read_text(errors="replace")
        if all(line in log for line in expected) or time.monotonic() > deadline:
            return log
        time.sleep(0.2)


def post_to_action_server(running, body: bytes, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{running.env['ACTION_PORT']}/webhook",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_failing_action_leaves_no_member_text_in_either_process_s_log(failing):
    say = lambda message: failing.say("fail-ws", message)  # noqa: E731
    assert "Question 1 of 5" in texts(say("help me get ready for my call"))
    assert "Question 2 of 5" in texts(say(f"Dr. Lee at the clinic {SENTINEL}"))  # a saved answer
    say(f"{TRIGGER} my knee {SENTINEL}")  # the worksheet's validation raises
    # the conversation goes on: the same question takes the next answer
    assert "Question 3 of 5" in texts(say("my knee hurts"))

    failing.say("fail-handoff", f"can I talk to a real person {TRIGGER} {SENTINEL}")
    assert "Enhanced Care Management" in texts(failing.say("fail-handoff", "what is ECM?"))

    token = failing.dev_secret(settings.DEV_TWILIO_TOKEN_FILE)
    public = f"http://localhost:{failing.port}"
    text = f"can I talk to a real person {TRIGGER} {SENTINEL}"  # on SMS, the handoff raises
    assert sms_sim.send(failing.base_url, token, public, PHONE, text)[0] == 200

    log = log_when(
        failing,
        "action validate_worksheet_form failed (KeyError)",
        "action action_handoff failed (KeyError)",
        "action worksheet_form failed (RasaException): the member was asked",
        "action action_handoff failed (RasaException): the member was asked",
    )
    assert SENTINEL not in log
    assert PHONE[1:] not in log  # the member's number, in any form
    # what an operator needs is there: which action, what went wrong, where
    assert "action validate_worksheet_form failed (KeyError)" in log
    assert log.count("action action_handoff failed (KeyError)") == 2  # web and SMS
    assert 'raising_actions.py", line' in log and "KeyError: [message withheld]" in log
    # Rasa's side (bot/rasa/patches/action_failure_reply.py): the action and the error's
    # type; the action server's reply used to be in ClientResponseError's message
    assert "action worksheet_form failed (RasaException)" in log
    assert "request_body" not in log


def _action_call(next_action):
    tracker = {
        "sender_id": f"sms:{PHONE}",
        "slots": {"ws_doctors": f"Dr. {SENTINEL}", "requested_slot": "ws_unseen_needs"},
        "latest_message": {
            "text": f"{TRIGGER} {SENTINEL}",
            "intent": {"name": "nlu_fallback", "confidence": 0.3},
            "intent_ranking": [],
            "entities": [],
        },
        "events": [{"event": "user", "text": f"{TRIGGER} {SENTINEL}"}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {
        "next_action": next_action,
        "sender_id": tracker["sender_id"],
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }


@pytest.mark.parametrize(
    "next_action, compress, status, reply",
    [
        # each raising action, as Rasa calls it (plain and deflate-compressed JSON)
        ("action_handoff", False, 500, {"error": "action failed", "action_name": "action_handoff"}),
        (
            "validate_worksheet_form",
            True,
            500,
            {"error": "action failed", "action_name": "validate_worksheet_form"},
        ),
        # an action that does not exist, with the same tracker
        ("action_nope", False, 404, {"error": "action not found", "action_name": "action_nope"}),
    ],
)
def test_the_action_server_s_error_replies_carry_no_tracker(
    failing, next_action, compress, status, reply
):
    body = json.dumps(_action_call(next_action)).encode()
    headers = {"Content-Encoding": "deflate"} if compress else {}
    got_status, got = post_to_action_server(
        failing, zlib.compress(body) if compress else body, headers
    )
    assert (got_status, json.loads(got)) == (status, reply)
    assert SENTINEL not in got and PHONE[1:] not in got


def test_a_body_that_is_not_json_gets_no_echo(failing):
    status, got = post_to_action_server(failing, f'{{"text": "{SENTINEL}'.encode())
    assert status == 400 and SENTINEL not in got
    assert SENTINEL not in failing.log_path.read_text(errors="replace")


def test_the_member_gets_a_polite_reply_when_an_action_fails(failing):
    assert "Question 1 of 5" in texts(failing.say("fail-polite", "help me get ready for my call"))
    reply = texts(failing.say("fail-polite", f"{TRIGGER} {SENTINEL}"))
    assert "send that again" in reply and "800-675-6110" in reply
    # the form stayed where it was: the next message answers the same question
    assert "Question 2 of 5" in texts(failing.say("fail-polite", "Dr. Lee"))
