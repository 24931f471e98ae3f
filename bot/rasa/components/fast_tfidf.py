"""One fitted TfidfVectorizer's transform of one text, straight from its vocabulary and
idf: sklearn's numbers without its per-call checks (the intent classifier's fast path)."""

from __future__ import annotations

import math
from typing import Any, Dict, List


class FastTfidf:
    """One fitted TfidfVectorizer's transform of one text, without sklearn's checks.

    Counts the analyzer's terms found in the vocabulary, applies sublinear tf
    (1 + log count), multiplies by idf and scales the row to unit length: what
    `TfidfVectorizer.transform` computes (the test compares them).
    """

    def __init__(self, vectorizer: Any, offset: int) -> None:
        if vectorizer.norm not in ("l2", None) or vectorizer.binary or not vectorizer.use_idf:
            raise ValueError("the fast path covers l2 or no norm, counts, and idf")
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = [float(x) for x in vectorizer.idf_]
        self.sublinear = vectorizer.sublinear_tf
        self.l2 = vectorizer.norm == "l2"
        self.offset = offset  # where its columns start among all vectorizers' columns

    def features(self, text: str, columns: List[int], values: List[float]) -> None:
        counts: Dict[int, int] = {}
        vocabulary = self.vocabulary
        for term in self.analyze(text):
            index = vocabulary.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return
        weights = [
            (1.0 + math.log(count) if self.sublinear else float(count)) * self.idf[index]
            for index, count in counts.items()
        ]
        if self.l2:
            length = math.sqrt(sum(w * w for w in weights))
            weights = [w / length for w in weights]
        columns.extend(index + self.offset for index in counts)
        values.extend(weights)
