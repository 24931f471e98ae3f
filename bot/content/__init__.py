"""Content the assistant says or cites: flyer sources, topic labels, allowed numbers.

Scripted answers themselves live in domain.yml; this package holds what
surrounds them, loaded lazily and cached.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

HERE = Path(__file__).resolve().parent
# A copy of the plan's flyer (../shared/source/ecm-member-flyer.txt) kept with the
# code, so the checks run anywhere; a test compares it with the shared original.
FLYER_PATH = HERE / "ecm-member-flyer.txt"
SHARED_FLYER_PATH = HERE.parent.parent.parent / "shared" / "source" / "ecm-member-flyer.txt"

# Every number a reply may contain: the flyer's table plus the safety services
# the requirements allow (911, 988, 211), and TTY 711.
FLYER_NUMBERS = {
    "800-675-6110",
    "1-800-675-6110",
    "711",
    "800-430-4263",
    "800-430-7077",
    "1-866-458-2208",
    "916-440-7370",
    "1-800-368-1019",
    "1-800-537-7697",
}
SAFETY_NUMBERS = {"911", "988", "211"}
ALLOWED_NUMBERS = FLYER_NUMBERS | SAFETY_NUMBERS

_PHONE = re.compile(r"(?<![\w-])(?:1-)?\d{3}-\d{3}-\d{4}(?![\w-])|(?<![\w-])\d{3}(?![\w-])")


def phone_numbers(text: str) -> List[str]:
    """Every phone-number-like token in `text` (ddd-ddd-dddd, 1-ddd-ddd-dddd, ddd)."""
    return _PHONE.findall(text)


def read_sections(path: Path, shape: Any) -> Dict[str, Any]:
    """A word-list file whose top-level sections are exactly the fields of the
    dataclass `shape` (so every section is read and none is missing)."""
    from dataclasses import fields

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = {f.name for f in fields(shape)}
    if set(data) != expected:
        raise ValueError(f"{path.name}: sections {sorted(data)}, expected {sorted(expected)}")
    return data


def one_line(text: str) -> str:
    """Fold white space so passages match the flyer across its line breaks."""
    return " ".join(text.split())


def variation_language(variation: dict) -> str:
    """The language a domain response variation is for: its `language` slot condition,
    or English for a variation without one."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition.get("value"))
    return "en"


@cache
def flyer_text() -> str:
    return one_line(FLYER_PATH.read_text(encoding="utf-8"))


@cache
def sources() -> Dict[str, List[str]]:
    data = yaml.safe_load((HERE / "sources.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


@cache
def conversational_keys() -> List[str]:
    return yaml.safe_load((HERE / "sources.yml").read_text(encoding="utf-8"))["_conversational"]


@cache
def topic_titles(language: str = "en") -> Dict[str, str]:
    data = yaml.safe_load((HERE / "topics.yml").read_text(encoding="utf-8"))
    return data.get(language) or data["en"]
