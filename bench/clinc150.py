"""The out-of-domain judge set, CLINC150 (clinc/oos-eval), read from a copy you provide.

The corpus is not kept in this repository. bench/blind/clinc150-selection.json
names the 2,141 queries of the frozen set by their place in the corpus's
data/data_full.json (941 of `oos_test`, 1,200 of `test`, health, insurance and
member-service intents left out), with the file's sha256, so the same set is
rebuilt exactly from any copy of that file. Where to find the copy, first match:
`--clinc PATH`, `CLINC150_JSON`, or `../shared/clinc150/data_full.json` beside
the repository. Without one, `make nlu-eval` says so and runs the other sets.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import List, Optional

HERE = Path(__file__).resolve().parent
SELECTION = HERE / "blind" / "clinc150-selection.json"
SHARED_COPY = HERE.parent.parent / "shared" / "clinc150" / "data_full.json"
SET_NAME = "blind_ood_clinc"


class CorpusMismatch(RuntimeError):
    pass


def find(path: Optional[str] = None) -> Optional[Path]:
    for candidate in (path, os.environ.get("CLINC150_JSON"), SHARED_COPY):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load(path: Path) -> List[dict]:
    """The frozen out-of-domain set as messages (every one expects out_of_scope)."""
    selection = json.loads(SELECTION.read_text(encoding="utf-8"))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != selection["sha256"]:
        raise CorpusMismatch(
            f"{path} is not the data_full.json the set was drawn from "
            f"(sha256 {digest}, expected {selection['sha256']}, {selection['source']})"
        )
    corpus = json.loads(data)
    messages = []
    for split in ("oos_test", "test"):
        for index in selection[split]:
            text, intent = corpus[split][index]
            messages.append(
                {
                    "text": text,
                    "lang": "en",
                    "kind": "oos" if split == "oos_test" else intent,
                    "expect": ["out_of_scope"],
                }
            )
    return messages
