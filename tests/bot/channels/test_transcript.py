"""bot/channels/transcript.py: what the widget shows after a reload."""

from rasa.shared.core.domain import SessionConfig
from rasa.shared.core.events import BotUttered, SessionStarted, UserUttered

from bot.channels import transcript

BUTTONS = [{"title": "Cost", "payload": "/ask_cost"}]


class Tracker:
    def __init__(self, events, language=None):
        self.events = events
        self.language = language

    def get_slot(self, name):
        return self.language if name == "language" else None


class Domain:
    session_config = SessionConfig(session_expiration_time=30, carry_over_slots=False)


def test_only_the_current_session_with_button_titles_and_no_internal_intents():
    events = [
        UserUttered("old visit"),
        SessionStarted(),
        UserUttered("the care thing"),
        BotUttered("Did you mean:", {"buttons": BUTTONS}, {"utter_action": "utter_clarify"}),
        UserUttered("/ask_cost"),
        UserUttered("/empty_message"),
        BotUttered("It does not cost you a thing.", metadata={"utter_action": "utter_cost"}),
    ]
    assert transcript.transcript(events) == [
        {"from": "member", "text": "the care thing"},
        {
            "from": "assistant",
            "text": "Did you mean:",
            "buttons": BUTTONS,
            "response": "utter_clarify",
        },
        {"from": "member", "text": "Cost"},
        {"from": "assistant", "text": "It does not cost you a thing.", "response": "utter_cost"},
    ]


def test_an_ended_conversation_shows_nothing():
    said = UserUttered("hola", timestamp=1000.0)
    tracker = Tracker([said], language="es")
    assert transcript.ended(tracker, Domain(), now=1000.0 + 29 * 60) is False
    assert transcript.ended(tracker, Domain(), now=1000.0 + 31 * 60) is True
    assert transcript.for_widget(tracker, Domain()) == []  # long ago


def test_assistant_messages_carry_the_language():
    tracker = Tracker([UserUttered("hola"), BotUttered("Hola.")], language="es")
    assert transcript.for_widget(tracker, Domain()) == [
        {"from": "member", "text": "hola"},
        {"from": "assistant", "text": "Hola.", "lang": "es"},
    ]
    assert transcript.for_widget(None, Domain()) == []
