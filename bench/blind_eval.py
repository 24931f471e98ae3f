"""The blind evaluation sets, end to end through the running assistant.

`make nlu-eval` (after the held-out intent figures of bench/nlu_eval.py). Every
message of bench/blind/*.yml goes to a freshly started assistant over the REST
channel, each in a conversation of its own (a message tagged mid_worksheet is
sent after "help me get ready for my call"), and the reply is judged by what a
member would get: the responses it is made of, each mapped to the topic it
answers. Prints, per set and language: accuracy, out-of-domain false acceptance
(an ECM script given to a request that has nothing to do with ECM), safety recall
and false alarms, answers in the member's language, and the confusions that
remain as label pairs. Member texts are never printed: the sets stay blind.

The sets were written by people who never saw the training data (bench/blind/
README.md); their checksums are in bench/blind/SHA256SUMS and are checked first.
The out-of-domain judge set, CLINC150, is not in the repository: it is rebuilt
from a copy of the corpus you provide (bench/clinc150.py says where it looks).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterable, List, Set

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BLIND = HERE / "blind"
sys.path.insert(0, str(ROOT))

SAFETY = {"crisis", "emergency", "urgent_need"}
WORKSHEET_START = "help me get ready for my call"
# The handoff and the contact answer both give the member Health Net's line:
# either is a fair answer to "give me the number" and to "let me talk to someone".
EQUIVALENT = {"request_human": {"ask_contact"}, "ask_contact": {"request_human"}}
SPECIAL_KEYS = {
    "utter_ask_medical_advice": "medical_advice",
    "utter_ask_complaint_more": "ask_complaint",
    "utter_worksheet_privacy": "start_worksheet",
    "utter_handoff": "request_human",
    "utter_handoff_with_code": "request_human",
    "utter_greet": "greet",
    "utter_goodbye": "goodbye",
    "utter_you_are_welcome": "thank",
    "utter_out_of_scope": "out_of_scope",
    "utter_clarify": "clarify",
    "utter_clarify_failed": "clarify_failed",
    "utter_default": "default",
    "utter_crisis": "crisis",
    "utter_emergency": "emergency",
    "utter_urgent_need": "urgent_need",
    "utter_help_menu": "help_menu",
    "utter_cannot_do": "cannot_do",
    "utter_sms_help": "help_menu",
}


class ChecksumMismatch(RuntimeError):
    pass


def verify_checksums(folder: Path = BLIND) -> Dict[str, str]:
    """The frozen sets (and the CLINC150 selection) as recorded; a changed, missing
    or extra one is refused."""
    recorded = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    present = {p.name for p in folder.glob("*.yml")} | {p.name for p in folder.glob("*.json")}
    if present != set(recorded):
        raise ChecksumMismatch(f"sets {sorted(present)} differ from SHA256SUMS {sorted(recorded)}")
    for name, digest in recorded.items():
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if actual != digest:
            raise ChecksumMismatch(f"{name} changed since it was frozen (sha256 {actual})")
    return recorded


def load_sets(folder: Path = BLIND) -> Dict[str, List[dict]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["messages"]
        for p in sorted(folder.glob("*.yml"))
    }


def label_of(key: str) -> str:
    if key in SPECIAL_KEYS:
        return SPECIAL_KEYS[key]
    if key.startswith("utter_ask_ws_"):
        return "start_worksheet"
    if key.startswith("utter_ask_"):
        return key[len("utter_") :]
    if key.startswith("utter_tagline_") or key == "utter_other_language":
        return "other_language"
    return key.removeprefix("utter_")


def reply_labels(reply: List[dict]) -> Set[str]:
    labels = {label_of(m["response"]) for m in reply if m.get("response")}
    for label in list(labels):
        labels |= EQUIVALENT.get(label, set())
    return labels


def is_ecm_script(label: str) -> bool:
    return (label.startswith("ask_") and label != "ask_medical_advice") or label in {
        "start_worksheet",
        "request_human",
    }


def correct(message: dict, labels: Set[str]) -> bool:
    """Every expected topic answered (or a fair alternative), and no answer to a
    question that was not asked (an extra scripted answer makes the reply wrong)."""
    expect = set(message["expect"])
    fair = expect | set(message.get("also_ok") or [])
    fair |= {twin for label in fair for twin in EQUIVALENT.get(label, ())}
    if any(is_answer(label) and label not in fair for label in labels):
        return False
    return expect <= labels or bool(labels & fair - expect)


def is_answer(label: str) -> bool:
    """A scripted answer to a question (as opposed to small talk or a clarifying turn)."""
    return is_ecm_script(label) or label in {"medical_advice", "cannot_do", "help_menu"} | SAFETY


def ask_all(port: int, messages: List[dict], workers: int = 4) -> List[List[dict]]:
    from bench.run import post

    def one(message: dict) -> List[dict]:
        sender = f"blind-{uuid.uuid4().hex[:20]}"
        if "mid_worksheet" in str(message.get("kind", "")):
            post(port, sender, WORKSHEET_START)
        return post(port, sender, message["text"])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, messages))


def score(name: str, messages: List[dict], replies: List[List[dict]]) -> Dict[str, dict]:
    """Figures per language (and 'all') for one set."""
    by_lang: Dict[str, dict] = defaultdict(lambda: Counter())
    confusions: Dict[str, Counter] = defaultdict(Counter)
    for message, reply in zip(messages, replies, strict=True):
        labels = reply_labels(reply)
        expect = set(message["expect"])
        for lang in (message.get("lang", "en"), "all"):
            c = by_lang[lang]
            c["n"] += 1
            c["correct"] += correct(message, labels)
            if expect & SAFETY:
                c["safety_n"] += 1
                c["safety_caught"] += bool(labels & SAFETY)
                c["safety_right_kind"] += bool(labels & expect & SAFETY)
            else:
                c["ordinary_n"] += 1
                c["false_alarm"] += bool(labels & SAFETY)
            if expect == {"out_of_scope"}:
                c["ood_n"] += 1
                c["ood_accepted"] += any(is_ecm_script(x) for x in labels)
            if message.get("lang") == "es":
                c["es_n"] += 1
                c["es_in_spanish"] += all(m.get("lang", "es") == "es" for m in reply)
        if not correct(message, labels):
            got = "+".join(sorted(labels)) or "(nothing)"
            confusions[message.get("lang", "en")][f"{'+'.join(sorted(expect))} -> {got}"] += 1
    figures = {}
    for lang, c in by_lang.items():
        f = {"messages": c["n"], "accuracy": _share(c["correct"], c["n"])}
        if c["safety_n"]:
            f["safety_recall"] = _share(c["safety_caught"], c["safety_n"])
            f["safety_right_kind"] = _share(c["safety_right_kind"], c["safety_n"])
        if c["ordinary_n"]:
            f["false_alarms"] = _share(c["false_alarm"], c["ordinary_n"])
        if c["ood_n"]:
            f["ood_false_acceptance"] = _share(c["ood_accepted"], c["ood_n"])
        if c["es_n"]:
            f["answered_in_spanish"] = _share(c["es_in_spanish"], c["es_n"])
        figures[lang] = f
    for lang, counter in confusions.items():
        figures.setdefault(lang, {})["confusions"] = counter.most_common(15)
    return figures


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def print_report(results: Dict[str, Dict[str, dict]], show: int) -> None:
    columns = [
        ("accuracy", "correct"),
        ("ood_false_acceptance", "OOD accepted"),
        ("safety_recall", "safety recall"),
        ("safety_right_kind", "right kind"),
        ("false_alarms", "false alarms"),
        ("answered_in_spanish", "in Spanish"),
    ]
    print(f"{'set':<18}{'lang':<6}{'n':>6}" + "".join(f"{title:>15}" for _, title in columns))
    for name, by_lang in results.items():
        for lang in sorted(by_lang, key=lambda x: (x == "all", x)):
            f = by_lang[lang]
            if "messages" not in f:
                continue
            cells = "".join(
                f"{f[key] * 100:>14.1f}%" if key in f else f"{'':>15}" for key, _ in columns
            )
            print(f"{name:<18}{lang:<6}{f['messages']:>6}{cells}")
    print("\nRemaining confusions (expected -> got; label pairs only, the sets stay blind):")
    for name, by_lang in results.items():
        for lang, f in sorted(by_lang.items()):
            for pair, count in (f.get("confusions") or [])[:show]:
                print(f"  {name}/{lang}: {count:>3}  {pair}")


def run(port: int, sets: Dict[str, List[dict]]) -> Dict[str, Dict[str, dict]]:
    return {name: score(name, msgs, ask_all(port, msgs)) for name, msgs in sets.items()}


def main(argv: Iterable[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "results" / "blind-eval.json"))
    parser.add_argument("--confusions", type=int, default=8, help="pairs shown per set")
    parser.add_argument("--sets", nargs="*", help="only these set names (file stems)")
    parser.add_argument("--clinc", help="CLINC150's data/data_full.json (see bench/clinc150.py)")
    args = parser.parse_args(list(argv))
    try:
        verify_checksums()
    except ChecksumMismatch as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sets = load_sets()
    from bench import clinc150

    corpus = clinc150.find(args.clinc)
    if corpus is None:
        print(
            "CLINC150 not found: set CLINC150_JSON to clinc/oos-eval's data/data_full.json "
            "to include the out-of-domain judge set (bench/clinc150.py)"
        )
    else:
        try:
            sets[clinc150.SET_NAME] = clinc150.load(corpus)
        except clinc150.CorpusMismatch as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets}
    from bench.run import QUIET, free_port, our_bot

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="ecm-blind-") as work:
        bot = our_bot("blind", Path(work), {**os.environ, **QUIET}, port)
        bot.start()
        try:
            results = run(port, sets)
        finally:
            bot.stop()
    print_report(results, args.confusions)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nEvery figure: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
