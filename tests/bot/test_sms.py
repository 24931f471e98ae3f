import pytest

from bot import sms


@pytest.mark.parametrize(
    "body, opted_out, expected",
    [
        ("STOP", False, sms.OPT_OUT),
        (" stop ", False, sms.OPT_OUT),
        ("Unsubscribe", False, sms.OPT_OUT),
        ("stopall", False, sms.OPT_OUT),
        ("END", False, sms.OPT_OUT),
        ("please stop texting me", False, sms.OPT_OUT),
        ("don't text me anymore", False, sms.OPT_OUT),
        ("Alto", False, sms.OPT_OUT),
        ("ya no me manden mensajes", False, sms.OPT_OUT),
        ("START", True, sms.OPT_IN),
        ("unstop", True, sms.OPT_IN),
        ("yes", True, sms.OPT_IN),
        # "yes" is an answer (the worksheet's "save it?") unless they opted out
        ("yes", False, None),
        ("HELP", False, sms.HELP),
        ("info", False, sms.HELP),
        # keywords count only as the whole message
        ("how do I stop ECM", False, None),
        ("help me get ready for my call", False, None),
        ("", False, None),
    ],
)
def test_keywords(body, opted_out, expected):
    assert sms.keyword(body, opted_out) == expected


@pytest.mark.parametrize(
    "body, options, expected",
    [
        ("2", 3, 2),
        (" 2. ", 3, 2),
        ("#3", 3, 3),
        ("4", 3, None),
        ("0", 3, None),
        ("2 please", 3, None),
        ("", 3, None),
    ],
)
def test_choice_number(body, options, expected):
    assert sms.choice_number(body, options) == expected


def test_render_numbers_buttons_hides_payloads_and_plain_quotes():
    bodies = sms.render(
        [
            {
                "text": "Did you mean \u201cthis\u201d \u2014 or that?",
                "buttons": [
                    {"title": "Cost", "payload": "/ask_cost"},
                    {"title": "Doctors", "payload": "/ask_keep_doctors"},
                ],
            }
        ]
    )
    assert bodies == ['Did you mean "this" - or that?\n1. Cost\n2. Doctors']


def test_render_turns_a_tel_link_into_text_once():
    tel = {"custom": {"type": "tel", "number": "+18006756110", "label": "Call 800-675-6110"}}
    assert sms.render([tel]) == ["Call 800-675-6110"]
    assert sms.render([{"text": "Call 800-675-6110 (TTY 711)."}, tel]) == [
        "Call 800-675-6110 (TTY 711)."
    ]
    assert sms.render([{"custom": {"type": "other"}}]) == []


def test_no_body_exceeds_1600_characters():
    text = ("A sentence that goes on. " * 200).strip()
    bodies = sms.render([{"text": text}])
    assert len(bodies) > 1 and all(len(b) <= 1600 for b in bodies)
    assert " ".join(bodies).split() == text.split()  # nothing lost
    assert all(len(b) <= 1600 for b in sms.split_long("x" * 5000))


def test_spanish_marks_are_kept():
    assert sms.render([{"text": "¡Hola! ¿Cómo está?"}]) == ["¡Hola! ¿Cómo está?"]
