"""The blind evaluation sets (bench/blind/) stay frozen and are never trained on."""

from pathlib import Path

import yaml

from bench import blind_eval
from bot.text import fold

ROOT = Path(__file__).resolve().parent.parent


def _training_texts():
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ")
                if text:
                    yield text


def test_the_sets_match_their_frozen_checksums():
    recorded = blind_eval.verify_checksums()
    assert len(recorded) >= 6


def test_no_blind_message_is_in_the_training_data():
    blind = {fold(m["text"]) for messages in blind_eval.load_sets().values() for m in messages}
    trained = {fold(t) for t in _training_texts()}
    overlap = blind & trained
    # counts only: the messages themselves are not printed, the sets stay blind
    assert not overlap, f"{len(overlap)} blind messages are in data/nlu"


def test_a_changed_set_is_refused(tmp_path):
    for path in blind_eval.BLIND.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    first = sorted(tmp_path.glob("*.yml"))[0]
    first.write_bytes(first.read_bytes() + b"\n# edited\n")
    try:
        blind_eval.verify_checksums(tmp_path)
    except blind_eval.ChecksumMismatch as error:
        assert first.name in str(error)
    else:
        raise AssertionError("an edited set was accepted")


def test_a_reply_is_judged_by_the_topics_it_answers():
    reply = [{"response": "utter_ask_cost"}, {"response": "utter_ask_keep_doctors"}]
    two = {"expect": ["ask_cost", "ask_keep_doctors"]}
    assert blind_eval.correct(two, blind_eval.reply_labels(reply))
    assert not blind_eval.correct(two, blind_eval.reply_labels(reply[:1]))
    # the handoff and the contact answer both give the line
    assert blind_eval.correct(
        {"expect": ["ask_contact"]}, blind_eval.reply_labels([{"response": "utter_handoff"}])
    )
    assert blind_eval.is_ecm_script("ask_cost") and not blind_eval.is_ecm_script("out_of_scope")


def test_an_answer_to_a_question_not_asked_makes_the_reply_wrong():
    # answering every topic at once must not score: only what was asked counts
    labels = blind_eval.reply_labels(
        [{"response": "utter_ask_cost"}, {"response": "utter_ask_care_team"}]
    )
    assert not blind_eval.correct({"expect": ["ask_cost"]}, labels)
    assert blind_eval.correct({"expect": ["ask_cost"], "also_ok": ["ask_care_team"]}, labels)


def test_the_clinc150_set_is_rebuilt_only_from_the_same_corpus_file(tmp_path):
    # the corpus is not kept here: a copy that differs from the one drawn from is refused
    from bench import clinc150

    fake = tmp_path / "data_full.json"
    fake.write_text('{"oos_test": [], "test": []}')
    try:
        clinc150.load(fake)
    except clinc150.CorpusMismatch as error:
        assert "not the data_full.json" in str(error)
    else:
        raise AssertionError("a different corpus file was accepted")
