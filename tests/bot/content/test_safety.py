"""bot/content/safety/*.yml, the safety screen's patterns: each file loads with only
known sections, each pattern compiles and catches an example of its group, each
example gets its group's kind, and no pattern, fragment or wrapper is there twice
or unused."""

import re

import pytest

from bot import safety
from bot.safety import patterns

FILES = sorted(patterns.FOLDER.glob("*.yml"))
GROUPS = patterns.groups()


def group_id(group):
    return f"{group.language}-{group.kind}-{group.patterns[0][:30]}"


def test_one_file_per_language():
    assert [p.name for p in FILES] == ["en.yml", "es.yml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_has_every_kind_and_only_known_sections(path, load_yaml):
    sections = set(load_yaml(path))
    assert set(safety.KINDS) <= sections <= {patterns.FRAGMENTS, patterns.WRAPPERS, *safety.KINDS}


def test_the_loader_refuses_an_unknown_section():
    # compiled() is what screen() uses; a misspelt kind must not be skipped silently
    assert [kind for kind, _ in patterns.compiled(safety.KINDS)] == list(safety.KINDS)
    with pytest.raises(ValueError, match="unknown sections"):
        patterns.compiled(safety.KINDS[:-1])


@pytest.mark.parametrize("group", GROUPS, ids=group_id)
def test_each_pattern_compiles_and_catches_an_example_of_its_group(group, assert_unique_strings):
    assert group.patterns
    assert_unique_strings(list(group.examples), group_id(group))
    normalized = [safety.normalize(e) for e in group.examples]
    for pattern in group.patterns:
        compiled = re.compile(pattern)
        assert any(compiled.search(text) for text in normalized), pattern


@pytest.mark.parametrize("group", GROUPS, ids=group_id)
def test_each_example_gets_its_groups_kind(group):
    wrong = [(e, safety.screen(e)) for e in group.examples if safety.screen(e) != group.kind]
    assert not wrong


def test_no_pattern_is_there_twice():
    every = [p for g in GROUPS for p in g.patterns]
    assert len(every) == len(set(every))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_fragment_and_wrapper_is_used_and_has_no_entry_twice(
    path, load_yaml, assert_unique_strings
):
    data = load_yaml(path)  # a fragment or wrapper named twice fails here
    fragments = data.get(patterns.FRAGMENTS) or {}
    wrappers = data.get(patterns.WRAPPERS) or {}
    entries = [
        entry for kind in safety.KINDS for group in data[kind] for entry in group["patterns"]
    ]
    texts = [str(v) for v in fragments.values()] + list(wrappers.values())
    texts += [text for e in entries for text in (e.values() if isinstance(e, dict) else [e])]
    used = {name for text in texts for name in re.findall(r"\{([A-Za-z_]\w*)\}", text)}
    assert set(fragments) <= used, set(fragments) - used
    assert {name for e in entries if isinstance(e, dict) for name in e} == set(wrappers)
    for name, value in fragments.items():
        if isinstance(value, list):
            assert_unique_strings(value, name)
        elif isinstance(value, dict):
            assert_unique_strings(value["not_after"], name)
