"""SMS rules that do not depend on Twilio or Rasa: keywords and rendering.

Keywords follow the carriers' rules: the whole message, any case. Plain-language
opt-outs in English and Spanish count too. Replies are rendered for any phone:
buttons become a numbered list, curly quotes and dashes become plain, custom
payloads never show, each message stays within 1,600 characters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional, Sequence

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"

OPT_OUT_WORDS = {"stop", "stopall", "unsubscribe", "end", "quit", "cancel", "revoke", "optout"}
OPT_IN_WORDS = {"start", "yes", "unstop"}
HELP_WORDS = {"help", "info"}

_PLAIN_OPT_OUT = re.compile(
    r"^(?:please )?(?:stop|quit|no more) (?:texting|sending|messaging|txting|texts|messages)"
    r"(?: me)?(?: (?:texts|messages))?(?: please)?$"
    r"|^(?:please )?(?:dont|don t|do not) (?:text|message|txt) me(?: (?:again|anymore|any more))?(?: please)?$"
    r"|^(?:i want to )?(?:unsubscribe|opt out)(?: me)?(?: please)?$"
    r"|^alto$"
    r"|^(?:ya )?no me (?:manden|mande|envien|envie|escriban|escriba) (?:mas )?(?:mensajes|textos)(?: por favor)?$"
    r"|^(?:ya )?no quiero (?:mas )?(?:mensajes|textos)(?: por favor)?$"
    r"|^(?:dejen|deje) de (?:mandarme|enviarme) (?:mensajes|textos)(?: por favor)?$"
)

MAX_BODY = 1600
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def _fold(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces, only letters, digits and spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def keyword(body: Optional[str], opted_out: bool) -> Optional[str]:
    """OPT_OUT, OPT_IN or HELP when the whole message is such a keyword.

    YES only opts back in when the member is opted out (otherwise it is an answer).
    """
    folded = _fold(body or "")
    compact = folded.replace(" ", "")
    if compact in OPT_OUT_WORDS or _PLAIN_OPT_OUT.match(folded):
        return OPT_OUT
    if compact in OPT_IN_WORDS and (opted_out or compact != "yes"):
        return OPT_IN
    if compact in HELP_WORDS:
        return HELP
    return None


def choice_number(body: Optional[str], options: int) -> Optional[int]:
    """1-based option picked by a reply like "2", "2.", "#2" or " 2 ", if in range."""
    match = re.fullmatch(r"\s*#?\s*(\d{1,2})\s*[.)]?\s*", body or "")
    if not match:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= options else None


def plain(text: str) -> str:
    return (text or "").translate(_PLAIN)


def split_long(text: str, limit: int = MAX_BODY) -> List[str]:
    """Split at paragraph, line or sentence ends so no part exceeds `limit`."""
    parts: List[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
        parts.append(rest[: cut + (1 if rest[cut : cut + 1] == "." else 0)].strip())
        rest = rest[cut + 1 :].strip() if cut < limit else rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts


def render(messages: Sequence[Dict]) -> List[str]:
    """Rasa's bot messages as SMS bodies (buttons numbered; no payloads, no markup)."""
    bodies: List[str] = []
    for message in messages:
        text = plain(message.get("text") or "")
        buttons = message.get("buttons") or []
        if buttons:
            listing = "\n".join(
                f"{i}. {plain(b.get('title', ''))}" for i, b in enumerate(buttons, 1)
            )
            text = f"{text}\n{listing}" if text else listing
        custom = message.get("custom")
        if not text and isinstance(custom, dict) and custom.get("type") == "tel":
            # the web's tel: link; on SMS the number as text, unless it was just sent
            label = plain(str(custom.get("label") or ""))
            number = str(custom.get("number") or "")[-10:]
            digits_sent = re.sub(r"\D", "", bodies[-1]) if bodies else ""
            text = "" if number and number[:3] + number[3:] in digits_sent else label
        if text:
            bodies.extend(split_long(text))
    return bodies
