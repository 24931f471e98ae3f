"""SMS rules that do not depend on Twilio or Rasa: keywords and rendering.

Keywords follow the carriers' rules: the whole message, any case. Plain-language
opt-outs in English and Spanish count too. Replies are rendered for any phone:
buttons become a numbered list, curly quotes and dashes become plain, custom
payloads never show, each message stays within 1,600 characters. The keywords,
the plain-language opt-outs and the plain characters are content, in
bot/content/sms.yml, read on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Pattern, Sequence

from bot import content
from bot.text import fold

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"

MAX_BODY = 1600
CONTENT_PATH = Path(__file__).resolve().parent / "content" / "sms.yml"


@dataclass(frozen=True)
class WordLists:
    """bot/content/sms.yml, one field per top-level key (each key is read)."""

    opt_out: FrozenSet[str]
    opt_in: FrozenSet[str]
    opt_in_if_opted_out: FrozenSet[str]
    help: FrozenSet[str]
    plain_opt_out: Pattern[str]
    plain_characters: Dict[int, str]


@cache
def word_lists() -> WordLists:
    data = content.read_sections(CONTENT_PATH, WordLists)
    return WordLists(
        opt_out=frozenset(data["opt_out"]),
        opt_in=frozenset(data["opt_in"]),
        opt_in_if_opted_out=frozenset(data["opt_in_if_opted_out"]),
        help=frozenset(data["help"]),
        plain_opt_out=re.compile("|".join(data["plain_opt_out"]["patterns"])),
        plain_characters=str.maketrans(data["plain_characters"]),
    )


def keyword(body: Optional[str], opted_out: bool) -> Optional[str]:
    """OPT_OUT, OPT_IN or HELP when the whole message is such a keyword.

    YES (opt_in_if_opted_out) opts back in only when the member is opted out;
    otherwise it is an answer.
    """
    words = word_lists()
    folded = fold(body)
    compact = folded.replace(" ", "")
    if compact in words.opt_out or words.plain_opt_out.match(folded):
        return OPT_OUT
    if compact in words.opt_in or (opted_out and compact in words.opt_in_if_opted_out):
        return OPT_IN
    if compact in words.help:
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
    """`text` with curly quotes, dashes and the like as plain characters."""
    return (text or "").translate(word_lists().plain_characters)


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
