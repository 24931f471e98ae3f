"""The worksheet form: validation, review, save or discard, change an answer.

Thin adapters: the rules of the worksheet are in bot/worksheet.py (its questions
in bot/content/worksheet.yml), saving in bot/store/worksheets.py. Every branch
sends a domain response by key.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Callable, Dict, FrozenSet, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_topics import asked_topics, utter_answer
from bot import content, worksheet
from bot.store import worksheets

FORM = "worksheet_form"
STEP = "worksheet_step"
STOPPED = "worksheet_stopped"
CODE = "worksheet_code"
CHANGE_TARGET = "ws_change_target"
FAQ_CONFIDENCE = 0.5


@cache
def answerable_mid_worksheet() -> FrozenSet[str]:
    """Intents answered in the middle of the worksheet: every topic the assistant offers
    (bot/content/topics.yml) but starting the worksheet, and the medical-advice refusal."""
    topics = frozenset(content.topic_titles()) - {"start_worksheet"}
    return topics | {"ask_medical_advice", "two_questions"}


def answers_from(tracker: Tracker) -> Dict[str, Optional[str]]:
    return {q: tracker.get_slot(q) for q in worksheet.QUESTIONS}


def language_of(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "en"


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def last_user_metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def reset_events() -> List[Dict[str, Any]]:
    """Forget the answers and the worksheet's state (not the saved code)."""
    return [SlotSet(q, None) for q in worksheet.QUESTIONS] + [
        SlotSet(STEP, None),
        SlotSet(STOPPED, None),
        SlotSet(CHANGE_TARGET, None),
    ]


