import shutil

from bot.rasa import train


def _project(tmp_path):
    for name in train.TRAINING_INPUTS:
        source = train.ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_fingerprint_is_stable(tmp_path):
    project = _project(tmp_path)
    assert train.fingerprint(project) == train.fingerprint(project)


def test_fingerprint_changes_with_data_domain_config_and_component_code(tmp_path):
    project = _project(tmp_path)
    before = train.fingerprint(project)
    for path in [
        "domain.yml",
        "config.yml",
        "data/rules/chitchat.yml",
        # the classifier's code: a change to it must retrain
        "bot/rasa/components/intent_classifier.py",
    ]:
        with open(project / path, "a") as handle:
            handle.write("\n# changed\n")
        after = train.fingerprint(project)
        assert after != before, path
        before = after


def test_a_new_training_file_changes_the_fingerprint(tmp_path):
    project = _project(tmp_path)
    before = train.fingerprint(project)
    (project / "data" / "nlu" / "extra.yml").write_text('version: "3.1"\n')
    assert train.fingerprint(project) != before


def test_compiled_python_files_do_not_change_the_fingerprint(tmp_path):
    # running the code writes __pycache__; that must not make the model look stale
    project = _project(tmp_path)
    before = train.fingerprint(project)
    cache = project / "bot" / "rasa" / "components" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "intent_classifier.cpython-310.pyc").write_bytes(b"\0compiled")
    assert train.fingerprint(project) == before
