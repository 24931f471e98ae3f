"""bot/channels/sms.py in process: a real migrated SQLite database, requests signed
with twilio-python's RequestValidator, Rasa replaced by a recorder. What matters
here: nothing is sent when the opt-out state cannot be read, HELP always is,
keywords carry the member's language, the ask-once question, and no phone
digits in the channel's log lines."""

import logging
import re
import uuid
from types import SimpleNamespace

import pytest
from sanic.request import RequestParameters

from bot import log_tags, store
from bot import settings as settings_module
from bot.channels import sms as channel_module
from bot.store import sms_records
from bot.tools import sms_sim

TOKEN = "a-twilio-auth-token-for-tests"
PUBLIC = "https://sms.example.org"
PHONE = "+15557654321"


class FakeRequest:
    """What the channel reads of a Sanic request."""

    def __init__(self, params, signature):
        self.form = RequestParameters({k: [v] for k, v in params.items()})
        self.headers = {"X-Twilio-Signature": signature}
        self.path = sms_sim.WEBHOOK_PATH
        self.query_string = ""
        self.app = SimpleNamespace(ctx=SimpleNamespace(agent=None))


class Rasa:
    """Stands in for Rasa: records what it was handed, answers one line."""

    def __init__(self, fail=False):
        self.texts, self.fail = [], fail

    async def __call__(self, message):
        self.texts.append(message.text)
        if self.fail:
            raise RuntimeError("the assistant failed")
        await message.output_channel.send_text_message(message.sender_id, "a reply")


@pytest.fixture
def channel(tmp_path, database_url, encryption_key):
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": PUBLIC,
        "ENCRYPTION_KEYS": encryption_key,
        "ECM_DEV_SECRETS_DIR": str(tmp_path),
    }
    return channel_module.TwilioSmsChannel(settings=settings_module.load(env))


async def send(channel, body, rasa=None, phone=PHONE):
    params = {"From": phone, "To": "+15550009999", "MessageSid": f"SM{uuid.uuid4().hex}"}
    if body is not None:
        params["Body"] = body
    signature = sms_sim.signed_request(TOKEN, PUBLIC + sms_sim.WEBHOOK_PATH, params)[1]
    request = FakeRequest(params, signature["X-Twilio-Signature"])
    reply = await channel.receive(request, rasa or Rasa())
    return reply.status, sms_sim.messages(reply.body)


@pytest.fixture
def database_down(tmp_path, database_url):
    """The application database is unreachable (its folder does not exist)."""
    store.configure(f"sqlite:///{tmp_path / 'gone' / 'ecm.db'}")
    yield
    store.configure(database_url)


async def test_without_the_database_nothing_is_sent(channel, database_down, caplog):
    # before issue 16 the failure text went out: to a number that may have opted out
    rasa = Rasa()
    for body in ["what is ecm", "STOP", "stop texting me", "stop it", "START", None]:
        status, replies = await send(channel, body, rasa)
        assert (status, replies) == (200, []), body
    assert rasa.texts == []
    assert "database unavailable" in caplog.text and "OperationalError" in caplog.text


async def test_without_the_database_help_is_still_answered(channel, database_down):
    rasa = Rasa()
    assert (await send(channel, "AYUDA", rasa)) == (200, ["a reply"])
    assert rasa.texts == ['/sms_help{"language": "es"}']


async def test_help_and_ayuda_are_answered_after_an_opt_out_in_their_language(channel):
    sms_records.opt_out(PHONE)
    rasa = Rasa()
    assert (await send(channel, "what is ecm", rasa))[1] == []
    assert (await send(channel, "HELP", rasa))[1] == ["a reply"]
    assert (await send(channel, "ayuda", rasa))[1] == ["a reply"]
    assert rasa.texts == ["/sms_help", '/sms_help{"language": "es"}']


@pytest.mark.parametrize(
    "body, payload",
    [
        ("STOP", "/sms_stop"),  # the conversation's language
        ("ALTO", '/sms_stop{"language": "es"}'),
        ("PARAR", '/sms_stop{"language": "es"}'),
        ("CANCELAR", '/sms_stop{"language": "es"}'),
        ("BAJA", '/sms_stop{"language": "es"}'),
        ("pls remove me from this text list", '/sms_stop{"language": "en"}'),
        ("ya no me manden mensajes", '/sms_stop{"language": "es"}'),
    ],
)
async def test_opt_outs_are_recorded_and_confirmed_once_in_the_member_language(
    channel, body, payload
):
    rasa = Rasa()
    assert (await send(channel, body, rasa))[1] == ["a reply"]
    assert sms_records.is_opted_out(PHONE)
    assert (await send(channel, body, rasa))[1] == []  # one confirmation only
    assert rasa.texts == [payload]


async def test_a_vague_request_is_asked_about_once_and_yes_opts_out(channel):
    rasa = Rasa()
    assert (await send(channel, "stop it", rasa))[1] == [
        "Do you want us to stop texting you? Reply STOP."
    ]
    assert rasa.texts == [] and not sms_records.is_opted_out(PHONE)
    assert (await send(channel, "yes", rasa))[1] == ["a reply"]
    assert sms_records.is_opted_out(PHONE) and rasa.texts == ["/sms_stop"]


async def test_the_question_is_asked_in_spanish_and_only_the_next_message_answers_it(channel):
    rasa = Rasa()
    question = (await send(channel, "ya basta", rasa))[1]
    assert len(question) == 1 and question[0].startswith("¿Quiere que dejemos")
    assert (await send(channel, "que es ECM", rasa))[1] == ["a reply"]  # not an answer
    assert (await send(channel, "si", rasa))[1] == ["a reply"]  # the question is gone
    assert not sms_records.is_opted_out(PHONE)
    assert rasa.texts == ["que es ECM", "si"]


async def test_log_lines_carry_a_keyed_tag_and_no_phone_digits(channel, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.channels.sms")
    await send(channel, "what is ecm", Rasa(fail=True))
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.channels.sms"]
    assert lines, "the failure is logged"
    tag = log_tags.log_tag(PHONE, channel.settings.encryption_keys)
    assert any(tag in line for line in lines)
    digits = re.sub(r"\D", "", PHONE)
    for line in lines:
        assert digits[-7:] not in re.sub(r"\D", "", line), line
