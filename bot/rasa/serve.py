"""Start the assistant: `python -m bot.rasa.serve` (what `make run` calls).

Prepares the database (migrations), trains if the model is missing or stale,
then runs the action server (127.0.0.1 only) and the Rasa server together,
waits until the REST webhook answers, and prints where to talk to it.
Ctrl-C (or SIGTERM) stops both; if either dies, the other is stopped too.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import List, Optional

from bot import production
from bot import settings as settings_module
from bot.rasa import runtime
from bot.rasa.train import MODEL_PATH, TrainingFailed, ensure_model
from bot.settings import ROOT, Settings
from bot.store import encryption, migrate, retention_schedule, sealing

STOP_GRACE_SECONDS = 10


def action_server_command(settings: Settings) -> List[str]:
    # bot.rasa.action_server: rasa-sdk's server, no member text in its errors or logs
    return [
        sys.executable,
        "-m",
        "bot.rasa.action_server",
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
    """Development secrets, outside the data folder and owner-only, for what is unset."""
    secrets_dir = settings.dev_secrets_dir
    moved = move_legacy_dev_secrets(settings)
    made = []
    if not settings.encryption_keys:
        encryption.ensure_dev_key(secrets_dir)
        made.append(f"ENCRYPTION_KEYS: {secrets_dir / settings_module.DEV_KEY_FILE}")
    if not settings.twilio_auth_token:
        token_path = secrets_dir / settings_module.DEV_TWILIO_TOKEN_FILE
        encryption.write_secret(token_path, production.DEV_TOKEN_PREFIX + secrets.token_hex(16))
        made.append(f"TWILIO_AUTH_TOKEN (SMS signatures; `make sms` signs with it): {token_path}")
    for line in made:
        print(f"Not set, so a development-only secret is used: {line}", flush=True)
    return settings_module.load() if made or moved else settings


# Where versions before the key ring kept development secrets: in the data folder.
LEGACY_DEV_SECRETS = {
    "dev-encryption.key": settings_module.DEV_KEY_FILE,
    "dev-twilio-token": settings_module.DEV_TWILIO_TOKEN_FILE,
}


def move_legacy_dev_secrets(settings: Settings) -> bool:
    """Move development secrets out of the data folder (earlier versions kept them
    there), so what they encrypted stays readable. True if any was moved."""
    from bot.store import encryption

    moved = False
    for old_name, new_name in LEGACY_DEV_SECRETS.items():
        old = settings.var_dir / old_name
        if old.exists():
            value = old.read_text().strip()
            if value and encryption.write_secret(settings.dev_secrets_dir / new_name, value):
                print(f"Moved the development secret {old_name} out of the data folder.")
                old.unlink()
                moved = True
            else:
                print(f"Note: {old} is an old development secret; delete it when unneeded.")
    return moved


def checked_settings() -> Optional[Settings]:
    """The settings, or None after saying why they cannot run (a bad value, or what
    APP_ENV=production refuses)."""
    try:
        settings = settings_module.load()
    except settings_module.SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return None
    refused = production.problems(settings)
    for problem in refused:
        print(f"APP_ENV=production refuses to start: {problem}", file=sys.stderr)
    return None if refused else settings


def owner_only(settings: Settings) -> None:
    """Everything the assistant creates from here on is readable by its user only."""
    os.umask(0o077)
    settings.var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.var_dir.chmod(0o700)
    for path in settings.var_dir.glob("*.db*"):
        path.chmod(0o600)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="fail instead of training")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    settings = checked_settings()
    if settings is None:
        return 2
    owner_only(settings)
    if not settings.production:
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
    try:
        ring = encryption.ring(settings.encryption_keys)
        sealed = sealing.seal_plain_events(settings.tracker_store_url, ring)
    except Exception as error:  # noqa: BLE001 - say what failed, then stop
        print(f"Encrypting stored conversations failed ({type(error).__name__}).", file=sys.stderr)
        return 1
    if sealed:
        print(f"Encrypted {sealed} conversation events stored before encryption.", flush=True)
    if retention_schedule.start_daily(settings):
        print(f"Member data older than {settings.retention_days} days is removed daily.")

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
    action_env = runtime.action_server_env(settings)
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
            + ("-H \"Authorization: Bearer $REST_API_TOKEN\" " if settings.rest_api_token else "")
            + "-d '{\"sender\": \"me\", \"message\": \"hi\"}'\n"
            f"  Web chat:     {local_url(settings, '/webhooks/web/demo')}\n"
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
