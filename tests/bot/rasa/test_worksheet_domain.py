"""bot/rasa/worksheet_domain.py: domain.yml's worksheet part, written from bot/content/worksheet.yml."""

import dataclasses

import pytest
import yaml

from bot import worksheet
from bot.rasa import worksheet_domain

DOMAIN_TEXT = worksheet_domain.DOMAIN_PATH.read_text(encoding="utf-8")


def test_domain_yml_is_what_the_worksheet_content_makes():
    assert worksheet_domain.render(DOMAIN_TEXT) == DOMAIN_TEXT, (
        "domain.yml's worksheet part is out of date with bot/content/worksheet.yml: "
        f"run `{worksheet_domain.COMMAND}` (then `make train`)"
    )


def test_the_generated_domain_is_today_s_five_questions():
    # no behaviour change: what Rasa reads is what the hand-written domain said
    domain = yaml.safe_load(DOMAIN_TEXT)
    assert domain["forms"]["worksheet_form"]["required_slots"] == worksheet.QUESTIONS
    assert domain["slots"]["ws_unseen_needs"]["mappings"] == [
        {
            "type": "from_text",
            "not_intent": ["crisis", "emergency", "urgent_need"],
            "conditions": [{"active_loop": "worksheet_form", "requested_slot": "ws_unseen_needs"}],
        }
    ]
    ask = domain["responses"]["utter_ask_ws_questions"]
    assert [v["text"] for v in ask] == [
        "Question 5 of 5: What questions do you have about ECM?",
        "Pregunta 5 de 5: ¿Qué preguntas tiene sobre ECM?",
    ]
    review = [v["text"] for v in domain["responses"]["utter_worksheet_review"]]
    assert "You answered {answered} of 5 questions" in review[0]
    assert review[1].endswith("\n4. Other help you need: {a4}\n5. Your questions: {a5}")
    assert "Le voy a hacer 5 preguntas" in domain["responses"]["utter_worksheet_privacy"][2]["text"]


def _with_a_sixth_question():
    sixth = worksheet.Question(
        slot="ws_caregiver",
        label={"en": "Who helps you", "es": "Quién le ayuda"},
        text={"en": "Who helps you at home?", "es": "¿Quién le ayuda en casa?"},
        sms={"en": "Who helps you at home? (a name is enough)"},
    )
    return dataclasses.replace(worksheet.SHEET, questions=(*worksheet.SHEET.questions, sixth))


def test_a_sixth_question_is_written_everywhere():
    domain = yaml.safe_load(worksheet_domain.render(DOMAIN_TEXT, _with_a_sixth_question()))
    assert domain["forms"]["worksheet_form"]["required_slots"][-1] == "ws_caregiver"
    assert domain["slots"]["ws_caregiver"]["type"] == "text"
    first = [v["text"] for v in domain["responses"]["utter_ask_ws_doctors"]]
    assert first == [
        "Question 1 of 6: Who are your doctors and other health care providers?",
        "Pregunta 1 de 6: ¿Quiénes son sus doctores y otros proveedores de salud?",
    ]
    sixth = domain["responses"]["utter_ask_ws_caregiver"]
    assert [(v.get("channel"), v["text"]) for v in sixth] == [
        ("twilio_sms", "Question 6 of 6: Who helps you at home? (a name is enough)"),
        (None, "Question 6 of 6: Who helps you at home?"),
        (None, "Pregunta 6 de 6: ¿Quién le ayuda en casa?"),
    ]
    review = [v["text"] for v in domain["responses"]["utter_worksheet_review"]]
    assert "of 6 questions" in review[0] and "de 6 preguntas" in review[2]
    assert review[1].endswith("\n6. Who helps you: {a6}")
    assert review[3].endswith("\n6. Quién le ayuda: {a6}")


def test_text_outside_the_generated_parts_is_kept():
    changed = DOMAIN_TEXT.replace("  # the worksheet (data/nlu", "  # THE worksheet (data/nlu")
    assert changed != DOMAIN_TEXT
    assert worksheet_domain.render(changed) == changed


@pytest.mark.parametrize(
    "text",
    [
        'a "quoted" word and it\'s fine',
        "¿Qué? Sí: 5 # no comment",
        "no",  # YAML would read a plain no as false
        "one\ntwo",
    ],
)
@pytest.mark.parametrize("language", worksheet.LANGUAGES)
def test_any_text_reads_back_from_the_written_yaml(text, language):
    written = worksheet_domain.scalar(text, language)
    assert yaml.safe_load(f"text: {written}") == {"text": text}


def test_check_fails_on_an_out_of_date_domain_and_names_the_command(tmp_path, capsys):
    domain = tmp_path / "domain.yml"
    domain.write_text(DOMAIN_TEXT.replace("Question 2 of 5", "Question 2 of 4"), encoding="utf-8")
    assert worksheet_domain.main(["--check"], domain_path=domain) == 1
    assert worksheet_domain.COMMAND in capsys.readouterr().err
    assert worksheet_domain.main([], domain_path=domain) == 0  # rewrites it
    assert domain.read_text(encoding="utf-8") == DOMAIN_TEXT
    assert worksheet_domain.main(["--check"], domain_path=domain) == 0


def test_a_domain_without_the_markers_is_refused():
    broken = DOMAIN_TEXT.replace("  # END generated worksheet review\n", "")
    with pytest.raises(ValueError, match="review"):
        worksheet_domain.render(broken)
