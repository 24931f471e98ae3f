"""Every scripted answer: traceable to the flyer, only flyer numbers, short, plain."""

import re
import statistics

import pytest
import textstat
import yaml

from bot import content
from bot.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = {
    key: [v["text"] for v in variations if v.get("text")]
    for key, variations in DOMAIN["responses"].items()
}
ALL_TEXTS = [(key, text) for key, texts in RESPONSES.items() for text in texts]
INTERNAL_INTENTS = {
    "empty_message",
    "message_too_long",
    "sms_stop",
    "sms_start",
    "sms_help",
    "set_language",
    "other_language",
    "two_questions",  # made by the intent classifier from two question parts
}
# The flyer's own taglines in other languages: fixed text, longer than a reply.
TAGLINE = "utter_tagline_"
# For members who write neither English nor Spanish: English by design.
ENGLISH_ONLY = {"utter_other_language"}


language_of = content.variation_language


ENGLISH_TEXTS = [
    (key, v["text"])
    for key, variations in DOMAIN["responses"].items()
    for v in variations
    if v.get("text") and language_of(v) == "en" and not key.startswith(TAGLINE)
]


def test_the_flyer_copy_is_the_shared_flyer():
    copy = content.FLYER_PATH.read_bytes()
    assert b"FLY051490EH00" in copy  # the plan's flyer, not something else
    if content.SHARED_FLYER_PATH.exists():  # beside a checkout of the project (and in CI)
        assert copy == content.SHARED_FLYER_PATH.read_bytes()


@pytest.mark.parametrize("key", sorted(content.sources()))
def test_every_source_passage_is_in_the_flyer(key):
    for passage in content.sources()[key]:
        assert content.one_line(passage) in content.flyer_text(), f"{key}: {passage[:60]}"


def test_every_response_has_a_flyer_source_or_states_no_fact():
    covered = set(content.sources()) | set(content.conversational_keys())
    assert set(RESPONSES) - covered == set()
    assert covered - set(RESPONSES) == set(), "sources.yml names responses that do not exist"


@pytest.mark.parametrize("key, text", ALL_TEXTS)
def test_only_flyer_and_safety_numbers(key, text):
    for number in content.phone_numbers(text):
        assert number in content.ALLOWED_NUMBERS, f"{key} gives {number}"


@pytest.mark.parametrize(
    "text, bad",
    [
        ("Call 800-555-0199 now.", "800-555-0199"),  # an invented number
        ("Call 1-800-675-6111.", "1-800-675-6111"),  # one digit off the real line
        ("Dial 311.", "311"),
    ],
)
def test_the_number_check_catches_invented_numbers(text, bad):
    assert bad in content.phone_numbers(text)
    assert bad not in content.ALLOWED_NUMBERS


@pytest.mark.parametrize("key, text", ALL_TEXTS)
def test_one_sms_sized_message(key, text):
    limit = 1600 if key.startswith(TAGLINE) else 320
    assert 0 < len(text) <= limit, f"{key} is {len(text)} characters"
    assert not re.search(r"[\u2018\u2019\u201c\u201d\u2013\u2014]", text), "curly quotes or dashes"


@pytest.mark.parametrize("key, text", ENGLISH_TEXTS)
def test_each_english_answer_is_at_most_grade_7(key, text):
    assert textstat.flesch_kincaid_grade(text) <= 7, key


def test_english_answers_average_grade_6_or_below():
    grades = [textstat.flesch_kincaid_grade(text) for _, text in ENGLISH_TEXTS]
    assert statistics.mean(grades) <= 6


@pytest.mark.parametrize("key", sorted(DOMAIN["responses"]))
def test_every_response_has_a_spanish_variant_for_each_english_one(key):
    if key.startswith(TAGLINE) or key in ENGLISH_ONLY:
        return
    variations = DOMAIN["responses"][key]
    english = [
        (v.get("channel"), len(v.get("buttons") or []))
        for v in variations
        if language_of(v) == "en"
    ]
    spanish = [
        (v.get("channel"), len(v.get("buttons") or []))
        for v in variations
        if language_of(v) == "es"
    ]
    assert spanish, f"{key} has no Spanish variant"
    assert sorted(english, key=str) == sorted(spanish, key=str), key


@pytest.mark.parametrize("key", sorted(DOMAIN["responses"]))
def test_spanish_variants_keep_the_placeholders(key):
    import re

    variations = DOMAIN["responses"][key]
    english = {
        frozenset(re.findall(r"{\w+}", v["text"])) for v in variations if language_of(v) == "en"
    }
    spanish = {
        frozenset(re.findall(r"{\w+}", v["text"])) for v in variations if language_of(v) == "es"
    }
    assert not spanish or spanish == english, key


def _training_examples(folder=ROOT / "data" / "nlu"):
    counts = {}
    for path in folder.glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = [ln for ln in item["examples"].splitlines() if ln.strip().startswith("- ")]
                counts[item["intent"]] = counts.get(item["intent"], 0) + len(lines)
    return counts


def test_every_intent_has_at_least_25_examples():
    counts = _training_examples()
    for intent in DOMAIN["intents"]:
        if intent in INTERNAL_INTENTS:
            assert intent not in counts, f"{intent} is made by the channels, not the model"
        else:
            assert counts.get(intent, 0) >= 25, intent


def test_every_intent_has_at_least_20_spanish_examples():
    counts = _training_examples(ROOT / "data" / "nlu" / "es")
    for intent in DOMAIN["intents"]:
        if intent in INTERNAL_INTENTS:
            assert intent not in counts
        else:
            assert counts.get(intent, 0) >= 20, intent


def test_every_answerable_topic_has_a_rule_and_a_button_label():
    ruled = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        rules = yaml.safe_load(path.read_text())["rules"]
        ruled |= {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    faq_intents = {i for i in DOMAIN["intents"] if i.startswith("ask_")} | {"request_human"}
    assert faq_intents <= ruled
    assert set(content.topic_titles("en")) <= set(DOMAIN["intents"])
    assert faq_intents - {"ask_medical_advice"} <= set(content.topic_titles("en"))
