import sys
import unicodedata

import pytest
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.channels import inbound

BUTTONS = [
    {"title": "Cost", "payload": "/ask_cost"},
    {"title": "Doctors", "payload": "/ask_keep_doctors"},
]


@pytest.mark.parametrize(
    "text, offered, expected",
    [
        ("hi", [], "hi"),
        ("  hi  ", [], "hi"),
        # a typed command must not reach Rasa's `/intent{...}` parser
        ("/ask_cost", [], "ask_cost"),
        ('/inform{"slot": "x"}', [], 'inform{"slot": "x"}'),
        ("//greet", [], "greet"),
        # ... unless the assistant just offered exactly that payload as a button
        ("/ask_cost", BUTTONS, "/ask_cost"),
        ('/ask_cost{"x": 1}', BUTTONS, 'ask_cost{"x": 1}'),
        # nothing to read gets the polite empty-message answer
        ("", [], inbound.EMPTY_MESSAGE),
        ("   \n\t ", [], inbound.EMPTY_MESSAGE),
        (None, [], inbound.EMPTY_MESSAGE),
        ("/", [], inbound.EMPTY_MESSAGE),
        ("\x00", [], inbound.EMPTY_MESSAGE),
        # emoji are words too: the model decides
        ("👍", [], "👍"),
    ],
)
def test_prepare_text(text, offered, expected):
    assert inbound.prepare_text(text, offered, max_chars=100) == expected


def rasa_reads_a_command(text: str) -> bool:
    """What Rasa 3.6's RegexMessageHandler does with a message: an intent set from the
    text itself means the text was obeyed as a `/intent` command."""
    unpacked = YAMLStoryReader.unpack_regex_message(Message(data={"text": text}))
    return unpacked.get("intent") is not None


# every character Python's str.strip() (Rasa's) removes, plus the invisible format ones
INVISIBLE = [
    chr(code)
    for code in range(sys.maxunicode + 1)
    if chr(code).isspace() or unicodedata.category(chr(code)) in {"Cf", "Zs", "Zl", "Zp"}
]


@pytest.mark.parametrize(
    "text",
    [
        "/\n/greet",  # a newline between two slashes survived lstrip("/ \t")
        "/\r\n/bot_challenge",
        "/\u00a0/greet",  # no-break space
        "/\u3000/greet",  # ideographic space
        "/ \u2028/greet",  # line separator
        "/\x0b/greet",  # vertical tab
        "/\x1c/greet",  # file separator: str.isspace() is True
        "/\u200b/greet",  # zero-width space between the slashes
        "\u200b/greet",  # zero-width space in front
        "\ufeff/greet",  # byte-order mark in front
        "/\u2060 /greet",  # word joiner
        " /greet",
        "\u00a0/greet",
        "\u3000/greet",
        "//greet",
        '\t/greet{"requested_slot": "x"}',
        "\uff0fgreet",  # fullwidth solidus
        "\uff0f/greet",
        "/\uff0f/greet",
        "\u2215/greet",  # division slash
    ],
)
def test_no_typed_text_is_obeyed_as_a_command(text):
    prepared = inbound.prepare_text(text, BUTTONS, max_chars=100)
    assert not rasa_reads_a_command(prepared), repr(prepared)
    assert "greet" in prepared or "bot_challenge" in prepared


def test_no_invisible_character_between_slashes_makes_a_command():
    # every Unicode space and format character, before, between and after slashes
    for char in INVISIBLE:
        for text in (f"/{char}/greet", f"{char}/greet", f"/{char}{char}/ask_cost", f"{char}/"):
            prepared = inbound.prepare_text(text, [], max_chars=100)
            if prepared != inbound.EMPTY_MESSAGE:  # the internal intent for "nothing"
                assert not rasa_reads_a_command(prepared), (hex(ord(char)), prepared)


def test_the_command_check_matches_rasa():
    # the helper above is what makes the bypass tests meaningful
    assert rasa_reads_a_command("/greet")
    assert rasa_reads_a_command("\u3000/greet")
    assert not rasa_reads_a_command("greet")


@pytest.mark.parametrize(
    "text",
    [
        " /ask_cost",  # Rasa strips it too: the member pressed the button's text
        "/ask_cost\n",
    ],
)
def test_an_offered_payload_is_passed_on_exactly(text):
    assert inbound.prepare_text(text, BUTTONS, max_chars=100) == "/ask_cost"


@pytest.mark.parametrize("text", ["\u200b/ask_cost", "\uff0fask_cost", "/\n/ask_cost"])
def test_a_disguised_payload_is_not_a_button_press(text):
    # only the payload exactly as offered counts; look-alikes are words
    assert inbound.prepare_text(text, BUTTONS, max_chars=100) == "ask_cost"


def test_over_long_text_is_named_not_truncated():
    assert inbound.prepare_text("a" * 101, [], max_chars=100) == inbound.MESSAGE_TOO_LONG
    assert inbound.prepare_text("a" * 100, [], max_chars=100) == "a" * 100


def test_only_buttons_after_the_members_last_message_are_on_offer():
    events = [
        {"event": "bot", "text": "old", "data": {"buttons": BUTTONS}},
        {"event": "user", "text": "hello"},
        {
            "event": "bot",
            "text": "new",
            "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]},
        },
        {"event": "action", "name": "action_listen"},
    ]
    assert inbound.offered_buttons(events) == [{"title": "Yes", "payload": "/affirm"}]
    assert inbound.offered_buttons(events[:2]) == []
