"""Rasa input channels: REST, SMS (Twilio), the web widget's files, the agent console.

What every channel shares lives in `bot.channels.inbound`."""
