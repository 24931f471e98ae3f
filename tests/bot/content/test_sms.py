"""bot/content/sms.yml, what bot/sms.py and bot/sms_consent.py read: every section
is read, no keyword is there twice, every entry can be typed, every not_typos
entry guards a listed word, and the ask-once question is short and in both
languages."""

import pytest

from bot import sms, sms_consent
from bot.text import fold

KEYWORD_LISTS = ("opt_out", "opt_out_es", "opt_in", "opt_in_if_opted_out", "help", "help_es")
FREE_TEXT_LISTS = ("objects", "cues", "after_cues", "adjacent_cues", "standalone", "unsure", "bridges")
WORD_LISTS = ("politeness", "fillers", "program_words", "not_typos", "ask_yes")


def test_every_section_is_read_and_no_entry_is_there_twice(load_yaml, assert_unique_strings):
    lists = sms.word_lists()  # refuses a missing or unknown section
    data = load_yaml(sms.CONTENT_PATH)  # a plain character written twice fails here
    keywords = [w for key in KEYWORD_LISTS for w in data[key]]
    assert_unique_strings(keywords, "keywords, in one list or across lists")
    for language, section in data["free_text"].items():
        for key in FREE_TEXT_LISTS:
            assert_unique_strings(section[key], f"free_text.{language}.{key}")
    for key in WORD_LISTS:
        assert_unique_strings(data[key], key)
    assert all(len(c) == 1 for c in data["plain_characters"])
    assert len(lists.plain_characters) == len(data["plain_characters"])
    assert [r.language for r in lists.free_text] == [sms.EN, sms.ES]


def test_every_keyword_can_be_typed():
    """understand() compares the message folded, without spaces: "Opt out!" -> "optout"."""
    lists = sms.word_lists()
    for key in KEYWORD_LISTS:
        words = getattr(lists, key)
        assert all(fold(w).replace(" ", "") == w for w in words), (key, words)


def test_every_free_text_entry_is_written_as_it_is_read(load_yaml):
    """Entries are compared with the message as sms_consent.words_of() reads it."""
    data = load_yaml(sms.CONTENT_PATH)
    entries = [e for s in data["free_text"].values() for k in FREE_TEXT_LISTS for e in s[k]]
    entries += [e for key in WORD_LISTS for e in data[key]]
    for entry in entries:
        assert " ".join(sms_consent.words_of(entry)) == entry, entry


def test_every_not_typo_guards_a_listed_word():
    # an entry one typo from no listed word would be dead weight
    lists = sms.word_lists()
    listed = lists.opt_out | lists.opt_out_es
    for rules in lists.free_text:
        listed |= rules.objects | rules.bridges
        listed |= {w for g in (rules.cues, rules.adjacent_cues, rules.unsure) for p in g for w in p}
    for word in lists.not_typos:
        assert any(sms_consent.one_typo(word, w) for w in listed), word


@pytest.mark.parametrize("language", [sms.EN, sms.ES])
def test_the_question_is_one_short_sms_that_says_how_to_stop(language):
    question = sms.ask_stop_text(language)
    assert "STOP" in question and len(question) <= 160
    assert question == sms.plain(question)  # no curly quotes or dashes


def test_the_question_is_in_each_language():
    assert sms.ask_stop_text(sms.EN) == "Do you want us to stop texting you? Reply STOP."
    assert sms.ask_stop_text(sms.ES).startswith("¿Quiere que dejemos de enviarle mensajes")
    assert sms.ask_stop_text(None) == sms.ask_stop_text(sms.EN)
