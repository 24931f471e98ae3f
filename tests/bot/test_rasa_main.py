import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_main


def test_the_cached_validator_accepts_and_refuses_like_rasa():
    rasa_main.install()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})
