"""Changes to how Rasa 3.6 runs, the same answers at a fraction of the cost.

`install()` applies them all; `python -m bot.rasa.main` (every Rasa command the
project runs) calls it first. RASA_PATCHES_OFF=name,... leaves some out (the
names are the keys of `PATCHES`): `make bench-parts` measures each one that way.

1. Rasa 3.6 checks every custom-action response against a JSON schema with
   `jsonschema.validate()`, which with the pinned jsonschema 4.17 first validates
   the schema itself against the meta-schema: about 20 ms of CPU per custom action
   call, more than the rest of the turn. The fix builds the validator once. Then
   even the built validator spends about 0.3 ms per returned event trying all 23
   event schemas, so a quick check that tries only the schema the event names
   (see `_fast_action_response_check`) accepts valid responses, and jsonschema
   judges and words the error for anything it does not accept: the same check,
   the same error message.

2. Rasa 3.6's core imports `rasa.utils.train_utils` on the way to every policy
   (policy -> featurizers -> entity extractor), and train_utils imports
   TensorFlow at its top only to define Keras training callbacks. Our pipeline
   and policies use no TensorFlow, yet the import costs about 400 MB of memory
   and seconds of start-up in every server process. `defer_train_utils()` puts a
   placeholder module in its place that loads the real one on the first use of
   any of its names, so a configuration that does use TensorFlow (DIET, TED)
   loads it exactly as before, and ours never does.

   Loading a model also resolves every class of its *training* graph, and that
   graph's recipe validator imports DIET, TED and ResponseSelector (and so
   TensorFlow) to compare classes. A server only runs the prediction graph, so
   `defer_train_schema()` reads the training graph when something first asks for
   it (fine-tuning does), not when the model is loaded.

   And spaCy's maths library, thinc, imports TensorFlow at its top if it is
   installed, only to offer TensorFlow-wrapped layers (our spaCy pipeline has
   none). `import_thinc_without_tensorflow()` imports thinc once with
   TensorFlow hidden from it, so thinc records "no TensorFlow" and spaCy works
   as usual; anything else may still import TensorFlow later.

3. The policies featurize the whole conversation again for every prediction, and
   the tracker works out its applied events (undos taken out) from the first
   event on every call; `featurize_history_incrementally()` and
   `apply_events_incrementally()` carry on from where the last call got to
   instead (see there). Every story test runs through them, and
   tests/test_incremental_states.py checks each call against Rasa's own.
"""

from __future__ import annotations

import importlib
import importlib.abc
import itertools
import sys
import types
from typing import Iterable, Optional

DEFERRED_MODULE = "rasa.utils.train_utils"


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its names is used, then becomes it.

    Python's own `importlib.util.LazyLoader` does not help here: on 3.10 every
    later `import` of the module reads `__spec__`, which makes it load at once.
    This placeholder answers dunder lookups itself and loads on anything else.
    """

    def __getattr__(self, name: str):  # noqa: ANN204 - any attribute
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        real = self._ecm_load()
        return getattr(real, name)

    def _ecm_load(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return real


def defer_train_utils() -> None:
    """Keep TensorFlow out of the process unless a component really needs it."""
    if DEFERRED_MODULE in sys.modules:
        return
    import rasa.utils

    placeholder = _DeferredModule(DEFERRED_MODULE)
    sys.modules[DEFERRED_MODULE] = placeholder
    rasa.utils.train_utils = placeholder


class _DeferredGraphSchema:
    """A model's training graph, parsed on first use instead of at model load."""

    def __init__(self, serialized: dict) -> None:
        self._ecm_serialized = serialized
        self._ecm_schema = None

    def _ecm_get(self):  # noqa: ANN202 - a GraphSchema
        if self._ecm_schema is None:
            from rasa.engine.graph import GraphSchema

            self._ecm_schema = GraphSchema.from_dict(self._ecm_serialized)
        return self._ecm_schema

    def __getattr__(self, name: str):  # noqa: ANN204 - any attribute of GraphSchema
        if name.startswith("_ecm_"):
            raise AttributeError(name)
        return getattr(self._ecm_get(), name)


