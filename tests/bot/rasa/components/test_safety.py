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
