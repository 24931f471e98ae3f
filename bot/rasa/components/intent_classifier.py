"""Intent classifier: TF-IDF over spaCy lemmas and character n-grams, logistic regression.

Rasa 3.6's own LogisticRegressionClassifier fixes C=1 and takes raw counts.
On our held-out member messages TF-IDF features (lemma 1-2 grams plus
character 2-5 grams inside words, sublinear term frequency) with a weaker
regularisation score clearly better, and it still trains in seconds and
predicts in well under a millisecond.

A long message is also scored part by part (bot/segments.py): the question
inside it counts as much as the whole message, so personal context before the
question does not drown it; two questions on two different topics make the
intent `two_questions` with one `topic` entity each; and the highest safety
probability of the whole or any part is passed on to the safety screen
(`safety_model`), so a crisis sentence inside an ordinary question is not
averaged away.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import segments
from bot.rasa.components import message_parts as parts_logic
from bot.rasa.components.fast_tfidf import FastTfidf

logger = logging.getLogger(__name__)
MODEL_FILE = "tfidf_intent_classifier.joblib"
TWO_QUESTIONS = "two_questions"
LOOKALIKE = parts_logic.LOOKALIKE
_WORDS = re.compile(r"\w+|[^\w\s]")


def lemma_text(message: Message) -> str:
    """The message as lower-case lemmas (the spaCy tokenizer sets `lemma`)."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    if tokens:
        return " ".join((token.lemma or token.text).lower() for token in tokens)
    return (message.get(TEXT) or "").lower()


