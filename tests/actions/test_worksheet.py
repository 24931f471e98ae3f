import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import worksheet as ws
from actions.handoff import ActionHandoff
from bot import worksheet
from bot.settings import ROOT
from bot.store import worksheets
from tests.conftest import make_tracker

FULL = {
    "ws_doctors": "Dr. Lee",
    "ws_unseen_needs": worksheet.SKIPPED,
    "ws_community_orgs": "senior center",
    "ws_other_support": "rides",
    "ws_questions": "when can I start?",
}


def validate(slot, text, intent="affirm", confidence=0.9, slots=None, events=None):
    tracker = make_tracker(
        slots=slots or {},
        text=text,
        intent=intent,
        confidence=confidence,
        active_loop="worksheet_form",
        requested_slot=slot,
        events=events,
    )
    dispatcher = CollectingDispatcher()
    result = ws.ValidateWorksheetForm()._validate(slot, text, dispatcher, tracker)
    return result, [m.get("response") for m in dispatcher.messages]


def run(action, **tracker_args):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(**tracker_args), {})
    return events, dispatcher.messages


class TestValidate:
    def test_slots_reset_by_another_step_are_left_alone(self):
        # Regression: the reset at the start used to fill every question with the
        # message that started the worksheet.
        tracker = make_tracker(
            text="help me get ready",
            intent="start_worksheet",
            active_loop="worksheet_form",
            requested_slot=None,
        )
        dispatcher = CollectingDispatcher()
        result = ws.ValidateWorksheetForm()._validate("ws_questions", None, dispatcher, tracker)
        assert result == {"ws_questions": None} and dispatcher.messages == []

    def test_a_plain_answer_is_kept(self):
        assert validate("ws_doctors", "Dr. Lee at the clinic") == (
            {"ws_doctors": "Dr. Lee at the clinic"},
            [],
        )

    def test_an_answer_that_the_model_reads_as_a_topic_is_still_an_answer(self):
        # "food and rides" is ask_community_services to the model, but it answers question 4
        assert validate(
            "ws_other_support", "food and rides", intent="ask_community_services", confidence=0.95
        ) == ({"ws_other_support": "food and rides"}, [])

    @pytest.mark.parametrize("text", ["skip", "I don't know", "none", "no"])
    def test_skip(self, text):
        assert validate("ws_unseen_needs", text) == ({"ws_unseen_needs": worksheet.SKIPPED}, [])

    def test_back_reopens_the_previous_question(self):
        result, said = validate(
            "ws_community_orgs",
            "go back",
            slots={"ws_doctors": "Dr. Lee", "ws_unseen_needs": "knee"},
        )
        assert result == {"ws_community_orgs": None, "ws_unseen_needs": None} and said == []

    def test_back_on_the_first_question(self):
        assert validate("ws_doctors", "back") == (
            {"ws_doctors": None},
            ["utter_worksheet_no_previous"],
        )

    def test_stop_ends_the_form_and_marks_it_stopped(self):
        assert validate("ws_unseen_needs", "stop")[0] == {
            "ws_unseen_needs": None,
            "worksheet_stopped": True,
            "requested_slot": None,
        }

    def test_an_ecm_question_is_answered_then_the_same_question_is_asked_again(self):
        result, said = validate("ws_doctors", "does it cost money?", intent="ask_cost")
        assert result == {"ws_doctors": None} and said == ["utter_ask_cost"]

    def test_a_complaint_question_gets_both_parts(self):
        _, said = validate("ws_doctors", "how do i file a complaint?", intent="ask_complaint")
        assert said == ["utter_ask_complaint", "utter_ask_complaint_more"]

    def test_asking_for_a_person_mid_form_gets_the_line(self):
        _, said = validate("ws_doctors", "can i talk to a person?", intent="request_human")
        assert said == ["utter_handoff"]

    def test_the_last_question_keeps_questions_as_the_answer(self):
        assert validate("ws_questions", "does it cost money?", intent="ask_cost") == (
            {"ws_questions": "does it cost money?"},
            [],
        )

    def test_an_unsure_guess_is_an_answer(self):
        assert validate(
            "ws_doctors", "what about dr lee", intent="ask_what_is_ecm", confidence=0.3
        )[0] == {"ws_doctors": "what about dr lee"}

    def test_empty(self):
        assert validate("ws_doctors", "/empty_message", intent="empty_message") == (
            {"ws_doctors": None},
            ["utter_empty_message"],
        )

    def test_emoji_only(self):
        assert validate("ws_doctors", "🙂🙂") == (
            {"ws_doctors": None},
            ["utter_worksheet_no_words"],
        )

    def test_too_long_is_capped_and_said(self):
        long_text = "a" * 5000
        events = [
            {
                "event": "user",
                "text": "/message_too_long",
                "metadata": {"capped_text": long_text[:1000]},
            }
        ]
        result, said = validate(
            "ws_doctors", "/message_too_long", intent="message_too_long", events=events
        )
        assert result == {"ws_doctors": "a" * worksheet.MAX_ANSWER_CHARS}
        assert said == ["utter_worksheet_capped"]

    @pytest.mark.parametrize("slot", worksheet.QUESTIONS)
    async def test_rasa_sdk_finds_each_question_s_validator(self, slot):
        # the validators are made from QUESTIONS: rasa-sdk must call each by its
        # slot's name and get that slot's answer back (a lost one is only a warning)
        tracker = make_tracker(
            text="Dr. Lee",
            intent="affirm",
            active_loop="worksheet_form",
            requested_slot=slot,
            events=[
                {"event": "user", "text": "Dr. Lee"},
                {"event": "slot", "name": slot, "value": "Dr. Lee"},
            ],
        )
        form = ws.ValidateWorksheetForm()
        events = await form.get_validation_events(CollectingDispatcher(), tracker, {})
        assert events == [SlotSet(slot, "Dr. Lee")]
        assert getattr(form, f"validate_{slot}").__name__ == f"validate_{slot}"

    def test_too_long_without_the_text(self):
        assert validate("ws_doctors", "/message_too_long", intent="message_too_long") == (
            {"ws_doctors": None},
            ["utter_message_too_long"],
        )


