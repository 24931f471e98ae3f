"""A failing action answers the member politely; a form's rejection still passes through."""

import logging

import pytest
from rasa.core.actions.action import ActionExecutionRejection
from rasa.shared.core.events import BotUttered

from bot.rasa.patches import action_failure_reply


class FakeAction:
    def __init__(self, error):
        self.error = error

    def name(self):
        return "action_fake"

    async def run(self, output_channel, nlg, tracker, domain, metadata=None):
        raise self.error


class FakeNlg:
    async def generate(self, response, tracker, channel):
        assert response == action_failure_reply.RESPONSE
        return {"text": "Sorry, please send that again."}


class FakeChannel:
    def name(self):
        return "rest"


async def test_a_failure_becomes_the_polite_reply_and_a_log_line_without_the_message(caplog):
    action = FakeAction(KeyError("the member's words"))
    action_failure_reply._guard(action)
    with caplog.at_level(logging.ERROR):
        events = await action.run(FakeChannel(), FakeNlg(), None, None)
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].text == "Sorry, please send that again."
    assert "action action_fake failed (KeyError)" in caplog.text
    assert "member's words" not in caplog.text


async def test_a_rejection_is_not_a_failure():
    action = FakeAction(ActionExecutionRejection("worksheet_form"))
    action_failure_reply._guard(action)
    with pytest.raises(ActionExecutionRejection):
        await action.run(FakeChannel(), FakeNlg(), None, None)


def test_install_is_idempotent():
    from rasa.core.processor import MessageProcessor

    action_failure_reply.install()
    first = MessageProcessor._run_action
    action_failure_reply.install()
    assert MessageProcessor._run_action is first
    assert getattr(first, action_failure_reply.GUARDED)
