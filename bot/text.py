"""Text folding shared by every rule that matches what members type (safety,
language, SMS keywords, worksheet words): one `fold()`, with its options named."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Optional, Pattern

_REPEATS = re.compile(r"(.)\1{2,}")


@cache
def _other_than(keep: str) -> Pattern[str]:
    return re.compile("[^a-z0-9" + re.escape(keep) + "]+")


def fold(
    text: Optional[str], *, keep: str = "", drop: str = "", squeeze_repeats: bool = False
) -> str:
    """Lower case without accents ("Está" -> "esta"); every run of characters
    other than a-z, 0-9 and `keep` becomes one space, trimmed at both ends.

    - keep: characters kept as they are (the worksheet keeps apostrophes: "don't");
    - drop: characters removed before that, so they join what they separate
      (the safety screen drops apostrophes: "don't" -> "dont");
    - squeeze_repeats: three or more of one character become two ("hellllp" -> "hellp").
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    if drop:
        plain = plain.translate({ord(c): None for c in drop})
    plain = _other_than(keep).sub(" ", plain)
    if squeeze_repeats:
        plain = _REPEATS.sub(r"\1\1", plain)
    return plain.strip()
