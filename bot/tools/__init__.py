"""Command-line tools for people: scripted-answer checks and the SMS simulator."""
