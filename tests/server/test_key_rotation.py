"""`python -m bot.keys rotate` over a store of more than 10,000 events: the assistant
keeps answering the same conversations afterwards, under the new key alone."""

import re
import sqlite3
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from bot.rasa.tracker_store import seal
from bot.store import encryption
from tests.conftest import ROOT, RunningAssistant

pytestmark = pytest.mark.server


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def keys_command(assistant: RunningAssistant, keys: str, command: str):
    env = dict(assistant.env, ENCRYPTION_KEYS=keys)
    return subprocess.run(
        [sys.executable, "-m", "bot.keys", command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


def test_rotation_of_a_large_store_keeps_every_conversation(tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    var_dir = tmp_path / "var"
    assistant = RunningAssistant(var_dir, tmp_path / "one.log", {"ENCRYPTION_KEYS": old})
    assistant.start()
    try:
        assert "Question 1 of 5" in texts(assistant.say("rot", "help me get ready for my call"))
        assert "Question 2 of 5" in texts(assistant.say("rot", "Dr. Lee"))
    finally:
        assistant.stop()
    ring = encryption.KeyRing([old])
    with sqlite3.connect(var_dir / "tracker.db") as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
            [
                (f"rest:other{i % 400}", 1.7e9 + i, seal(ring, {"event": "user", "text": f"t{i}"}))
                for i in range(10_000)
            ],
        )
    rotated = keys_command(assistant, f"{new},{old}", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    count = int(re.search(r"conversation events: (\d+) rows, (\d+) re-encrypted", rotated.stdout)[2])
    assert count > 10_000
    assert "100%" in rotated.stderr  # the progress bar ran to the end
    assert keys_command(assistant, new, "check").returncode == 0  # nothing needs the old key
    assert keys_command(assistant, old, "check").returncode == 1

    again = RunningAssistant(var_dir, tmp_path / "two.log", {"ENCRYPTION_KEYS": new})
    again.start()
    try:
        # the worksheet goes on where it was: the slots were read back under the new key
        assert "Question 3 of 5" in texts(again.say("rot", "my knee"))
        assert "does not cost" in texts(again.say("rot", "how much does ecm cost"))
    finally:
        again.stop()
