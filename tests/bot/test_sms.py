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
        # issue 16: free-text opt-outs that were answered as ECM questions
        ("pls remove me from this text list", False, sms.OPT_OUT),
        ("i dont want these texts no more", False, sms.OPT_OUT),
        # issue 16: the Spanish carrier words PARAR, CANCELAR, BAJA were not keywords
        ("PARAR", False, sms.OPT_OUT),
        ("Cancelar", False, sms.OPT_OUT),
        ("baja", False, sms.OPT_OUT),
        ("AYUDA", False, sms.HELP),
        ("stop it", False, sms.ASK_STOP),
    ],
)
def test_keywords(body, opted_out, expected):
    assert sms.keyword(body, opted_out) == expected


@pytest.mark.parametrize(
    "body, language",
    [
        ("STOP", None),  # English carrier words: the conversation's language
        ("STOPALL", None),
        ("UNSUBSCRIBE", None),
        ("CANCEL", None),
        ("END", None),
        ("QUIT", None),
        ("ALTO", sms.ES),  # Spanish carrier words: confirmed in Spanish
        ("PARAR", sms.ES),
        ("CANCELAR", sms.ES),
        ("BAJA", sms.ES),
        ("Alto.", sms.ES),
        ("stop texting me", sms.EN),  # free text: the language it is written in
        ("ya no me manden mensajes", sms.ES),
    ],
)
def test_opt_outs_carry_the_language_of_the_confirmation(body, language):
    assert sms.understand(body, opted_out=False) == sms.Understood(sms.OPT_OUT, language)


@pytest.mark.parametrize("opted_out", [False, True])
def test_help_and_ayuda_are_help_in_their_language_opted_out_or_not(opted_out):
    assert sms.understand("HELP", opted_out) == sms.Understood(sms.HELP, None)
    assert sms.understand("info", opted_out) == sms.Understood(sms.HELP, None)
    assert sms.understand("Ayuda", opted_out) == sms.Understood(sms.HELP, sms.ES)
    assert sms.understand("AYUDA!", opted_out) == sms.Understood(sms.HELP, sms.ES)


def test_a_yes_opts_out_only_right_after_the_question():
    assert sms.understand("yes", opted_out=False).kind is None
    assert sms.understand("yes", opted_out=False, asked=True).kind == sms.OPT_OUT
    assert sms.understand("sí", opted_out=False, asked=True) == sms.Understood(sms.OPT_OUT, None)


def test_recent_asks_are_remembered_for_a_while_and_read_once():
    now = [1000.0]
    asks = sms.RecentAsks(ttl=60, size=2, clock=lambda: now[0])
    assert asks.take("a") is False
    asks.remember("a")
    assert asks.take("a") is True
    assert asks.take("a") is False  # only the next message answers the question
    asks.remember("b")
    now[0] += 61
    assert asks.take("b") is False  # too long ago: asked again
    for tag in ("c", "d", "e"):
        asks.remember(tag)
    assert asks.take("c") is False and asks.take("e") is True  # the oldest goes first


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
