"""bot/language.py: which language a member writes in, without the running assistant
(tests/server/test_language.py has the same through the server)."""

import pytest

from bot import language


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cuanto cuesta el programa ECM?", "es"),  # Spanish words, no accents
        ("mi mamá necesita ayuda", "es"),  # an accented vowel is a Spanish mark
        ("¿Qué?", "es"),  # one word, but with Spanish marks
        ("hola", "es"),  # a one-word greeting settles it
        ("gracias", "es"),
        ("what does it cost", "en"),  # English words
        ("can i keep my doctor", "en"),  # "can" and "doctor" are ambiguous; the rest is not
        ("hi", "en"),  # a one-word greeting settles it
        ("kuv xav tau kev pab", "hmn"),  # Hmong by its words alone
        ("kailangan ko po ng tulong", "tl"),  # Tagalog by its words alone
        ("tôi cần giúp đỡ", "vi"),  # letters only Vietnamese uses
        ("toi can giup", None),  # Vietnamese without its letters: not told by words
        ("Мне нужна помощь", "ru"),  # writing system settles it
        ("ok", None),  # one ambiguous word never flips the conversation
        ("no", None),  # shared by English and Spanish
        ("Dr. Lee", None),  # a name says nothing
        ("me", None),  # ambiguous even though both word lists have it
        ("/greet", None),  # a button payload is not a message
        ("", None),
        (None, None),
    ],
)
def test_detect(text, expected):
    assert language.detect(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("español", "es"),  # accents folded before comparing
        ("ESPAÑOL POR FAVOR!", "es"),  # case and punctuation folded too
        ("in spanish", "es"),  # asked in English
        ("castellano", "es"),
        ("english", "en"),
        ("en inglés", "en"),  # asked in Spanish
        ("speak english", "en"),
        ("i speak english and spanish", None),  # only the whole message counts
        ("hola", None),  # writing Spanish is not asking for it (detect() handles that)
        ("", None),
        (None, None),
    ],
)
def test_switch_request(text, expected):
    assert language.switch_request(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("도움이 필요합니다", "ko"),  # Hangul
        ("日本語を話します", "ja"),  # kana, although Chinese characters too: Japanese wins
        ("我需要帮助", "zh"),  # Chinese characters alone
        ("Ինձ օգնություն է պետք", "hy"),  # Armenian
        ("ខ្ញុំត្រូវការជំនួយ", "km"),  # Khmer
        ("ต้องการความช่วยเหลือ", "th"),  # Thai
        ("ຕ້ອງການຄວາມຊ່ວຍເຫຼືອ", "lo"),  # Lao
        ("मुझे मदद चाहिए", "hi"),  # Devanagari
        ("ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", "pa"),  # Gurmukhi
        ("من به کمک نیاز دارم", "fa"),  # Arabic script with letters only Farsi adds
        ("أحتاج إلى مساعدة", "ar"),  # Arabic script without them
        ("Мені потрібна допомога", "uk"),  # Cyrillic with letters only Ukrainian uses
        ("Мне нужна помощь", "ru"),  # Cyrillic without them
        ("I need help", None),  # Latin letters settle nothing
        ("Necesito ayuda ñ", None),  # not even Spanish ones
    ],
)
def test_script_language(text, expected):
    assert language.script_language(text) == expected
