"""Build the project's own spaCy pipeline (`models/spacy/ecm_en`).

The official spaCy model packages are not on PyPI, so the pipeline is made from
what PyPI ships: spaCy's blank English tokenizer plus the lookup lemmatizer
whose tables come from `spacy-lookups-data`. In the Rasa pipeline spaCy
tokenizes member messages and gives every token its lemma ("rides" -> "ride",
"needed" -> "need"), and the count-vector featurizer counts lemmas, so one
training example covers every inflection of its words.

Run: `python -m bot.rasa.components.spacy_pipeline [--out DIR]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from bot.settings import MODELS_DIR

PIPELINE_DIR = MODELS_DIR / "spacy" / "ecm_en"
# Bump when the recipe below changes so the train step rebuilds it.
RECIPE_VERSION = "1"


def build(out: Path = PIPELINE_DIR) -> Path:
    """Create the pipeline and save it to `out` (replacing what is there)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup table from spacy-lookups-data
    nlp.meta["name"] = "ecm_en"
    nlp.meta["version"] = f"0.0.{RECIPE_VERSION}"
    nlp.meta["description"] = "Blank English tokenizer + lookup lemmatizer for the ECM assistant"
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def is_built(path: Path = PIPELINE_DIR) -> bool:
    import json

    meta = path / "meta.json"
    if not meta.exists():
        return False
    return json.loads(meta.read_text()).get("version") == f"0.0.{RECIPE_VERSION}"


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args(argv)
    print(f"spaCy pipeline written to {build(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
