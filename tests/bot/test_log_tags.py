"""bot/log_tags.py: a phone number's log tag is keyed (HMAC), short, stable under
one key, different under another, and not the plain hash anyone could rebuild."""

import hashlib

from bot import log_tags
from bot.store import sender_refs

PHONE = "+15551234567"


def test_a_tag_is_short_hex_and_stable_under_one_key():
    tag = log_tags.log_tag(PHONE, ["key-one"])
    assert len(tag) == log_tags.TAG_LENGTH and int(tag, 16) >= 0
    assert log_tags.log_tag(PHONE, ["key-one", "older-key"]) == tag  # the newest key
    assert log_tags.log_tag("+15551234568", ["key-one"]) != tag


def test_another_key_gives_another_tag():
    assert log_tags.log_tag(PHONE, ["key-one"]) != log_tags.log_tag(PHONE, ["key-two"])


def test_a_tag_is_not_a_plain_hash_nor_a_stored_reference():
    # the old log_id was sha256(phone)[:10]: anyone could hash every 10-digit number
    tag = log_tags.log_tag(PHONE, ["key-one"])
    for text in (PHONE, PHONE.lstrip("+"), PHONE[-10:]):
        plain = hashlib.sha256(text.encode()).hexdigest()
        assert not plain.startswith(tag[:10]) and not tag.startswith(plain[:10])
    # a distinct HKDF label: a log line never reveals a database reference
    assert not sender_refs.ref_with("key-one", PHONE).startswith(tag)


def test_without_a_configured_key_a_process_key_is_used():
    assert log_tags.log_tag(PHONE, []) == log_tags.log_tag(PHONE, [])
    assert log_tags.log_tag(PHONE, []) != hashlib.sha256(PHONE.encode()).hexdigest()[:12]


def test_the_key_comes_from_the_settings(encryption_key):
    assert log_tags.log_tag(PHONE) == log_tags.tag_with(encryption_key, PHONE)
