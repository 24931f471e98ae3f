"""Scripted-answer checks: does a member message get the answer agents expect?

A check file (YAML) lists `{message, expect?, contains?}` items. `expect` is a
domain response key whose text must appear in the reply, or a list of them (a
message that asks two things gets both answers); `contains` lists text
fragments that must. The same file runs in `make test`, from the command line
and (later) from the agent console.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple, Union

import yaml

from bot.content import variation_language
from bot.settings import ROOT

DEFAULT_CHECKS = ROOT / "tests" / "script_checks.yml"


@dataclass(frozen=True)
class Check:
    message: str
    expect: Union[str, Tuple[str, ...], None] = None
    contains: List[str] = field(default_factory=list)
    language: Optional[str] = None  # "es": the Spanish variation must be the one given


@dataclass(frozen=True)
class Result:
    check: Check
    passed: bool
    reply: str
    problems: List[str]


def load_checks(path: Path = DEFAULT_CHECKS) -> List[Check]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    checks = []
    for item in data.get("checks", []):
        if not item.get("message") or not (item.get("expect") or item.get("contains")):
            raise ValueError(f"a check needs a message and expect or contains: {item!r}")
        checks.append(
            Check(
                item["message"],
                tuple(item["expect"])
                if isinstance(item.get("expect"), list)
                else item.get("expect"),
                list(item.get("contains") or []),
                item.get("language"),
            )
        )
    return checks


@lru_cache(maxsize=8)
def response_texts(
    domain_path: Path = ROOT / "domain.yml", language: Optional[str] = None
) -> Dict[str, List[str]]:
    """Every response key with the texts of its variations (of one language, if given).

    Read once per process and shared: callers must not change it."""
    responses = yaml.safe_load(domain_path.read_text(encoding="utf-8"))["responses"]
    return {
        key: [
            v["text"]
            for v in variations
            if v.get("text") and (language is None or variation_language(v) == language)
        ]
        for key, variations in responses.items()
    }


def judge(check: Check, reply: str, responses: Dict[str, List[str]]) -> Result:
    problems = []
    if check.language:
        responses = response_texts(language=check.language)
    for key in [check.expect] if isinstance(check.expect, str) else check.expect or []:
        texts = responses.get(key)
        if texts is None:
            problems.append(f"no response named {key}")
        elif not any(text in reply for text in texts):
            problems.append(f"the reply is not {key}")
    for fragment in check.contains:
        if fragment not in reply:
            problems.append(f"missing {fragment!r}")
    return Result(check, not problems, reply, problems)


def run_checks(
    checks: List[Check],
    ask: Callable[[str, str], str],
    responses: Optional[Dict[str, List[str]]] = None,
) -> List[Result]:
    """`ask(conversation_id, message)` returns the assistant's whole reply text."""
    responses = responses or response_texts()
    return [
        judge(check, ask(f"check-{index}", check.message), responses)
        for index, check in enumerate(checks)
    ]


def main(argv: Optional[List[str]] = None) -> int:
    """`make check-scripts`: run the check file against a running assistant over REST."""
    import argparse
    import json
    import sys
    import urllib.request
    import uuid

    from bot import settings as settings_module

    parser = argparse.ArgumentParser(description="Run the scripted-answer checks")
    parser.add_argument("--server", default=f"http://127.0.0.1:{settings_module.load().port}")
    parser.add_argument("--file", type=Path, default=DEFAULT_CHECKS)
    args = parser.parse_args(argv)
    headers = {"Content-Type": "application/json"}
    token = settings_module.load().rest_api_token
    if token:  # the REST channel then needs it (REST_API_TOKEN)
        headers["Authorization"] = f"Bearer {token}"

    def ask(conversation: str, message: str) -> str:
        body = json.dumps({"sender": f"check-{uuid.uuid4().hex}", "message": message}).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured assistant
            f"{args.server}/webhooks/rest/webhook", data=body, headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
            return "\n".join(m.get("text") or "" for m in json.load(reply))

    try:
        results = run_checks(load_checks(args.file), ask)
    except OSError as error:
        print(
            f"cannot reach the assistant at {args.server} ({error}); start it with `make run`",
            file=sys.stderr,
        )
        return 2
    for result in results:
        mark = "pass" if result.passed else "FAIL"
        print(
            f"{mark}  {result.check.message}"
            + (
                ""
                if result.passed
                else f"\n      {'; '.join(result.problems)}\n      reply: {result.reply!r}"
            )
        )
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
