"""Rasa custom actions: thin adapters over `bot/` (no work at import time)."""
