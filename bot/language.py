"""Which language a member writes in.

English and Spanish get the whole assistant; Health Net's other Medi-Cal
threshold languages get the flyer's tagline for language help. The decision
combines three kinds of evidence, each working offline on short texts:

1. the writing system (Chinese, Korean, Cyrillic, Armenian, Arabic script,
   Khmer...), which settles most threshold languages at once;
2. the words themselves: function words that only one of English, Spanish,
   Tagalog or Hmong uses ("quiero", "the", "koj"...), and letters and marks only
   Spanish or Vietnamese uses (ñ, ¿, ă, ơ...);
3. lingua (lingua-language-detector), a well-kept statistical detector built for
   short texts, asked only about English versus Spanish (its low-accuracy mode:
   9 MB instead of 96 MB, and on our held-out sets no less accurate here, where it
   only breaks ties the words leave open).

The words, letters and writing systems are content, in bot/content/language.yml,
read on first use. A message too short or too ambiguous to tell ("ok", "no",
"Dr. Lee") returns None, so one ambiguous word never flips the conversation's
language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Optional, Pattern, Tuple

import yaml

from bot.text import fold

EN, ES = "en", "es"
FULL_LANGUAGES = (EN, ES)
# Told by their own words alone, in this order (bot/content/language.yml, words:).
WORDS_ALONE = ("hmn", "tl")
CONTENT_PATH = Path(__file__).resolve().parent / "content" / "language.yml"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class WordLists:
    """bot/content/language.yml, one field per top-level key (each key is read)."""

    other_languages: Tuple[str, ...]
    scripts: Tuple[Tuple[str, Pattern[str]], ...]
    vietnamese_letters: Pattern[str]
    spanish_marks: Pattern[str]
    spanish_accents: Pattern[str]
    words: Dict[str, FrozenSet[str]]
    ambiguous: FrozenSet[str]
    alone: Dict[str, FrozenSet[str]]
    switch: Dict[str, FrozenSet[str]]


def _by_language(table: Dict[str, list]) -> Dict[str, FrozenSet[str]]:
    return {language: frozenset(entries) for language, entries in table.items()}


@cache
def word_lists() -> WordLists:
    data = yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))
    expected = {f.name for f in fields(WordLists)}
    if set(data) != expected:
        raise ValueError(
            f"{CONTENT_PATH.name}: sections {sorted(data)}, expected {sorted(expected)}"
        )
    return WordLists(
        other_languages=tuple(data["other_languages"]),
        scripts=tuple((s["language"], re.compile(s["letters"])) for s in data["scripts"]),
        vietnamese_letters=re.compile(data["vietnamese_letters"], re.IGNORECASE),
        spanish_marks=re.compile(data["spanish_marks"], re.IGNORECASE),
        spanish_accents=re.compile(data["spanish_accents"]),
        words=_by_language(data["words"]),
        ambiguous=frozenset(data["ambiguous"]),
        alone=_by_language(data["alone"]),
        switch=_by_language(data["switch"]),
    )


def __getattr__(name: str):
    # OTHER_LANGUAGES is content too, read on first use like the rest.
    if name == "OTHER_LANGUAGES":
        return word_lists().other_languages
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def switch_request(text: Optional[str]) -> Optional[str]:
    """EN or ES when the whole message asks for that language ("español", "english")."""
    folded = fold(text)
    for language, phrases in word_lists().switch.items():
        if folded in phrases:
            return language
    return None


def script_language(text: str) -> Optional[str]:
    """The language a writing system settles (Hangul: ko, Cyrillic: ru...), or None."""
    for language, letters in word_lists().scripts:
        if letters.search(text):
            return language
    return None


@lru_cache(maxsize=1)
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
        .with_preloaded_language_models()
        .build()
    )


def warm_up() -> None:
    """Load what detection needs now (the server calls this when it loads)."""
    _lingua()
    word_lists()


def _lingua_spanish_share(text: str) -> float:
    from lingua import Language

    values = {v.language: v.value for v in _lingua().compute_language_confidence_values(text)}
    return values.get(Language.SPANISH, 0.0)


def detect(text: Optional[str]) -> Optional[str]:
    """The language of `text`, or None if it cannot be told with confidence."""
    if not text or text.startswith("/"):
        return None
    by_script = script_language(text)
    if by_script:
        return by_script
    known = word_lists()
    words = _WORD.findall(text.lower())
    if known.vietnamese_letters.search(text) and len(words) >= 2:
        return "vi"
    counts = {
        lang: sum(1 for w in words if w in vocab and w not in known.ambiguous)
        for lang, vocab in known.words.items()
    }
    for language in WORDS_ALONE:
        if counts[language] >= 2 and counts[language] > max(counts[EN], counts[ES]):
            return language
    spanish_marks = bool(known.spanish_marks.search(text)) or bool(
        known.spanish_accents.search(text.lower())
    )
    if len(words) < 2 and not spanish_marks:
        single = words[0] if words else ""
        for language, greetings in known.alone.items():
            if single in greetings:
                return language
        return None
    # Plenty of one language's own words and none of the other's settles it.
    if counts[ES] >= 3 and counts[EN] == 0:
        return ES
    if counts[EN] >= 3 and counts[ES] == 0:
        return EN
    share = _lingua_spanish_share(text)
    if spanish_marks and share >= 0.3:
        return ES
    if counts[ES] > counts[EN] and share >= 0.6:
        return ES
    if counts[EN] > counts[ES] and share <= 0.4:
        return EN
    if share >= 0.9 and counts[ES] >= 1:
        return ES
    if share <= 0.1 and counts[EN] >= 1:
        return EN
    return None
