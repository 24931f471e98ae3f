"""`make bench`: our assistant against the stock `rasa init` bot, same machine, same run.

Builds the baseline bot in a temporary folder, trains both, starts both, and
measures, alternating between them where it matters:

- training time (`rasa init --no-prompt`, which trains the starter bot; ours
  `python -m bot.rasa.train --force`);
- seconds from process start to the first answer over REST;
- latency p50/p95/p99 with one client (200 messages each, in alternating blocks);
- throughput and p95 with 8 and 32 concurrent conversations (errors counted);
- peak RSS (VmHWM) of each Rasa server process;
- our NLU accuracy on the held-out sets (bench/nlu_eval.py).

Prints a table and writes bench/results.json with every figure for both bots
and the ratios ours/baseline (ratio_p50, ratio_p95, ratio_throughput_8,
ratio_throughput_32, ratio_startup, ratio_rss, ratio_train).

Our message mix: FAQ questions, worksheet turns (custom actions and the form),
a Spanish message, a clarify turn. The baseline's: its own starter data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

OUR_MIX = [
    "hi",
    "what is ecm",
    "does it cost money?",
    "can I keep my doctor",
    "help me get ready for my call",
    "Dr. Lee at the county clinic",
    "skip",
    "the senior center",
    "food and rides",
    "when can I start?",
    "yes",
    "cuanto cuesta el programa?",
    "can they help me get rides to the doctor",
    "the thing",
    "who is on my care team",
    "bye",
]
BASELINE_MIX = [
    "hi",
    "I am sad",
    "yes",
    "great",
    "no",
    "are you a bot?",
    "bye",
    "hello there",
    "I am very happy",
    "perfect",
    "not really",
    "goodbye",
    "good morning",
    "very bad",
    "indeed",
    "see you",
]
QUIET = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, sender: str, message: str, timeout: float = 30) -> list:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
        return json.load(reply)


def children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def peak_rss_mb(pid: int) -> float:
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Bot:
    def __init__(
        self,
        name: str,
        command: List[str],
        cwd: Path,
        env: Dict[str, str],
        port: int,
        mix: List[str],
        log_dir: Path,
    ) -> None:
        self.name, self.command, self.cwd, self.env, self.port, self.mix = (
            name,
            command,
            cwd,
            env,
            port,
            mix,
        )
        self.log_path = log_dir / f"bench-{name}.log"
        self.process: Optional[subprocess.Popen] = None
        self.figures: Dict[str, float] = {}

    def start(self, timeout: float = 300) -> None:
        started = time.monotonic()
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}")
            try:
                if post(self.port, f"warmup-{uuid.uuid4().hex}", "hi", timeout=5):
                    self.figures["startup_s"] = round(time.monotonic() - started, 2)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def rasa_pid(self) -> int:
        """The Rasa server process (ours runs under bot.rasa.serve beside the action server)."""
        todo = [self.process.pid]
        while todo:
            pid = todo.pop()
            words = cmdline(pid).split()
            if "run" in words and ("rasa" in words or "bot.rasa.main" in words):
                return pid
            todo.extend(children(pid))
        raise RuntimeError(f"no Rasa server process under {self.name}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def our_bot(name: str, work: Path, env: Dict[str, str], port: int) -> Bot:
    """Our assistant as `make run` starts it, with its files under `work`."""
    var = work / f"{name}-var"
    our_env = {
        **env,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "ACTION_PORT": str(free_port()),
        "ECM_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'ecm.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{var / 'tracker.db'}",
    }
    command = [sys.executable, "-m", "bot.rasa.serve", "--no-train"]
    return Bot(name, command, ROOT, our_env, port, OUR_MIX, work)


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency_blocks(bots: List[Bot], total: int, block: int) -> None:
    samples: Dict[str, List[float]] = {bot.name: [] for bot in bots}
    sent = 0
    round_no = 0
    while sent < total:
        for bot in bots:
            sender = f"lat-{round_no}-{uuid.uuid4().hex[:8]}"
            for i in range(block):
                message = bot.mix[i % len(bot.mix)]
                began = time.perf_counter()
                post(bot.port, sender, message)
                samples[bot.name].append((time.perf_counter() - began) * 1000)
        sent += block
        round_no += 1
    for bot in bots:
        values = samples[bot.name]
        bot.figures.update(
            {
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "latency_samples": len(values),
            }
        )


async def _load(bot: Bot, clients: int, per_client: int) -> Dict[str, float]:
    import aiohttp

    latencies: List[float] = []
    errors = 0

    async def conversation(session: aiohttp.ClientSession, index: int) -> None:
        nonlocal errors
        sender = f"load-{clients}-{index}-{uuid.uuid4().hex[:8]}"
        for i in range(per_client):
            began = time.perf_counter()
            try:
                async with session.post(
                    f"http://127.0.0.1:{bot.port}/webhooks/rest/webhook",
                    json={"sender": sender, "message": bot.mix[i % len(bot.mix)]},
                ) as reply:
                    payload = await reply.json()
                    if reply.status != 200 or not isinstance(payload, list):
                        errors += 1
            except Exception:  # noqa: BLE001 - counted, not hidden
                errors += 1
            latencies.append((time.perf_counter() - began) * 1000)

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        began = time.perf_counter()
        await asyncio.gather(*(conversation(session, i) for i in range(clients)))
        elapsed = time.perf_counter() - began
    return {
        "throughput": round(len(latencies) / elapsed, 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "errors": errors,
        "messages": len(latencies),
    }


def load_test(bots: List[Bot], clients: int, per_client: int) -> None:
    for bot in bots:  # one after the other: each gets the whole machine
        result = asyncio.run(_load(bot, clients, per_client))
        bot.figures[f"throughput_{clients}"] = result["throughput"]
        bot.figures[f"p95_ms_at_{clients}"] = result["p95_ms"]
        bot.figures[f"errors_at_{clients}"] = result["errors"]


def timed(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> float:
    began = time.monotonic()
    with open(log, "wb") as out:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed; see {log}")
    return round(time.monotonic() - began, 1)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-messages", type=int, default=200)
    parser.add_argument("--per-client", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the baseline folder")
    args = parser.parse_args(argv)

    env = {**os.environ, **QUIET}
    work = Path(tempfile.mkdtemp(prefix="ecm-bench-"))
    print(f"Working in {work}", flush=True)
    results: Dict[str, Dict[str, float]] = {}
    try:
        print("Creating and training the baseline bot (rasa init), then ours ...", flush=True)
        (work / "baseline").mkdir()
        # `rasa init --no-prompt` scaffolds the starter bot and trains it: that is the
        # baseline's training time (the scaffolding itself takes well under a second).
        baseline_train = timed(
            [
                sys.executable,
                "-m",
                "rasa",
                "init",
                "--no-prompt",
                "--init-dir",
                str(work / "baseline"),
            ],
            work,
            env,
            work / "baseline-train.log",
        )
        ours_train = timed(
            [sys.executable, "-m", "bot.rasa.train", "--force"], ROOT, env, work / "ours-train.log"
        )

        base_port, our_port = free_port(), free_port()
        baseline = Bot(
            "baseline",
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--port",
                str(base_port),
                "--interface",
                "127.0.0.1",
            ],
            work / "baseline",
            env,
            base_port,
            BASELINE_MIX,
            work,
        )
        ours = our_bot("ours", work, env, our_port)
        print("Starting both (one at a time, timing start-up) ...", flush=True)
        for bot in (baseline, ours):
            bot.start()
            print(f"  {bot.name}: first answer after {bot.figures['startup_s']} s", flush=True)
        print("Latency with one client (alternating blocks) ...", flush=True)
        latency_blocks([baseline, ours], args.latency_messages, block=len(OUR_MIX))
        for clients in (8, 32):
            print(f"Load with {clients} concurrent conversations ...", flush=True)
            load_test([baseline, ours], clients, args.per_client)
        for bot in (baseline, ours):
            bot.figures["peak_rss_mb"] = round(peak_rss_mb(bot.rasa_pid()), 1)
        baseline.figures["train_s"] = baseline_train
        ours.figures["train_s"] = ours_train
        for bot in (baseline, ours):
            bot.stop()
            bot.process = None

        print("Held-out NLU accuracy (ours) ...", flush=True)
        from bench import nlu_eval

        nlu = nlu_eval.run(ROOT / "models" / "ecm.tar.gz", ["en", "es"])
        for language in ("en", "es"):
            if language in nlu:
                ours.figures[f"nlu_accuracy_{language}"] = nlu[language]["accuracy"]
                ours.figures[f"nlu_macro_f1_{language}"] = nlu[language]["macro_f1"]
        results = {"baseline": baseline.figures, "ours": ours.figures}
    finally:
        for bot in (locals().get("baseline"), locals().get("ours")):
            if bot is not None and bot.process is not None and bot.process.poll() is None:
                bot.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    b, o = results["baseline"], results["ours"]
    ratios = {
        "ratio_p50": round(o["p50_ms"] / b["p50_ms"], 3),
        "ratio_p95": round(o["p95_ms"] / b["p95_ms"], 3),
        "ratio_throughput_8": round(o["throughput_8"] / b["throughput_8"], 2),
        "ratio_throughput_32": round(o["throughput_32"] / b["throughput_32"], 2),
        "ratio_startup": round(o["startup_s"] / b["startup_s"], 3),
        "ratio_rss": round(o["peak_rss_mb"] / b["peak_rss_mb"], 3),
        "ratio_train": round(o["train_s"] / b["train_s"], 3),
    }
    results.update(ratios)
    results["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")

    rows = [
        ("latency p50 (ms, 1 client)", "p50_ms"),
        ("latency p95 (ms, 1 client)", "p95_ms"),
        ("latency p99 (ms, 1 client)", "p99_ms"),
        ("throughput, 8 clients (msg/s)", "throughput_8"),
        ("p95 at 8 clients (ms)", "p95_ms_at_8"),
        ("errors at 8 clients", "errors_at_8"),
        ("throughput, 32 clients (msg/s)", "throughput_32"),
        ("p95 at 32 clients (ms)", "p95_ms_at_32"),
        ("errors at 32 clients", "errors_at_32"),
        ("start-up to first answer (s)", "startup_s"),
        ("peak RSS of the Rasa server (MB)", "peak_rss_mb"),
        ("training time (s)", "train_s"),
        ("held-out NLU accuracy, en", "nlu_accuracy_en"),
        ("held-out NLU macro F1, en", "nlu_macro_f1_en"),
        ("held-out NLU accuracy, es", "nlu_accuracy_es"),
        ("held-out NLU macro F1, es", "nlu_macro_f1_es"),
    ]
    print(f"\n{'measure':38s} {'baseline':>10s} {'ours':>10s}")
    for label, key in rows:
        print(f"{label:38s} {str(b.get(key, 'n/a')):>10s} {str(o.get(key, 'n/a')):>10s}")
    print()
    for key, value in ratios.items():
        print(f"{key:22s} {value}")
    print(f"\nWrote {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
