"""bot.rasa.patches.no_tensorflow: a process that does what a Rasa server does
(imports Rasa's policies and server, loads the trained model, answers) never
imports TensorFlow; without the patch the same process does.

Each run is a fresh interpreter (the project's, as the server's): the test
process itself has long imported TensorFlow through other tests.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

MODEL = ROOT / "models" / "ecm.tar.gz"

# What `python -m bot.rasa.main run` does on the way to its first answer.
SERVER_LIKE = """
import asyncio, json, sys, tarfile

from bot.rasa import patches

patches.install()  # reads RASA_PATCHES_OFF

import rasa.core.policies.rule_policy
import rasa.core.run
import rasa.server
import spacy
from rasa.core.agent import load_agent
from rasa.engine.storage.storage import ModelMetadata


async def answer(model):
    agent = await load_agent(model_path=model)
    parsed = await agent.parse_message("hi")
    predicted = await agent.predict_next_for_sender_id("rest:no-tensorflow")
    return agent, parsed, predicted


with tarfile.open(sys.argv[1]) as model:
    metadata = json.load(model.extractfile("metadata.json"))
ModelMetadata.from_dict(metadata)
agent, parsed, predicted = asyncio.run(answer(sys.argv[1]))
spacy.blank("en")("hi")
print("RESULT " + json.dumps({
    "ready": agent.is_ready(),
    "intent": parsed["intent"]["name"],
    "predicted": bool(predicted),
    "tensorflow": "tensorflow" in sys.modules,
}))
"""


def _run_like_a_server(off: str) -> subprocess.Popen:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_PATCHES_OFF": off}
    return subprocess.Popen(
        [sys.executable, "-c", SERVER_LIKE, str(MODEL)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen) -> dict:
    try:
        out, err = process.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert process.returncode == 0 and lines, f"exit {process.returncode}:\n{err[-4000:]}"
    return json.loads(lines[-1][len("RESULT ") :])


def test_a_server_like_process_imports_tensorflow_only_without_the_patch():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    # both at once: each takes seconds, mostly loading
    patched, unpatched = _run_like_a_server(""), _run_like_a_server("no_tensorflow")
    with_patch, without_patch = _result(patched), _result(unpatched)
    for result in (with_patch, without_patch):
        assert result["ready"] and result["intent"] == "greet" and result["predicted"], result
    assert with_patch["tensorflow"] is False
    # the same process without the patch does import it: the check above can fail
    assert without_patch["tensorflow"] is True
