"""bot/channels/web.py: the conversation cookie's signing and the CORS decision."""

import base64
import hashlib
import hmac

import pytest

from bot import settings as settings_module
from bot.channels.web import COOKIE_MAX_AGE, ConversationCookie, WebChannel, cors_headers

KEY = "a-first-encryption-key"
OLD_KEY = "an-older-encryption-key"
NOW = 1_750_000_000.0


def cookie(keys=(KEY,), now=NOW):
    return ConversationCookie(list(keys), clock=lambda: now)


def test_a_signed_id_is_recognised():
    conversation = ConversationCookie.new_id()
    value = cookie().sign(conversation)
    assert cookie().verify(value) == conversation
    assert value.startswith(conversation + ".")


def test_ids_are_random_and_long():
    ids = {ConversationCookie.new_id() for _ in range(100)}
    assert len(ids) == 100
    # 18 random bytes in base64url: 144 bits, letters, digits, '-' and '_'
    assert all(len(i) == 24 and i.replace("-", "").replace("_", "").isalnum() for i in ids)


def _tamper(value, part, new):
    parts = value.split(".")
    parts[part] = new
    return ".".join(parts)


VALID = cookie().sign("A" * 24)


@pytest.mark.parametrize(
    "value",
    [
        None,  # no cookie
        "",
        "A" * 24,  # a bare id, as the old widget sent it
        _tamper(VALID, 0, "B" * 24),  # someone else's id under this mac
        _tamper(VALID, 1, str(int(NOW) + 30)),  # a later issue time, to stretch the life
        _tamper(VALID, 2, VALID.split(".")[2][:-1] + "A"),  # the mac changed
        _tamper(VALID, 2, ""),
        VALID + ".extra",
        "A" * 24 + ".notanumber." + VALID.split(".")[2],
        "../../etc." + str(int(NOW)) + "." + VALID.split(".")[2],  # not an id at all
    ],
)
def test_missing_forged_or_tampered_values_are_not_recognised(value):
    assert cookie().verify(value) is None


def test_a_cookie_signed_with_another_secret_is_not_recognised():
    assert cookie(keys=("someone else's key",)).verify(VALID) is None


def test_the_signing_key_is_derived_not_the_secret_itself():
    payload = VALID.rsplit(".", 1)[0]
    plain = hmac.new(KEY.encode(), payload.encode(), hashlib.sha256).digest()
    assert VALID.rsplit(".", 1)[1] != base64.urlsafe_b64encode(plain).rstrip(b"=").decode()


def test_every_key_of_the_ring_verifies_and_the_first_signs():
    # rotating ENCRYPTION_KEYS (new key first) keeps today's chats
    old = cookie(keys=(OLD_KEY,)).sign("C" * 24)
    ring = cookie(keys=(KEY, OLD_KEY))
    assert ring.verify(old) == "C" * 24
    assert cookie(keys=(KEY,)).verify(ring.sign("D" * 24)) == "D" * 24
    assert cookie(keys=(OLD_KEY,)).verify(ring.sign("D" * 24)) is None


@pytest.mark.parametrize(
    "age, recognised",
    [
        (0, True),
        (COOKIE_MAX_AGE - 1, True),
        (COOKIE_MAX_AGE + 1, False),  # the server ends it even if a browser keeps it
        (-30, True),  # a clock a little behind
        (-3600, False),  # issued "in the future"
    ],
)
def test_age(age, recognised):
    value = cookie(now=NOW - age).sign("E" * 24)
    assert (cookie().verify(value) == "E" * 24) is recognised


def test_a_signing_secret_is_required():
    with pytest.raises(ValueError):
        ConversationCookie([])


OWN = {"http://127.0.0.1:5005", "https://ecm.example.org"}
PLAN = "https://www.plan.example.org"


@pytest.mark.parametrize(
    "origin, expected",
    [
        # curl, a script, a same-origin GET: no Origin header, nothing cross-origin to allow
        (None, {"Vary": "Origin"}),
        # the demo page on the assistant's own origin: no CORS headers needed
        ("http://127.0.0.1:5005", {"Vary": "Origin"}),
        ("https://ecm.example.org", {"Vary": "Origin"}),
        # the plan's site, on the list: its own origin back, with credentials
        (
            PLAN,
            {
                "Access-Control-Allow-Origin": PLAN,
                "Access-Control-Allow-Credentials": "true",
                "Vary": "Origin",
            },
        ),
        # anything else is refused
        ("https://evil.example", None),
        ("null", None),  # a sandboxed frame or a file
        ("http://www.plan.example.org", None),  # same host, other scheme
        ("https://www.plan.example.org.evil.example", None),  # a suffix trick
        ("https://www.plan.example.org:8443", None),  # other port
        ("http://127.0.0.1:5006", None),
    ],
)
def test_cors_decision(origin, expected):
    assert cors_headers(origin, OWN, [PLAN]) == expected


def test_listed_origins_match_regardless_of_case_and_trailing_slash():
    headers = cors_headers("https://WWW.Plan.Example.org", OWN, [PLAN + "/"])
    assert headers["Access-Control-Allow-Origin"] == "https://WWW.Plan.Example.org"


def test_no_list_means_same_origin_only():
    assert cors_headers(PLAN, OWN, []) is None


def _settings(tmp_path, **env):
    return settings_module.load({"ECM_DEV_SECRETS_DIR": str(tmp_path), **env})


def test_the_channel_signs_with_the_first_encryption_key(tmp_path):
    channel = WebChannel(_settings(tmp_path, ENCRYPTION_KEYS=f"{KEY},{OLD_KEY}"))
    value = channel.cookies.sign("F" * 24)
    assert ConversationCookie([KEY]).verify(value) == "F" * 24
    assert channel.cookies.verify(ConversationCookie([OLD_KEY]).sign("G" * 24)) == "G" * 24


def test_without_keys_the_channel_uses_a_per_process_secret(tmp_path, caplog):
    one = WebChannel(_settings(tmp_path))
    two = WebChannel(_settings(tmp_path))
    assert one.cookies.verify(two.cookies.sign("H" * 24)) is None
    assert "ENCRYPTION_KEYS" in caplog.text