def test_start_clears_an_old_worksheet():
    events, messages = run(ws.ActionWorksheetStart(), slots=FULL)
    assert [m["response"] for m in messages] == ["utter_worksheet_privacy"]
    assert SlotSet("ws_doctors", None) in events and SlotSet("worksheet_step", None) in events


def test_review_shows_answers_and_asks_to_confirm():
    events, messages = run(ws.ActionWorksheetReview(), slots=FULL)
    assert [m["response"] for m in messages] == [
        "utter_worksheet_review",
        "utter_worksheet_confirm",
    ]
    review = messages[0]
    assert review["a1"] == "Dr. Lee" and review["a2"] == "skipped"
    assert review["answered"] == 4 and review["skipped"] == 1
    assert events == [SlotSet("worksheet_step", "review")]


def test_review_after_stop_asks_whether_to_keep():
    events, messages = run(
        ws.ActionWorksheetReview(), slots={"ws_doctors": "Dr. Lee", "worksheet_stopped": True}
    )
    assert [m["response"] for m in messages] == ["utter_worksheet_ask_keep"]
    assert events == [SlotSet("worksheet_step", "keep_or_discard")]


def test_stop_before_any_answer_keeps_nothing():
    events, messages = run(ws.ActionWorksheetReview(), slots={"worksheet_stopped": True})
    assert [m["response"] for m in messages] == ["utter_worksheet_discarded"]
    assert SlotSet("worksheet_stopped", None) in events


def test_submit_saves_encrypted_records_the_handoff_and_gives_the_code(
    database_url, encryption_key
):
    events, messages = run(ws.ActionSubmitWorksheet(), slots=FULL, sender_id="rest:s1")
    assert [m["response"] for m in messages] == ["utter_worksheet_saved"]
    code = messages[0]["code"]
    assert SlotSet("worksheet_code", code) in events and SlotSet("ws_doctors", None) in events
    saved = worksheets.load(code)
    assert saved.answers == FULL and saved.complete
    assert [h.sender_id for h in worksheets.handoffs_for(code)] == ["rest:s1"]


