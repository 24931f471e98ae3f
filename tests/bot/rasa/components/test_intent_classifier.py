import numpy as np

from bot.rasa.components.intent_classifier import TfidfIntentClassifier, build_pipeline

TEXTS = [
    "does it cost money",
    "is it free",
    "can i keep my doctor",
    "do i change doctors",
    "hello there",
    "hi",
    "rides to the doctor",
    "i need a ride",
]
LABELS = [
    "ask_cost",
    "ask_cost",
    "ask_keep_doctors",
    "ask_keep_doctors",
    "greet",
    "greet",
    "ask_transportation",
    "ask_transportation",
]


def test_the_fast_path_gives_the_pipelines_probabilities():
    component = TfidfIntentClassifier({}, model_storage=None, resource=None)
    component.pipeline = build_pipeline(component.config)
    component.pipeline.fit(TEXTS, LABELS)
    probes = [
        "how much does it cost",
        "hey",
        "a ride please",
        "zzz",
        "",
        "ride ride ride to the doctor doctor",
        "¿cuánto cuesta? 🚗",
        "x" * 10_000,
    ]
    fast = component._probabilities(probes)
    slow = component.pipeline.predict_proba(probes)
    assert np.allclose(fast, slow)
    assert component._classes == list(component.pipeline.classes_)
