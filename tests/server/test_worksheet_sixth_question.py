"""A sixth question added in bot/content/worksheet.yml alone, in a copy of the project:
the copy's domain is generated from it, the copy is trained and started, and the
assistant asks six questions and shows six answers (on SMS too)."""

import os
import shutil
import subprocess
import sys
import uuid

import pytest
import yaml

from bot import settings
from bot.rasa import train
from bot.tools import sms_sim
from tests import conftest
from tests.conftest import RunningAssistant

pytestmark = pytest.mark.server

# What the assistant needs to train and run; the copy trains into its own models/.
COPIED = ("config.yml", "domain.yml", "endpoints.yml", "credentials.yml", "data", "bot", "actions")
SIXTH = {
    "slot": "ws_helpers",
    "label": {"en": "Who helps you", "es": "Quién le ayuda"},
    "text": {"en": "Who helps you at home?", "es": "¿Quién le ayuda en casa?"},
    "sms": {"en": "Who helps you at home? A first name is enough."},
}


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def run(command, project, env=None, timeout=900):
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    """The copy with a sixth question, trained and running."""
    base = tmp_path_factory.mktemp("sixth")
    project, var_dir = base / "project", base / "var"
    for name in COPIED:
        source = train.ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / name)
    content = project / "bot" / "content" / "worksheet.yml"
    sheet = yaml.safe_load(content.read_text(encoding="utf-8"))
    sheet["questions"].append(SIXTH)
    content.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), "utf-8")

    run(["bot.rasa.worksheet_domain"], project)
    run(["bot.rasa.worksheet_domain", "--check"], project)
    domain = yaml.safe_load((project / "domain.yml").read_text(encoding="utf-8"))
    assert domain["forms"]["worksheet_form"]["required_slots"][-1] == "ws_helpers"

    trained = run(["bot.rasa.train"], project, env=dict(os.environ, ECM_VAR_DIR=str(var_dir)))
    # the copy's own models/, never the project's
    assert f"saved at '{project / 'models' / 'ecm.tar.gz'}'" in trained

    running = RunningAssistant(var_dir, base / "server.log")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conftest, "ROOT", project)  # start `bot.rasa.serve` of the copy
        running.start()
    yield running
    running.stop()


def test_six_questions_then_a_review_with_the_sixth_answer(six):
    say = lambda message: six.say("six-web", message)  # noqa: E731
    first = texts(say("help me get ready for my call"))
    assert "I will ask 6 short questions" in first and "Question 1 of 6" in first
    answers = ["Dr. Lee", "my knee", "the senior center", "food and rides", "when can I start?"]
    for number, answer in enumerate(answers, start=2):
        asked = texts(say(answer))
        assert f"Question {number} of 6" in asked, asked
    assert "Question 6 of 6: Who helps you at home?" in asked
    review = texts(say("my daughter Ana"))
    assert "5. Your questions: when can I start?" in review
    assert "6. Who helps you: my daughter Ana" in review
    choices = [b for r in say("/worksheet_change") for b in r.get("buttons", [])]
    assert [c["title"] for c in choices][-1] == "6. Who helps you"


def test_on_sms_the_sixth_question_has_its_own_wording_and_the_review_counts_six(six):
    token = six.dev_secret(settings.DEV_TWILIO_TOKEN_FILE)
    public, number = f"http://localhost:{six.port}", f"+1555{uuid.uuid4().int % 10**7:07d}"

    def sms(text):
        status, replies = sms_sim.send(six.base_url, token, public, number, text)
        assert status == 200
        return "\n".join(replies)

    assert "Question 1 of 6" in sms("help me get ready for my call")
    for _ in range(4):
        sms("skip")
    assert "Question 6 of 6: Who helps you at home? A first name is enough." in sms("skip")
    assert "You answered 1 of 6 questions and skipped 5" in sms("my neighbor Sam")
