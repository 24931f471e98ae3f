"""The member worksheet: its questions, what members say to steer it, codes.

Pure logic, no Rasa and no database. The questions, their labels, the control
words and the sentences around them are defined once, in bot/content/worksheet.yml,
read here when this module is imported. The actions in actions/worksheet.py call
this module, bot/store/worksheets.py saves what it produces, and
bot/rasa/worksheet_domain.py writes domain.yml's part of the worksheet from it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.text import fold

CONTENT_PATH = Path(__file__).resolve().parent / "content" / "worksheet.yml"
LANGUAGES = ("en", "es")  # English first: the variation without a language condition
SKIP = "skip"
BACK = "back"
STOP = "stop"
SKIPPED = "__skipped__"
MAX_ANSWER_CHARS = 1000
# The review's placeholder for the answer to question n (a1, a2, ...).
ANSWER_KEY = "a{n}"


class ContentError(ValueError):
    """bot/content/worksheet.yml says something this module cannot use."""


@dataclass(frozen=True)
class Question:
    slot: str
    label: Mapping[str, str]
    text: Mapping[str, str]
    sms: Mapping[str, str]  # other wording for text messages, by language (often none)
    keeps_questions: bool = False


@dataclass(frozen=True)
class Worksheet:
    questions: Tuple[Question, ...]
    control_words: Mapping[str, Mapping[str, List[str]]]  # kind -> language -> words
    templates: Mapping[str, Any]


def _by_language(value: Any, where: str, required: bool = True) -> Dict[str, str]:
    value = value or {}
    if not isinstance(value, dict) or any(not isinstance(v, str) for v in value.values()):
        raise ContentError(f"{where}: give each language's text ({', '.join(LANGUAGES)})")
    missing = [lang for lang in LANGUAGES if lang not in value]
    if required and missing:
        raise ContentError(f"{where}: no {', '.join(missing)} text")
    return dict(value)


def _question(item: Any, number: int) -> Question:
    slot = item.get("slot") if isinstance(item, dict) else None
    if not isinstance(slot, str) or not slot.isidentifier():
        raise ContentError(f"question {number}: `slot` must be a name like ws_doctors")
    return Question(
        slot=slot,
        label=_by_language(item.get("label"), f"{slot}: label"),
        text=_by_language(item.get("text"), f"{slot}: text"),
        sms=_by_language(item.get("sms"), f"{slot}: sms", required=False),
        keeps_questions=bool(item.get("keeps_questions", False)),
    )


def load(path: Path = CONTENT_PATH) -> Worksheet:
    """Read and check a worksheet definition (bot/content/worksheet.yml by default)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = tuple(_question(item, i + 1) for i, item in enumerate(data.get("questions") or []))
    slots = [q.slot for q in questions]
    if not slots or len(set(slots)) != len(slots):
        raise ContentError(f"{path.name}: the questions need slot names, each used once")
    words = data.get("control_words") or {}
    if set(words) != {SKIP, BACK, STOP}:
        raise ContentError(f"{path.name}: control_words needs exactly {SKIP}, {BACK} and {STOP}")
    for kind, by_language in words.items():
        for lang, listed in (by_language or {}).items():
            if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
                raise ContentError(f'control_words {kind} {lang}: quote words like "no"')
    templates = data.get("templates") or {}
    for name in ("intro", "ask", "review", "skipped"):
        if any(lang not in (templates.get(name) or {}) for lang in LANGUAGES):
            raise ContentError(f"templates: {name} needs {' and '.join(LANGUAGES)}")
    return Worksheet(questions, words, templates)


SHEET = load()
# The flyer's questions, in its order (slot names in domain.yml).
QUESTIONS: List[str] = [q.slot for q in SHEET.questions]
# Short labels for the review and the "which answer?" buttons.
LABELS: Dict[str, Dict[str, str]] = {
    lang: {q.slot: q.label[lang] for q in SHEET.questions} for lang in LANGUAGES
}
# Questions whose answers are questions: an ECM question there is an answer.
KEEPS_QUESTIONS = frozenset(q.slot for q in SHEET.questions if q.keeps_questions)


def _words(text: Optional[str]) -> str:
    # A phone's curly apostrophe (don’t) is the straight one (don't).
    return fold((text or "").replace("\u2019", "'"), keep="'")


_CONTROL = {
    kind: {_words(word) for words in by_language.values() for word in words}
    for kind, by_language in SHEET.control_words.items()
}


def control(text: Optional[str]) -> Optional[str]:
    """SKIP, BACK or STOP when the whole message is one of those commands."""
    folded = _words(text)
    for kind in (STOP, BACK, SKIP):
        if folded in _CONTROL[kind]:
            return kind
    return None


def has_words(text: Optional[str]) -> bool:
    """False for emoji-only or punctuation-only answers."""
    return any(ch.isalnum() for ch in text or "")


def cap(text: str) -> str:
    return text[:MAX_ANSWER_CHARS]


_QUESTION_START = re.compile(
    r"^(what|whats|how|does|do|did|can|could|is|are|will|would|who|where|when|why|which|"
    r"am i|should|que|qué|como|cómo|puedo|puede|cuanto|cuánto|cuesta|quien|quién|donde|"
    r"dónde|cuando|cuándo|por que|por qué|es|tengo|hay)\b",
    re.IGNORECASE,
)


def looks_like_question(text: Optional[str]) -> bool:
    stripped = (text or "").strip()
    return (
        stripped.endswith("?")
        or stripped.startswith("¿")
        or bool(_QUESTION_START.match(_words(stripped)))
    )


def previous_question(current: str, answers: Dict[str, Optional[str]]) -> Optional[str]:
    """The last question before `current` that has an answer (or was skipped)."""
    index = QUESTIONS.index(current)
    for name in reversed(QUESTIONS[:index]):
        if answers.get(name) is not None:
            return name
    return None


def summary(answers: Dict[str, Optional[str]]) -> Dict[str, List[str]]:
    answered = [q for q in QUESTIONS if answers.get(q) not in (None, SKIPPED)]
    skipped = [q for q in QUESTIONS if answers.get(q) == SKIPPED]
    unanswered = [q for q in QUESTIONS if answers.get(q) is None]
    return {"answered": answered, "skipped": skipped, "unanswered": unanswered}


# Reference codes: read aloud over the phone, so no 0/O or 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_code() -> str:
    """A random code like ECM-7KQ4MX (31^6 = 887 million; from `secrets`)."""
    return "ECM-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> Optional[str]:
    """Accept what people type or say ('ecm 7kq4mx', 'ECM-7KQ-4MX'); None if impossible."""
    letters = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    if letters.startswith("ECM"):
        letters = letters[3:]
    if len(letters) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in letters):
        return None
    return "ECM-" + letters


def display(value: Optional[str], skipped_label: str = "skipped") -> str:
    if value is None:
        return "-"
    return skipped_label if value == SKIPPED else value


def review_answers(answers: Dict[str, Optional[str]], language: str) -> Dict[str, str]:
    """The review's a1, a2, ... in the member's language ("skipped", "-" when unanswered)."""
    skipped = SHEET.templates["skipped"].get(language, SHEET.templates["skipped"]["en"])
    return {
        ANSWER_KEY.format(n=i + 1): display(answers.get(q), skipped)
        for i, q in enumerate(QUESTIONS)
    }


def ordered(answers: Dict[str, Optional[str]]) -> Sequence[tuple]:
    return [(q, answers.get(q)) for q in QUESTIONS]
