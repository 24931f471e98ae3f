"""Golden answers: member messages through the running assistant, checked by reply text."""

import pytest

from bot.tools import checks

pytestmark = pytest.mark.server

CHECKS = checks.load_checks()


def whole_reply(replies):
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.mark.parametrize("check", CHECKS, ids=[c.message[:40] for c in CHECKS])
def test_scripted_answer(assistant, check):
    replies = assistant.say(f"golden-{abs(hash(check.message)) % 10**8}", check.message)
    result = checks.judge(check, whole_reply(replies), checks.response_texts())
    assert result.passed, f"{result.problems}: {result.reply!r}"


def test_judge_fails_a_wrong_answer():
    # A question answered with the wrong script must fail, not pass.
    responses = checks.response_texts()
    check = checks.Check("do i gotta pay", expect="utter_ask_cost")
    wrong = responses["utter_ask_keep_doctors"][0]
    assert not checks.judge(check, wrong, responses).passed
    assert checks.judge(check, responses["utter_ask_cost"][0], responses).passed


def test_judge_needs_every_answer_of_a_two_question_check():
    # a message that asks two things passes only when both answers are in the reply
    responses = checks.response_texts()
    check = checks.Check(
        "is it free and can i keep my doctor", expect=("utter_ask_cost", "utter_ask_keep_doctors")
    )
    cost, doctors = responses["utter_ask_cost"][0], responses["utter_ask_keep_doctors"][0]
    assert not checks.judge(check, cost, responses).passed
    assert checks.judge(check, f"{cost}\n{doctors}", responses).passed
