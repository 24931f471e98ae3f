"""No member text in any log line: the redaction every log record goes through.

Rasa and rasa-sdk log what a member wrote in several ways (docs/requirements.md
section 5 forbids it at INFO and above; we keep it out at every level):

- exceptions: a failed custom action reaches Rasa as `ClientResponseError`, whose
  message is the action server's whole reply (`body='...'`, with stock rasa-sdk the
  tracker); any exception's message can hold a slot value (`KeyError('Dr. Lee')`);
- payloads: a tracker, event, slot or parse-data dict in a message (a dict repr,
  JSON, an event repr such as `SlotSet(key: ..., value: ...)`, structlog's
  `key=value` console lines), and Rasa's structlog JSON lines, whose keys name
  the text (`text`, `parse_data_text`, `slot_values`, ...) and whose tracebacks
  list every frame's local variables;
- DEBUG lines that quote the text ("Received user message '...'").

`redact_record()` rewrites a record in place, so every handler sees the same safe
record: a traceback keeps its frames (file, line, function, code line) and each
exception's type, never the exception's message or any local variable; a payload
is cut from where it starts to the end of the message (a traceback after it
stays, redacted); a structlog JSON line keeps its event name and every harmless
key; at DEBUG everything between the first and the last quote mark goes; a phone
number (`sms:+15551234567`, URL-encoded too) keeps only its last two digits
(`sms:+***67`). Action names, error types, counts and other conversation ids stay.

`install()` applies it to every record the process makes (a wrapped log-record
factory: Rasa and coloredlogs replace the root logger's handlers after we start,
and sanic's loggers print through Python's last-resort handler), adds
`MemberTextFilter` to sanic's loggers, whose access lines carry the request line
in `extra`, and sends warnings through logging (Rasa's can quote a slot value). `python -m bot.rasa.main` and `python -m bot.rasa.action_server`
call it first thing.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from typing import Any, Callable, List, Optional

REDACTED = "[redacted]"
WITHHELD = "[message withheld]"
# Keys whose value is member text or holds some: Rasa's own list of keys to
# anonymize (rasa/utils/log_utils.py `_anonymizer`), then tracker, event and
# action-server reply keys.
SENSITIVE_KEYS = frozenset(
    """text response_text user_text slot_values parse_data_text parse_data_entities
    prediction_events tracker_latest_message prefilled_slots message response
    slot_candidates rasa_event rasa_events tracker_states current_states old_states
    successes current_entity next_entity states entity token_text user_message
    json_message slots latest_message events parse_data value entities metadata
    tracker request_body body data answers capped_text""".split()
)
# Rasa event reprs that carry what was said or stored (`SlotSet(key: k, value: v)`)
EVENT_REPRS = ("UserUttered", "BotUttered", "SlotSet", "EntitiesAdded")
_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
PAYLOAD = re.compile(
    r"(?P<inner>\{\s*['\"]"  # a dict or JSON object with a string key
    r"|\[\s*\{"  # a list of them
    rf"|['\"](?:{_KEYS})['\"]\s*:"  # a sensitive key inside a dict or JSON
    rf"|\b(?:{'|'.join(EVENT_REPRS)})\()"
    rf"|\b(?:{_KEYS})="  # structlog's console form (text='...'), ClientResponseError's body=
)
# Lines at INFO and above that quote a value, from Rasa and its libraries: the value goes
KNOWN_SHAPES = (
    re.compile(r"(?<=is set to a value \()'.*'(?=\))", re.S),  # a categorical slot's
    re.compile(r"(?<=Invalid entity specification: ).*(?=\. Assuming no entities\.)", re.S),
    # SQLAlchemy's errors list the statement's values (Rasa's tracker store logs str(error))
    re.compile(r"(?<=\[parameters: ).*", re.S),
)
PHONE = re.compile(r"(?<!\d)(?:\+|%2B)(\d{8,15})(?!\d)", re.I)
TRACEBACK_HEAD = "Traceback (most recent call last):"
CHAIN_LINES = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
FRAME_LINE = re.compile(r'^  File ".*", line \d+, in \S+$')
EXCEPTION_LINE = re.compile(r"^([A-Za-z_<][\w.<>]*)(:.*)?$")
# an exception line anywhere but right after its frames must name an exception type
EXCEPTION_TYPE = re.compile(r"(Error|Exception|Exit|Interrupt|Warning|Rejection|Iteration)$")
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access")


def phone_tag(phone: str) -> str:
    """What stands for a phone number in logs: `+***` and its last two digits.

    Not a hash: ten-digit numbers are few enough to hash them all (see
    bot/store/sender_refs.py), so a plain hash would be the number itself.
    """
    return "+***" + phone[-2:]


def _type_name(kind: type) -> str:
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "__main__", "") else f"{module}.{name}"


def _one_traceback(error: BaseException) -> List[str]:
    frames = traceback.extract_tb(error.__traceback__)  # names and lines, no locals
    lines = [TRACEBACK_HEAD + "\n"] if frames else []
    return lines + traceback.format_list(frames) + [f"{_type_name(type(error))}: {WITHHELD}\n"]


def safe_traceback(error: BaseException) -> str:
    """`traceback.format_exception()` without any exception's message: frames and types.

    Follows the `__cause__`/`__context__` chain as Python does.
    """
    parts: List[str] = []
    seen = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        block = _one_traceback(current)
        if current.__cause__ is not None:
            nxt, joint = current.__cause__, CHAIN_LINES[0]
        elif current.__context__ is not None and not current.__suppress_context__:
            nxt, joint = current.__context__, CHAIN_LINES[1]
        else:
            nxt, joint = None, ""
        parts[:0] = block if nxt is None else ["\n", joint + "\n", "\n", *block]
        current = nxt
    return "".join(parts).rstrip("\n")


def redact_traceback_text(text: str) -> str:
    """A traceback already printed as text, with only frames and exception types kept.

    Python prints, per exception: the header, two lines per frame (`  File ...` and
    the code, indented by four), then `Type: message`, whose message may run over
    many lines; chained exceptions are joined by one of `CHAIN_LINES`.
    """
    kept: List[str] = []
    state, code_lines = "between", 0  # between exceptions / in the frames / in a message
    for line in text.split("\n"):
        if line in CHAIN_LINES:
            kept += ["", line] if state == "message" else [line]
            state = "between"
        elif line == TRACEBACK_HEAD and state == "between":
            kept.append(line)
            state = "frames"
        elif state == "frames" and FRAME_LINE.match(line):
            kept.append(line)
            code_lines = 2  # the code line (and a caret line) after it
        elif state == "frames" and code_lines and line.startswith("    "):
            kept.append(line)
            code_lines -= 1
        elif state != "message" and (match := EXCEPTION_LINE.match(line)) and (
            state == "frames" or EXCEPTION_TYPE.search(match.group(1))
        ):
            kept.append(match.group(1) + (f": {WITHHELD}" if match.group(2) else ""))
            state = "message"
        elif state == "between" and not line:
            kept.append(line)
        elif state == "between":
            kept.append(WITHHELD)
            state = "message"
        # anything else is part of an exception's message, or not Python's
    return "\n".join(kept)


def _redact_json(value: Any, debug: bool) -> Any:
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key == "locals":  # structlog's tracebacks list every frame's variables
                continue
            if key in SENSITIVE_KEYS and item not in (None, "", [], {}):
                result[key] = REDACTED
            elif key in ("exc_value", "syntax_error") and item:
                result[key] = WITHHELD
            else:
                result[key] = _redact_json(item, debug)
        return result
    if isinstance(value, list):
        return [_redact_json(item, debug) for item in value]
    if isinstance(value, str):
        return redact_message(value, debug)
    return value


def _json_object(message: str) -> Optional[dict]:
    stripped = message.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        parsed = json.loads(stripped)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _cut_payload(message: str) -> str:
    match = PAYLOAD.search(message)
    if not match:
        return message
    start = match.start()
    if match.group("inner"):  # from the outermost dict or list before it
        openings = [i for i in (message.find("{", 0, start), message.find("[", 0, start)) if i >= 0]
        start = min(openings + [start])
    return message[:start] + REDACTED


def _redact_quotes(message: str) -> str:
    first = min((i for i in (message.find("'"), message.find('"')) if i >= 0), default=-1)
    if first < 0:
        return message
    last = max(message.rfind("'"), message.rfind('"'))
    return message[:first] + f"'{REDACTED}'" + (message[last + 1 :] if last > first else "")


def _redact_phones(text: str) -> str:
    return PHONE.sub(lambda m: phone_tag("+" + m.group(1)), text)


def redact_message(message: str, debug: bool = False) -> str:
    """A log message without member text (see the module's docstring).

    `debug`: also drop everything between the first and last quote mark, as Rasa's
    DEBUG lines quote what the member said.
    """
    parsed = _json_object(message)
    if parsed is not None:
        return json.dumps(_redact_json(parsed, debug), ensure_ascii=False)
    head, marker, tail = message.partition(TRACEBACK_HEAD)
    for shape in KNOWN_SHAPES:
        head = shape.sub(REDACTED, head)
    head = _cut_payload(head)
    if debug:
        head = _redact_quotes(head)
    if marker:
        head += redact_traceback_text(marker + tail)
    return _redact_phones(head)


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite `record` in place: its message, its exception, sanic's request line.

    Idempotent: a record may pass through here more than once.
    """
    if isinstance(record.msg, BaseException):  # logger.error(error): its message is unknown
        message = f"{_type_name(type(record.msg))}: {WITHHELD}"
    else:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: keep only the template
            message = str(record.msg)
    record.msg, record.args = redact_message(message, debug=record.levelno < logging.INFO), ()
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info[1])
        record.exc_info = None  # formatters print exc_text instead
    elif record.exc_text:
        record.exc_text = redact_traceback_text(record.exc_text)
    request = getattr(record, "request", None)  # sanic's access lines: "POST http://..."
    if isinstance(request, str):
        record.request = _redact_phones(request.split("?", 1)[0])


class MemberTextFilter(logging.Filter):
    """A logging filter that lets every record through, after `redact_record()`."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


FILTER = MemberTextFilter()


def install() -> None:
    """Redact every log record this process makes from now on (idempotent)."""
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if not hasattr(previous, "redaction_wraps"):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            redact_record(record)
            return record

        factory.redaction_wraps = previous  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    logging.captureWarnings(True)  # Rasa's warnings can quote a slot value: log them, redacted
    for name in SANIC_LOGGERS:  # `extra` (sanic's request line) comes after the factory
        logger = logging.getLogger(name)
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)


def uninstall() -> None:
    """Undo `install()` (for tests)."""
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(getattr(factory, "redaction_wraps", factory))
    logging.captureWarnings(False)
    for name in SANIC_LOGGERS:
        logging.getLogger(name).removeFilter(FILTER)
