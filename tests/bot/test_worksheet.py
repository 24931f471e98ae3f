import re

import pytest

from bot import worksheet


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skip", worksheet.SKIP),
        ("Skip.", worksheet.SKIP),
        ("I don't know", worksheet.SKIP),  # the examples of skipping
        ("none", worksheet.SKIP),
        ("no", worksheet.SKIP),
        ("no sé", worksheet.SKIP),
        ("go back", worksheet.BACK),
        ("atrás", worksheet.BACK),
        ("stop", worksheet.STOP),
        ("Cancel!", worksheet.STOP),
        ("never mind", worksheet.STOP),
        ("cancelar", worksheet.STOP),
        # a real answer that merely contains a control word is an answer
        ("no doctor right now, I stopped going", None),
        ("Dr. Smith and the skip clinic", None),
        ("", None),
    ],
)
def test_control_words(text, expected):
    assert worksheet.control(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("does it cost money?", True),
        ("how do i stop ecm", True),
        ("¿cuánto cuesta?", True),
        ("Dr. Lee at the county clinic", False),
        ("food and rides", False),
    ],
)
def test_looks_like_question(text, expected):
    assert worksheet.looks_like_question(text) is expected


def test_has_words():
    assert worksheet.has_words("Dr. Lee")
    assert not worksheet.has_words("🙂🙂 !!")


def test_previous_question_skips_unanswered():
    answers = {"ws_doctors": "Dr. Lee", "ws_unseen_needs": None}
    assert worksheet.previous_question("ws_community_orgs", answers) == "ws_doctors"
    assert worksheet.previous_question("ws_doctors", answers) is None


def test_codes_are_readable_and_random():
    codes = {worksheet.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"ECM-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", code)
        assert not set(code[4:]) & set("01OIL")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("ECM-7KQ4MX", "ECM-7KQ4MX"),
        ("ecm 7kq 4mx", "ECM-7KQ4MX"),
        ("7KQ4MX", "ECM-7KQ4MX"),
        ("ECM-7KQ4M", None),  # too short
        ("ECM-7KQ4M0", None),  # 0 is never in a code
        ("", None),
    ],
)
def test_normalize_code(typed, expected):
    assert worksheet.normalize_code(typed) == expected


def test_summary():
    answers = {"ws_doctors": "Dr. Lee", "ws_unseen_needs": worksheet.SKIPPED}
    assert worksheet.summary(answers) == {
        "answered": ["ws_doctors"],
        "skipped": ["ws_unseen_needs"],
        "unanswered": ["ws_community_orgs", "ws_other_support", "ws_questions"],
    }
