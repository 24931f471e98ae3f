from cryptography.fernet import Fernet

from bot.store import sender_refs

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
SENDER = "sms:+15550100000"


def test_a_reference_is_keyed_and_stable():
    ref = sender_refs.ref_with(KEY_A, SENDER)
    assert ref == sender_refs.ref_with(KEY_A, SENDER)
    assert len(ref) == sender_refs.LENGTH and int(ref, 16) >= 0
    assert "5550100000" not in ref
    assert ref != sender_refs.ref_with(KEY_B, SENDER)  # no key, no match
    assert ref != sender_refs.ref_with(KEY_A, SENDER + "1")


def test_current_uses_the_newest_key_and_lookups_every_key():
    assert sender_refs.current(SENDER, (KEY_B, KEY_A)) == sender_refs.ref_with(KEY_B, SENDER)
    assert sender_refs.every_ref(SENDER, (KEY_B, KEY_A)) == [
        sender_refs.ref_with(KEY_B, SENDER),
        sender_refs.ref_with(KEY_A, SENDER),
    ]


def test_without_keys_there_is_no_reference():
    assert sender_refs.current(SENDER, ()) is None
    assert sender_refs.every_ref(SENDER, ()) == []


def test_keys_come_from_the_settings(encryption_key):
    assert sender_refs.current(SENDER) == sender_refs.ref_with(encryption_key, SENDER)
