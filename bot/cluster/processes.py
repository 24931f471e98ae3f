"""The Rasa server processes and their action servers: started, watched, restarted.

Member i is a Rasa server on 127.0.0.1:PORT+i calling its own action server on
127.0.0.1:ACTION_PORT+i. A member process that stops is started again (nginx
sends its share to the others meanwhile), at most once every RESTART_AFTER seconds.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import time
from typing import Dict, List, Optional

from bot.rasa import runtime, serve
from bot.settings import ROOT, Settings

RESTART_AFTER = 10.0


@dataclasses.dataclass
class Process:
    name: str
    command: List[str]
    env: Dict[str, str]
    process: Optional[subprocess.Popen] = None
    started_at: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def member_settings(settings: Settings, index: int) -> Settings:
    return dataclasses.replace(
        settings,
        host="127.0.0.1",
        port=settings.port + index,
        action_port=settings.action_port + index,
    )


def port_free(port: int) -> bool:
    with socket.socket() as s:
        # as the servers bind: a port still in TIME_WAIT from a last run is free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Members:
    def __init__(self, settings: Settings, count: int, extra_env: Dict[str, str]) -> None:
        self.settings = [member_settings(settings, i) for i in range(count)]
        self.processes: List[Process] = []
        for number, member in enumerate(self.settings, start=1):
            action_env = {**runtime.action_server_env(member), **extra_env}
            rasa_env = {
                **runtime.child_env(member),
                **extra_env,
                # only nginx reaches these ports: its X-Real-IP is the client's address
                "SANIC_REAL_IP_HEADER": "x-real-ip",
            }
            self.processes.append(
                Process(f"action server {number}", serve.action_server_command(member), action_env)
            )
            self.processes.append(
                Process(f"Rasa server {number}", serve.rasa_server_command(member), rasa_env)
            )

    @property
    def rasa_ports(self) -> List[int]:
        return [member.port for member in self.settings]

    def busy_ports(self) -> List[int]:
        ports = [p for m in self.settings for p in (m.port, m.action_port)]
        return [port for port in ports if not port_free(port)]

    def start(self) -> None:
        for process in self.processes:
            process.start()

    def wait_until_ready(self, timeout: float) -> bool:
        popens = [p.process for p in self.processes if p.process is not None]
        deadline = time.monotonic() + timeout
        return all(
            serve.wait_until_ready(member, popens, max(1.0, deadline - time.monotonic()))
            for member in self.settings
        )

    def restart_stopped(self) -> None:
        for process in self.processes:
            if process.process is None or process.alive():
                continue
            if time.monotonic() - process.started_at < RESTART_AFTER:
                continue
            print(
                f"The {process.name} stopped (exit {process.process.returncode}); "
                "starting it again.",
                flush=True,
            )
            process.start()

    def stop(self) -> None:
        serve.stop([p.process for p in self.processes if p.process is not None])
