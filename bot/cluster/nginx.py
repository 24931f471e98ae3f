"""nginx in front of the Rasa processes: deploy/nginx/ecm-cluster.conf.template filled in.

Everything nginx writes (pid, logs, temporary files) stays in var/cluster/nginx/.
As root its workers run as `nobody`, which owns only the temporary-files folder.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import subprocess
from pathlib import Path
from typing import List, Sequence

from bot.cluster.packages import nginx_bin
from bot.cluster.services import as_root, owned_folder
from bot.settings import ROOT

TEMPLATE = ROOT / "deploy" / "nginx" / "ecm-cluster.conf.template"
WORKER_USER = "nobody"
# a process that fails is left out this long before nginx tries it again
FAIL_TIMEOUT_SECONDS = 10


def worker_user_line() -> str:
    if not as_root():
        return "# not root: the workers run as this user"
    group = grp.getgrgid(pwd.getpwnam(WORKER_USER).pw_gid).gr_name
    return f"user {WORKER_USER} {group};"


def render(folder: Path, listen: str, upstream_ports: Sequence[int]) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT_SECONDS}s;"
        for port in upstream_ports
    )
    fields = {
        "{{USER}}": worker_user_line(),
        "{{DIR}}": str(folder),
        "{{SERVERS}}": servers,
        "{{LISTEN}}": listen,
        "{{TRIES}}": str(len(upstream_ports)),
    }
    text = TEMPLATE.read_text()
    for field, value in fields.items():
        text = text.replace(field, value)
    if re.search(r"\{\{[A-Z]+\}\}", text):
        raise ValueError(f"{TEMPLATE} has a field nginx.py does not fill")
    return text


def listen_address(host: str, port: int) -> str:
    if host in {"0.0.0.0", "*"}:
        return str(port)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def prepare(folder: Path, host: str, port: int, upstream_ports: Sequence[int]) -> Path:
    """Write nginx.conf into `folder` (made traversable by the workers) and check it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o711 if as_root() else 0o700)
    owned_folder(folder / "tmp", WORKER_USER if as_root() else pwd.getpwuid(os.getuid()).pw_name)
    conf = folder / "nginx.conf"
    conf.write_text(render(folder, listen_address(host, port), upstream_ports))
    conf.chmod(0o600)
    checked = subprocess.run(command(folder) + ["-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused {conf}: {checked.stderr.strip()[-800:]}")
    return conf


def command(folder: Path) -> List[str]:
    return [
        nginx_bin(), "-p", f"{folder}/", "-c", str(folder / "nginx.conf"),
        "-e", str(folder / "error.log"), "-g", "daemon off;",
    ]
