"""Which language a member writes in.

English and Spanish get the whole assistant; Health Net's other Medi-Cal
threshold languages get the flyer's tagline for language help. The decision
combines three kinds of evidence, each working offline on short texts:

1. the writing system (Chinese, Korean, Cyrillic, Armenian, Arabic script,
   Khmer...), which settles most threshold languages at once;
2. the words themselves: function words and letters that only one of English,
   Spanish, Vietnamese, Tagalog or Hmong uses (ñ, ¿, "quiero", "the", "koj"...);
3. lingua (lingua-language-detector), a well-kept statistical detector built for
   short texts, asked only about English versus Spanish (its low-accuracy mode:
   9 MB instead of 96 MB, and on our held-out sets no less accurate here, where it
   only breaks ties the words leave open).

A message too short or too ambiguous to tell ("ok", "no", "Dr. Lee") returns
None, so one ambiguous word never flips the conversation's language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

EN, ES = "en", "es"
FULL_LANGUAGES = (EN, ES)
# Threshold languages other than English and Spanish (plus the flyer's others).
OTHER_LANGUAGES = (
    "zh",
    "vi",
    "ko",
    "tl",
    "ru",
    "hy",
    "fa",
    "ar",
    "km",
    "hmn",
    "ja",
    "lo",
    "th",
    "hi",
    "pa",
    "uk",
)

_SCRIPTS = [
    ("ko", r"[\uac00-\ud7af\u1100-\u11ff]"),
    ("ja", r"[\u3040-\u30ff]"),
    ("zh", r"[\u4e00-\u9fff\u3400-\u4dbf]"),
    ("hy", r"[\u0530-\u058f]"),
    ("km", r"[\u1780-\u17ff]"),
    ("lo", r"[\u0e80-\u0eff]"),
    ("th", r"[\u0e00-\u0e7f]"),
    ("hi", r"[\u0900-\u097f]"),
    ("pa", r"[\u0a00-\u0a7f]"),
]
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_FARSI_LETTERS = re.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE
)
_SPANISH_MARKS = re.compile(r"[ñ¿¡]", re.IGNORECASE)

_WORDS = {
    ES: {
        "que",
        "qué",
        "como",
        "cómo",
        "para",
        "por",
        "tengo",
        "quiero",
        "necesito",
        "mi",
        "mis",
        "es",
        "el",
        "la",
        "los",
        "las",
        "una",
        "un",
        "hola",
        "gracias",
        "ayuda",
        "cuanto",
        "cuánto",
        "puedo",
        "usted",
        "ustedes",
        "esto",
        "eso",
        "con",
        "del",
        "se",
        "me",
        "yo",
        "cuesta",
        "doctor",
        "doctores",
        "si",
        "sí",
        "pero",
        "tambien",
        "también",
        "donde",
        "dónde",
        "cuando",
        "cuándo",
        "hay",
        "está",
        "esta",
        "estoy",
        "buenas",
        "buenos",
        "dias",
        "días",
        "programa",
        "ayudan",
        "pueden",
        "puede",
        "quien",
        "quién",
        "mamá",
        "mama",
        "hijo",
        "hija",
        "esposo",
        "esposa",
        "no",
        "sin",
        "ya",
        "muy",
        "más",
        "mas",
        "tiene",
        "tienen",
        "cita",
        "citas",
        "llamar",
        "hablar",
        "persona",
        "dinero",
        "gratis",
        "salud",
        "casa",
        "comida",
        "ayudar",
        "favor",
        "pq",
        "xq",
        "q",
        "k",
        "oiga",
        "oye",
        "bueno",
        "seguro",
        "medico",
        "médico",
        "ahora",
        "de",
        "en",
        "al",
        "lo",
        "le",
        "les",
        "su",
        "sus",
        "numero",
        "número",
        "telefono",
        "teléfono",
        "cual",
        "cuál",
        "necesita",
        "quiere",
        "ayúdeme",
        "ayudeme",
        "soy",
        "llamo",
        "pregunta",
        "hijos",
        "papa",
        "papá",
        "nada",
        "algo",
    },
    EN: {
        "the",
        "is",
        "my",
        "i",
        "what",
        "how",
        "can",
        "do",
        "you",
        "does",
        "need",
        "help",
        "for",
        "to",
        "and",
        "get",
        "it",
        "this",
        "that",
        "are",
        "have",
        "will",
        "with",
        "me",
        "of",
        "if",
        "who",
        "where",
        "when",
        "am",
        "im",
        "i'm",
        "want",
        "about",
        "doctor",
        "doctors",
        "cost",
        "free",
        "hi",
        "hello",
        "thanks",
        "thank",
        "please",
        "yes",
        "no",
        "program",
        "talk",
        "person",
        "ride",
        "rides",
        "food",
        "home",
        "mom",
        "son",
        "daughter",
        "husband",
        "wife",
        "your",
        "would",
        "could",
        "should",
        "be",
        "not",
        "dont",
        "don't",
        "a",
        "an",
        "in",
        "on",
        "at",
        "they",
        "them",
        "there",
    },
    "vi": {
        "tôi",
        "toi",
        "không",
        "khong",
        "của",
        "cua",
        "được",
        "duoc",
        "và",
        "là",
        "có",
        "co",
        "giúp",
        "giup",
        "xin",
        "chào",
        "chao",
        "bác",
        "sĩ",
        "cần",
        "can",
    },
    "tl": {
        "po",
        "ako",
        "ang",
        "ng",
        "mga",
        "kailangan",
        "tulong",
        "paano",
        "ba",
        "sa",
        "ko",
        "ninyo",
        "kayo",
        "salamat",
        "magkano",
        "ito",
        "anak",
        "nanay",
        "gusto",
        "makausap",
        "tagalog",
        "wala",
        "may",
        "hindi",
        "opo",
        "naman",
    },
    "hmn": {
        "koj",
        "kuv",
        "pab",
        "thov",
        "yog",
        "tsis",
        "muaj",
        "txog",
        "ntawv",
        "neeg",
        "hais",
        "lus",
        "hmoob",
        "nyob",
        "zoo",
        "ua",
        "tau",
        "li",
        "cas",
        "rau",
        "los",
    },
}
# Words shared by several languages say nothing on their own.
_AMBIGUOUS = {"no", "doctor", "si", "me", "a", "can", "co", "la", "program", "ok", "okay"}

_SWITCH = {
    ES: {
        "espanol",
        "en espanol",
        "spanish",
        "in spanish",
        "habla espanol",
        "hablan espanol",
        "quiero espanol",
        "espanol por favor",
        "spanish please",
        "cambiar a espanol",
        "castellano",
    },
    EN: {
        "english",
        "in english",
        "ingles",
        "en ingles",
        "english please",
        "speak english",
        "switch to english",
        "cambiar a ingles",
    },
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def switch_request(text: Optional[str]) -> Optional[str]:
    """EN or ES when the whole message asks for that language ("español", "english")."""
    folded = _fold(text or "")
    for language, phrases in _SWITCH.items():
        if folded in phrases:
            return language
    return None


def script_language(text: str) -> Optional[str]:
    for language, pattern in _SCRIPTS:
        if re.search(pattern, text):
            return language
    if _ARABIC.search(text):
        return "fa" if _FARSI_LETTERS.search(text) else "ar"
    if _CYRILLIC.search(text):
        return "uk" if _UKRAINIAN_LETTERS.search(text) else "ru"
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
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    if _VIETNAMESE_LETTERS.search(text) and len(words) >= 2:
        return "vi"
    counts = {
        lang: sum(1 for w in words if w in vocab and w not in _AMBIGUOUS)
        for lang, vocab in _WORDS.items()
    }
    for language in ("hmn", "tl"):
        if counts[language] >= 2 and counts[language] > max(counts[EN], counts[ES]):
            return language
    spanish_marks = bool(_SPANISH_MARKS.search(text)) or bool(re.search(r"[áéíóú]", text.lower()))
    if len(words) < 2 and not spanish_marks:
        single = words[0] if words else ""
        if single in {"hola", "gracias", "buenas", "oiga"}:
            return ES
        if single in {"hello", "thanks", "hi"}:
            return EN
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
