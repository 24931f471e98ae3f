"""Free-text SMS opt-outs: is a message a request to stop texts, maybe one, or not?

Since 11 April 2025 (FCC 24-18, 47 CFR 64.1200(a)(10)) a member may revoke
consent "by any reasonable means", so "pls remove me from this text list" or
"ya no me manden mensajes" opts out like STOP does, while "how do I stop ECM?"
is a question about leaving the program, which the assistant answers.

The rules read words, not characters, so they do not depend on one exact
wording: a stop cue ("stop", "dont want", "no me manden") close before an
object ("texts", "mensajes", "list") with only bridge words between them ("me",
"these", "sending"), or an object close before an after-cue ("texts need to
stop"), is an opt-out; a message made only of vague cues ("stop it", "leave me
alone", "basta") is `UNSURE` and gets the ask-once question. Typos count: a
word one edit away from a listed word of six letters or more, or a word of four
or five letters with two letters swapped, reads as the listed word. The word lists are
content, in bot/content/sms.yml (section `free_text` and its neighbours).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from bot.text import fold

EN, ES = "en", "es"
OPT_OUT = "opt_out"
UNSURE = "unsure"
MAX_BRIDGES = 4
EDITS_FROM = 6  # letters a listed word needs before one letter more, less or other counts

Phrase = Tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """The free-text rules of one language (bot/content/sms.yml, free_text.<language>)."""

    language: str
    objects: FrozenSet[str]
    cues: Tuple[Phrase, ...]
    after_cues: Tuple[Phrase, ...]
    adjacent_cues: Tuple[Phrase, ...]
    standalone: FrozenSet[Phrase]
    unsure: Tuple[Phrase, ...]
    bridges: FrozenSet[str]


@dataclass(frozen=True)
class Reading:
    kind: str  # OPT_OUT or UNSURE
    language: str


def _phrases(entries: Iterable[str]) -> Tuple[Phrase, ...]:
    return tuple(tuple(entry.split()) for entry in entries)


def rules_from(language: str, section: Dict[str, List[str]]) -> Rules:
    return Rules(
        language=language,
        objects=frozenset(section["objects"]),
        cues=_phrases(section["cues"]),
        after_cues=_phrases(section["after_cues"]),
        adjacent_cues=_phrases(section["adjacent_cues"]),
        standalone=frozenset(_phrases(section["standalone"])),
        unsure=_phrases(section["unsure"]),
        bridges=frozenset(section["bridges"]),
    )


def one_typo(word: str, listed: str) -> bool:
    """`word` is `listed` with one typo: for listed words of 6+ letters one letter
    added, dropped, changed, or two neighbours swapped; for 4 or 5 letters a swap
    only (one letter more or less turns short words into other words: "parent")."""
    if word == listed or len(listed) < 4:
        return False
    if len(word) == len(listed):
        diff = [i for i, (a, b) in enumerate(zip(word, listed, strict=True)) if a != b]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return word[i] == listed[i + 1] and word[i + 1] == listed[i]
        return len(diff) == 1 and len(listed) >= EDITS_FROM
    if len(listed) < EDITS_FROM or abs(len(word) - len(listed)) != 1:
        return False
    short, long_ = sorted((word, listed), key=len)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@cache
def _vocabulary(words: FrozenSet[str]) -> Tuple[str, ...]:
    return tuple(sorted(words))


def canonical(token: str, vocabulary: FrozenSet[str], not_typos: FrozenSet[str]) -> str:
    """The listed word `token` stands for (itself when listed or not close to one)."""
    if token in vocabulary or token in not_typos or len(token) < 4:
        return token
    for listed in _vocabulary(vocabulary):
        if one_typo(token, listed):
            return listed
    return token


def words_of(text: Optional[str]) -> List[str]:
    """Lower case, no accents, apostrophes dropped ("Don't" -> "dont"), as words;
    runs of one letter shortened ("stooop" -> "stoop", "pleeease" -> "pleease")."""
    return fold(text, drop="'\u2019", squeeze_repeats=True).split()


def _starts(tokens: List[str], at: int, phrases: Iterable[Phrase]) -> Optional[int]:
    """The length of the longest phrase that starts at `at`, if any."""
    best = 0
    for phrase in phrases:
        if len(phrase) > best and tuple(tokens[at : at + len(phrase)]) == phrase:
            best = len(phrase)
    return best or None


def _bridged(tokens: List[str], start: int, rules: Rules, targets: str) -> bool:
    """From `start`, at most MAX_BRIDGES bridge words, then an object (or a cue)."""
    for offset in range(MAX_BRIDGES + 1):
        at = start + offset
        if at >= len(tokens):
            return False
        if targets == "object" and tokens[at] in rules.objects:
            return True
        if targets == "cue" and _starts(tokens, at, rules.after_cues):
            return True
        if tokens[at] not in rules.bridges:
            return False
    return False


def clear_opt_out(
    tokens: List[str], rules: Rules, program: bool, fillers: FrozenSet[str] = frozenset()
) -> bool:
    for at in range(len(tokens)):
        length = _starts(tokens, at, rules.cues)
        if length and _bridged(tokens, at + length, rules, "object"):
            return True
        length = _starts(tokens, at, rules.adjacent_cues)
        if length and at + length < len(tokens) and tokens[at + length] in rules.objects:
            return True
        if tokens[at] in rules.objects and _bridged(tokens, at + 1, rules, "cue"):
            return True
    return not program and bool(_covered(tokens, rules.standalone, fillers))


def _covered(tokens: List[str], phrases: Iterable[Phrase], extra: FrozenSet[str]) -> Optional[int]:
    """How many phrases cover `tokens` when words of `extra` may come anywhere;
    None when some word is neither."""
    found, at = 0, 0
    while at < len(tokens):
        length = _starts(tokens, at, phrases)
        if length:
            found, at = found + 1, at + length
        elif tokens[at] in extra:
            at += 1
        else:
            return None
    return found


def read(
    text: Optional[str],
    rules: Iterable[Rules],
    program_words: FrozenSet[str],
    fillers: FrozenSet[str],
    not_typos: FrozenSet[str],
) -> Optional[Reading]:
    """OPT_OUT for a request to stop texts, UNSURE for a message that may be one,
    else None. The language is the one whose words matched."""
    raw = words_of(text)
    if not raw:
        return None
    unsure: Optional[Reading] = None
    for language_rules in rules:
        vocabulary = (
            language_rules.objects
            | language_rules.bridges
            | {
                w
                for group in (
                    language_rules.cues,
                    language_rules.after_cues,
                    language_rules.adjacent_cues,
                    language_rules.standalone,
                    language_rules.unsure,
                )
                for phrase in group
                for w in phrase
            }
        )
        tokens = [canonical(t, vocabulary, not_typos) for t in raw]
        program = any(t in program_words for t in raw)
        if clear_opt_out(tokens, language_rules, program, fillers):
            return Reading(OPT_OUT, language_rules.language)
        found = _covered(tokens, language_rules.unsure, fillers)
        if unsure is None and found and not program:
            unsure = Reading(UNSURE, language_rules.language)
    return unsure
