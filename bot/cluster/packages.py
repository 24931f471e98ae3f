"""Debian's packages a local cluster runs on (postgresql, redis-server, nginx).

Installed when missing and this process may (root with apt-get), as
scripts/ensure-postgres does; a service the package starts on its own is stopped,
since the cluster runs servers of its own under var/cluster/.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from typing import Callable, Dict

FOUND: Dict[str, Callable[[], bool]] = {
    "postgresql": lambda: bool(glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    "redis-server": lambda: shutil.which("redis-server") is not None,
    "nginx": lambda: shutil.which("nginx") is not None or os.path.exists("/usr/sbin/nginx"),
}


class MissingPackage(RuntimeError):
    pass


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise MissingPackage("PostgreSQL is missing: sudo apt-get install -y postgresql")
    return found[-1]


def nginx_bin() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _stop_package_services(package: str) -> None:
    if package == "postgresql" and shutil.which("pg_lsclusters"):
        listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
        for line in listed.stdout.splitlines():
            version, name = line.split()[:2]
            subprocess.run(["pg_ctlcluster", version, name, "stop"], capture_output=True)
    elif shutil.which("service"):
        subprocess.run(["service", package, "stop"], capture_output=True)


def ensure(package: str) -> None:
    if FOUND[package]():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {package} from Debian's packages ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", package],
            check=False, env=env, stdout=subprocess.DEVNULL,
        )
        _stop_package_services(package)
    if not FOUND[package]():
        raise MissingPackage(f"{package} is needed: sudo apt-get install -y {package}")
