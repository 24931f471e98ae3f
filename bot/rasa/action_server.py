"""`python -m bot.rasa.action_server`: rasa-sdk's action server, without member text in
its error replies or logs (what `make run` starts; same options as `python -m rasa_sdk`).

rasa-sdk 3.6's own server answers an exception in an action with status 500 and
`{"error": str(exception), "request_body": <the whole tracker>}`, and logs the
traceback with the exception's message; Rasa then logs that reply in full (its
`ClientResponseError` carries the body). This one runs the same `ActionExecutor`,
but:

- an exception in an action answers 500 `{"error": "action failed", "action_name": ...}`
  and logs the action's name, the exception's type and its frames (no message,
  no local variables: `bot.logs.safe_traceback`);
- an `ActionExecutionRejection` answers 400 with a fixed message (Rasa logs the
  message at ERROR), an unknown action 404; any other failure a fixed message;
- every log record of the process goes through `bot.logs` (`install()`).

ECM_TEST_ACTIONS (tests only, never with APP_ENV=production): comma-separated
packages under `tests.` whose actions are registered after `--actions`, so a
test can replace an action by name (rasa-sdk keeps the last registration).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import zlib
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from bot import logs
from bot.settings import SettingsError

logger = logging.getLogger("bot.rasa.action_server")  # also when run as __main__

TEST_ACTIONS_VARIABLE = "ECM_TEST_ACTIONS"
ACTION_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
APP_NAME = "ecm_action_server"


def extra_action_packages(env: Mapping[str, str], production: bool) -> List[str]:
    """The packages ECM_TEST_ACTIONS names, or SettingsError if they may not be loaded."""
    names = [name.strip() for name in env.get(TEST_ACTIONS_VARIABLE, "").split(",")]
    names = [name for name in names if name]
    if names and production:
        raise SettingsError(f"{TEST_ACTIONS_VARIABLE} is for tests: unset it in production")
    outside = [name for name in names if not name.startswith("tests.")]
    if outside:
        raise SettingsError(
            f"{TEST_ACTIONS_VARIABLE} may only name packages under tests., not {outside[0]!r}"
        )
    return names


def loggable_name(name: Any) -> str:
    """An action name as given by the caller, if it looks like one (else a placeholder)."""
    return name if isinstance(name, str) and ACTION_NAME.match(name) else "(not an action name)"


async def run_action(executor: Any, action_call: Any) -> Tuple[Any, int]:
    """The reply body and status for one `/webhook` call, as rasa-sdk's, minus member text."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    if not isinstance(action_call, dict):
        return {"error": "Invalid body request"}, 400
    name = loggable_name(action_call.get("next_action"))
    try:
        return await executor.run(action_call), 200
    except ActionExecutionRejection:
        logger.debug("action %s rejected to run", name)
        return {"error": f"Custom action '{name}' rejected to run", "action_name": name}, 400
    except ActionNotFoundException:
        logger.error("no action named %s is registered", name)
        return {"error": "action not found", "action_name": name}, 404
    except Exception as error:  # noqa: BLE001 - any failure of an action's code
        logger.error(
            "action %s failed (%s)\n%s",
            name,
            type(error).__name__,
            logs.safe_traceback(error),
        )
        return {"error": "action failed", "action_name": name}, 500


def read_action_call(body: bytes, content_encoding: Optional[str]) -> Any:
    """The request's JSON (deflate-compressed when Rasa compresses), or None."""
    try:
        if content_encoding == "deflate":
            body = zlib.decompress(body)
        return json.loads(body or b"null")
    except (zlib.error, ValueError):
        return None


def create_app(
    packages: Sequence[str], cors_origins: Any = None, auto_reload: bool = False
) -> Any:
    """rasa-sdk's `create_app`: `/health`, `/webhook` and `/actions`, with safe errors."""
    from rasa_sdk import utils
    from rasa_sdk.endpoint import configure_cors
    from rasa_sdk.executor import ActionExecutor
    from sanic import Sanic, response
    from sanic.exceptions import SanicException

    app = Sanic(APP_NAME, configure_logging=False)
    configure_cors(app, cors_origins)
    executor = ActionExecutor()
    for package in packages:  # in order: a later package's action replaces one of the same name
        executor.register_package(package)

    @app.get("/health")
    async def health(_request: Any) -> Any:
        return response.json({"status": "ok"})

    @app.post("/webhook")
    async def webhook(request: Any) -> Any:
        action_call = read_action_call(request.body, request.headers.get("Content-Encoding"))
        if isinstance(action_call, dict):
            utils.check_version_compatibility(action_call.get("version"))
        if auto_reload:
            executor.reload()
        body, status = await run_action(executor, action_call)
        return response.json(body, status=status)

    @app.get("/actions")
    async def actions(_request: Any) -> Any:
        if auto_reload:
            executor.reload()
        return response.json([{"name": name} for name in executor.actions])

    @app.exception(Exception)
    async def failed(request: Any, error: Exception) -> Any:
        status = error.status_code if isinstance(error, SanicException) else 500
        if status >= 500:
            logger.error("%s %s failed (%s)", request.method, request.path, type(error).__name__)
        return response.json({"error": "request failed"}, status=status)

    return app


def run(args: Any, packages: Sequence[str]) -> None:
    """rasa-sdk's `endpoint.run`, with our app."""
    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    logger.info("Starting action endpoint server...")
    app = create_app(packages, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")  # as rasa-sdk: bot.rasa.serve sets it
    logger.info(
        "Action endpoint is up and running on %s://%s:%s",
        "https" if ssl_context else "http",
        host,
        args.port,
    )
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


def create_argument_parser() -> argparse.ArgumentParser:
    """`python -m rasa_sdk`'s options (rasa_sdk.endpoint builds the same parser)."""
    from rasa_sdk import utils
    from rasa_sdk.cli.arguments import add_endpoint_arguments

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_endpoint_arguments(parser)
    utils.add_logging_level_option_arguments(parser)
    utils.add_logging_file_arguments(parser)
    parser.set_defaults(actions="actions")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    logs.install()
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME

    from bot import settings

    args = create_argument_parser().parse_args(argv)
    extra: List[str] = []
    try:
        if os.environ.get(TEST_ACTIONS_VARIABLE):
            extra = extra_action_packages(os.environ, settings.load().production)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # logging as `python -m rasa_sdk` sets it up
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    if extra:
        logger.warning("registering test actions from %s", ", ".join(extra))
    run(args, [args.actions, *extra])
    return 0


if __name__ == "__main__":
    sys.exit(main())
