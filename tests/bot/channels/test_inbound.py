import pytest

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
