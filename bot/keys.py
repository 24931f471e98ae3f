"""Encryption keys for member data at rest: `python -m bot.keys create|rotate|check`.

    python -m bot.keys create   # print a new Fernet key
    python -m bot.keys rotate   # re-encrypt every stored row under the newest key
    python -m bot.keys check    # every stored row opens with a configured key

To change keys: put a new key first in ENCRYPTION_KEYS (`NEW,OLD`) wherever the
assistant runs and restart it (new rows use NEW, old ones still open), run
`rotate` (safe while the assistant answers; an interrupted run is resumed by
running it again), run `check`, then drop OLD from ENCRYPTION_KEYS.

`rotate` and `check` exit 1 when a row is under no configured key: such a row
is reported by table and id, never dropped.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from tqdm import tqdm

from bot import settings as settings_module
from bot.store import encryption, sealing


def _walk_all(mode: str, settings: settings_module.Settings, progress: bool) -> int:
    ring = encryption.ring(settings.encryption_keys)
    unknown = plain = 0
    for place in sealing.places(settings.database_url, settings.tracker_store_url):
        total = sealing.count(place)
        if total is None:
            print(f"{place.label}: no table yet, nothing to do")
            continue
        with tqdm(
            total=total, desc=place.label, unit="row", disable=not progress, file=sys.stderr
        ) as bar:
            tally = sealing.walk(place, mode, ring, on_batch=bar.update)
        print(tally.line(place.label))
        unknown += tally.unknown
        if mode == "check":
            plain += tally.sealed
    if plain:
        print(f"{plain} rows are still plain text: `python -m bot.keys rotate` encrypts them")
    if unknown:
        print(
            f"{unknown} rows open with none of the {ring.size} configured keys: "
            "add the key they were saved under to ENCRYPTION_KEYS, then run this again",
            file=sys.stderr,
        )
    return 1 if unknown or plain else 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["create", "rotate", "check"])
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.command == "create":
        print(encryption.new_key())
        return 0
    try:
        settings = settings_module.load()
        encryption.ring(settings.encryption_keys)
    except (settings_module.SettingsError, encryption.KeyMissing) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        return _walk_all(args.command, settings, progress=not args.no_progress)
    except KeyboardInterrupt:
        print("interrupted: finished batches are saved; run it again to go on", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
