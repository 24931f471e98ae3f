from rasa.shared.nlu.training_data.message import Message

from bot.rasa.components.safety import SafetyScreen


def message(text, ranking):
    m = Message({"text": text})
    m.set("intent", ranking[0])
    m.set("intent_ranking", ranking)
    return m


def test_the_screen_overrides_any_guess():
    m = message("i want to end my life", [{"name": "ask_cost", "confidence": 0.99}])
    SafetyScreen().process([m])
    assert m.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert m.get("safety_screen") == "crisis"


def test_a_weak_model_alarm_gives_way():
    # "food" answering the worksheet's question about other help
    m = message(
        "food",
        [
            {"name": "urgent_need", "confidence": 0.61},
            {"name": "ask_community_services", "confidence": 0.34},
        ],
    )
    SafetyScreen().process([m])
    assert m.get("intent")["name"] == "ask_community_services"


def test_a_confident_model_alarm_stands():
    m = message(
        "zzz", [{"name": "emergency", "confidence": 0.9}, {"name": "ask_cost", "confidence": 0.05}]
    )
    SafetyScreen().process([m])
    assert m.get("intent")["name"] == "emergency"


def with_model(text, probability, part_probability=0.0, kind="crisis"):
    m = message(text, [{"name": "ask_cost", "confidence": 0.9}])
    m.set(
        "safety_model",
        {
            "kind": kind,
            "probability": probability,
            "part_kind": kind,
            "part_probability": part_probability,
        },
    )
    return m


def test_the_safety_model_raises_an_alarm_the_patterns_miss():
    # an indirect goodbye: no pattern, but the safety model is sure
    m = with_model("tell everyone thanks for everything, this is it for me", 0.9)
    SafetyScreen().process([m])
    assert m.get("intent")["name"] == "crisis" and m.get("safety_screen") == "crisis"


def test_one_sentence_of_a_long_message_can_raise_it():
    m = with_model("can i keep my doctor. i wont be needing one much longer anyway", 0.3, 0.95)
    SafetyScreen().process([m])
    assert m.get("intent")["name"] == "crisis"


def test_below_the_thresholds_or_too_short_there_is_no_alarm():
    # a likely-ordinary question, and a two-word worksheet answer the model cannot judge
    for m in (
        with_model("is there a cost for the program", 0.2, 0.3),
        with_model("Dr. Lee", 0.99),
        with_model("food and rides", 0.9),
    ):
        SafetyScreen().process([m])
        assert m.get("intent")["name"] == "ask_cost" and not m.get("safety_screen")
