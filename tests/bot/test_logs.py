"""bot.logs: no member text in any log record, with the operator's facts kept."""

import json
import logging
import sys
import traceback
import warnings

import pytest

from bot import logs

SENTINEL = "ZQXSENTINEL42"
PHONE = "+15551234567"


def _raise_with_member_text(text):
    answers = {"ws_doctors": f"Dr. {text}"}  # a local variable holding member text
    raise KeyError(f"no answer for {text!r}; slots were {answers}")


def _chained_error():
    """A RasaException raised from a ClientResponseError, as a failed custom action."""
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import ClientResponseError

    body = json.dumps({"error": f"'{SENTINEL}'", "request_body": {"tracker": {"text": SENTINEL}}})
    try:
        try:
            raise ClientResponseError(500, "Internal Server Error", body.encode())
        except ClientResponseError as error:
            raise RasaException("Failed to execute custom action 'action_x'") from error
    except RasaException as error:
        return error


def test_safe_traceback_keeps_frames_and_types_but_no_message():
    try:
        try:
            _raise_with_member_text(SENTINEL)
        except KeyError:
            raise ValueError(SENTINEL)  # noqa: B904 - the implicit context on purpose
    except ValueError as error:
        text = logs.safe_traceback(error)
    assert SENTINEL not in text
    assert "_raise_with_member_text" in text and "line " in text  # where it happened
    assert "KeyError: [message withheld]" in text and "ValueError: [message withheld]" in text
    assert "During handling of the above exception, another exception occurred:" in text
    assert text.index("KeyError") < text.index("ValueError")  # Python's order


def test_safe_traceback_follows_a_cause_and_names_its_module():
    text = logs.safe_traceback(_chained_error())
    assert SENTINEL not in text and "body=" not in text
    assert "rasa.utils.endpoints.ClientResponseError: [message withheld]" in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.rstrip().endswith("rasa.shared.exceptions.RasaException: [message withheld]")


def test_a_printed_traceback_loses_every_message_line():
    try:
        _raise_with_member_text(f"{SENTINEL}\nsecond line {SENTINEL}\n    indented {SENTINEL}")
    except KeyError as error:
        printed = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    redacted = logs.redact_traceback_text(printed)
    assert SENTINEL not in redacted
    assert "KeyError: [message withheld]" in redacted and "_raise_with_member_text" in redacted


def test_redacting_a_safe_traceback_changes_nothing():
    """The action server logs safe tracebacks; the backstop must leave them whole."""
    text = logs.safe_traceback(_chained_error())
    assert logs.redact_traceback_text(text) == text
    assert logs.redact_message(f"action x failed (KeyError)\n{text}") == (
        f"action x failed (KeyError)\n{text}"
    )


def _rasa_event_strings():
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    return [
        str(UserUttered(SENTINEL, {"name": "greet"})),
        repr(SlotSet("ws_doctors", SENTINEL)),
        str([BotUttered(SENTINEL)]),
    ]


@pytest.mark.parametrize(
    "message",
    [
        # what Rasa's ClientResponseError says: the action server's whole reply
        f"500, Internal Server Error, body='b'{{\"request_body\": \"{SENTINEL}\"}}''",
        # a tracker or slots dict in a message, as a Python repr and as JSON
        f"Validating extracted slots: {{'ws_doctors': '{SENTINEL}'}}",
        f"tracker: {json.dumps({'sender_id': 'rest:a', 'slots': {'x': SENTINEL}})}",
        f"events [{json.dumps({'event': 'user', 'text': SENTINEL})}]",
        # Rasa's warnings that quote a value
        f"Categorical slot 'language' is set to a value ('{SENTINEL}') that is not specified",
        f"Invalid entity specification: {SENTINEL}. Assuming no entities.",
        # Rasa's tracker store logs str(error) of SQLAlchemy, whose values are the events
        "Error happened when trying to save conversation tracker to 'X'. Please investigate "
        "the following error: (sqlite3.IntegrityError) UNIQUE constraint failed\n[SQL: INSERT "
        "INTO events VALUES (?, ?)]\n[parameters: ('rest:a', 'hello ZQXSENTINEL42')]",
        # structlog's console form
        f"processor.message.parse parse_data_text='{SENTINEL}' parse_data_intent=greet",
        # a traceback printed into the message (structlog's console renderer)
        f"failed\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\n"
        f"    g()\nKeyError: '{SENTINEL}'",
    ],
)
def test_payloads_and_exception_messages_are_cut(message):
    assert SENTINEL not in logs.redact_message(message)


@pytest.mark.parametrize("event", list(range(3)))
def test_rasa_event_reprs_are_cut(event):
    message = f"Action 'action_x' ended with events {_rasa_event_strings()[event]}"
    redacted = logs.redact_message(message)
    assert SENTINEL not in redacted and "Action 'action_x' ended with events" in redacted


def test_a_structlog_json_line_keeps_its_event_but_not_the_text_or_the_locals():
    """Rasa's structlog JSON, as its processors render it (dict tracebacks with locals)."""
    import structlog

    try:
        _raise_with_member_text(SENTINEL)
    except KeyError:
        event = {"event": "processor.message.parse", "parse_data_text": SENTINEL}
        event["exc_info"] = sys.exc_info()
        event = structlog.processors.dict_tracebacks(None, "error", event)
    rendered = structlog.processors.JSONRenderer()(None, "error", event)
    assert SENTINEL in rendered  # what Rasa would print
    redacted = json.loads(logs.redact_message(rendered))
    assert SENTINEL not in json.dumps(redacted)
    assert redacted["event"] == "processor.message.parse"
    frames = redacted["exception"][0]["frames"]
    assert frames and all("locals" not in frame for frame in frames)
    assert frames[-1]["name"] == "_raise_with_member_text"


