"""Shared fixtures: a tracker factory for actions, a real database, a running assistant."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: Optional[str] = None,
    confidence: float = 1.0,
    sender_id: str = "rest:test",
    events: Optional[List[dict]] = None,
    active_loop: Optional[str] = None,
    requested_slot: Optional[str] = None,
    intent_ranking: Optional[List[dict]] = None,
    entities: Optional[List[dict]] = None,
):
    """A rasa_sdk Tracker as an action would receive it."""
    from rasa_sdk import Tracker

    slot_values = dict(slots or {})
    if requested_slot is not None:
        slot_values["requested_slot"] = requested_slot
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "intent_ranking": intent_ranking or [],
        "entities": entities or [],
    }
    return Tracker(
        sender_id=sender_id,
        slots=slot_values,
        latest_message=parse,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )


@pytest.fixture
def tracker_factory():
    return make_tracker


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """A migrated SQLite database of its own, wired into bot.store for the test."""
    from bot import store
    from bot.store import migrate

    url = f"sqlite:///{tmp_path / 'ecm.db'}"
    migrate.upgrade(url)
    store.configure(url)
    yield url
    store.get_engine().dispose()


def production_env() -> Dict[str, str]:
    """Settings that APP_ENV=production accepts (bot/production.py), fresh key each call."""
    from cryptography.fernet import Fernet

    return {
        "APP_ENV": "production",
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "TWILIO_AUTH_TOKEN": "a-real-token-from-twilio",
        "PUBLIC_BASE_URL": "https://chat.example.org",
        "LOG_LEVEL": "INFO",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_variables() -> set:
    """The names .env.example lists (commented or not): the application's settings."""
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.lstrip("# ").split("=", 1)[0]
        if "=" in line and name.isupper() and name.replace("_", "").isalnum():
            names.add(name)
    return names


class RunningAssistant:
    """The whole assistant (`python -m bot.rasa.serve`) in a subprocess, for real HTTP tests."""

    def __init__(self, var_dir: Path, log_path: Path, extra_env: Optional[dict] = None) -> None:
        self.port = free_port()
        self.var_dir = var_dir
        self.log_path = log_path
        # the caller's own settings (a real TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, ...) never
        # reach the assistant under test: every variable of .env.example is set here or unset
        self.env = {k: v for k, v in os.environ.items() if k not in app_variables()}
        self.env.update(
            {
                "PORT": str(self.port),
                "HOST": "127.0.0.1",
                "ACTION_PORT": str(free_port()),
                "ECM_VAR_DIR": str(var_dir),
                "ECM_DEV_SECRETS_DIR": str(var_dir.parent / (var_dir.name + "-dev-secrets")),
                "DATABASE_URL": f"sqlite:///{var_dir / 'ecm.db'}",
                "TRACKER_STORE_URL": f"sqlite:///{var_dir / 'tracker.db'}",
                "LOG_LEVEL": "INFO",
            }
        )
        self.env.update(extra_env or {})
        self.process: Optional[subprocess.Popen] = None

    def dev_secret(self, name: str) -> str:
        """A development secret `make run` made (DEV_KEY_FILE, DEV_TWILIO_TOKEN_FILE)."""
        return (Path(self.env["ECM_DEV_SECRETS_DIR"]) / name).read_text().strip()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> None:
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.rasa.serve", "--no-train", "--ready-timeout", str(timeout)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"assistant exited early:\n{self.log_path.read_text()[-4000:]}")
            if b"The assistant is ready." in self.log_path.read_bytes():
                return
            time.sleep(0.5)
        raise RuntimeError(
            f"assistant not ready in {timeout} s:\n{self.log_path.read_text()[-4000:]}"
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
        self.log.close()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Optional[dict] = None,
        raw: Optional[bytes] = None,
    ):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def say(self, sender: str, message: Any) -> List[dict]:
        status, payload = self.request(
            "POST", "/webhooks/rest/webhook", {"sender": sender, "message": message}
        )
        assert status == 200, payload
        return json.loads(payload)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[RunningAssistant]:
    """One running assistant for the whole test session (needs a trained model)."""
    from bot.rasa.train import MODEL_PATH

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    var_dir = tmp_path_factory.mktemp("assistant")
    running = RunningAssistant(var_dir, var_dir / "server.log")
    running.start()
    yield running
    running.stop()


@pytest.fixture
def encryption_key(monkeypatch) -> str:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    monkeypatch.setenv("ENCRYPTION_KEYS", key)
    return key


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium is missing: `apt-get install -y chromium` (.ci/run does it)")
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (tests using it are marked `browser`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def pytest_collection_modifyitems(items):
    """tests/server/* are server tests; a test that uses Chromium is a browser test."""
    for item in items:
        if "tests/server/" in item.nodeid or "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.server)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def redis_url():
    """A throwaway redis-server (Debian's package, scripts/ensure-redis) for a module."""
    from tests.redis_server import RedisServer

    subprocess.run([str(ROOT / "scripts" / "ensure-redis")], check=True)
    server = RedisServer().start()
    yield server.url
    server.stop()
