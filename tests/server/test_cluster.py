"""`python -m bot.cluster` (make cluster): PostgreSQL, Redis, two Rasa servers and nginx.

Through nginx: conversations are answered and both Rasa processes serve them; a
Rasa process killed with SIGKILL costs nothing once it is gone (nginx sends its
share to the other); a second start with the same data folder says one is
running; SIGINT stops everything the cluster started.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.cluster import packages
from tests.conftest import ROOT, app_variables, free_port

READY_TIMEOUT = 240


def free_run(length: int) -> int:
    """A first port of `length` consecutive free loopback ports."""
    for _ in range(50):
        first = free_port()
        if first + length > 65535:
            continue
        sockets = []
        try:
            for port in range(first, first + length):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    pytest.fail("no run of free ports")


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def say(port: int, sender: str, message: str):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def upstreams(access_log: Path) -> list:
    return re.findall(r'"POST /webhooks/rest/webhook" 200 upstream=127\.0\.0\.1:(\d+)',
                      access_log.read_text())


def rasa_pid(port: int) -> int:
    listed = subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True).stdout
    for line in listed.splitlines():
        if "bot.rasa.main run" in line and f"--port {port} " in line:
            return int(line.split()[0])
    pytest.fail(f"no Rasa process on port {port}")


@pytest.fixture(scope="module")
def cluster():
    from bot.rasa.train import MODEL_PATH

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    for package in ("nginx", "postgresql", "redis-server"):
        packages.ensure(package)
    # not under pytest's owner-only tmp folder: as root, PostgreSQL runs as `postgres`,
    # which must pass through every folder above its own (tests/postgres.py does the same)
    folder = Path(tempfile.mkdtemp(prefix="ecm-cluster-"))
    folder.chmod(0o711)
    env = {k: v for k, v in os.environ.items() if k not in app_variables()}
    env.pop("REDIS_URL", None)
    env.update(
        {
            "RASA_PROCESSES": "2",
            "CLUSTER_PORT": str(free_port()),
            "HOST": "127.0.0.1",
            "PORT": str(free_run(2)),
            "ACTION_PORT": str(free_run(2)),
            "ECM_VAR_DIR": str(folder / "var"),
            "ECM_DEV_SECRETS_DIR": str(folder / "dev-secrets"),
            "LOG_LEVEL": "INFO",
        }
    )
    log_path = folder / "cluster.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cluster", "--no-train", "--ready-timeout", str(READY_TIMEOUT)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + READY_TIMEOUT + 60
    while b"The cluster is ready." not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            log.close()
            pytest.fail(f"cluster did not start:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.5)
    running = {"process": process, "env": env, "folder": folder, "log": log_path}
    yield running
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    log.close()
    shutil.rmtree(folder, ignore_errors=True)


def test_conversations_are_answered_by_both_rasa_processes(cluster):
    port = int(cluster["env"]["CLUSTER_PORT"])
    for number in range(6):
        status, replies = say(port, f"cluster-{number}", "hi")
        assert status == 200 and replies and replies[0].get("text")
        status, replies = say(port, f"cluster-{number}", "is it free?")
        assert status == 200 and replies
    access_log = Path(cluster["env"]["ECM_VAR_DIR"]) / "cluster" / "nginx" / "access.log"
    first = int(cluster["env"]["PORT"])
    assert set(upstreams(access_log)) == {str(first), str(first + 1)}


def test_a_second_start_says_one_is_running(cluster):
    second = subprocess.run(
        [sys.executable, "-m", "bot.cluster", "--no-train"],
        cwd=ROOT, env=cluster["env"], capture_output=True, text=True, timeout=120,
    )
    assert second.returncode == 1
    assert f"a cluster is already running (pid {cluster['process'].pid}); stop it first" in (
        second.stderr
    )


def test_a_killed_rasa_process_leaves_the_other_answering(cluster):
    port = int(cluster["env"]["CLUSTER_PORT"])
    victim = int(cluster["env"]["PORT"]) + 1
    os.kill(rasa_pid(victim), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while listening(victim) and time.monotonic() < deadline:
        time.sleep(0.1)
    for number in range(6):
        status, replies = say(port, f"after-kill-{number}", "hi")
        assert status == 200 and replies, f"message {number} after the kill: {status}"
    deadline = time.monotonic() + 30  # the cluster notices at its next look at its members
    while b"Rasa server 2 stopped" not in cluster["log"].read_bytes():
        assert time.monotonic() < deadline, "the cluster did not notice the killed process"
        time.sleep(0.2)
    # started again by the cluster, within a model load's time
    deadline = time.monotonic() + 120
    while not listening(victim):
        assert time.monotonic() < deadline, "the killed Rasa server was not started again"
        time.sleep(0.5)


def test_sigint_stops_everything_it_started(cluster):
    env = cluster["env"]
    process = cluster["process"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=90) == 0
    first, actions = int(env["PORT"]), int(env["ACTION_PORT"])
    ports = [int(env["CLUSTER_PORT"]), first, first + 1, actions, actions + 1]
    var = Path(env["ECM_VAR_DIR"]) / "cluster"
    redis_port = re.search(r"^port (\d+)$", (var / "redis" / "redis.conf").read_text(), re.M)
    ports.append(int(redis_port.group(1)))
    assert [p for p in ports if listening(p)] == []
    assert not (var / "pg" / "data" / "postmaster.pid").exists()
    left = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(var) not in left