def part_lemma_texts(message: Message, parts: Sequence[str]) -> List[str]:
    """Each part of the message as lemmas, with the lemmas spaCy gave its words."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    lemma_of = {token.text.lower(): (token.lemma or token.text).lower() for token in tokens}
    return [" ".join(lemma_of.get(w, w) for w in _WORDS.findall(p.lower())) for p in parts]


def build_pipeline(config: Dict[str, Any]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_union

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),  # noqa: S106
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(config["char_min_ngram"], config["char_max_ngram"]),
            sublinear_tf=True,
        ),
    )
    classifier = LogisticRegression(
        C=config["C"], max_iter=config["max_iter"], class_weight="balanced", random_state=42
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def train_safety_model(pipeline: Any, texts: List[str], intents: List[str], config: Dict[str, Any]):
    """A binary model on the same features: does this text need a safety reply?
    One question, so its probability is better calibrated than the sum of three
    classes' shares among sixty; None when the data has no safety examples."""
    from sklearn.linear_model import LogisticRegression

    labels = [int(intent in parts_logic.SAFETY_KINDS) for intent in intents]
    if len(set(labels)) < 2:
        return None
    features = pipeline.named_steps["features"].transform(texts)
    model = LogisticRegression(
        C=config["safety_C"], max_iter=config["max_iter"], class_weight="balanced", random_state=42
    )
    return model.fit(features, labels)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "C": 30.0,
            "max_iter": 3000,
            "char_min_ngram": 2,
            "char_max_ngram": 5,
            "ranking_length": 10,
            # each of two questions in one message must be at least this clear
            "two_questions_min_confidence": 0.4,
            "safety_C": 30.0,
            # a topic answer under this confidence gives way to out_of_scope when that
            # is at least decline_ratio as likely (tuned on held-out HWU64 requests)
            "decline_below": 0.6,
            "decline_ratio": 0.3,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Optional[Any] = None,
        safety_model: Optional[Any] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self.safety_model = safety_model

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        texts, intents = [lemma_text(e) for e in examples], [e.get(INTENT) for e in examples]
        self.pipeline = build_pipeline(self.config)
        self.pipeline.fit(texts, intents)
        self.safety_model = train_safety_model(self.pipeline, texts, intents, self.config)
        self._prepare_fast_path()
        self.persist()
        return self._resource

    def _prepare_fast_path(self) -> None:
        """Keep what scoring needs as plain Python and numpy: each vectorizer's
        analyzer, vocabulary and idf weights, and the classifier's weights. Scoring
        a message then gathers the weight rows of its few features (see
        `FastTfidf`): the same numbers as the sklearn pipeline's
        `predict_proba`, about ten times faster for one message."""
        import numpy as np

        features, classifier = self.pipeline.named_steps.values()
        self._vectorizers = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            self._vectorizers.append(FastTfidf(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self._weights = np.ascontiguousarray(classifier.coef_.T)
        self._bias = classifier.intercept_
        self._classes = [str(name) for name in classifier.classes_]
        self._safety_weights = self._safety_bias = None
        if self.safety_model is not None:
            self._safety_weights = np.ascontiguousarray(self.safety_model.coef_[0])
            self._safety_bias = float(self.safety_model.intercept_[0])

    def _probabilities(self, texts: List[str]):
        return self._scores(texts)[0]

    def _scores(self, texts: List[str]) -> Tuple[Any, List[float]]:
        """Each text's intent probabilities, and its probability of needing a safety
        reply by the binary safety model (0 when the model has none)."""
        import numpy as np

        if not hasattr(self, "_weights"):
            self._prepare_fast_path()
        scores = np.empty((len(texts), len(self._bias)))
        safety: List[float] = []
        for row, text in enumerate(texts):
            columns, values = [], []
            for vectorizer in self._vectorizers:
                vectorizer.features(text, columns, values)
            weights = np.asarray(values)
            scores[row] = (weights @ self._weights[columns] if columns else 0.0) + self._bias
            if self._safety_weights is not None:
                logit = (
                    weights @ self._safety_weights[columns] if columns else 0.0
                ) + self._safety_bias
                safety.append(float(1.0 / (1.0 + math.exp(-logit))))
            else:
                safety.append(0.0)
        scores -= scores.max(axis=1, keepdims=True)  # softmax = multinomial LR's proba
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True), safety

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None or not messages:
            return messages
        for message in messages:
            self._classify(message)
        return messages

    def _classify(self, message: Message) -> None:
        parts = segments.parts(message.get(TEXT) or "")
        texts = [lemma_text(message)]
        if len(parts) > 1:
            texts += part_lemma_texts(message, [p.text for p in parts])
        rows, safety = self._scores(texts)
        whole, by_part = rows[0], rows[1:]
        questions = (
            [i for i, part in enumerate(parts) if part.is_question] if len(parts) > 1 else []
        )
        final = whole
        best = parts_logic.best_question(self._classes, by_part, questions or range(len(by_part)))
        if best is not None:
            final = (whole + by_part[best]) / 2  # the question as much as the whole
        ranking = parts_logic.decline_when_doubtful(
            self._ranking(final), self.config["decline_below"], self.config["decline_ratio"]
        )
        two = parts_logic.two_topics(
            self._classes, by_part, questions, self.config["two_questions_min_confidence"]
        )
        if two:
            confidence = min(c for _, c in two)
            ranking = [{"name": TWO_QUESTIONS, "confidence": confidence}] + ranking
            message.set(
                ENTITIES,
                list(message.get(ENTITIES) or [])
                + [
                    {
                        "entity": "topic",
                        "value": name,
                        "confidence_entity": c,
                        "extractor": type(self).__name__,
                    }
                    for name, c in two
                ],
                add_to_output=True,
            )
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set("intent_ranking", ranking[: self.config["ranking_length"]], add_to_output=True)
        words = [len(part.text.split()) for part in parts] if len(parts) > 1 else []
        message.set(
            "safety_model",
            parts_logic.safety_verdict(self._classes, rows, safety, words),
            add_to_output=True,
        )

    def _ranking(self, row: Any) -> List[Dict[str, Any]]:
        """Intents by probability; `safety_lookalike` (trained only so the model tells
        a heavy word from a crisis) is never an answer, so its share is taken out."""
        keep = [(n, float(p)) for n, p in zip(self._classes, row, strict=True) if n != LOOKALIKE]
        total = sum(p for _, p in keep) or 1.0
        ranking = [{"name": n, "confidence": p / total} for n, p in keep]
        return sorted(ranking, key=lambda item: -item["confidence"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def persist(self) -> None:
        import joblib

        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(
                {"pipeline": self.pipeline, "safety": self.safety_model}, directory / MODEL_FILE
            )

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        import joblib

        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(directory / MODEL_FILE)  # our own training output
        except (ValueError, FileNotFoundError):
            logger.warning("intent classifier: no trained model found; predicting nothing")
            saved = {}
        if not isinstance(saved, dict):  # a model trained before the safety model
            saved = {"pipeline": saved}
        return cls(config, model_storage, resource, saved.get("pipeline"), saved.get("safety"))