def test_debug_lines_lose_what_they_quote():
    message = f"Received user message '{SENTINEL}' with intent 'greet'"
    assert SENTINEL in logs.redact_message(message)  # INFO and above: not a known shape
    assert SENTINEL not in logs.redact_message(message, debug=True)
    assert SENTINEL not in logs.redact_message(f"Received user message '{SENTINEL}", debug=True)


@pytest.mark.parametrize(
    "phone_in_line",
    [f"sms:{PHONE}", f"/conversations/sms%3A{PHONE.replace('+', '%2B')}/tracker"],
)
def test_phone_numbers_keep_only_their_last_two_digits(phone_in_line):
    redacted = logs.redact_message(f"Circuit breaker tripped for sender '{phone_in_line}'.")
    assert PHONE[1:] not in redacted and PHONE[1:-2] not in redacted
    assert "+***67" in redacted and logs.redact_message(redacted) == redacted


@pytest.mark.parametrize(
    "message",
    [
        # what an operator needs stays: action names, error types, conversation ids, counts
        "Encountered an exception while running action 'worksheet_form'.Bot will continue, "
        "but the actions events are lost. Please check the logs of your action server.",
        "Registered function for 'action_clarify'.",
        "rest: handling a message failed (rest:web-1f2e3d)",
        "sms: handling a message failed for 3a9f0c1d2e (OperationalError)",
        "Loading model models/ecm.tar.gz...",
        "Logged UserUtterance - tracker now has 12 events.",
    ],
)
def test_operator_lines_are_unchanged(message):
    assert logs.redact_message(message) == message


def test_a_record_with_an_exception_keeps_its_frames_and_loses_its_messages():
    record = logging.LogRecord("rasa.core.processor", logging.ERROR, "p.py", 1, "%s %s", (), None)
    record.args = ("running action", "'worksheet_form'")
    error = _chained_error()
    record.exc_info = (type(error), error, error.__traceback__)
    logs.redact_record(record)
    logs.redact_record(record)  # idempotent: a record may pass twice
    assert record.getMessage() == "running action 'worksheet_form'"
    assert record.exc_info is None and "ClientResponseError: [message withheld]" in record.exc_text
    formatted = logging.Formatter().format(record)
    assert SENTINEL not in formatted and "ClientResponseError" in formatted


def test_an_exception_logged_as_the_message_is_named_not_printed():
    record = logging.LogRecord("x", logging.ERROR, "p.py", 1, KeyError(SENTINEL), (), None)
    logs.redact_record(record)
    assert record.getMessage() == "KeyError: [message withheld]"


class Keep(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def printed(self):
        fmt = logging.Formatter("%(levelname)s %(name)s %(message)s")
        return "\n".join(f"{fmt.format(r)} {getattr(r, 'request', '')}" for r in self.records)


@pytest.fixture
def installed():
    keep = Keep()
    names = ("rasa.core.processor", "sanic.access", "py.warnings")
    for name in names:
        logging.getLogger(name).addHandler(keep)
        logging.getLogger(name).setLevel(logging.DEBUG)
    before = logging.getLogRecordFactory()
    logs.install()
    logs.install()  # idempotent
    yield keep
    logs.uninstall()
    assert logging.getLogRecordFactory() is before
    for name in names:
        logging.getLogger(name).removeHandler(keep)
        logging.getLogger(name).setLevel(logging.NOTSET)


def test_install_redacts_every_record_of_the_process(installed):
    processor = logging.getLogger("rasa.core.processor")
    processor.error("running action 'action_x' failed", exc_info=_chained_error())
    processor.debug("Received user message '%s'", SENTINEL)
    logging.getLogger("sanic.access").info(
        "", extra={"request": f"GET http://h/conversations/sms:{PHONE}/tracker?q={SENTINEL}"}
    )
    printed = installed.printed()
    assert SENTINEL not in printed and PHONE not in printed and PHONE[1:] not in printed
    assert "running action 'action_x' failed" in printed
    assert "rasa.utils.endpoints.ClientResponseError: [message withheld]" in printed
    assert f"GET http://h/conversations/sms:{logs.phone_tag(PHONE)}/tracker" in printed


def test_rasa_s_warnings_are_logged_without_the_value(installed):
    from rasa.shared.core.slots import CategoricalSlot

    slot = CategoricalSlot("language", mappings=[{}], values=["en", "es"])
    slot.value = SENTINEL
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        slot.as_feature()  # Rasa warns that the value is not in the domain
    printed = installed.printed()
    assert "Categorical slot 'language' is set to a value" in printed and SENTINEL not in printed


def test_the_filter_is_a_logging_filter_that_lets_everything_through():
    record = logging.LogRecord("x", logging.INFO, "p.py", 1, f"{{'text': '{SENTINEL}'}}", (), None)
    assert logs.MemberTextFilter().filter(record) is True
    assert SENTINEL not in record.getMessage()
