"""Train the Rasa model only when its inputs changed: `python -m bot.rasa.train [--force]`.

The fingerprint covers config.yml, domain.yml, everything under data/, the code
of the NLU components (bot/rasa/components/*.py, so a change to the classifier
retrains), the spaCy recipe and the Rasa version. It is stored beside the model in
`models/ecm.fingerprint`; a model whose fingerprint matches is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, Optional

from bot import settings as settings_module
from bot.rasa import runtime
from bot.rasa.components import spacy_pipeline
from bot.settings import MODELS_DIR, ROOT

MODEL_NAME = "ecm"
MODEL_PATH = MODELS_DIR / f"{MODEL_NAME}.tar.gz"
FINGERPRINT_PATH = MODELS_DIR / f"{MODEL_NAME}.fingerprint"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "bot/rasa/components")


class TrainingFailed(RuntimeError):
    pass


def _files(root: Path, names: Iterable[str]) -> list:
    found = []
    for name in names:
        path = root / name
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
                )
            )
        elif path.exists():
            found.append(path)
    return found


def fingerprint(root: Path = ROOT) -> str:
    from importlib.metadata import version

    rasa_version = version("rasa")
    digest = hashlib.sha256()
    digest.update(f"rasa={rasa_version};spacy-recipe={spacy_pipeline.RECIPE_VERSION}".encode())
    for path in _files(root, TRAINING_INPUTS):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def is_current(root: Path = ROOT) -> bool:
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text().strip() == fingerprint(root)
        and spacy_pipeline.is_built()
    )


def ensure_model(force: bool = False) -> Path:
    """Build the spaCy pipeline and train the model if anything changed."""
    if not force and is_current():
        print(f"Model is up to date: {MODEL_PATH.relative_to(ROOT)}", flush=True)
        return MODEL_PATH
    if force or not spacy_pipeline.is_built():
        print("Building the spaCy pipeline ...", flush=True)
        spacy_pipeline.build()
    print("Training the Rasa model (its configuration, data or components changed) ...", flush=True)
    started = time.monotonic()
    settings = settings_module.load()
    command = runtime.rasa(
        "train", "--fixed-model-name", MODEL_NAME, "--out", str(MODELS_DIR), "--force"
    )
    result = subprocess.run(command, cwd=ROOT, env=runtime.child_env(settings))
    if result.returncode != 0 or not MODEL_PATH.exists():
        raise TrainingFailed(
            f"training failed: `rasa train` exited with {result.returncode}; "
            "its messages above say which file or step is wrong"
        )
    FINGERPRINT_PATH.write_text(fingerprint() + "\n")
    print(
        f"Trained {MODEL_PATH.relative_to(ROOT)} in {time.monotonic() - started:.0f} s", flush=True
    )
    return MODEL_PATH


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    args = parser.parse_args(argv)
    try:
        ensure_model(force=args.force)
    except TrainingFailed as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
