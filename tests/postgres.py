"""A throwaway PostgreSQL server for tests, from Debian's `postgresql` package.

`scripts/ensure-postgres` (run by `make pytest`, hence by `.ci/run`) installs the
package when it is missing. The server runs on loopback on a free port with its
data in a fresh folder that is removed afterwards; as root it runs as the
package's `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

import pytest

USER = "ecm"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail("PostgreSQL is missing: `apt-get install -y postgresql` (make pytest does it)")
    return found[-1]


class PostgresServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="ecm-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, command: List[str], **kwargs) -> subprocess.CompletedProcess:
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        self._run([_bin("initdb"), "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8"])
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            [_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
             str(self.folder / "server.log"), "-w", "start"],
            timeout=60,
        )
        return self

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def psql(self, database: str, sql: str) -> str:
        return subprocess.run(
            [_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", database,
             "-At", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout

    def dump(self, database: str) -> bytes:
        """Everything pg_dump writes for the database (schema and rows)."""
        return subprocess.run(
            [_bin("pg_dump"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, database],
            check=True, capture_output=True,
        ).stdout

    def stop(self) -> None:
        try:
            self._run([_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                      timeout=60)
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def started(port: int, attempts: int = 3) -> PostgresServer:
    error: Optional[Exception] = None
    for _ in range(attempts):
        server = PostgresServer(port)
        try:
            return server.start()
        except subprocess.CalledProcessError as failed:
            error = failed
            server.stop()
            time.sleep(1)
    pytest.fail(f"PostgreSQL did not start: {getattr(error, 'stderr', error)}")
