"""bot/tools/language_vocabulary.py: the one-language words, up to date with data/nlu."""

from bot import language
from bot.tools import language_vocabulary


def test_the_vocabulary_file_is_up_to_date_with_the_training_data():
    # fails after a change to data/nlu until `python -m bot.tools.language_vocabulary` runs
    assert language_vocabulary.main(["--check"]) == 0


def test_no_word_is_in_both_languages():
    words = language_vocabulary.vocabulary()
    assert words["es"] and words["en"]
    assert not set(words["es"]) & set(words["en"])


def test_a_one_word_spanish_question_is_spanish():
    # "¿gratis?" and "cuesta" have no function word to go by
    assert language.detect("gratis") == "es"
    assert language.detect("cuesta?") == "es"
    assert language.detect("rides") == "en"
