"""Helpers of the word-list tests (test_safety.py, test_language.py, test_sms.py): a
YAML loader that refuses a key written twice, and a check for lists of strings."""

import pytest
import yaml


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word; this loader refuses them."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = {k for k in keys if keys.count(k) > 1}
        if twice:
            raise yaml.constructor.ConstructorError(
                None, None, f"keys twice: {twice}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


@pytest.fixture
def load_yaml():
    """The file's YAML, refusing any key written twice."""

    def load(path):
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506

    return load


@pytest.fixture
def assert_unique_strings():
    """A non-empty list of non-empty strings, none twice."""

    def check(entries, where):
        assert isinstance(entries, list) and entries, where
        # unquoted no, yes, on, off are read as true or false
        assert all(isinstance(e, str) and e for e in entries), (where, entries)
        twice = sorted({e for e in entries if entries.count(e) > 1})
        assert not twice, (where, twice)

    return check
