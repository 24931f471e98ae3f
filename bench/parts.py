"""`make bench-parts`: what each change in bot/rasa_patches.py buys, ours only.

Starts our assistant once with every change and once with each change left out
(RASA_PATCHES_OFF), one after the other on the same machine, and measures each
the way bench/run.py does: start-up to first answer, latency p50/p95 with one
client, throughput at 8 concurrent conversations, peak RSS of the Rasa server.
Prints a table and writes bench/parts.json. No baseline: `make bench` compares
with the stock bot.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from bench.run import OUR_MIX, QUIET, ROOT, Bot, free_port, latency_blocks, load_test, peak_rss_mb
from bot.rasa_patches import PATCHES

HERE = Path(__file__).resolve().parent


def variant(name: str, off: List[str], work: Path) -> Bot:
    port = free_port()
    var = work / name
    env = {
        **os.environ,
        **QUIET,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "ACTION_PORT": str(free_port()),
        "ECM_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'ecm.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{var / 'tracker.db'}",
        "RASA_PATCHES_OFF": ",".join(off),
    }
    return Bot(
        name, [sys.executable, "-m", "bot.serve", "--no-train"], ROOT, env, port, OUR_MIX, work
    )


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-messages", type=int, default=160)
    parser.add_argument("--per-client", type=int, default=16)
    args = parser.parse_args(argv)
    if not (ROOT / "models" / "ecm.tar.gz").exists():
        print("no trained model: run `make train` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="ecm-parts-"))
    plan = [("all changes", [])] + [(f"without {name}", [name]) for name in PATCHES]
    results: Dict[str, Dict[str, float]] = {}
    try:
        for name, off in plan:
            print(f"{name} ...", flush=True)
            bot = variant(name.replace(" ", "-"), off, work)
            bot.start()
            try:
                latency_blocks([bot], args.latency_messages, block=len(OUR_MIX))
                load_test([bot], 8, args.per_client)
                bot.figures["peak_rss_mb"] = round(peak_rss_mb(bot.rasa_pid()), 1)
            finally:
                bot.stop()
            results[name] = bot.figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
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
