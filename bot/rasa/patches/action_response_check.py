"""Replaces Rasa's jsonschema.validate() of each custom-action response: ~20 ms of CPU a call.

Rasa 3.6 checks every custom-action response against a JSON schema with
`jsonschema.validate()`, which with the pinned jsonschema 4.17 first validates
the schema itself against the meta-schema: about 20 ms of CPU per custom action
call, more than the rest of the turn. The fix builds the validator once. Then
even the built validator spends about 0.3 ms per returned event trying all 23
event schemas, so a quick check that tries only the schema the event names
(see `_fast_action_response_check`) accepts valid responses, and jsonschema
judges and words the error for anything it does not accept: the same check,
the same error message.
"""

from __future__ import annotations


def _fast_action_response_check(schema: dict):  # a predicate, or None
    """A quick yes/no for Rasa's action-response schema, or None if it changed shape.

    Each event must match exactly one of 23 event schemas (`oneOf`), and both
    jsonschema and a compiled validator try all 23 on every event: about 0.3 ms
    per event, 2.6 ms for an action that resets nine slots. Every one of the 23
    pins `event` to its own constant, and `event` is required, so at most one can
    match: the one named by the event. Checking just that one (compiled by
    fastjsonschema) answers the same question in microseconds.
    """
    import fastjsonschema
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA, EVENTS_SCHEMA

    expected = {
        "type": "object",
        "properties": {
            "events": EVENTS_SCHEMA,
            "responses": {"type": "array", "items": {"type": "object"}},
        },
    }
    if schema != expected or EVENTS_SCHEMA != {"type": "array", "items": EVENT_SCHEMA}:
        return None
    base = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    if base.get("required") != ["event"] or base["properties"].get("event") != {"type": "string"}:
        return None
    by_event = {}
    for branch in EVENT_SCHEMA["oneOf"]:
        const = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(const, str) or const in by_event:
            return None
        by_event[const] = fastjsonschema.compile({**base, "allOf": [branch]})

    def check(result) -> bool:
        if not isinstance(result, dict):
            return False
        responses = result.get("responses", [])
        if not isinstance(responses, list) or not all(isinstance(r, dict) for r in responses):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for item in events:
            name = item.get("event") if isinstance(item, dict) else None
            validate = by_event.get(name) if isinstance(name, str) else None
            if validate is None:
                return False
            try:
                validate(item)
            except fastjsonschema.JsonSchemaException:
                return False
        return True

    return check


def cache_action_response_validator() -> None:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions import action as rasa_action

    if getattr(rasa_action.RemoteAction, "_ecm_validator", None) is not None:
        return
    schema = rasa_action.RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    rasa_action.RemoteAction._ecm_validator = validator_class(schema)
    fast_check = _fast_action_response_check(schema)
    rasa_action.RemoteAction._ecm_fast_check = staticmethod(fast_check or (lambda _result: False))

    def _validate_action_result(self, result):  # Rasa's signature
        if self._ecm_fast_check(result):
            return True
        # jsonschema decides whenever the quick check says no, and picks the error
        # to report as jsonschema.validate() (Rasa's call) does
        error = best_match(self._ecm_validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {rasa_action.DOCS_BASE_URL}/custom-actions"
        )
        raise error

    rasa_action.RemoteAction._validate_action_result = _validate_action_result


def install() -> None:
    """Check custom-action responses with the cached validator (idempotent)."""
    cache_action_response_validator()
