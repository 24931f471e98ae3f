"""Write bot/content/language_vocabulary.yml from the training data:
`python -m bot.tools.language_vocabulary [--check]`.

The words members use in only one of English and Spanish (seen at least three
times in data/nlu/es and never in the English files, or the reverse) tell the
language of a message too short for function words ("¿gratis?", "cuesta",
"rides"). bot/language.py reads the file; a test fails when it is out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

import yaml

from bot.language import _WORD, word_lists
from bot.text import fold

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "nlu"
OUT = ROOT / "bot" / "content" / "language_vocabulary.yml"
MIN_COUNT = 3
MIN_LENGTH = 3


def _words(folder: Path, recursive: bool) -> Counter:
    counts: Counter = Counter()
    for path in sorted(folder.rglob("*.yml") if recursive else folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                counts.update(fold(w) for w in _WORD.findall(line.lower().removeprefix("- ")))
    return counts


def vocabulary() -> Dict[str, List[str]]:
    english, spanish = _words(DATA, recursive=False), _words(DATA / "es", recursive=True)
    ambiguous = word_lists().ambiguous

    def only(mine: Counter, theirs: Counter) -> List[str]:
        return sorted(
            w
            for w, n in mine.items()
            if n >= MIN_COUNT and not theirs[w] and len(w) >= MIN_LENGTH and w not in ambiguous
        )

    return {"es": only(spanish, english), "en": only(english, spanish)}


def render(words: Dict[str, List[str]]) -> str:
    header = (
        "# Words seen in only one language's training data (bot/tools/language_vocabulary.py).\n"
        "# Generated: edit data/nlu, then run `python -m bot.tools.language_vocabulary`.\n"
    )
    return header + yaml.safe_dump(words, allow_unicode=True, width=100, sort_keys=True)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render(vocabulary())
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUT.relative_to(ROOT)} is out of date: python -m bot.tools.language_vocabulary"
            )
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
