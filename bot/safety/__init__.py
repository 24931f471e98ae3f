"""The safety screen: which messages need a crisis (988), emergency (911) or
urgent-need (211) reply before anything else. The rules are in `screen.py`, their
patterns in bot/content/safety/*.yml (read by `patterns.py`); the Rasa component
that runs them on every message is `bot.rasa.components.safety`."""

from bot.safety.screen import CRISIS, EMERGENCY, KINDS, URGENT_NEED, normalize, screen

__all__ = ["CRISIS", "EMERGENCY", "KINDS", "URGENT_NEED", "normalize", "screen"]