def defer_train_schema() -> None:
    from rasa.engine.storage.storage import ModelMetadata

    if getattr(ModelMetadata, "_ecm_deferred", False):
        return
    original = ModelMetadata.from_dict.__func__

    def from_dict(cls, serialized):  # noqa: ANN001, ANN202 - Rasa's signature
        train_schema = serialized["train_schema"]
        metadata = original(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = _DeferredGraphSchema(train_schema)
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)
    ModelMetadata._ecm_deferred = True


class _HideModules(importlib.abc.MetaPathFinder):
    def __init__(self, names: set) -> None:
        self.names = names

    def find_spec(self, fullname, path, target=None):  # noqa: ANN001, ANN201
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} is hidden while thinc loads", name=fullname)
        return None


def import_thinc_without_tensorflow() -> None:
    if "thinc.compat" in sys.modules:
        return
    hide = _HideModules({"tensorflow"})
    sys.meta_path.insert(0, hide)
    try:
        importlib.import_module("thinc.compat")
    finally:
        sys.meta_path.remove(hide)


def _fast_action_response_check(schema: dict):  # noqa: ANN202 - a predicate, or None
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

    def check(result) -> bool:  # noqa: ANN001
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

    def _validate_action_result(self, result):  # noqa: ANN001, ANN202 - Rasa's signature
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


class _Replay:
    """Where featurizing one tracker's history got to: the replayed tracker, the
    applied events it has taken in, the states before each of its actions, and
    the rule-turn bookkeeping of `Domain.states_for_tracker_history`."""

    __slots__ = ("domain", "tracker", "applied", "states", "last_ml_action", "hidden")

    def __init__(self, domain, tracker) -> None:  # noqa: ANN001
        self.domain = domain
        self.tracker = tracker
        self.applied: list = []
        self.states: list = []
        self.last_ml_action = None
        self.hidden = False


def _state_before_action(domain, replay, tracker, hide_rule_turn, omit, ignore, rule_only):  # noqa: ANN001, ANN202, PLR0913
    """The body of Rasa's loop in `states_for_tracker_history`, for one prior tracker."""
    from rasa.shared.core.constants import PREVIOUS_ACTION

    if ignore:
        if not replay.hidden:
            replay.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if (
            not tracker.followup_action
            and not tracker.latest_action_name == tracker.active_loop_name
        ):
            replay.hidden = hide_rule_turn
        if replay.hidden:
            return None
    state = domain.get_active_state(tracker, omit_unset_slots=omit)
    if ignore:
        domain._remove_rule_only_features(state, rule_only)
        if replay.states:
            domain._substitute_rule_only_user_input(state, replay.states[-1])
        if replay.last_ml_action:
            state[PREVIOUS_ACTION] = replay.last_ml_action
    return domain._clean_state(state)


def _copy_state(state: dict) -> dict:
    return {kind: dict(sub) if isinstance(sub, dict) else sub for kind, sub in state.items()}


