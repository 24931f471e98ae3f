"""The safety screen: no misses on what must be caught; a few known false alarms are fine."""

import pytest
import yaml

from bot import safety
from bot.settings import ROOT


@pytest.mark.parametrize(
    "text, kind",
    [
        # plain and SMS-style crisis wording, for oneself and for a relative
        ("I want to kill myself", safety.CRISIS),
        ("i wanna die", safety.CRISIS),
        ("thinkin bout suicide again", safety.CRISIS),
        ("my son keeps saying he wants to end his life", safety.CRISIS),
        ("I don't want to be alive anymore", safety.CRISIS),
        ("everyone would be better off without me", safety.CRISIS),
        ("Quiero morir", safety.CRISIS),
        ("ya no quiero vivir", safety.CRISIS),
        ("mi hija se quiere matar", safety.CRISIS),
        # danger now
        ("he is not breathing!!", safety.EMERGENCY),
        ("my chest hurts and my left arm is numb", safety.EMERGENCY),
        ("someone is hitting me right now", safety.EMERGENCY),
        ("she took too many pills", safety.EMERGENCY),
        ("call 911", safety.EMERGENCY),
        ("mi esposo no puede respirar", safety.EMERGENCY),
        ("tengo dolor de pecho muy fuerte", safety.EMERGENCY),
        # no food or shelter now
        ("we have no food tonight", safety.URGENT_NEED),
        ("i got evicted today where do i go", safety.URGENT_NEED),
        ("sleeping in my car tonight", safety.URGENT_NEED),
        ("no tengo donde dormir esta noche", safety.URGENT_NEED),
        # crisis outranks emergency: the crisis reply gives 988 and 911
        ("i took pills because i want to die", safety.CRISIS),
    ],
)
def test_caught(text, kind):
    assert safety.screen(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "how do I stop ECM",  # "stop" is not a crisis word
        "does it cost money",
        "this wait is killing me lol",
        "can they help me after i leave the hospital",
        "what is the emergency number? just curious",
        "/ask_cost",  # a button payload is never screened
        "",
    ],
)
def test_not_caught(text):
    assert safety.screen(text) is None


def test_every_safety_training_example_is_caught():
    data = yaml.safe_load((ROOT / "data" / "nlu" / "safety.yml").read_text())["nlu"]
    for item in data:
        for line in item["examples"].splitlines():
            text = line.strip()[2:]
            if text:
                assert safety.screen(text) == item["intent"], text


def test_normalize_folds_accents_case_and_repeats():
    assert safety.normalize("Quiero MORIR!!!") == " quiero morir "
    assert safety.normalize("heeeelp") == " heelp "
