"""Changes to how Rasa 3.6 runs, the same answers at a fraction of the cost.

One module per change, each with an idempotent `install()`:

- `action_response_check`: custom-action responses checked by a validator
  built once and a quick per-event check, not `jsonschema.validate()`;
- `no_tensorflow`: TensorFlow kept out of the process (Rasa and thinc import it
  although nothing of ours uses it);
- `incremental_featurization`: the policies' states and the tracker's applied
  events carry on from the last call instead of replaying the conversation;
- `action_failure_reply` (behaviour, not speed): an action that fails tells the
  member to try again or call, instead of leaving them with no answer.

`install()` applies them all; `python -m bot.rasa.main` (every Rasa command the
project runs) calls it first. RASA_PATCHES_OFF=name,... leaves some out (the
names are the keys of `PATCHES`): `make bench-parts` measures each one that way.

They replace Rasa internals, so they are written for one Rasa version,
`RASA_VERSION`: importing this package with any other installed raises
`RasaVersionError`. The version is read from the package metadata, as Rasa
itself must not be imported before `install()`.
"""

from __future__ import annotations

import importlib.metadata
from typing import Callable, Dict, Iterable, Optional

from bot import settings
from bot.rasa.patches import (
    action_failure_reply,
    action_response_check,
    incremental_featurization,
    no_tensorflow,
)

RASA_VERSION = "3.6.21"  # the version requirements.lock pins; every patch was checked against it


class RasaVersionError(settings.SettingsError):
    """The installed Rasa is not the version the patches were written for.

    A SettingsError, so `python -m bot.rasa.main` reports it in one line (exit 2)
    as it does a bad setting: it is raised while this package is imported, before
    a caller could name this class.
    """


def installed_rasa_version() -> Optional[str]:
    """The installed Rasa's version (None if there is none), without importing it."""
    try:
        return importlib.metadata.version("rasa")
    except importlib.metadata.PackageNotFoundError:
        return None


def check_rasa_version() -> None:
    """Refuse any Rasa but `RASA_VERSION` (run when this package is imported)."""
    found = installed_rasa_version()
    if found == RASA_VERSION:
        return
    installed = "no rasa" if found is None else f"rasa {found}"
    message = (
        f"bot.rasa.patches were written for rasa {RASA_VERSION}, but {installed} is installed: "
        f"install rasa=={RASA_VERSION} (requirements.lock)"
    )
    if found is not None:
        message += (
            f", or check every patch against rasa {found} and then change RASA_VERSION "
            "in bot/rasa/patches/__init__.py"
        )
    raise RasaVersionError(message)


PATCHES: Dict[str, Callable[[], None]] = {
    "no_tensorflow": no_tensorflow.install,
    "action_response_check": action_response_check.install,
    "incremental_featurization": incremental_featurization.install,
    "action_failure_reply": action_failure_reply.install,
}


def install(off: Optional[Iterable[str]] = None) -> None:
    """Apply every change (idempotent) but those named in `off`, in `PATCHES` order.

    `off` defaults to RASA_PATCHES_OFF (bot/settings.py). Call it before Rasa loads
    a model; `python -m bot.rasa.main` does.
    """
    off = set(settings.rasa_patches_off() if off is None else off)
    unknown = off - set(PATCHES)
    if unknown:
        raise settings.SettingsError(
            f"RASA_PATCHES_OFF names no such change: {', '.join(sorted(unknown))} "
            f"(there are: {', '.join(PATCHES)})"
        )
    for name, installer in PATCHES.items():
        if name not in off:
            installer()


check_rasa_version()