def test_submit_with_the_database_down_loses_nothing(encryption_key, tmp_path):
    from bot import store

    store.configure(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    try:
        events, messages = run(ws.ActionSubmitWorksheet(), slots=FULL)
    finally:
        store.get_engine().dispose()
    assert [m["response"] for m in messages] == ["utter_worksheet_save_failed"]
    # the answers stay in the conversation and the step stays: "yes" tries again
    assert events == [SlotSet("worksheet_step", None)]


def test_discard():
    events, messages = run(ws.ActionDiscardWorksheet(), slots=FULL)
    assert [m["response"] for m in messages] == ["utter_worksheet_discarded"]
    assert SlotSet("ws_doctors", None) in events


def test_choose_change_offers_the_five_questions():
    events, messages = run(ws.ActionWorksheetChooseChange(), slots=FULL)
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/worksheet_change{{"ws_change_target": "{q}"}}' for q in worksheet.QUESTIONS
    ]
    assert SlotSet("worksheet_step", "choose_change") in events


def test_reopen_clears_only_the_chosen_answer():
    events, _ = run(
        ws.ActionWorksheetReopen(), slots={**FULL, "ws_change_target": "ws_community_orgs"}
    )
    assert events == [
        SlotSet("ws_community_orgs", None),
        SlotSet("worksheet_step", None),
        SlotSet("ws_change_target", None),
    ]


def test_reopen_without_a_valid_choice_asks_again():
    events, messages = run(ws.ActionWorksheetReopen(), slots={"ws_change_target": "password"})
    assert [m["response"] for m in messages] == ["utter_worksheet_choose_change"]


def test_handoff_with_and_without_a_code(database_url):
    _, messages = run(ActionHandoff(), sender_id="rest:h1")
    assert [m["response"] for m in messages] == ["utter_handoff"]
    _, messages = run(ActionHandoff(), slots={"worksheet_code": "ECM-555555"}, sender_id="rest:h1")
    assert messages[0]["response"] == "utter_handoff_with_code"
    assert messages[0]["code"] == "ECM-555555"
    assert len(worksheets.handoffs_for("ECM-555555")) == 1


def test_every_action_is_registered_once_and_every_validator_matches_a_slot():
    # rasa-sdk keeps the last of two same-named actions and skips a misspelt validate_<slot>.
    from rasa_sdk import Action

    import actions.clarify
    import actions.handoff
    import actions.language
    import actions.safety  # noqa: F401

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    ours = [c for c in all_subclasses(Action) if c.__module__.startswith("actions.")]
    names = [c().name() for c in ours]
    assert len(names) == len(set(names))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    listed = [a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]]
    assert set(names) == set(listed)
    # the validator is not sent the domain: it takes its slots from QUESTIONS
    assert domain["forms"]["worksheet_form"]["required_slots"] == ws.worksheet.QUESTIONS
    assert ws.ValidateWorksheetForm().domain_slots({}) == ws.worksheet.QUESTIONS
    form_slots = set(domain["forms"]["worksheet_form"]["required_slots"])
    validators = {
        m[len("validate_") :]
        for m in dir(ws.ValidateWorksheetForm)
        if m.startswith("validate_") and m != "validate_worksheet_form"
    }
    assert validators == form_slots


def test_only_topics_and_the_medical_refusal_are_answered_mid_worksheet():
    # derived from bot/content/topics.yml: a new FAQ topic is answered mid-form by itself
    from actions.worksheet import answerable_mid_worksheet

    answerable = answerable_mid_worksheet()
    assert {"ask_cost", "ask_contact", "request_human", "ask_medical_advice"} <= answerable
    assert not answerable & {"start_worksheet", "greet", "out_of_scope", "crisis", "deny"}
