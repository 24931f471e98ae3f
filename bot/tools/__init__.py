"""bot/tools."""
