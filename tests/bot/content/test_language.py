"""bot/content/language.yml, what bot/language.py reads: every section is read, no
entry is there twice, and every entry can match what a member types."""

from bot import language
from bot.text import fold


def test_every_section_is_read():
    lists = language.word_lists()  # refuses a missing or unknown section
    # detect() reads the words of English, Spanish and the languages told by words alone
    assert set(lists.words) == {language.EN, language.ES, *language.WORDS_ALONE}
    assert set(lists.alone) <= set(language.FULL_LANGUAGES)
    assert set(lists.switch) == set(language.FULL_LANGUAGES)


def test_no_entry_is_there_twice(load_yaml, assert_unique_strings):
    data = load_yaml(language.CONTENT_PATH)
    assert_unique_strings(data["other_languages"], "other_languages")
    assert_unique_strings([s["language"] for s in data["scripts"]], "scripts")
    assert_unique_strings(data["ambiguous"], "ambiguous")
    for section in ("words", "alone", "switch"):
        for code, entries in data[section].items():
            assert_unique_strings(entries, f"{section}: {code}")
    phrases = [p for entries in data["switch"].values() for p in entries]
    assert_unique_strings(phrases, "a switch phrase in two languages")


def test_every_word_can_match_a_message():
    """detect() compares the message's words in lower case, accents kept; switch_request()
    compares the whole message folded. An entry written otherwise would never match."""
    lists = language.word_lists()
    tables = {**lists.words, **{f"alone: {code}": w for code, w in lists.alone.items()}}
    for code, words in tables.items():
        unreadable = {w for w in words if not language._WORD.fullmatch(w) or w != w.lower()}
        assert not unreadable, (code, unreadable)
    for phrases in lists.switch.values():
        assert all(fold(p) == p for p in phrases), phrases
    every_word = set().union(*lists.words.values())
    assert lists.ambiguous <= every_word, lists.ambiguous - every_word  # else it cancels nothing


def test_every_language_told_is_handled():
    """Whatever detect() can return is a full language or another threshold language
    (Vietnamese is told by its letters, the rest by writing system or words)."""
    lists = language.word_lists()
    told = {code for code, _ in lists.scripts} | set(lists.words) | {"vi"}
    assert told == set(language.FULL_LANGUAGES) | set(language.OTHER_LANGUAGES)
    assert not set(language.FULL_LANGUAGES) & set(language.OTHER_LANGUAGES)
