"""The Rasa component around the focus rules: learns its subject terms, persists, focuses."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.nlu.question_focus import QuestionFocus, subject_terms  # noqa: E402

NLU = """
version: "3.1"
nlu:
- intent: ask_scope
  examples: |
    - scope of [ops]{"entity": "topic", "value": "operations management"}
    - is [telecom](sector) hiring
    - I did [BE]{"entity": "degree", "value": "B.E."}, so what now
- intent: ask_differences
  examples: |
    - give [5](count) differences
- synonym: operations management
  examples: |
    - om
- synonym: "5"
  examples: |
    - five
- lookup: exam
  examples: |
    - CAT
"""
STORY = ("I have worked six years in a bottling plant and everyone there mixes up the words. "
         "My manager keeps correcting people in meetings. So is ops a field with a future?")


def _context() -> ExecutionContext:
    return ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]


def _component(tmp_path: Path) -> tuple[QuestionFocus, LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("question_focus")
    config = QuestionFocus.get_default_config()
    return QuestionFocus.create(config, storage, resource, _context()), storage, resource


def test_subject_terms_are_the_annotated_values_their_synonyms_and_lookups() -> None:
    data = RasaYAMLReader().reads(NLU)
    terms = subject_terms(data, ["topic", "sector", "degree", "exam"])
    assert {"ops", "operations management", "om", "telecom", "BE", "B.E.", "CAT"} <= set(terms)
    assert "5" not in terms and "five" not in terms  # count is not a subject


def test_trained_component_focuses_long_messages_and_loads_what_it_learned(tmp_path) -> None:
    component, storage, resource = _component(tmp_path)
    component.train(RasaYAMLReader().reads(NLU))
    message = Message.build(STORY)
    short = Message.build("scope of ops?")
    component.process([message, short])
    assert message.get("text") == "So is ops a field with a future?"
    assert short.get("text") == "scope of ops?"

    loaded = QuestionFocus.load(QuestionFocus.get_default_config(), storage, resource,
                                _context())
    again = Message.build(STORY)
    loaded.process([again])
    assert again.get("text") == "So is ops a field with a future?"
    assert loaded.context.named_in("I did BE") and not loaded.context.named_in("telecom")


def test_training_examples_pass_whole(tmp_path) -> None:
    component, _, _ = _component(tmp_path)
    data = RasaYAMLReader().reads(NLU)
    before = [m.get("text") for m in data.training_examples]
    assert [m.get("text") for m in component.process_training_data(data).training_examples] == (
        before)


def test_without_trained_terms_a_long_message_stays_whole(tmp_path) -> None:
    component = QuestionFocus.load(QuestionFocus.get_default_config(),
                                   LocalModelStorage(tmp_path), Resource("never_trained"),
                                   _context())
    message = Message.build(STORY)
    component.process([message])
    assert message.get("text") == STORY
