"""Intent accuracy on held-out member messages: `python -m bench.nlu_eval`.

Reads bench/heldout/<lang>.yml (messages never used for training), parses each
with the trained model (models/ecm.tar.gz, the whole NLU pipeline including
the safety screen) and prints accuracy, macro F1, how often the assistant would
ask "did you mean" instead of answering, the confusion pairs that remain, and
the safety screen's misses and false alarms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

SAFETY_KINDS = ("crisis", "emergency", "urgent_need")


def load_examples(path: Path) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]


async def parse_all(model: Path, texts: List[str]) -> List[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bot.rasa import patches

    patches.install()  # the server's way of running Rasa
    configure_structlog(logging.WARNING)  # not a debug line per parsed message
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def predicted_intent(parse: dict) -> str:
    for item in parse.get("intent_ranking") or [parse.get("intent") or {}]:
        if item.get("name") and item["name"] != "nlu_fallback":
            return item["name"]
    return "nlu_fallback"


def evaluate(examples: List[dict], parses: List[dict]) -> Dict[str, object]:
    from sklearn.metrics import accuracy_score, f1_score

    truth = [e["intent"] for e in examples]
    predicted = [predicted_intent(p) for p in parses]
    fallback = sum(1 for p in parses if (p.get("intent") or {}).get("name") == "nlu_fallback")
    confusions = Counter((t, p) for t, p in zip(truth, predicted, strict=False) if t != p)
    safety_cases = [
        (e, p) for e, p in zip(examples, parses, strict=False) if e["intent"] in SAFETY_KINDS
    ]
    screen_misses = [e["text"] for e, p in safety_cases if p.get("safety_screen") != e["intent"]]
    return {
        "messages": len(examples),
        "intents": len(set(truth)),
        "accuracy": round(accuracy_score(truth, predicted), 4),
        "macro_f1": round(f1_score(truth, predicted, average="macro", zero_division=0), 4),
        "clarify_rate": round(fallback / max(1, len(examples)), 4),
        "confusions": [[t, p, n] for (t, p), n in confusions.most_common()],
        "safety_cases": len(safety_cases),
        "safety_screen_misses": screen_misses,
    }


def false_alarms(path: Path) -> Dict[str, object]:
    from bot import safety

    negatives = [e["text"] for e in load_examples(path)]
    flagged = [t for t in negatives if safety.screen(t)]
    return {"negatives": len(negatives), "false_alarms": len(flagged), "flagged": flagged}


def run(model: Path, languages: List[str]) -> Dict[str, object]:
    results: Dict[str, object] = {}
    for language in languages:
        path = HERE / "heldout" / f"{language}.yml"
        if not path.exists():
            continue
        examples = load_examples(path)
        parses = asyncio.run(parse_all(model, [e["text"] for e in examples]))
        results[language] = evaluate(examples, parses)
    negatives = HERE / "heldout" / "safety_negatives.yml"
    if negatives.exists():
        results["safety_negatives"] = false_alarms(negatives)
    return results


def report(results: Dict[str, object]) -> str:
    lines = []
    for language, r in results.items():
        if language == "safety_negatives":
            continue
        lines.append(f"[{language}] {r['messages']} held-out messages, {r['intents']} intents")
        lines.append(f"  accuracy  {r['accuracy']:.3f}")
        lines.append(f"  macro F1  {r['macro_f1']:.3f}")
        lines.append(f"  asked 'did you mean' instead of answering: {r['clarify_rate']:.1%}")
        lines.append(
            f"  safety screen: {r['safety_cases'] - len(r['safety_screen_misses'])}"
            f"/{r['safety_cases']} caught"
        )
        for text in r["safety_screen_misses"]:
            lines.append(f"    MISSED: {text}")
        if r["confusions"]:
            lines.append("  confusions (expected -> predicted, count):")
            for t, p, n in r["confusions"]:
                lines.append(f"    {t} -> {p}: {n}")
    negatives = results.get("safety_negatives")
    if negatives:
        lines.append(
            f"[safety negatives] false alarms: {negatives['false_alarms']}"
            f"/{negatives['negatives']} (cheap by design, listed for review)"
        )
        for text in negatives["flagged"]:
            lines.append(f"    flagged: {text}")
    return "\n".join(lines)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "ecm.tar.gz")
    parser.add_argument("--languages", nargs="+", default=["en", "es"])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    results = run(args.model, args.languages)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
