"""Security headers for the console's and the web widget's responses (Sanic blueprint
response middleware): a Content-Security-Policy without inline script,
`X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and HSTS when the
assistant is served over https (PUBLIC_BASE_URL https, or the request's scheme).

The console may not be framed (`frame-ancestors 'none'`, `X-Frame-Options: DENY`).
The widget is embedded by plan sites as a script tag, which a CSP on widget.js
does not limit; its demo page allows its own inline <style> by hash only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Dict, Iterable

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

HSTS = "max-age=31536000; includeSubDomains"
_BASE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'none'"
)


def style_hashes(html: str) -> Iterable[str]:
    """CSP sources ('sha256-...') for each inline <style> element of a page."""
    for body in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S | re.I):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        yield f"'sha256-{digest}'"


def widget_csp(demo_html: str) -> str:
    styles = " ".join(["'self'", *style_hashes(demo_html)])
    return (
        f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
    )


def security_headers(csp: str, https: bool, frames: bool = True) -> Dict[str, str]:
    """The headers to add; `frames=False` also sends `X-Frame-Options: DENY`."""
    headers = {**_BASE, "Content-Security-Policy": csp}
    if not frames:
        headers["X-Frame-Options"] = "DENY"
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def protect(blueprint: Blueprint, csp: str, public_base_url: str, frames: bool = True) -> None:
    """Add the headers to every response of `blueprint`'s routes."""
    always_https = public_base_url.startswith("https://")

    @blueprint.middleware("response")
    async def security(request: Request, reply: HTTPResponse) -> None:
        https = always_https or request.scheme == "https"
        for key, value in security_headers(csp, https, frames).items():
            reply.headers.setdefault(key, value)
