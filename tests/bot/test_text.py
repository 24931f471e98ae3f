"""bot/text.py: the one fold() every matching rule uses."""

import pytest

from bot.text import fold


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("  Está   BIEN!! ", {}, "esta bien"),  # accents, case, punctuation runs, ends
        ("¿Gratis?", {}, "gratis"),  # Spanish marks are punctuation
        ("ñandú", {}, "nandu"),  # ñ folds to n like every accent
        (None, {}, ""),  # no text at all
        ("I don’t know", {}, "i don t know"),  # curly apostrophe is punctuation by default
        ("I don't know.", {"keep": "'"}, "i don't know"),  # the worksheet keeps apostrophes
        ("I don't", {"drop": "'"}, "i dont"),  # the safety screen joins across them
        ("hellllp meeee", {"squeeze_repeats": True}, "hellp mee"),  # stretched letters
        ("😀 stop 😀", {}, "stop"),  # emoji are not words
    ],
)
def test_fold(text, options, expected):
    assert fold(text, **options) == expected
