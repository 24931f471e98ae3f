"""`make bench-parts`: what each change in bot/rasa/patches/ buys, ours only.

Starts our assistant once with every change and once with each change left out
(RASA_PATCHES_OFF), one after the other on the same machine, and measures each
the way bench/run.py does: start-up to first answer, latency p50/p95 with one
client, throughput at 8 concurrent conversations, peak RSS of the Rasa server.
Each variant runs `--rounds` times (order alternating) and the table shows the
means; the load test's conversations are 48 messages long by default, so what
grows with a conversation's length shows. Prints a table and writes
bench/parts.json. No baseline: `make bench` compares with the stock bot.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from bench.run import (
    OUR_MIX,
    QUIET,
    ROOT,
    Bot,
    free_port,
    latency_blocks,
    load_test,
    our_bot,
    peak_rss_mb,
)
from bot.rasa.patches import PATCHES

HERE = Path(__file__).resolve().parent


def variant(name: str, off: List[str], work: Path) -> Bot:
    env = {**os.environ, **QUIET, "RASA_PATCHES_OFF": ",".join(off)}
    return our_bot(name, work, env, free_port())


def measure(name: str, off: List[str], work: Path, args: argparse.Namespace) -> Dict[str, float]:
    bot = variant(name.replace(" ", "-"), off, work)
    bot.start()
    try:
        latency_blocks([bot], args.latency_messages, block=len(OUR_MIX))
        load_test([bot], 8, args.per_client)
        bot.figures["peak_rss_mb"] = round(peak_rss_mb(bot.rasa_pid()), 1)
    finally:
        bot.stop()
    return bot.figures


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-messages", type=int, default=192)
    parser.add_argument(
        "--per-client", type=int, default=48, help="messages per conversation at 8 clients"
    )
    parser.add_argument("--rounds", type=int, default=2, help="each variant this many times")
    args = parser.parse_args(argv)
    if not (ROOT / "models" / "ecm.tar.gz").exists():
        print("no trained model: run `make train` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="ecm-parts-"))
    plan = [("all changes", [])] + [(f"without {name}", [name]) for name in PATCHES]
    runs: Dict[str, List[Dict[str, float]]] = {name: [] for name, _ in plan}
    try:
        for round_no in range(args.rounds):
            # alternate the order, so a drift in the machine's speed evens out
            for name, off in plan if round_no % 2 == 0 else plan[::-1]:
                print(f"round {round_no + 1}: {name} ...", flush=True)
                runs[name].append(measure(name, off, work, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {
        name: {
            key: round(statistics.mean(run[key] for run in figures), 2)
            for key in figures[0]
            if all(isinstance(run.get(key), int | float) for run in figures)
        }
        for name, figures in runs.items()
    }
    (HERE / "parts.json").write_text(json.dumps(results, indent=2) + "\n")
    columns = [
        ("start-up s", "startup_s"),
        ("p50 ms", "p50_ms"),
        ("p95 ms", "p95_ms"),
        ("msg/s @8", "throughput_8"),
        ("RSS MB", "peak_rss_mb"),
    ]
    print(f"\n{'':34s}" + "".join(f"{label:>12s}" for label, _ in columns))
    for name, figures in results.items():
        print(f"{name:34s}" + "".join(f"{figures.get(key, 'n/a')!s:>12s}" for _, key in columns))
    print(f"\nWrote {HERE / 'parts.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
