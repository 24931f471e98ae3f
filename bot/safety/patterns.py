"""The safety screen's patterns: read from bot/content/safety/*.yml (one file per
language), named fragments expanded, one compiled regular expression per kind.

A file has these sections (the top of en.yml explains them for the people
who edit them):

    fragments:                 named pieces, written {name} inside a pattern
      name: 'regex'            used as written
      name: ['a', 'b']         any one of these: (?:a|b)
      name: {not_after: ['a']} not right after any of these words: (?<!a )
    wrappers:                  a frame around a whole pattern, {pattern} marks its place
      name: '^(?!...).*(?:{pattern})'
    crisis:                    (also emergency, urgent_need) a list of groups
      - patterns: ['regex', {wrapper name: 'regex'}]
        examples: ['a message the group must catch']

Messages are normalized (`screen.normalize`) before matching, so patterns are
written in lower case, without accents or apostrophes, words separated by one
space. Fragments and wrappers belong to their file. Read once, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Dict, List, Pattern, Tuple

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "content" / "safety"
FRAGMENTS, WRAPPERS = "fragments", "wrappers"
_REFERENCE = re.compile(r"\{([A-Za-z_]\w*)\}")  # {name}; never a count such as {0,2}
_PLACE = "{pattern}"


@dataclass(frozen=True)
class Group:
    """One group of a file: its patterns (fragments expanded) and its examples."""

    language: str
    kind: str
    patterns: Tuple[str, ...]
    examples: Tuple[str, ...]


def _strings(value: object, where: str) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of quoted strings, got {value!r}")
    return value


def _fragment_regex(value: object, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and list(value) == ["not_after"]:
        return "".join(f"(?<!{word} )" for word in _strings(value["not_after"], where))
    return "(?:" + "|".join(_strings(value, where)) + ")"


def _expand(text: str, fragments: Dict[str, object], where: str, seen: Tuple[str, ...] = ()) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"{where}: no fragment named {{{name}}}")
        if name in seen:
            raise ValueError(f"{where}: fragment {{{name}}} refers to itself")
        inner = _fragment_regex(fragments[name], f"{where}, fragment {name}")
        return _expand(inner, fragments, where, seen + (name,))

    return _REFERENCE.sub(one, text)


def _pattern(entry: object, fragments: Dict, wrappers: Dict, where: str) -> str:
    if isinstance(entry, str):
        return _expand(entry, fragments, where)
    if isinstance(entry, dict) and len(entry) == 1:
        ((name, inner),) = entry.items()
        frame = wrappers.get(name)
        if not isinstance(frame, str) or frame.count(_PLACE) != 1 or not isinstance(inner, str):
            raise ValueError(f"{where}: {entry!r} names no wrapper with one {_PLACE}")
        before, after = frame.split(_PLACE)
        return "".join(
            (
                _expand(before, fragments, where),
                _expand(inner, fragments, where),
                _expand(after, fragments, where),
            )
        )
    raise ValueError(f"{where}: a pattern is a quoted string or {{wrapper: pattern}}: {entry!r}")


def _file_groups(path: Path) -> List[Group]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    fragments = data.get(FRAGMENTS) or {}
    wrappers = data.get(WRAPPERS) or {}
    found = []
    for kind, groups in data.items():
        if kind in (FRAGMENTS, WRAPPERS):
            continue
        for number, group in enumerate(groups, 1):
            where = f"{path.name}: {kind} group {number}"
            if not isinstance(group, dict) or not set(group) <= {"patterns", "examples"}:
                raise ValueError(f"{where}: a group has patterns: and examples: only")
            patterns = [
                _pattern(entry, fragments, wrappers, where) for entry in group.get("patterns") or []
            ]
            examples = _strings(group.get("examples") or [], where)
            found.append(Group(path.stem, kind, tuple(patterns), tuple(examples)))
    return found


@cache
def groups() -> Tuple[Group, ...]:
    """Every group of every file, files in name order (en, es), groups as written."""
    return tuple(g for path in sorted(FOLDER.glob("*.yml")) for g in _file_groups(path))


@cache
def compiled(kinds: Tuple[str, ...]) -> Tuple[Tuple[str, Pattern[str]], ...]:
    """(kind, one regular expression: any pattern of any file for that kind), in `kinds` order."""
    unknown = {g.kind for g in groups()} - set(kinds)
    if unknown:
        raise ValueError(f"{FOLDER}: unknown sections {sorted(unknown)}; known: {kinds}")
    return tuple(
        (
            kind,
            re.compile(
                "|".join(f"(?:{p})" for g in groups() if g.kind == kind for p in g.patterns)
            ),
        )
        for kind in kinds
    )
