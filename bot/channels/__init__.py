"""Rasa input channels: the REST webhook (web widget, scripts), later SMS."""
