"""The member worksheet: its five questions, what members say to steer it, codes.

Pure logic, no Rasa and no database: the actions in actions/worksheet.py call
it, bot/store/worksheets.py saves what it produces.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Dict, List, Optional, Sequence

# The flyer's five questions, in its order (slot names in domain.yml).
QUESTIONS: List[str] = [
    "ws_doctors",
    "ws_unseen_needs",
    "ws_community_orgs",
    "ws_other_support",
    "ws_questions",
]
SKIPPED = "__skipped__"
MAX_ANSWER_CHARS = 1000

# Short labels for the review and the "which answer?" buttons.
LABELS: Dict[str, Dict[str, str]] = {
    "en": {
        "ws_doctors": "Your doctors",
        "ws_unseen_needs": "Needs not seen by a doctor",
        "ws_community_orgs": "Groups you go to",
        "ws_other_support": "Other help you need",
        "ws_questions": "Your questions",
    },
    "es": {
        "ws_doctors": "Sus doctores",
        "ws_unseen_needs": "Necesidades sin ver al doctor",
        "ws_community_orgs": "Grupos a los que va",
        "ws_other_support": "Otra ayuda que necesita",
        "ws_questions": "Sus preguntas",
    },
}

SKIP = "skip"
BACK = "back"
STOP = "stop"

_CONTROL_WORDS = {
    SKIP: [
        "skip",
        "skip it",
        "skip this",
        "skip this one",
        "skip question",
        "next",
        "pass",
        "none",
        "nothing",
        "no",
        "nope",
        "n/a",
        "na",
        "i don't know",
        "i dont know",
        "idk",
        "dont know",
        "not sure",
        "no idea",
        "rather not say",
        "prefer not to say",
        "saltar",
        "salta",
        "siguiente",
        "paso",
        "ninguno",
        "ninguna",
        "nada",
        "no se",
        "no sé",
        "nose",
        "no lo se",
        "prefiero no decir",
    ],
    BACK: [
        "back",
        "go back",
        "previous",
        "previous question",
        "last question",
        "change my last answer",
        "change last answer",
        "change that",
        "undo",
        "atras",
        "atrás",
        "regresar",
        "volver",
        "anterior",
        "pregunta anterior",
        "cambiar mi respuesta",
        "cambiar la anterior",
    ],
    STOP: [
        "stop",
        "cancel",
        "quit",
        "exit",
        "end",
        "stop this",
        "stop the worksheet",
        "cancel this",
        "never mind",
        "nevermind",
        "forget it",
        "i want to stop",
        "done",
        "i'm done",
        "im done",
        "that's all",
        "thats all",
        "parar",
        "para",
        "cancelar",
        "salir",
        "terminar",
        "ya no",
        "olvidalo",
        "olvídalo",
        "basta",
        "ya termine",
        "ya terminé",
        "listo",
        "ya estuvo",
    ],
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("\u2019", "'")
    return re.sub(r"[\s.!?,;:]+", " ", plain).strip()


_CONTROL = {kind: {_fold(word) for word in words} for kind, words in _CONTROL_WORDS.items()}


def control(text: Optional[str]) -> Optional[str]:
    """SKIP, BACK or STOP when the whole message is one of those commands."""
    folded = _fold(text or "")
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
        or bool(_QUESTION_START.match(_fold(stripped)))
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


def ordered(answers: Dict[str, Optional[str]]) -> Sequence[tuple]:
    return [(q, answers.get(q)) for q in QUESTIONS]
