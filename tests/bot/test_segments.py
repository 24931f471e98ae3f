"""bot/segments.py: the parts of a long message."""

import pytest

from bot import segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # context first, then the question: two parts, the second a question
        (
            "Hi. I am 67, I have diabetes and no car. Can I get rides to my doctor?",
            [
                ("Hi. I am 67, I have diabetes and no car.", False),
                ("Can I get rides to my doctor?", True),
            ],
        ),
        # two questions joined by "and" before a question word
        (
            "is it free and can i keep my doctor",
            [("is it free", True), ("and can i keep my doctor", True)],
        ),
        # "and" between two nouns is not a new question
        ("food and rides", [("food and rides", False)]),
        # "Dr." does not end a sentence
        ("Dr. Lee at the county clinic", [("Dr. Lee at the county clinic", False)]),
        # Spanish: question marks and "y" before a question word
        (
            "mi mama tiene 80 años. cuanto cuesta? y puedo seguir con mi doctor",
            [
                ("mi mama tiene 80 años.", False),
                ("cuanto cuesta?", True),
                ("y puedo seguir con mi doctor", True),
            ],
        ),
        # one short question stays whole
        ("¿gratis?", [("¿gratis?", True)]),
    ],
)
def test_parts(text, expected):
    assert [(p.text, p.is_question) for p in segments.parts(text)] == expected


def test_a_long_text_has_at_most_six_parts():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    assert len(segments.parts(text)) == segments.MAX_PARTS


def test_empty_text_has_no_parts():
    assert segments.parts("") == [] and segments.parts("   ") == []