def featurize_history_incrementally() -> None:
    """Rasa's policies turn the whole conversation into states on every prediction.

    `Domain.states_for_tracker_history` replays every event of the tracker from the
    start, several times per member message, so a turn costs more the longer the
    conversation. The states before each action depend only on the applied events
    up to it, so this version keeps, on the tracker object, where the last replay
    got to and carries on from there when the applied events still begin with the
    ones it replayed (by identity). When they do not (an undo, a restart, a loop's
    unhappy path rewritten), or the domain changed, it replays from the start, as
    Rasa does. Every call returns fresh copies: callers may edit the states.
    """
    import json

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted

    if getattr(Domain, "_ecm_incremental", False):
        return

    def states_for_tracker_history(
        self, tracker, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None
    ):  # noqa: ANN001, ANN202 - Rasa's signature
        applied = tracker.applied_events()
        key = (
            omit_unset_slots,
            ignore_rule_only_turns,
            json.dumps(rule_only_data, sort_keys=True, default=str),
        )
        replays = tracker.__dict__.setdefault("_ecm_replays", {})
        replay = replays.get(key)
        if (
            replay is None
            or replay.domain is not self
            or len(replay.applied) > len(applied)
            or any(old is not new for old, new in zip(replay.applied, applied, strict=False))
        ):
            replay = replays[key] = _Replay(self, tracker.init_copy())
        prior = replay.tracker
        for event in applied[len(replay.applied) :]:
            if isinstance(event, ActionExecuted):
                state = _state_before_action(
                    self,
                    replay,
                    prior,
                    event.hide_rule_turn,
                    omit_unset_slots,
                    ignore_rule_only_turns,
                    rule_only_data,
                )
                if state is not None:
                    replay.states.append(state)
            prior.update(event)
            replay.applied.append(event)
        # Rasa's last step (the tracker after all events), kept out of the replay.
        last_ml_action, hidden = replay.last_ml_action, replay.hidden
        final = _state_before_action(
            self, replay, prior, False, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
        replay.last_ml_action, replay.hidden = last_ml_action, hidden
        states = [_copy_state(state) for state in replay.states]
        if final is not None:
            states.append(_copy_state(final))
        return states

    Domain._ecm_original_states_for_tracker_history = Domain.states_for_tracker_history
    Domain.states_for_tracker_history = states_for_tracker_history
    Domain._ecm_incremental = True


class _Applied:
    """Where `applied_events` got to on one tracker: the events it has read, the
    loop names it read them with, and the applied list it built."""

    __slots__ = ("read", "loop_names", "applied")

    def __init__(self, loop_names: frozenset) -> None:
        self.read: list = []
        self.loop_names = loop_names
        self.applied: list = []


def apply_events_incrementally() -> None:
    """`DialogueStateTracker.applied_events()` walks every event again on every call
    (several times per prediction). Its walk only ever appends to, or removes from
    the end of, the list it builds, so the list after N events stays valid while
    the tracker's first N events are the same objects and the names of the loops
    it knows (which steer the walk) have not changed. This version keeps that list
    on the tracker and walks only the new events; otherwise it starts over, as
    Rasa does. It returns a fresh list each time, as Rasa does.
    """
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(DialogueStateTracker, "_ecm_incremental_applied", False):
        return
    original = DialogueStateTracker.applied_events

    def walk(tracker, applied: list, events: list, loop_names: frozenset) -> list:  # noqa: ANN001
        """The loop of Rasa 3.6's `applied_events`, from `applied` on (same order,
        same helpers, same outcome)."""
        for event in events:
            if isinstance(event, Restarted | SessionStarted):
                applied = []
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (
                isinstance(event, ActionExecuted)
                and event.action_name in loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
            ):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        return applied

    def applied_events(self):  # noqa: ANN001, ANN202 - Rasa's signature
        events = self.events
        kept = self.__dict__.get("_ecm_applied")
        if (
            kept is None
            or len(kept.read) > len(events)
            or any(old is not new for old, new in zip(kept.read, events, strict=False))
        ):
            kept = None
        unread = list(itertools.islice(events, len(kept.read) if kept else 0, None))
        names = {e.name for e in unread if isinstance(e, ActiveLoop) and e.name}
        if kept is not None and not names <= kept.loop_names:
            kept = None  # a new loop name changes how earlier events were read
            unread = list(events)
            names = {e.name for e in unread if isinstance(e, ActiveLoop) and e.name}
        if kept is None:
            kept = self.__dict__["_ecm_applied"] = _Applied(frozenset(names))
        if unread:
            kept.applied = walk(self, kept.applied, unread, kept.loop_names)
            kept.read.extend(unread)
        return list(kept.applied)

    DialogueStateTracker._ecm_original_applied_events = original
    DialogueStateTracker.applied_events = applied_events
    DialogueStateTracker._ecm_incremental_applied = True


PATCHES = {
    "no_tensorflow": (import_thinc_without_tensorflow, defer_train_utils, defer_train_schema),
    "action_response_check": (cache_action_response_validator,),
    "incremental_featurization": (apply_events_incrementally, featurize_history_incrementally),
}


def install(off: Optional[Iterable[str]] = None) -> None:
    """Apply every change above (idempotent) but those named in `off`.

    `off` defaults to RASA_PATCHES_OFF (bot/settings.py). Call it before Rasa loads
    a model; `python -m bot.rasa.main` does.
    """
    from bot import settings

    off = set(settings.rasa_patches_off() if off is None else off)
    unknown = off - set(PATCHES)
    if unknown:
        raise settings.SettingsError(
            f"RASA_PATCHES_OFF names no such change: {', '.join(sorted(unknown))} "
            f"(there are: {', '.join(PATCHES)})"
        )
    for name, steps in PATCHES.items():
        if name not in off:
            for step in steps:
                step()
