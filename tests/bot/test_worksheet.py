import re

import pytest

from bot import worksheet
from bot.text import fold


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skip", worksheet.SKIP),
        ("Skip.", worksheet.SKIP),
        ("I don't know", worksheet.SKIP),  # the examples of skipping
        ("I don\u2019t know", worksheet.SKIP),  # a phone's curly apostrophe
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


def test_every_control_word_steers_as_its_kind():
    # bot/content/worksheet.yml: a word that folds to nothing, or to a word of
    # another kind, would steer the worksheet the wrong way.
    seen = {}
    for kind, by_language in worksheet.SHEET.control_words.items():
        for language, words in by_language.items():
            for word in words:
                assert worksheet.control(word) == kind, f"{kind} {language}: {word!r}"
                seen.setdefault(fold(word, keep="'"), set()).add(kind)
    assert all(len(kinds) == 1 for kinds in seen.values())


def test_questions_and_labels_come_from_the_content_file():
    assert worksheet.QUESTIONS == [q.slot for q in worksheet.SHEET.questions]
    for language in worksheet.LANGUAGES:
        assert list(worksheet.LABELS[language]) == worksheet.QUESTIONS
    assert worksheet.KEEPS_QUESTIONS == {"ws_questions"}  # it asks for the member's questions


@pytest.mark.parametrize(
    "edit, message",
    [
        # a question without its Spanish label
        (lambda text: text.replace("      es: Sus doctores\n", ""), "ws_doctors: label: no es"),
        # YAML reads an unquoted no as false
        (lambda text: text.replace('"no", nope', "no, nope"), 'quote words like "no"'),
        # two questions with one slot name
        (lambda text: text.replace("slot: ws_questions", "slot: ws_doctors"), "each used once"),
    ],
)
def test_a_broken_content_file_is_refused_with_a_reason(tmp_path, edit, message):
    path = tmp_path / "worksheet.yml"
    path.write_text(edit(worksheet.CONTENT_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(worksheet.ContentError, match=re.escape(message)):
        worksheet.load(path)


def test_review_answers_in_each_language():
    answers = {"ws_doctors": "Dr. Lee", "ws_unseen_needs": worksheet.SKIPPED}
    assert worksheet.review_answers(answers, "es") == {
        "a1": "Dr. Lee",
        "a2": "no contestó",
        **{f"a{n}": "-" for n in range(3, len(worksheet.QUESTIONS) + 1)},
    }
    assert worksheet.review_answers(answers, "en")["a2"] == "skipped"
