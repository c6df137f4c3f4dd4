"""Rasa's check of the action server's answers, with the schema checked once per process."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.channels.action_results import _validate_action_result, validate_action_results_once

VALID = {"events": [{"event": "slot", "name": "topic", "value": "operations management"}],
         "responses": [{"text": "Operations management is ..."}]}


def test_a_valid_answer_passes() -> None:
    assert _validate_action_result(None, VALID) is True
    assert _validate_action_result(None, {"events": [], "responses": []}) is True


@pytest.mark.parametrize("answer", [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": ["a string, not an object"]},
], ids=["events-not-a-list", "unknown-event", "response-not-an-object"])
def test_an_invalid_answer_is_refused_as_rasa_refuses_it(answer) -> None:
    with pytest.raises(ValidationError) as ours:
        _validate_action_result(None, answer)
    assert "Failed to validate Action server response" in ours.value.message
    original = RemoteAction.__dict__["_validate_action_result"]
    if original is not _validate_action_result:  # Rasa's own refuses it too
        with pytest.raises(ValidationError):
            original(SimpleNamespace(
                action_response_format_spec=RemoteAction.action_response_format_spec), answer)


def test_it_is_installed_on_rasas_remote_action(monkeypatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    validate_action_results_once()
    assert RemoteAction._validate_action_result is _validate_action_result
