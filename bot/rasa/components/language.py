"""Rasa NLU component: which language the member wrote in (bot/language.py).

- English or Spanish, told with confidence: a `language` entity, which fills the
  `language` slot (responses are picked by it). Unsure: nothing, so the
  conversation keeps its language.
- "español", "english": the intent `set_language` with that entity.
- Another threshold language: the intent `other_language`, with the language in
  `other_language` for the tagline reply.

It runs before the safety screen, which always has the last word.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import language
from bot.rasa.components import decide_intent

EXTRACTOR = "LanguageDetector"


def _entity(text: str, value: str) -> Dict[str, Any]:
    return {
        "entity": "language",
        "value": value,
        "start": 0,
        "end": len(text),
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR,
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageDetector(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        # Build lingua's detector (about 0.2 s) with the model, not on a member's
        # first long message.
        language.warm_up()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            entities = list(message.get(ENTITIES) or [])
            switch = language.switch_request(text)
            detected = switch or language.detect(text)
            if switch:
                decide_intent(message, "set_language")
            elif detected in language.OTHER_LANGUAGES:
                decide_intent(message, "other_language")
                message.set("other_language", detected, add_to_output=True)
            if detected in language.FULL_LANGUAGES:
                entities.append(_entity(text, detected))
                message.set(ENTITIES, entities, add_to_output=True)
            message.set("language", detected, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
