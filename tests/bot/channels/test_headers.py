"""Security headers of the console and the widget."""

from __future__ import annotations

import base64
import hashlib
import re

from bot.channels import headers
from bot.channels.web import STATIC


def test_the_console_may_not_be_framed_or_run_inline_script():
    got = headers.security_headers(headers.CONSOLE_CSP, https=False, frames=False)
    assert "frame-ancestors 'none'" in got["Content-Security-Policy"]
    assert "script-src 'self';" in got["Content-Security-Policy"]
    assert "unsafe-inline" not in got["Content-Security-Policy"]
    assert got["X-Frame-Options"] == "DENY"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in got


def test_hsts_only_over_https():
    got = headers.security_headers("default-src 'self'", https=True)
    assert got["Strict-Transport-Security"].startswith("max-age=")
    assert "X-Frame-Options" not in got  # the widget's own pages may be embedded


def test_the_demo_page_style_is_allowed_by_its_hash_only():
    html = (STATIC / "demo.html").read_text(encoding="utf-8")
    csp = headers.widget_csp(html)
    (style,) = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors" not in csp


def test_no_page_has_inline_script_or_handlers():
    for page in STATIC.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert not re.search(r"\son[a-z]+\s*=", html), page.name
        if page.name.startswith("console"):
            assert "<style" not in html and "style=" not in html, page.name
