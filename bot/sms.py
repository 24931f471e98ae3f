"""SMS rules that do not depend on Twilio or Rasa: keywords and rendering.

Keywords follow the carriers' rules: the whole message, any case, in English and
Spanish (ALTO, PARAR, CANCELAR, BAJA; AYUDA gets the Spanish help). A keyword
with only polite words around it ("stop please", "alto por favor") or with a
typo ("stpo", "unsubscibe") counts too. Free-text requests to stop texts count
as opt-outs (bot/sms_consent.py); a message that may be one ("stop it") gets
the ask-once question, and the answer to it ("yes", or again "stop it") opts
out. Replies are rendered for any phone: buttons become a numbered list, curly
quotes and dashes become plain, custom payloads never show, each message stays
within 1,600 characters. The word lists, the question and the plain characters
are content, in bot/content/sms.yml, read on first use.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

from bot import content, sms_consent
from bot.safety.screen import screen
from bot.text import fold

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"
ASK_STOP = "ask_stop"  # not sure the member wants texts to stop: ask once
EN, ES = sms_consent.EN, sms_consent.ES

MAX_BODY = 1600
CONTENT_PATH = Path(__file__).resolve().parent / "content" / "sms.yml"


@dataclass(frozen=True)
class WordLists:
    """bot/content/sms.yml, one field per top-level key (each key is read)."""

    opt_out: FrozenSet[str]
    opt_out_es: FrozenSet[str]
    opt_in: FrozenSet[str]
    opt_in_if_opted_out: FrozenSet[str]
    help: FrozenSet[str]
    help_es: FrozenSet[str]
    free_text: Tuple[sms_consent.Rules, ...]
    politeness: FrozenSet[str]
    fillers: FrozenSet[str]
    program_words: FrozenSet[str]
    not_typos: FrozenSet[str]
    ask_stop: Dict[str, str]
    ask_yes: FrozenSet[str]
    plain_characters: Dict[int, str]


@cache
def word_lists() -> WordLists:
    data = content.read_sections(CONTENT_PATH, WordLists)
    return WordLists(
        opt_out=frozenset(data["opt_out"]),
        opt_out_es=frozenset(data["opt_out_es"]),
        opt_in=frozenset(data["opt_in"]),
        opt_in_if_opted_out=frozenset(data["opt_in_if_opted_out"]),
        help=frozenset(data["help"]),
        help_es=frozenset(data["help_es"]),
        free_text=tuple(
            sms_consent.rules_from(language, section)
            for language, section in data["free_text"].items()
        ),
        politeness=frozenset(data["politeness"]),
        fillers=frozenset(data["fillers"]),
        program_words=frozenset(data["program_words"]),
        not_typos=frozenset(data["not_typos"]),
        ask_stop=dict(data["ask_stop"]),
        ask_yes=frozenset(data["ask_yes"]),
        plain_characters=str.maketrans(data["plain_characters"]),
    )


@dataclass(frozen=True)
class Understood:
    """What an SMS asks of the channel: `kind` (OPT_OUT, OPT_IN, HELP, ASK_STOP or
    None for an ordinary message) and the language to answer in (None: the
    conversation's own)."""

    kind: Optional[str]
    language: Optional[str] = None


def _carrier_opt_out(tokens: List[str], words: WordLists) -> Optional[Understood]:
    """STOP, ALTO... alone, repeated, with a typo or with polite words around it."""
    keywords = words.opt_out | words.opt_out_es
    rest = [t for t in tokens if t not in words.politeness]
    if not rest:
        return None
    joined = "".join(rest)  # "opt out" -> "optout"
    found = [joined] if joined in keywords else [
        sms_consent.canonical(t, keywords, words.not_typos) for t in rest
    ]
    if all(w in keywords for w in found):
        spanish = any(w in words.opt_out_es for w in found)
        return Understood(OPT_OUT, ES if spanish else None)
    return None


def understand(body: Optional[str], opted_out: bool, asked: bool = False) -> Understood:
    """Read one SMS. `asked`: the last thing sent to this member was ask_stop.

    HELP and AYUDA always; a message the safety screen flags is an ordinary
    message (Rasa gives the safety reply); START (and YES when opted out) opt back in; after the
    question, a yes or another maybe-stop opts out; then carrier keywords, then
    free-text requests to stop texts, then messages that may be one (ASK_STOP).
    """
    words = word_lists()
    folded = fold(body)
    compact = folded.replace(" ", "")
    if compact in words.help:
        return Understood(HELP)
    if compact in words.help_es:
        return Understood(HELP, ES)
    if screen(body):  # "i want to end it": the safety reply, never a question about texts
        return Understood(None)
    if compact in words.opt_in or (opted_out and compact in words.opt_in_if_opted_out):
        return Understood(OPT_IN)
    carrier = _carrier_opt_out(folded.split(), words)
    if carrier:
        return carrier
    reading = sms_consent.read(
        body,
        words.free_text,
        words.program_words,
        words.fillers | words.politeness,
        words.not_typos,
    )
    if asked and (folded in words.ask_yes or (reading and reading.kind == sms_consent.UNSURE)):
        return Understood(OPT_OUT, reading.language if reading else None)
    if reading is None:
        return Understood(None)
    return Understood(OPT_OUT if reading.kind == sms_consent.OPT_OUT else ASK_STOP, reading.language)


def keyword(body: Optional[str], opted_out: bool) -> Optional[str]:
    """OPT_OUT, OPT_IN, HELP or ASK_STOP for `body` (see `understand`), else None.

    YES (opt_in_if_opted_out) opts back in only when the member is opted out;
    otherwise it is an answer.
    """
    return understand(body, opted_out).kind


def ask_stop_text(language: Optional[str]) -> str:
    """The ask-once question, in the member's language (English by default)."""
    questions = word_lists().ask_stop
    return questions.get(language or EN, questions[EN])


class RecentAsks:
    """Whom ask_stop was just sent to, by a log tag (never the number), for `ttl`
    seconds, in this process. Losing it (a restart, another process) only means
    the next maybe-stop is asked about again: the question itself says Reply STOP."""

    def __init__(
        self, ttl: float = 3600, size: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._asked: OrderedDict[str, float] = OrderedDict()

    def remember(self, tag: str) -> None:
        self._asked[tag] = self.clock()
        self._asked.move_to_end(tag)
        while len(self._asked) > self.size:
            self._asked.popitem(last=False)

    def take(self, tag: str) -> bool:
        """Whether `tag` was asked within `ttl`; forgets it (the question is asked once,
        and only the next message is read as its answer)."""
        when = self._asked.pop(tag, None)
        return when is not None and self.clock() - when <= self.ttl


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
