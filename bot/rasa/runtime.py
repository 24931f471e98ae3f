"""How the project starts Rasa's own commands: one environment, one interpreter.

Rasa builds its Sanic app itself; Sanic reads `SANIC_<NAME>` variables into its
config when the app is created (sanic/config.py, 21.12), so the request body limit
is set through the environment: bodies over REQUEST_MAX_BYTES get 413 on every route.
"""

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

# No member message (MAX_MESSAGE_CHARS <= 1,600) or form comes near this; Sanic's
# default is 100 MB.
REQUEST_MAX_BYTES = 64 * 1024


def child_env(settings: Settings) -> Dict[str, str]:
    """The environment for `rasa ...` and the action server.

    Rasa expands `${VAR}` in endpoints.yml and credentials.yml from it, so every
    variable those files name is set here, from the typed settings.
    """
    env = dict(os.environ)
    env.update(QUIET_LIBRARIES)
    env.update(settings.rasa_environment())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["SANIC_REQUEST_MAX_SIZE"] = str(REQUEST_MAX_BYTES)
    return env


def action_server_env(settings: Settings) -> Dict[str, str]:
    """`child_env` for the action server, which listens on loopback only and is
    called by the Rasa server alone: each call carries the whole conversation, which
    may outgrow REQUEST_MAX_BYTES, so Sanic's own limit stays there."""
    env = child_env(settings)
    env.pop("SANIC_REQUEST_MAX_SIZE")
    env["SANIC_HOST"] = settings.action_host
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
