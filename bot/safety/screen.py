"""The safety screen: emergencies and crisis, found before any intent is guessed.

Every message, in English or Spanish, in the middle of any flow, is read by
`screen()` before the NLU model's answer counts. A match overrides the intent
with full confidence. Misses are the worst failure the assistant can have and
false alarms are cheap, so the patterns lean towards matching. The patterns are
content, in bot/content/safety/ (en.yml, es.yml), read by `patterns.py`.

Kinds, in order of precedence:
- crisis: thoughts of suicide or self-harm (reply: call or text 988, 911 if in danger now)
- emergency: danger to life or body right now (reply: call 911)
- urgent_need: no food or no place to sleep today (reply: 211)
"""

from __future__ import annotations

from typing import Optional

from bot.safety import patterns
from bot.text import fold

CRISIS = "crisis"
EMERGENCY = "emergency"
URGENT_NEED = "urgent_need"
KINDS = (CRISIS, EMERGENCY, URGENT_NEED)

# Straight and curly apostrophes and the backtick join what they separate: "don't" -> "dont".
_APOSTROPHES = "'\u2019\u2018`"


def normalize(text: str) -> str:
    """Lowercase, strip accents and apostrophes, turn punctuation into spaces, squeeze
    stretched letters ("hellllp" -> "hellp"), and pad with one space at each end."""
    return f" {fold(text, drop=_APOSTROPHES, squeeze_repeats=True)} "


def screen(text: Optional[str]) -> Optional[str]:
    """The kind of danger `text` speaks of, or None."""
    if not text or text.startswith("/"):
        return None
    normalized = normalize(text)
    for kind, pattern in patterns.compiled(KINDS):
        if pattern.search(normalized):
            return kind
    return None
