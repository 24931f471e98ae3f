"""`python -m bot.rasa.main ARGS`: Rasa's own command line (`rasa ARGS`) with the
project's changes to Rasa applied first (bot/rasa/patches), and every log record
of the process redacted of member text (bot/logs.py)."""

from __future__ import annotations

import sys


def main() -> None:
    from bot import logs
    from bot.settings import SettingsError

    logs.install()  # before Rasa logs anything

    try:
        # the import refuses a Rasa other than the patches' (RasaVersionError, a
        # SettingsError); install() refuses an unknown name in RASA_PATCHES_OFF
        from bot.rasa import patches

        patches.install()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    sys.argv[0] = "rasa"
    main()
