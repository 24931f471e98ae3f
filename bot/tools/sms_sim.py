"""Text the running assistant from a terminal, signed exactly as Twilio signs.

    make sms                      # or: .venv/bin/python -m bot.tools.sms_sim
    make sms FROM=+15550100001    # another pretend phone

Each line you type is sent as a Twilio webhook (form fields Body, From, To,
MessageSid, AccountSid) with an X-Twilio-Signature computed by twilio-python's
RequestValidator from TWILIO_AUTH_TOKEN (or the development token `make run`
created) and the public URL. The TwiML reply is printed as the phone would show it.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from typing import List, Optional, Tuple

from twilio.request_validator import RequestValidator

from bot import settings as settings_module

WEBHOOK_PATH = "/webhooks/twilio_sms/webhook"


def signed_request(token: str, public_url: str, params: dict) -> Tuple[bytes, dict]:
    signature = RequestValidator(token).compute_signature(public_url, params)
    body = urllib.parse.urlencode(params).encode()
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return body, headers


def send(
    server: str,
    token: str,
    public_base: str,
    phone: str,
    text: Optional[str],
    to: str = "+15550009999",
    message_sid: Optional[str] = None,
) -> Tuple[int, List[str]]:
    params = {
        "From": phone,
        "To": to,
        "MessageSid": message_sid or f"SM{uuid.uuid4().hex}",
        "AccountSid": "AC" + "0" * 32,
        "NumMedia": "0",
    }
    if text is not None:
        params["Body"] = text
    body, headers = signed_request(token, public_base + WEBHOOK_PATH, params)
    request = urllib.request.Request(  # noqa: S310 - the local server
        server + WEBHOOK_PATH, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 - loopback
            return reply.status, messages(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, []


def messages(twiml: bytes) -> List[str]:
    root = ET.fromstring(twiml)  # noqa: S314 - our own server's reply
    return [element.text or "" for element in root.iter("Message")]


def main(argv: Optional[list] = None) -> int:
    settings = settings_module.load()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="phone", default="+15550100000")
    parser.add_argument("--server", default=f"http://127.0.0.1:{settings.port}")
    args = parser.parse_args(argv)
    if not settings.twilio_auth_token:
        print(
            "No TWILIO_AUTH_TOKEN and no development token: start the assistant with "
            "`make run` first.",
            file=sys.stderr,
        )
        return 2
    print(f"Texting the assistant at {args.server} as {args.phone}. Ctrl-D to quit.")
    for line in sys.stdin:
        status, replies = send(
            args.server,
            settings.twilio_auth_token,
            settings.public_base_url,
            args.phone,
            line.rstrip("\n"),
        )
        if status != 200:
            print(f"[HTTP {status}]")
        for reply in replies:
            print(f"  < {reply}  [{len(reply)} chars]")
        if status == 200 and not replies:
            print("  (no reply)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
