"""bot/channels/: every input channel is registered, and each has its own name."""

import importlib
import inspect
from pathlib import Path

import yaml
from rasa.core.channels.channel import InputChannel

ROOT = Path(__file__).resolve().parents[3]
CHANNELS = ROOT / "bot" / "channels"


def _channel_classes():
    for path in sorted(CHANNELS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"bot.channels.{path.stem}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, InputChannel) and cls.__module__ == module.__name__:
                yield f"{cls.__module__}.{cls.__qualname__}", cls


def test_every_channel_is_registered_in_credentials_yml():
    # a new channel module whose class is missing from credentials.yml never starts
    registered = set(yaml.safe_load((ROOT / "credentials.yml").read_text()))
    found = dict(_channel_classes())
    assert found, "no InputChannel found in bot/channels"
    assert set(found) == registered


def test_every_channel_has_its_own_name():
    # the name is the webhook path and the sender namespace (`rest:<id>`, `sms:+1...`)
    names = [cls.name() for _, cls in _channel_classes()]
    assert len(names) == len(set(names))
