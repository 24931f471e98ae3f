"""Natural-language helpers used by the Rasa pipeline."""
