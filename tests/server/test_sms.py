"""SMS over the running server, signed with twilio-python's own RequestValidator math."""

import sqlite3
import urllib.parse
import urllib.request
import uuid

import pytest

from bot import settings
from bot.tools import sms_sim

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def sms(assistant):
    token = assistant.dev_secret(settings.DEV_TWILIO_TOKEN_FILE)
    public = f"http://localhost:{assistant.port}"

    def send(phone, text, message_sid=None):
        return sms_sim.send(assistant.base_url, token, public, phone, text, message_sid=message_sid)

    send.token, send.public = token, public
    return send


def phone():
    return f"+1555{uuid.uuid4().int % 10**7:07d}"


def raw_post(assistant, params, signature=None):
    body = urllib.parse.urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    request = urllib.request.Request(
        assistant.base_url + sms_sim.WEBHOOK_PATH, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_signed_message_is_answered(sms):
    status, replies = sms(phone(), "how much does ecm cost")
    assert status == 200
    assert any("does not cost you a thing" in r for r in replies)
    assert all(len(r) <= 1600 for r in replies)


def test_forged_missing_and_tampered_signatures_get_403_and_nothing_is_stored(assistant, sms):
    number = phone()
    params = {"From": number, "To": "+15550009999", "Body": "hi", "MessageSid": "SMforged1"}
    assert raw_post(assistant, params)[0] == 403  # no signature
    assert raw_post(assistant, params, signature="bm90IGEgc2lnbmF0dXJl")[0] == 403  # forged
    signature = sms_sim.signed_request(sms.token, sms.public + sms_sim.WEBHOOK_PATH, params)[1][
        "X-Twilio-Signature"
    ]
    tampered = dict(params, Body="STOP")  # same signature, other body
    assert raw_post(assistant, tampered, signature=signature)[0] == 403
    # signed with the wrong token
    wrong = sms_sim.signed_request("0" * 32, sms.public + sms_sim.WEBHOOK_PATH, params)[1]
    assert raw_post(assistant, params, signature=wrong["X-Twilio-Signature"])[0] == 403
    with sqlite3.connect(assistant.var_dir / "ecm.db") as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM sms_messages WHERE message_sid = 'SMforged1'"
        ).fetchone() == (0,)
    with sqlite3.connect(assistant.var_dir / "tracker.db") as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"sms:{number}",)
        ).fetchone() == (0,)
    # the same request with the right signature goes through
    assert raw_post(assistant, params, signature=signature)[0] == 200


def test_a_replayed_message_sid_is_processed_once(assistant, sms):
    number, sid = phone(), f"SM{uuid.uuid4().hex}"
    status, first = sms(number, "what is ecm", message_sid=sid)
    assert status == 200 and first
    status, second = sms(number, "what is ecm", message_sid=sid)
    assert status == 200 and second == []
    with sqlite3.connect(assistant.var_dir / "tracker.db") as connection:
        users = connection.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (f"sms:{number}",),
        ).fetchone()[0]
    assert users == 1


def test_stop_then_silence_then_start(sms):
    number = phone()
    status, confirmation = sms(number, "STOP")
    assert status == 200 and len(confirmation) == 1 and "opted out" in confirmation[0]
    assert sms(number, "what is ecm")[1] == []  # nothing after an opt-out
    assert sms(number, "stop")[1] == []  # exactly one confirmation
    assert sms(number, "yes")[1] != []  # YES opts back in when opted out
    assert any("does not cost" in r for r in sms(number, "is it free")[1])


@pytest.mark.parametrize("words", ["Stop texting me", "UNSUBSCRIBE", "cancel"])
def test_plain_language_opt_outs(sms, words):
    number = phone()
    assert "opted out" in " ".join(sms(number, words)[1])
    assert sms(number, "hello")[1] == []
    assert "opted back in" in " ".join(sms(number, "START")[1])


