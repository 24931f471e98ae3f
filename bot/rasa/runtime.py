"""How the project starts Rasa's own commands: one environment, one interpreter."""

from __future__ import annotations

import os
import sys
from typing import Dict, List

from bot.settings import ROOT, Settings

QUIET_LIBRARIES = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


def child_env(settings: Settings) -> Dict[str, str]:
    """The environment for `rasa ...` and the action server.

    Rasa expands `${VAR}` in endpoints.yml and credentials.yml from it, so every
    variable those files name is set here, from the typed settings.
    """
    env = dict(os.environ)
    env.update(QUIET_LIBRARIES)
    env.update(settings.rasa_environment())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def rasa(*args: str) -> List[str]:
    """`rasa ARGS` with this interpreter (the project's virtual environment)."""
    return [sys.executable, "-m", "bot.rasa.main", *args]


def main(argv: List[str]) -> int:
    """`python -m bot.rasa.runtime ARGS`: run `rasa ARGS` with the project's environment."""
    import subprocess

    from bot import settings as settings_module

    return subprocess.run(rasa(*argv), cwd=ROOT, env=child_env(settings_module.load())).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
