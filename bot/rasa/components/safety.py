"""Rasa NLU component: the safety screen (bot/safety/screen.py) has the last word.

It runs after the classifier and the FallbackClassifier, so a crisis or an
emergency is recognised whatever the model guessed and however unsure it was.

The model can also raise an alarm on its own: the classifier passes on the
highest safety probability of the whole message and of any sentence in it
(`safety_model`), and at `model_alarm_probability` (the whole) or
`model_part_alarm_probability` (a sentence) or more that kind is the intent, however the rest of the message reads (misses are the worst failure;
false alarms are cheap but counted by make nlu-eval). A weaker safety guess
("food", answering the worksheet's question about other help) gives way to the
next intent, so a worksheet answer is not mistaken for an alarm.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import safety
from bot.rasa.components import decide_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyScreen(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "model_min_confidence": 0.8,
            "model_alarm_probability": 0.6,  # the whole message
            "model_part_alarm_probability": 0.85,  # one sentence of it (shorter, noisier)
            # fewer words than this are too few for the model to judge (worksheet answers
            # such as "Dr. Lee" or "food and rides"); the patterns still read every message
            "model_alarm_min_words": 4,
        }

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        return cls(config)

    def _demote_weak_model_alarm(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") not in safety.KINDS:
            return
        if (intent.get("confidence") or 0.0) >= self.config["model_min_confidence"]:
            return
        ranking = [
            item
            for item in (message.get("intent_ranking") or [])
            if item.get("name") not in safety.KINDS
        ]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)

    def _model_alarm(self, message: Message) -> Optional[str]:
        model = message.get("safety_model") or {}
        if len((message.get(TEXT) or "").split()) < self.config["model_alarm_min_words"]:
            return None
        if (model.get("probability") or 0.0) >= self.config["model_alarm_probability"]:
            return model.get("kind")
        if (model.get("part_probability") or 0.0) >= self.config["model_part_alarm_probability"]:
            return model.get("part_kind")
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            kind = safety.screen(message.get(TEXT)) or self._model_alarm(message)
            if kind is None:
                self._demote_weak_model_alarm(message)
                continue
            decide_intent(message, kind)
            message.set("safety_screen", kind, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
