"""How the intent classifier reads a message of several parts (bot/segments.py):
which part asks the question, whether two parts ask two topics, and the safety
verdict of the whole and of its likeliest part. Pure functions over the model's
classes and probability rows."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

SAFETY_KINDS = ("crisis", "emergency", "urgent_need")
LOOKALIKE = "safety_lookalike"
OUT_OF_SCOPE = "out_of_scope"
NOT_A_QUESTION = {"greet", "goodbye", "thank", "affirm", "deny", "out_of_scope", LOOKALIKE}


def is_topic(intent: str) -> bool:
    """An intent with a scripted answer to a question (ask_*, or a person)."""
    return intent.startswith("ask_") or intent == "request_human"


def best_question(classes: List[str], by_part: Any, candidates: Sequence[int]) -> Optional[int]:
    """The part that most clearly asks something answerable."""
    best, best_confidence = None, 0.0
    for i in candidates:
        top = int(by_part[i].argmax())
        if classes[top] not in NOT_A_QUESTION and by_part[i][top] > best_confidence:
            best, best_confidence = i, float(by_part[i][top])
    return best


def two_topics(
    classes: List[str], by_part: Any, questions: Sequence[int], min_confidence: float
) -> List[Tuple[str, float]]:
    """Two different topics, each asked by its own question part, both clearly."""
    found: List[Tuple[str, float]] = []
    for i in questions:
        top = int(by_part[i].argmax())
        name, confidence = classes[top], float(by_part[i][top])
        if is_topic(name) and confidence >= min_confidence and name not in (n for n, _ in found):
            found.append((name, confidence))
    return found[:2] if len(found) >= 2 else []


def safety_verdict(
    classes: List[str], rows: Any, safety: Sequence[float], part_words: Sequence[int]
) -> Dict[str, Any]:
    """The safety model's probability for the whole message and for its likeliest
    part (parts of fewer than four words are too short to judge), each with the
    safety kind the intent model rates highest for that text."""
    indexes = [classes.index(k) for k in SAFETY_KINDS if k in classes]
    verdict: Dict[str, Any] = {"kind": None, "probability": 0.0}
    verdict["part_kind"], verdict["part_probability"] = None, 0.0
    for row_number, row in enumerate(rows):
        if row_number and part_words[row_number - 1] < 4:
            continue
        prefix = "part_" if row_number else ""
        if indexes and safety[row_number] > verdict[f"{prefix}probability"]:
            verdict[f"{prefix}kind"] = classes[max(indexes, key=lambda i: row[i])]
            verdict[f"{prefix}probability"] = safety[row_number]
    return verdict


def decline_when_doubtful(
    ranking: List[Dict[str, Any]], below: float, ratio: float
) -> List[Dict[str, Any]]:
    """An unsure topic answer gives way to out_of_scope when "not about ECM" is at
    least `ratio` as likely: a wrong ECM script is worse than saying what the
    assistant can help with."""
    if not ranking or not is_topic(ranking[0]["name"]) or ranking[0]["confidence"] >= below:
        return ranking
    for index, item in enumerate(ranking):
        if item["name"] == OUT_OF_SCOPE and item["confidence"] >= ratio * ranking[0]["confidence"]:
            return [item] + ranking[:index] + ranking[index + 1 :]
    return ranking
