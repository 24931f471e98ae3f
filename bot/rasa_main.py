"""`python -m bot.rasa_main run ...`: Rasa's own command line, with one fix applied.

Rasa 3.6 checks every custom-action response against a JSON schema with
`jsonschema.validate()`, which with the pinned jsonschema 4.17 first validates
the schema itself against the meta-schema: about 20 ms of CPU per custom action
call, more than the rest of the turn. The fix builds the validator once and
validates each response against it: the same check, the same error message.
"""

from __future__ import annotations

import sys


def install() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions import action as rasa_action

    if getattr(rasa_action.RemoteAction, "_ecm_validator", None) is not None:
        return
    schema = rasa_action.RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    rasa_action.RemoteAction._ecm_validator = validator_class(schema)

    def _validate_action_result(self, result):  # noqa: ANN001, ANN202 - Rasa's signature
        try:
            self._ecm_validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your "
                "response from the Action endpoint is valid. For more information about "
                f"the format visit {rasa_action.DOCS_BASE_URL}/custom-actions"
            )
            raise error

    rasa_action.RemoteAction._validate_action_result = _validate_action_result


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    sys.argv[0] = "rasa"
    main()
