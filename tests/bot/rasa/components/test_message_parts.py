"""bot/rasa/components/message_parts.py: reading a message of several parts."""

import numpy as np

from bot.rasa.components import message_parts

CLASSES = ["ask_cost", "ask_keep_doctors", "greet", "crisis", "emergency", "safety_lookalike"]


def row(**probabilities):
    return np.array([probabilities.get(name, 0.0) for name in CLASSES])


def test_the_clearest_question_part_wins_and_small_talk_never_does():
    parts = [row(greet=0.99), row(ask_cost=0.6, ask_keep_doctors=0.4)]
    assert message_parts.best_question(CLASSES, parts, [0, 1]) == 1


def test_two_topics_need_two_clear_different_questions():
    parts = [row(ask_cost=0.8), row(ask_keep_doctors=0.7)]
    assert message_parts.two_topics(CLASSES, parts, [0, 1], 0.4) == [
        ("ask_cost", 0.8),
        ("ask_keep_doctors", 0.7),
    ]
    # the same topic twice, or one unclear part, is one question
    assert (
        message_parts.two_topics(CLASSES, [row(ask_cost=0.8), row(ask_cost=0.9)], [0, 1], 0.4) == []
    )
    assert (
        message_parts.two_topics(
            CLASSES, [row(ask_cost=0.8), row(ask_keep_doctors=0.3)], [0, 1], 0.4
        )
        == []
    )
    # a look-alike is never a topic
    assert (
        message_parts.two_topics(
            CLASSES, [row(ask_cost=0.8), row(safety_lookalike=0.9)], [0, 1], 0.4
        )
        == []
    )


def test_the_safety_verdict_keeps_the_whole_and_the_likeliest_long_part():
    rows = [row(ask_cost=0.9), row(crisis=0.7), row(emergency=0.9)]
    verdict = message_parts.safety_verdict(CLASSES, rows, [0.1, 0.8, 0.95], [6, 2])
    # the second part has two words: too short to judge, so the first part counts
    assert verdict == {
        "kind": "crisis",
        "probability": 0.1,
        "part_kind": "crisis",
        "part_probability": 0.8,
    }


def test_an_unsure_topic_gives_way_to_out_of_scope():
    ranking = [{"name": "ask_cost", "confidence": 0.5}, {"name": "out_of_scope", "confidence": 0.2}]
    assert message_parts.decline_when_doubtful(ranking, 0.6, 0.3)[0]["name"] == "out_of_scope"
    # a sure answer, or "not about ECM" far less likely, keeps the topic
    assert message_parts.decline_when_doubtful(ranking, 0.45, 0.3)[0]["name"] == "ask_cost"
    assert message_parts.decline_when_doubtful(ranking, 0.6, 0.5)[0]["name"] == "ask_cost"
    # small talk is not a topic: it is left alone
    greet = [{"name": "greet", "confidence": 0.4}, {"name": "out_of_scope", "confidence": 0.39}]
    assert message_parts.decline_when_doubtful(greet, 0.6, 0.3) == greet
