"""Writes the worksheet's part of domain.yml from bot/content/worksheet.yml.

Rasa reads a static domain, so the worksheet's slots, its form's required_slots
and its privacy, question and review responses are generated into domain.yml,
between `# BEGIN generated worksheet <part>` and `# END generated worksheet <part>`
comment lines; everything else in domain.yml is left as it is.

Run `python -m bot.rasa.worksheet_domain` after editing bot/content/worksheet.yml
(then `make train`); `--check` only says whether domain.yml is up to date (exit 1
if not).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from bot import worksheet
from bot.settings import ROOT

DOMAIN_PATH = ROOT / "domain.yml"
COMMAND = "python -m bot.rasa.worksheet_domain"
FORM = "worksheet_form"
SMS_CHANNEL = "twilio_sms"
# The safety screen's intents: their messages are never taken as an answer.
NOT_ANSWERS = "[crisis, emergency, urgent_need]"
PARTS = ("slots", "form", "questions", "review")
_MARKER = re.compile(r"^\s*# (BEGIN|END) generated worksheet (\w+)\b")


def fill(template: str, **values: object) -> str:
    """`template` with the {names} given filled in; other {names} are left for Rasa."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def scalar(text: str, language: str) -> str:
    """`text` as a YAML scalar in the style domain.yml has always used: English in
    double quotes; Spanish plain where YAML reads it back unchanged, else in single
    quotes, or double quotes when it has line breaks."""
    if language == worksheet.LANGUAGES[0] or "\n" in text:
        written = json.dumps(text, ensure_ascii=False)
    elif _reads_back(text, text):
        written = text
    else:
        written = "'" + text.replace("'", "''") + "'"
    if not _reads_back(written, text):
        raise ValueError(f"cannot write {text!r} in domain.yml")
    return written


def _reads_back(written: str, text: str) -> bool:
    try:
        return yaml.safe_load(f"text: {written}") == {"text": text}
    except yaml.YAMLError:
        return False


def response(name: str, variations: Sequence[Tuple[str, Optional[str], str]]) -> List[str]:
    """A response's lines; variations are (language, channel or None, text), English
    first. Each language's SMS variation comes before its default one."""
    lines = [f"  {name}:"]
    for language in worksheet.LANGUAGES:
        if language != worksheet.LANGUAGES[0]:
            lines.append("")
        ours = [v for v in variations if v[0] == language]
        for _, channel, text in sorted(ours, key=lambda v: v[1] is None):
            head = "  - "
            if channel:
                lines.append(f"{head}channel: {channel}")
                head = "    "
            if language != worksheet.LANGUAGES[0]:
                lines += [
                    f"{head}condition:",
                    "    - type: slot",
                    "      name: language",
                    f"      value: {language}",
                ]
                head = "    "
            lines.append(f"{head}text: {scalar(text, language)}")
    return lines


def _slot(slot: str) -> List[str]:
    return [
        f"  {slot}:",
        "    type: text",
        "    influence_conversation: false",
        "    mappings:",
        "    - type: from_text",
        f"      not_intent: {NOT_ANSWERS}",
        "      conditions:",
        f"      - active_loop: {FORM}",
        f"        requested_slot: {slot}",
    ]


def parts(sheet: worksheet.Worksheet) -> Dict[str, List[str]]:
    """The lines of each generated part of domain.yml."""
    templates, total = sheet.templates, len(sheet.questions)
    intro = templates["intro"]
    questions = response(
        "utter_worksheet_privacy",
        [
            (lang, ch, fill(intro[lang][key], total=total))
            for lang in worksheet.LANGUAGES
            for ch, key in ((SMS_CHANNEL, "sms"), (None, "web"))
        ],
    )
    for n, q in enumerate(sheet.questions, start=1):
        asked = [(lang, None, q.text[lang]) for lang in worksheet.LANGUAGES]
        asked += [
            (lang, SMS_CHANNEL, q.sms[lang]) for lang in worksheet.LANGUAGES if q.sms.get(lang)
        ]
        questions += response(
            f"utter_ask_{q.slot}",
            [
                (lang, ch, fill(templates["ask"][lang], n=n, total=total, text=text))
                for lang, ch, text in asked
            ],
        )
    review = []
    for lang in worksheet.LANGUAGES:
        words = templates["review"][lang]
        lines = [
            fill(
                words["line"],
                n=n,
                label=q.label[lang],
                answer="{" + worksheet.ANSWER_KEY.format(n=n) + "}",
            )
            for n, q in enumerate(sheet.questions, start=1)
        ]
        review += [
            (lang, SMS_CHANNEL, fill(words["sms"], total=total)),
            (lang, None, "\n".join([words["heading"], *lines])),
        ]
    return {
        "slots": [line for q in sheet.questions for line in _slot(q.slot)],
        "form": [f"    - {q.slot}" for q in sheet.questions],
        "questions": questions,
        "review": response("utter_worksheet_review", review),
    }


def render(domain_text: str, sheet: worksheet.Worksheet = worksheet.SHEET) -> str:
    """domain.yml's text with every generated part rewritten from `sheet`."""
    generated, out, inside = parts(sheet), [], None
    seen = set()
    for number, line in enumerate(domain_text.splitlines(), start=1):
        marker = _MARKER.match(line)
        begins = marker and marker[1] == "BEGIN" and inside is None
        if begins and marker[2] in generated and marker[2] not in seen:
            inside = marker[2]
            out.append(line)
            out += generated[inside]
        elif marker and marker[1] == "END" and marker[2] == inside:
            seen.add(inside)
            inside = None
            out.append(line)
        elif marker:
            raise ValueError(f"domain.yml line {number}: unexpected {line.strip()!r}")
        elif inside is None:
            out.append(line)
    missing = [p for p in PARTS if p not in seen]
    if inside or missing:
        raise ValueError(f"domain.yml has no complete generated worksheet {inside or missing[0]}")
    return "\n".join(out) + "\n"


def main(argv: Optional[list] = None, domain_path: Path = DOMAIN_PATH) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if domain.yml is out of date")
    args = parser.parse_args(argv)
    current = domain_path.read_text(encoding="utf-8")
    try:
        wanted = render(current)
    except ValueError as error:  # missing markers, or text YAML cannot hold
        print(error, file=sys.stderr)
        return 2
    if wanted == current:
        print(f"{domain_path.name} is up to date with bot/content/worksheet.yml")
        return 0
    if args.check:
        print(
            f"{domain_path.name} is out of date with bot/content/worksheet.yml: run `{COMMAND}`",
            file=sys.stderr,
        )
        return 1
    domain_path.write_text(wanted, encoding="utf-8")
    print(f"{domain_path.name}: the worksheet's parts rewritten (now run `make train`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
