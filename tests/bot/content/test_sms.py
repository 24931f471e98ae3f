"""bot/content/sms.yml, what bot/sms.py reads: every section is read, no keyword is
there twice, every keyword can be typed, and each plain-language opt-out pattern
catches an example that opts out."""

import re

from bot import sms
from bot.text import fold

KEYWORD_LISTS = ("opt_out", "opt_in", "opt_in_if_opted_out", "help")


def test_every_section_is_read_and_no_entry_is_there_twice(load_yaml, assert_unique_strings):
    lists = sms.word_lists()  # refuses a missing or unknown section
    data = load_yaml(sms.CONTENT_PATH)  # a plain character written twice fails here
    keywords = [w for key in KEYWORD_LISTS for w in data[key]]
    assert_unique_strings(keywords, "keywords, in one list or across lists")
    assert_unique_strings(data["plain_opt_out"]["patterns"], "plain_opt_out patterns")
    assert_unique_strings(data["plain_opt_out"]["examples"], "plain_opt_out examples")
    assert all(len(c) == 1 for c in data["plain_characters"])
    assert len(lists.plain_characters) == len(data["plain_characters"])


def test_every_keyword_can_be_typed():
    """keyword() compares the message folded, without spaces: "Opt out!" -> "optout"."""
    lists = sms.word_lists()
    for key in KEYWORD_LISTS:
        words = getattr(lists, key)
        assert all(fold(w).replace(" ", "") == w for w in words), (key, words)


def test_each_plain_opt_out_pattern_catches_an_example_and_each_example_opts_out(load_yaml):
    data = load_yaml(sms.CONTENT_PATH)["plain_opt_out"]
    folded = [fold(e) for e in data["examples"]]
    for pattern in data["patterns"]:
        compiled = re.compile(pattern)
        assert any(compiled.match(text) for text in folded), pattern
    for example in data["examples"]:
        assert sms.keyword(example, opted_out=False) == sms.OPT_OUT, example
