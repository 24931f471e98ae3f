"""bot/rasa."""
