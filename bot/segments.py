"""The parts of a member's message: its sentences, and questions joined by "and",
so a question can be found inside a long message and two questions each answered.

Pure text rules, no Rasa: the intent classifier (bot/rasa/components/
intent_classifier.py) scores the whole message and each part. The question and
joining words are content, in bot/content/segments.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import FrozenSet, List

import yaml

from bot.text import fold

CONTENT_PATH = Path(__file__).resolve().parent / "content" / "segments.yml"
MAX_PARTS = 6
MIN_WORDS = 3
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+|\s+(?=[¿¡])|\s*[\n\r]+\s*")


@dataclass(frozen=True)
class Part:
    text: str
    is_question: bool


@dataclass(frozen=True)
class Words:
    """bot/content/segments.yml: every key is read here."""

    question_starts: FrozenSet[str]
    joiners: FrozenSet[str]
    abbreviations: FrozenSet[str]


@cache
def words() -> Words:
    data = yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))

    def folded(key: str) -> FrozenSet[str]:
        return frozenset(fold(w) for ws in data[key].values() for w in ws)

    return Words(
        folded("question_starts"),
        folded("joiners"),
        frozenset(w.lower() for ws in data["abbreviations"].values() for w in ws),
    )


def _starts_question(tokens: List[str]) -> bool:
    starts = words().question_starts
    while tokens and fold(tokens[0]) in words().joiners:  # "and can I ...", "y cuánto ..."
        tokens = tokens[1:]
    folded = [fold(t) for t in tokens[:2]]
    return bool(folded) and (folded[0] in starts or " ".join(folded) in starts)


def looks_like_question(text: str) -> bool:
    """Ends with "?" or starts with a question word ("can", "do", "cuánto", "puedo")."""
    return text.rstrip().endswith("?") or _starts_question(text.split())


def _sentences(text: str) -> List[str]:
    pieces: List[str] = []
    for chunk in _BOUNDARY.split(text):
        if not chunk.strip():
            continue
        if pieces and pieces[-1].split()[-1].lower() in words().abbreviations:
            pieces[-1] = f"{pieces[-1]} {chunk}"  # "Dr. Lee" is one sentence
        else:
            pieces.append(chunk.strip())
    return pieces


def _joined_questions(sentence: str) -> List[str]:
    """'is it free and can I keep my doctor' -> two parts; 'food and rides' stays one."""
    tokens = sentence.split()
    cuts = [
        i
        for i in range(1, len(tokens) - 1)
        if fold(tokens[i]) in words().joiners and _starts_question(tokens[i + 1 :])
    ]
    bounds = [0, *cuts, len(tokens)]
    return [" ".join(tokens[a:b]) for a, b in pairwise(bounds) if a < b]


def parts(text: str) -> List[Part]:
    """The message's parts in order (one part when it has no others). A part of
    fewer than three words joins the next one; at most six parts."""
    pieces = [p for sentence in _sentences(text or "") for p in _joined_questions(sentence)]
    merged: List[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip()
        if len(piece.split()) < MIN_WORDS and not piece.endswith("?"):
            carry = piece
            continue
        carry = ""
        merged.append(piece)
    if carry:
        merged[-1:] = [f"{merged[-1]} {carry}" if merged else carry]
    if len(merged) > MAX_PARTS:
        merged = merged[: MAX_PARTS - 1] + [" ".join(merged[MAX_PARTS - 1 :])]
    return [Part(p, looks_like_question(p)) for p in merged]
