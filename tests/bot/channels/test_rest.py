"""bot/channels/rest.py: who may use the generic REST webhook."""

import json

import pytest

from bot import settings as settings_module
from bot.channels.rest import RestChannel

TOKEN = "a-long-random-rest-token"


def channel(tmp_path, **env):
    return RestChannel(settings=settings_module.load({"ECM_DEV_SECRETS_DIR": str(tmp_path), **env}))


def test_development_without_a_token_is_open(tmp_path):
    assert channel(tmp_path).refusal(None) is None


@pytest.mark.parametrize(
    "authorization, allowed",
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),  # the scheme is case-insensitive (RFC 7235)
        (None, False),
        ("", False),
        ("Bearer", False),
        ("Bearer ", False),
        (f"Bearer {TOKEN}x", False),
        (f"Bearer {TOKEN[:-1]}", False),
        (f"Basic {TOKEN}", False),
        (TOKEN, False),  # no scheme
    ],
)
def test_with_a_token_every_request_needs_it(tmp_path, authorization, allowed):
    refused = channel(tmp_path, REST_API_TOKEN=TOKEN).refusal(authorization)
    assert (refused is None) is allowed
    if refused is not None:
        assert refused.status == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_production_without_a_token_is_off(tmp_path):
    refused = channel(tmp_path, APP_ENV="production").refusal(f"Bearer {TOKEN}")
    assert refused is not None and refused.status == 403
    assert "REST_API_TOKEN" in json.loads(refused.body)["error"]


def test_production_with_a_token_needs_it(tmp_path):
    rest = channel(tmp_path, APP_ENV="production", REST_API_TOKEN=TOKEN)
    assert rest.refusal(f"Bearer {TOKEN}") is None
    assert rest.refusal(None).status == 401
