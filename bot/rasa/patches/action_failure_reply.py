"""A member whose turn hit a failing action is told so, politely, in their language.

Rasa 3.6 logs an exception raised while running an action (a custom action's
server answering 500, a form whose validation failed, the action server down)
with its whole traceback (which carried the tracker, see `bot/logs.py`), drops
the action's events and goes on: the member gets no answer at all. With this
change the action's `run` is guarded: a failure other than Rasa's own
`ActionExecutionRejection` (which forms use to hand a turn back) is logged as
the action's name and the error's type only, and the action's events become
the response `utter_action_failed` (try again, or call Health Net's line). A
form stays where it was, so the member's next message answers the same question.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

RESPONSE = "utter_action_failed"
GUARDED = "_ecm_failure_guarded"


def _guard(action):
    from rasa.core.actions.action import ActionExecutionRejection, create_bot_utterance

    run = action.run

    async def guarded(output_channel, nlg, tracker, domain, *args, **kwargs):
        try:
            return await run(output_channel, nlg, tracker, domain, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 - any failure: tell the member
            logger.error(
                "action %s failed (%s): the member was asked to try again or call",
                action.name(),
                type(error).__name__,
            )
            reply = await nlg.generate(RESPONSE, tracker, output_channel.name())
            return [create_bot_utterance(reply)] if reply else []

    action.run = guarded
    setattr(action, GUARDED, True)


def install() -> None:
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._run_action
    if getattr(original, GUARDED, False):
        return

    async def _run_action(self, action, tracker, output_channel, nlg, prediction):
        if not getattr(action, GUARDED, False):
            _guard(action)
        return await original(self, action, tracker, output_channel, nlg, prediction)

    setattr(_run_action, GUARDED, True)
    MessageProcessor._run_action = _run_action
