"""Start the cluster: `python -m bot.cluster` (what `make cluster` calls).

In order: PostgreSQL and Redis (local ones under var/cluster/ unless given by URL),
migrations, RASA_PROCESSES Rasa servers each with its own action server, then nginx
on HOST:CLUSTER_PORT; it waits until nginx answers the health check and prints
where to talk to it. Ctrl-C (or SIGTERM) stops everything it started, last first.
A second start with the same data folder says a cluster is running and exits 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Callable, List, Optional

from bot import settings as settings_module
from bot.cluster import config as cluster_config
from bot.cluster import lock, nginx, packages
from bot.cluster.processes import Members
from bot.cluster.services import LocalPostgres, LocalRedis, as_root
from bot.rasa import serve
from bot.rasa.train import MODEL_PATH, TrainingFailed, ensure_model
from bot.store import encryption, migrate, retention_schedule, sealing


class Failed(RuntimeError):
    """A step failed; the message says which, without member data."""


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 - loopback
            return json.load(reply).get("status") == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def prepare_data(settings: settings_module.Settings) -> None:
    print("Preparing the database ...", flush=True)
    try:
        migrate.upgrade(settings.database_url)
        ring = encryption.ring(settings.encryption_keys)
        sealing.seal_plain_events(settings.tracker_store_url, ring)
    except Exception as error:  # noqa: BLE001 - say what failed, then stop
        raise Failed(f"Preparing the database failed ({type(error).__name__}).") from None
    if retention_schedule.start_daily(settings):
        print(f"Member data older than {settings.retention_days} days is removed daily.")


def start_cluster(args, settings, config, stops: List[Callable[[], None]]) -> int:
    packages.ensure("nginx")
    database_url, tracker_url, redis_url = (
        config.database_url, config.tracker_store_url, config.redis_url,
    )
    if config.local_postgres:
        packages.ensure("postgresql")
        print("Starting PostgreSQL (var/cluster/pg) ...", flush=True)
        postgres = LocalPostgres(config.folder / "pg")
        stops.append(postgres.stop)
        postgres.start()
        database_url, tracker_url = postgres.url("ecm"), postgres.url("ecm_tracker")
    redis_server = None
    if config.local_redis:
        packages.ensure("redis-server")
        print("Starting Redis (var/cluster/redis) ...", flush=True)
        redis_server = LocalRedis(config.folder / "redis")
        stops.append(redis_server.stop)
        redis_url = redis_server.start().url
    public = os.environ.get("PUBLIC_BASE_URL") or f"http://localhost:{config.port}"
    settings = dataclasses.replace(
        settings, database_url=database_url, tracker_store_url=tracker_url,
        public_base_url=public.rstrip("/"),
    )
    if "redis_url" in {field.name for field in dataclasses.fields(settings)}:
        # the lock store in Redis (bot/rasa/lock_store.py): settings derive its type
        settings = dataclasses.replace(settings, redis_url=str(redis_url))
    prepare_data(settings)
    if not args.no_train:
        try:
            ensure_model()
        except TrainingFailed as error:
            raise Failed(str(error)) from None
    elif not MODEL_PATH.exists():
        raise Failed(f"No model at {MODEL_PATH}; run `make train`.")

    members = Members(settings, config.rasa_processes, {"REDIS_URL": str(redis_url)})
    busy = members.busy_ports()
    if busy:
        raise Failed(f"Ports in use: {busy} (the cluster uses PORT+i and ACTION_PORT+i).")
    print(f"Starting {config.rasa_processes} Rasa servers on ports {members.rasa_ports} "
          "and an action server for each ...", flush=True)
    stops.append(members.stop)
    members.start()
    if not members.wait_until_ready(args.ready_timeout):
        raise Failed("The Rasa servers did not become ready; see the messages above.")

    folder = config.folder / "nginx"
    nginx.prepare(folder, settings.host, config.port, members.rasa_ports)
    front = subprocess.Popen(nginx.command(folder), stdin=subprocess.DEVNULL)
    stops.append(lambda: serve.stop([front]))
    host = "127.0.0.1" if settings.host in {"0.0.0.0", "::"} else settings.host
    base = f"http://{host}:{config.port}"
    deadline = time.monotonic() + 30
    while not healthy(f"{base}/webhooks/rest/health"):
        if front.poll() is not None or time.monotonic() > deadline:
            raise Failed(f"nginx did not answer; see {folder / 'error.log'}")
        time.sleep(0.3)
    print(
        "\nThe cluster is ready.\n"
        f"  REST webhook: POST {base}/webhooks/rest/webhook\n"
        f"  Web chat:     {base}/webhooks/web/demo\n"
        f"  Health:       GET {base}/webhooks/rest/health\n"
        f"  Rasa servers: 127.0.0.1:{members.rasa_ports} behind nginx ({folder}/access.log)\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )
    while True:
        if front.poll() is not None:
            raise Failed(f"nginx stopped; see {folder / 'error.log'}. Stopping the cluster.")
        if redis_server and redis_server.process and redis_server.process.poll() is not None:
            raise Failed("Redis stopped; stopping the cluster.")
        members.restart_stopped()
        time.sleep(0.5)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="fail instead of training")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    settings = serve.checked_settings()
    if settings is None:
        return 2
    try:
        config = cluster_config.load(settings.var_dir)
    except settings_module.SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    try:
        held = lock.acquire(config.folder)
    except lock.AlreadyRunning as error:
        print(str(error), file=sys.stderr)
        return 1
    serve.owner_only(settings)
    if as_root():
        # the servers' own users (postgres, nobody) pass through to their folders,
        # which they alone can read; these two stay unlistable
        settings.var_dir.chmod(0o711)
        config.folder.chmod(0o711)
    if not settings.production:
        settings = serve.ensure_dev_secrets(settings)

    def handle_signal(signum, _frame):  # signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handle_signal)
    # also when started in the background by a shell, which leaves SIGINT ignored
    signal.signal(signal.SIGINT, handle_signal)
    stops: List[Callable[[], None]] = []
    try:
        return start_cluster(args, settings, config, stops)
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (Failed, packages.MissingPackage, RuntimeError, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for stop in reversed(stops):
            stop()
        held.close()