@pytest.mark.parametrize(
    "words", ["ALTO", "PARAR", "CANCELAR", "BAJA", "alto", "ya no me manden mensajes"]
)
def test_spanish_opt_outs_are_confirmed_in_spanish(sms, words):
    # issue 16: PARAR, CANCELAR, BAJA were ECM questions; ALTO was confirmed in English
    number = phone()
    confirmation = " ".join(sms(number, words)[1])
    assert "Ya no recibirá textos de Health Net ECM" in confirmation
    assert sms(number, "hola")[1] == []
    assert "Va a recibir otra vez" in " ".join(sms(number, "START")[1])


@pytest.mark.parametrize(
    "words", ["pls remove me from this text list", "i dont want these texts no more"]
)
def test_free_text_opt_outs_from_issue_16(sms, words):
    number = phone()
    assert "opted out" in " ".join(sms(number, words)[1])
    assert sms(number, "what is ecm")[1] == []


def test_help_and_ayuda_are_answered_after_an_opt_out_ayuda_in_spanish(sms):
    number = phone()
    assert "opted out" in " ".join(sms(number, "STOP")[1])
    help_reply = " ".join(sms(number, "HELP")[1])
    assert "Health Net ECM" in help_reply and "Reply STOP to opt out" in help_reply
    ayuda = " ".join(sms(number, "AYUDA")[1])
    assert "Respondo preguntas" in ayuda and "800-675-6110" in ayuda
    assert sms(number, "what is ecm")[1] == []  # still opted out


def test_asking_how_to_stop_ecm_gets_the_ecm_answer(sms):
    replies = " ".join(sms(phone(), "how do I stop ECM?")[1])
    assert "800-675-6110" in replies and "opted out" not in replies


def test_a_vague_stop_is_asked_about_once(sms):
    number = phone()
    assert sms(number, "stop it")[1] == ["Do you want us to stop texting you? Reply STOP."]
    assert "opted out" in " ".join(sms(number, "yes")[1])


def test_help_names_the_program_number_rates_and_stop(sms):
    reply = " ".join(sms(phone(), "HELP")[1])
    for part in [
        "Health Net ECM",
        "800-675-6110",
        "TTY 711",
        "Msg & data rates may apply",
        "Reply STOP to opt out",
    ]:
        assert part in reply


def test_buttons_are_numbered_and_a_number_picks_one(sms):
    number = phone()
    replies = sms(number, "the care thing")[1]  # unclear: offers topics as buttons
    listing = "\n".join(replies)
    assert "\n1. " in listing and "\n2. " in listing and "/ask_" not in listing
    second = [line for line in listing.splitlines() if line.startswith("2. ")][0][3:]
    answer = "\n".join(sms(number, "2")[1])
    assert answer and "not sure what you mean" not in answer
    assert second  # the second topic's answer came back, not a guess at "2"


def test_photo_only_message_gets_a_polite_answer(sms):
    status, replies = sms(phone(), None)  # an MMS with no Body
    assert status == 200 and any("did not get any words" in r for r in replies)


def test_spanish_punctuation_survives_and_no_reply_is_too_long(sms):
    status, replies = sms(phone(), "¡Hola! " + "x" * 3000)
    assert status == 200 and replies and all(len(r) <= 1600 for r in replies)


def test_worksheet_review_on_sms_does_not_echo_answers(sms):
    number = phone()
    first = " ".join(sms(number, "help me get ready for my call")[1])
    assert "say skip, back or done" in first  # "stop" would opt out on SMS
    secret = "Dr. Quill SMS-SENTINEL"
    sms(number, secret)
    for _ in range(3):
        sms(number, "skip")
    review = "\n".join(sms(number, "skip")[1])
    assert "You answered 1 of 5" in review and secret not in review
    assert "1. Yes, save it" in review  # the confirm buttons, numbered
    saved = "\n".join(sms(number, "1")[1])
    assert "ECM-" in saved and secret not in saved
