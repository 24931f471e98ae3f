"""Start the assistant: `python -m bot.rasa.serve` (what `make run` calls).

Prepares the database (migrations), trains if the model is missing or stale,
then runs the action server (127.0.0.1 only) and the Rasa server together,
waits until the REST webhook answers, and prints where to talk to it.
Ctrl-C (or SIGTERM) stops both; if either dies, the other is stopped too.
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import List, Optional

from bot import settings as settings_module
from bot.rasa import runtime
from bot.rasa.train import MODEL_PATH, TrainingFailed, ensure_model
from bot.settings import ROOT, Settings
from bot.store import migrate

STOP_GRACE_SECONDS = 10


def action_server_command(settings: Settings) -> List[str]:
    return [
        sys.executable,
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "--port",
        str(settings.action_port),
    ]


def rasa_server_command(settings: Settings) -> List[str]:
    # bot.rasa.main: Rasa's command line with the action-response validation fix
    command = [
        sys.executable,
        "-m",
        "bot.rasa.main",
        "run",
        "--model",
        str(MODEL_PATH),
        "--interface",
        settings.host,
        "--port",
        str(settings.port),
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--endpoints",
        str(ROOT / "endpoints.yml"),
    ]
    if settings.enable_api:
        # settings.load() refuses RASA_ENABLE_API without RASA_API_TOKEN.
        command += ["--enable-api", "--auth-token", str(settings.api_token)]
    return command


def local_url(settings: Settings, path: str) -> str:
    host = "127.0.0.1" if settings.host in {"0.0.0.0", "::"} else settings.host
    return f"http://{host}:{settings.port}{path}"


def wait_until_ready(settings: Settings, processes: List[subprocess.Popen], timeout: float) -> bool:
    url = local_url(settings, "/webhooks/rest/health")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 - http to loopback
                if json.load(reply).get("status") == "ok":
                    return True
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    return False


def stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ensure_dev_secrets(settings: Settings) -> Settings:
    """Local development secrets under var/ for what the environment does not set."""
    from bot.store import encryption

    made = []
    if not settings.encryption_key:
        encryption.ensure_dev_key(settings.var_dir)
        made.append(
            f"ENCRYPTION_KEY (worksheet answers): {settings.var_dir / settings_module.DEV_KEY_FILE}"
        )
    if not settings.twilio_auth_token:
        token_path = settings.var_dir / settings_module.DEV_TWILIO_TOKEN_FILE
        token_path.write_text(secrets.token_hex(16) + "\n")
        token_path.chmod(0o600)
        made.append(f"TWILIO_AUTH_TOKEN (SMS signatures; `make sms` signs with it): {token_path}")
    for line in made:
        print(f"Not set, so a local development secret is used: {line}", flush=True)
    return settings_module.load() if made else settings


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="fail instead of training")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    try:
        settings = settings_module.load()
    except settings_module.SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings = ensure_dev_secrets(settings)

    print("Preparing the database ...", flush=True)
    try:
        migrate.upgrade(settings.database_url)
    except Exception as error:  # noqa: BLE001 - say what failed, then stop
        print(
            f"Database migration failed ({type(error).__name__}); check DATABASE_URL.",
            file=sys.stderr,
        )
        return 1

    if args.no_train and not MODEL_PATH.exists():
        print(f"No model at {MODEL_PATH}; run `make train`.", file=sys.stderr)
        return 1
    if not args.no_train:
        try:
            ensure_model()
        except TrainingFailed as error:
            print(error, file=sys.stderr)
            return 1

    env = runtime.child_env(settings)
    action_env = dict(env, SANIC_HOST=settings.action_host)
    processes: List[subprocess.Popen] = []

    def handle_signal(signum, _frame):  # signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handle_signal)
    try:
        print(
            f"Starting the action server on {settings.action_host}:{settings.action_port} ...",
            flush=True,
        )
        processes.append(
            subprocess.Popen(action_server_command(settings), cwd=ROOT, env=action_env)
        )
        print(f"Starting the Rasa server on port {settings.port} ...", flush=True)
        processes.append(subprocess.Popen(rasa_server_command(settings), cwd=ROOT, env=env))
        if not wait_until_ready(settings, processes, args.ready_timeout):
            print("The assistant did not become ready; see the messages above.", file=sys.stderr)
            stop(processes)
            return 1
        webhook = local_url(settings, "/webhooks/rest/webhook")
        print(
            "\nThe assistant is ready.\n"
            f"  REST webhook: POST {webhook}\n"
            f"  Try: curl -s {webhook} -H 'Content-Type: application/json' "
            "-d '{\"sender\": \"me\", \"message\": \"hi\"}'\n"
            f"  Health:       GET {local_url(settings, '/webhooks/rest/health')}\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("A server process stopped unexpectedly; stopping the other.", file=sys.stderr)
        stop(processes)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        stop(processes)
        return 0


if __name__ == "__main__":
    sys.exit(main())
