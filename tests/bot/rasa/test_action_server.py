"""bot.rasa.action_server: rasa-sdk's server whose errors carry no member text."""

import json
import logging
import zlib

import pytest
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from bot import settings
from bot.rasa import action_server
from bot.rasa.serve import action_server_command
from bot.settings import SettingsError

SENTINEL = "ZQXSENTINEL42"


class FakeExecutor:
    """rasa-sdk's ActionExecutor.run, doing what each test needs."""

    def __init__(self, outcome):
        self.outcome = outcome

    async def run(self, action_call):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def call(next_action="action_clarify"):
    return {
        "next_action": next_action,
        "tracker": {"sender_id": "rest:a", "latest_message": {"text": SENTINEL}},
    }


def _member_text_error():
    try:
        slots = {"ws_doctors": SENTINEL}  # noqa: F841 - a local the traceback must not show
        raise KeyError(f"no answer for {SENTINEL!r}")
    except KeyError as error:
        return error


async def test_an_exception_in_an_action_answers_500_with_a_generic_body(caplog):
    caplog.set_level(logging.ERROR, logger="bot.rasa.action_server")
    body, status = await action_server.run_action(FakeExecutor(_member_text_error()), call())
    assert status == 500
    assert body == {"error": "action failed", "action_name": "action_clarify"}
    logged = caplog.text
    assert SENTINEL not in logged
    assert "action action_clarify failed (KeyError)" in logged
    assert "_member_text_error" in logged and "KeyError: [message withheld]" in logged
    assert all(record.exc_info is None for record in caplog.records)


@pytest.mark.parametrize(
    "outcome, status, body",
    [
        # a rejection: Rasa logs the "error" text at ERROR, so it is ours, not the action's
        (
            ActionExecutionRejection("action_clarify", f"rejected {SENTINEL}"),
            400,
            {
                "error": "Custom action 'action_clarify' rejected to run",
                "action_name": "action_clarify",
            },
        ),
        (
            ActionNotFoundException("action_clarify", f"no {SENTINEL}"),
            404,
            {"error": "action not found", "action_name": "action_clarify"},
        ),
        ({"events": [], "responses": []}, 200, {"events": [], "responses": []}),
    ],
)
async def test_other_outcomes_answer_as_rasa_sdk_does_minus_the_text(outcome, status, body):
    assert await action_server.run_action(FakeExecutor(outcome), call()) == (body, status)


async def test_a_caller_s_name_that_is_no_action_name_is_not_repeated(caplog):
    caplog.set_level(logging.DEBUG, logger="bot.rasa.action_server")
    executor = FakeExecutor(ActionNotFoundException(f"say {SENTINEL}"))
    body, status = await action_server.run_action(executor, call(f"say {SENTINEL}"))
    assert status == 404 and SENTINEL not in json.dumps(body) and SENTINEL not in caplog.text


@pytest.mark.parametrize("action_call", [None, [call()], "text"])
async def test_a_body_that_is_no_action_call_is_refused(action_call):
    body, status = await action_server.run_action(FakeExecutor({}), action_call)
    assert status == 400 and body == {"error": "Invalid body request"}


def test_read_action_call_reads_json_and_rasa_s_deflate():
    raw = json.dumps(call()).encode()
    assert action_server.read_action_call(raw, None) == call()
    assert action_server.read_action_call(zlib.compress(raw), "deflate") == call()
    assert action_server.read_action_call(b"{bad", None) is None
    assert action_server.read_action_call(b"not deflate", "deflate") is None


def test_test_actions_are_refused_in_production_and_outside_tests():
    env = {action_server.TEST_ACTIONS_VARIABLE: " tests.support.raising_actions , "}
    assert action_server.extra_action_packages(env, production=False) == [
        "tests.support.raising_actions"
    ]
    assert action_server.extra_action_packages({}, production=True) == []
    with pytest.raises(SettingsError, match="for tests: unset it in production"):
        action_server.extra_action_packages(env, production=True)
    with pytest.raises(SettingsError, match="only name packages under tests., not 'evil'"):
        action_server.extra_action_packages(
            {action_server.TEST_ACTIONS_VARIABLE: "evil"}, production=False
        )


def test_main_refuses_to_start_with_test_actions_in_production(monkeypatch, capsys):
    monkeypatch.setattr(action_server.logs, "install", lambda: None)  # not in pytest's process
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv(action_server.TEST_ACTIONS_VARIABLE, "tests.support.raising_actions")
    monkeypatch.setattr(action_server, "run", lambda *args: pytest.fail("started"))
    assert action_server.main(["--port", "5999"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_make_run_starts_this_server_with_rasa_sdk_s_options():
    command = action_server_command(settings.load({"ACTION_PORT": "5123"}))
    assert command[1:] == ["-m", "bot.rasa.action_server", "--actions", "actions", "--port", "5123"]
    parsed = action_server.create_argument_parser().parse_args(command[3:])
    assert (parsed.actions, parsed.port) == ("actions", 5123)


def test_the_options_are_rasa_sdk_s():
    import warnings

    with warnings.catch_warnings():  # rasa_sdk.endpoint imports sanic_cors, which warns
        warnings.simplefilter("ignore", DeprecationWarning)
        from rasa_sdk.endpoint import create_argument_parser

    def options(parser):
        return {(tuple(a.option_strings), a.dest, a.default) for a in parser._actions}

    ours = options(action_server.create_argument_parser())
    theirs = options(create_argument_parser())
    assert ours - theirs == {(("--actions",), "actions", "actions")}  # a default, as make run
    assert theirs - ours == {(("--actions",), "actions", None)}