def _validator(slot: str) -> Callable[..., Dict[str, Any]]:
    def validate(
        self: ValidateWorksheetForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return self._validate(slot, value, dispatcher, tracker)

    validate.__name__ = validate.__qualname__ = f"validate_{slot}"
    return validate


def one_validator_per_question(cls: type) -> type:
    """rasa-sdk calls `validate_<slot>` for each slot it validates: give the form one
    per question of bot/worksheet.QUESTIONS, all with the same rules (`_validate`).
    A name taken already would silently replace a method, so it is refused."""
    for slot in worksheet.QUESTIONS:
        if hasattr(cls, f"validate_{slot}"):
            raise TypeError(f"question slot {slot!r} clashes with {cls.__name__}")
        setattr(cls, f"validate_{slot}", _validator(slot))
    return cls


@one_validator_per_question
class ValidateWorksheetForm(FormValidationAction):
    def name(self) -> str:
        return "validate_worksheet_form"

    def domain_slots(self, domain: DomainDict) -> List[str]:
        # Rasa does not send this action the domain (send_domain: false in
        # domain.yml); the form's questions are these, a test keeps them equal.
        return list(worksheet.QUESTIONS)

    def _validate(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        if value is None or tracker.get_slot("requested_slot") != slot:
            # Not an answer to this question (a reset, or a slot set by another step):
            # rasa-sdk validates every slot set since the member's last message.
            return {slot: value}
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        confidence = (latest.get("intent") or {}).get("confidence") or 0.0
        text = latest.get("text") or ""

        if intent == "empty_message":
            dispatcher.utter_message(response="utter_empty_message")
            return {slot: None}
        if intent == "message_too_long":
            capped = last_user_metadata(tracker).get("capped_text")
            if not capped:
                dispatcher.utter_message(response="utter_message_too_long")
                return {slot: None}
            dispatcher.utter_message(
                response="utter_worksheet_capped", max_chars=worksheet.MAX_ANSWER_CHARS
            )
            return {slot: worksheet.cap(capped)}

        if intent == "set_language":  # "español" mid-form: switch, then ask again
            dispatcher.utter_message(response="utter_language_set")
            return {slot: None}

        command = worksheet.control(text)
        if command == worksheet.SKIP:
            return {slot: worksheet.SKIPPED}
        if command == worksheet.BACK:
            previous = worksheet.previous_question(slot, answers_from(tracker))
            if previous is None:
                dispatcher.utter_message(response="utter_worksheet_no_previous")
                return {slot: None}
            return {slot: None, previous: None}
        if command == worksheet.STOP:
            return {slot: None, STOPPED: True, "requested_slot": None}

        if not worksheet.has_words(text):
            dispatcher.utter_message(response="utter_worksheet_no_words")
            return {slot: None}

        # A question about ECM in the middle: answer it, then ask the same question
        # again. A question that asks for the member's questions keeps them.
        if (
            slot not in worksheet.KEEPS_QUESTIONS
            and intent
            and intent in answerable_mid_worksheet()
            and confidence >= FAQ_CONFIDENCE
            and worksheet.looks_like_question(text)
        ):
            for topic in (
                asked_topics(tracker.latest_message) if intent == "two_questions" else [intent]
            ):
                utter_answer(dispatcher, topic)
            return {slot: None}
        return {slot: worksheet.cap(text)}


class ActionWorksheetStart(Action):
    def name(self) -> str:
        return "action_worksheet_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_worksheet_privacy")
        return reset_events()


class ActionWorksheetReview(Action):
    """After the form: show the review, or after "stop" ask whether to keep."""

    def name(self) -> str:
        return "action_worksheet_review"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        answers = answers_from(tracker)
        counts = worksheet.summary(answers)
        if tracker.get_slot(STOPPED):
            if not counts["answered"] and not counts["skipped"]:
                dispatcher.utter_message(response="utter_worksheet_discarded")
                return reset_events()  # worksheet_step stays empty
            dispatcher.utter_message(response="utter_worksheet_ask_keep")
            return [SlotSet(STEP, "keep_or_discard")]
        dispatcher.utter_message(
            response="utter_worksheet_review",
            answered=len(counts["answered"]),
            skipped=len(counts["skipped"]),
            **worksheet.review_answers(answers, language_of(tracker)),
        )
        dispatcher.utter_message(response="utter_worksheet_confirm")
        return [SlotSet(STEP, "review")]


class ActionSubmitWorksheet(Action):
    def name(self) -> str:
        return "action_submit_worksheet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        try:
            code = worksheets.save(
                tracker.sender_id,
                channel_of(tracker),
                language_of(tracker),
                answers_from(tracker),
                handoff=True,
            )
        except worksheets.SaveFailed:
            # Nothing is lost: the answers stay in the conversation, "yes" tries again.
            dispatcher.utter_message(response="utter_worksheet_save_failed")
            return [SlotSet(STEP, tracker.get_slot(STEP))]
        dispatcher.utter_message(response="utter_worksheet_saved", code=code)
        return reset_events() + [SlotSet(CODE, code)]


class ActionDiscardWorksheet(Action):
    def name(self) -> str:
        return "action_discard_worksheet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_worksheet_discarded")
        return reset_events()


class ActionWorksheetChooseChange(Action):
    def name(self) -> str:
        return "action_worksheet_choose_change"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        labels = worksheet.LABELS.get(language_of(tracker), worksheet.LABELS["en"])
        buttons = [
            {
                "title": f"{i + 1}. {labels[q]}",
                "payload": f'/worksheet_change{{"{CHANGE_TARGET}": "{q}"}}',
            }
            for i, q in enumerate(worksheet.QUESTIONS)
        ]
        dispatcher.utter_message(response="utter_worksheet_choose_change", buttons=buttons)
        return [SlotSet(STEP, "choose_change"), SlotSet(CHANGE_TARGET, None)]


class ActionWorksheetReopen(Action):
    """Clear the chosen answer; the rule then runs the form, which asks it again."""

    def name(self) -> str:
        return "action_worksheet_reopen"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        target = tracker.get_slot(CHANGE_TARGET)
        if target not in worksheet.QUESTIONS:
            return ActionWorksheetChooseChange().run(dispatcher, tracker, domain)
        return [SlotSet(target, None), SlotSet(STEP, None), SlotSet(CHANGE_TARGET, None)]
