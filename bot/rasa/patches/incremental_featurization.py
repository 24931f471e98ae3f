"""Replaces Rasa's replay of every past event at each prediction: turns slowed as chats grew.

The policies featurize the whole conversation again for every prediction, and
the tracker works out its applied events (undos taken out) from the first
event on every call; `featurize_history_incrementally()` and
`apply_events_incrementally()` carry on from where the last call got to
instead (see there). Every story test runs through them, and
tests/bot/rasa/patches/test_incremental_featurization.py checks each call
against Rasa's own.
"""

from __future__ import annotations

import itertools


class _Replay:
    """Where featurizing one tracker's history got to: the replayed tracker, the
    applied events it has taken in, the states before each of its actions, and
    the rule-turn bookkeeping of `Domain.states_for_tracker_history`."""

    __slots__ = ("domain", "tracker", "applied", "states", "last_ml_action", "hidden")

    def __init__(self, domain, tracker) -> None:
        self.domain = domain
        self.tracker = tracker
        self.applied: list = []
        self.states: list = []
        self.last_ml_action = None
        self.hidden = False


def _state_before_action(domain, replay, tracker, hide_rule_turn, omit, ignore, rule_only):
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
    ):  # Rasa's signature
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

    def walk(tracker, applied: list, events: list, loop_names: frozenset) -> list:
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

    def applied_events(self):  # Rasa's signature
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


def install() -> None:
    """Carry applied events and featurized states on from the last call (idempotent)."""
    apply_events_incrementally()
    featurize_history_incrementally()
