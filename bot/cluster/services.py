"""The local PostgreSQL and Redis servers of a one-machine cluster, under var/cluster/.

PostgreSQL listens on a Unix socket only, in its own owner-only folder (no TCP
port, so no other local user can reach it); as root it runs as the package's
`postgres` user, which owns that folder. Redis listens on loopback behind a
password made at each start (in an owner-only config file, never on a command line).
Both keep their data between runs.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import List, Optional

from bot.cluster.packages import postgres_bin

USER = "ecm"
DATABASES = ("ecm", "ecm_tracker")


def as_root() -> bool:
    return os.geteuid() == 0


def owned_folder(path: Path, user: str) -> Path:
    """An owner-only folder; as root, owned by `user` (its parents must be traversable)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if as_root():
        entry = pwd.getpwnam(user)
        for item in [path, *path.rglob("*")]:
            os.lchown(item, entry.pw_uid, entry.pw_gid)
    path.chmod(0o700)
    return path


class LocalPostgres:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.socket_dir = folder / "run"

    def _run(self, command: List[str], timeout: float = 60) -> subprocess.CompletedProcess:
        if as_root():
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def _checked(self, command: List[str], what: str) -> None:
        done = self._run(command)
        if done.returncode != 0:
            hint = (
                " (as root it runs as `postgres`, which must be able to pass through "
                f"every folder above {self.folder})" if as_root() else ""
            )
            raise RuntimeError(f"PostgreSQL {what} failed: {done.stderr.strip()[-500:]}{hint}")

    def start(self) -> LocalPostgres:
        owned_folder(self.folder, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._checked(
                [postgres_bin("initdb"), "-D", str(self.data), "-U", USER, "-A", "trust",
                 "-E", "UTF8"],
                "initdb",
            )
        self.socket_dir.mkdir(mode=0o700, exist_ok=True)
        owned_folder(self.socket_dir, "postgres")
        # left running by a cluster that was killed: stop it, then start afresh
        self.stop()
        options = f"-k {self.socket_dir} -c listen_addresses=''"
        self._checked(
            [postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options,
             "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start"],
            "start",
        )
        for name in DATABASES:
            if not self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608 - constant names
                self._psql(f'CREATE DATABASE "{name}"')
        return self

    def _psql(self, sql: str) -> str:
        return subprocess.run(
            [postgres_bin("psql"), "-h", str(self.socket_dir), "-U", USER, "-d", "postgres",
             "-At", "-c", sql],
            check=True, capture_output=True, text=True, timeout=30,
        ).stdout.strip()

    def url(self, database: str) -> str:
        socket_dir = urllib.parse.quote(str(self.socket_dir), safe="/")
        return f"postgresql://{USER}@/{database}?host={socket_dir}"

    def stop(self, timeout: float = 60) -> None:
        """Fast shutdown (SIGINT to the postmaster), as `pg_ctl -m fast stop` does, but
        sent from here: it needs no access to the data folder's parents."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGINT)
        except (OSError, ValueError, IndexError):
            return  # not running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalRedis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.password = secrets.token_urlsafe(24)
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30) -> LocalRedis:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        conf = self.folder / "redis.conf"
        conf.touch(mode=0o600)
        conf.chmod(0o600)
        conf.write_text(
            "# made by bot/cluster/services.py at each start\n"
            f"bind 127.0.0.1\nport {self.port}\nprotected-mode yes\n"
            f"requirepass {self.password}\n"
            f'dir "{self.folder}"\nlogfile "{self.folder / "redis.log"}"\ndaemonize no\n'
        )
        redis_server = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(
            [redis_server, str(conf)], stdin=subprocess.DEVNULL, start_new_session=True
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server stopped; see {self.folder / 'redis.log'}")
            try:
                if client.ping():
                    return self
            except redis.RedisError:
                time.sleep(0.2)
        raise RuntimeError(f"redis-server did not answer in {timeout} s")

    def stop(self, grace: float = 10) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
