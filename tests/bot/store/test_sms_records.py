from sqlalchemy import select

from bot.store import sender_refs, session_scope, sms_records
from bot.store.models import SmsMessage

SENDER = "sms:+15550100000"


def stored():
    with session_scope() as session:
        return dict(session.execute(select(SmsMessage.message_sid, SmsMessage.sender_ref)).all())


def test_first_delivery_once_with_a_keyed_sender_reference(database_url, encryption_key):
    assert sms_records.first_delivery("SM1", SENDER)
    assert not sms_records.first_delivery("SM1", SENDER)  # Twilio's second delivery
    assert sms_records.first_delivery("SM2")  # callers that do not pass the sender yet
    assert stored() == {"SM1": sender_refs.current(SENDER), "SM2": None}
    assert "5550100000" not in str(stored())


def test_opt_out_and_back_in(database_url):
    assert not sms_records.is_opted_out("+15550100000")
    sms_records.opt_out("+15550100000")
    sms_records.opt_out("+15550100000")
    assert sms_records.is_opted_out("+15550100000")
    sms_records.opt_in("+15550100000")
    assert not sms_records.is_opted_out("+15550100000")
