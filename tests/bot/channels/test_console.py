"""The console's bounded sign-in pool and its table of route roles."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bot.channels import console


async def test_the_sign_in_pool_is_bounded_and_other_work_goes_on():
    pool = console.HashPool(workers=2, waiting=1)
    release = threading.Event()
    held = [asyncio.create_task(pool.run(release.wait, 10)) for _ in range(3)]
    await asyncio.sleep(0.05)
    started = time.monotonic()
    with pytest.raises(console.Busy):
        await pool.run(time.sleep, 0)  # the fourth is refused at once, not queued
    # meanwhile the default executor (database work of SMS and web replies) answers
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, lambda: "sms reply") == "sms reply"
    assert time.monotonic() - started < 0.5
    release.set()
    assert await asyncio.gather(*held) == [True, True, True]
    assert pool.pending == 0
    assert await pool.run(lambda: "free again") == "free again"


def test_every_route_has_a_role_and_the_tools_need_the_right_one():
    roles = console.route_roles()
    assert set(roles) == set(console.console_routes())
    assert {r for r, role in roles.items() if role is None} == console.PUBLIC_ROUTES
    for route in (
        ("POST", "/api/lookup"),
        ("GET", "/api/audit"),
        ("GET", "/api/audit.csv"),
        ("GET", "/api/accounts"),
        ("POST", "/api/accounts"),
        ("POST", "/api/accounts/change"),
    ):
        assert roles[route] == console.SUPERVISOR
    for route in (("POST", "/api/try"), ("POST", "/api/checks"), ("GET", "/api/catalog")):
        assert roles[route] == console.AGENT


def test_the_client_address_is_what_sanic_trusts():
    class Request:
        remote_addr = ""  # no trusted proxy configured: X-Forwarded-For is not read
        ip = "198.51.100.4"
        headers = {"X-Forwarded-For": "203.0.113.99"}

    assert console.client_address(Request()) == "198.51.100.4"
    Request.remote_addr = "203.0.113.5"  # Sanic's forwarded info, when configured
    assert console.client_address(Request()) == "203.0.113.5"
